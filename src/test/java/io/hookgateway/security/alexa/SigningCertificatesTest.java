package io.hookgateway.security.alexa;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chains fetched over HTTPS from a local server with its own certificate authority, each checked as Amazon requires
 * and cached: a good chain is taken and fetched once; every chain wrong in one way is refused, and not fetched again
 * at once.
 */
class SigningCertificatesTest {

    @TempDir
    static Path directory;

    private static LocalAmazon amazon;
    private SigningCertificates certificates;

    @BeforeAll
    static void start() throws Exception {
        amazon = LocalAmazon.start(directory);
    }

    @AfterAll
    static void stop() {
        amazon.close();
    }

    @BeforeEach
    void fresh() {
        certificates = new SigningCertificates(amazon.fetcher(),
                () -> Set.of(new TrustAnchor(amazon.root(), null)), amazon.clock());
    }

    private SigningCertificates.Signer signer(String file) {
        return certificates.signerAt(URI.create(LocalAmazon.urlOf(file)));
    }

    @Test
    void takesAGoodChainAndFetchesItOnce() {
        int before = amazon.fetches(LocalAmazon.GOOD);

        SigningCertificates.Signer first = signer(LocalAmazon.GOOD);
        SigningCertificates.Signer second = signer(LocalAmazon.GOOD);

        assertThat(first.refusal()).isNull();
        assertThat(first.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=echo-api.amazon.com");
        assertThat(second.certificate()).isSameAs(first.certificate());
        assertThat(amazon.fetches(LocalAmazon.GOOD) - before).isEqualTo(1);
    }

    @Test
    void takesAChainThatEndsWithItsRoot() {
        assertThat(signer(LocalAmazon.WITH_ROOT).refusal()).isNull();
    }

    @Test
    void refusesASignerWithoutAmazonsName() {
        assertThat(signer(LocalAmazon.WRONG_NAME).refusal()).contains("does not name echo-api.amazon.com");
    }

    @Test
    void refusesAChainToAnotherRoot() {
        assertThat(signer(LocalAmazon.FOREIGN_ROOT).refusal()).contains("does not lead to a trusted root");
    }

    @Test
    void refusesAChainWithoutItsIntermediate() {
        assertThat(signer(LocalAmazon.NO_INTERMEDIATE).refusal()).contains("does not lead to a trusted root");
    }

    @Test
    void refusesASelfSignedSigner() {
        assertThat(signer(LocalAmazon.SELF_SIGNED).refusal()).contains("does not lead to a trusted root");
    }

    @Test
    void refusesWhatIsNotPem() {
        assertThat(signer(LocalAmazon.NOT_PEM).refusal()).contains("is not PEM certificates");
    }

    @Test
    void refusesAnAnswerLargerThanTheCap() {
        assertThat(signer(LocalAmazon.HUGE).refusal()).contains("larger than " + HttpsCertificateFetcher.MAX_BYTES);
    }

    @Test
    void refusesAUrlTheServerDoesNotHave() {
        assertThat(signer("missing.pem").refusal()).contains("answered 404");
    }

    @Test
    void remembersARefusalInsteadOfFetchingAgain() {
        int before = amazon.fetches(LocalAmazon.WRONG_NAME);

        for (int i = 0; i < 5; i++) {
            assertThat(signer(LocalAmazon.WRONG_NAME).refusal()).isNotNull();
        }

        assertThat(amazon.fetches(LocalAmazon.WRONG_NAME) - before).isEqualTo(1);
    }

    @Test
    void refusesAChainOnceItHasExpiredAndBeforeItIsValid() {
        assertThat(signer(LocalAmazon.GOOD).refusal()).isNull();
        try {
            amazon.clock().advance(LocalAmazon.VALIDITY.plusDays(1));
            assertThat(signer(LocalAmazon.GOOD).refusal()).as("expired").contains("not now");

            amazon.clock().advance(LocalAmazon.VALIDITY.plusDays(1).multipliedBy(-2));
            fresh();
            assertThat(signer(LocalAmazon.GOOD).refusal()).as("not yet valid").contains("not now");
        } finally {
            amazon.clock().advance(LocalAmazon.VALIDITY.plusDays(1));
        }
    }

    @Test
    void requestsForOneUrlShareOneFetch() throws Exception {
        int before = amazon.fetches(LocalAmazon.GOOD);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger taken = new AtomicInteger();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                done.add(pool.submit(() -> {
                    start.await();
                    if (signer(LocalAmazon.GOOD).refusal() == null) {
                        taken.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(30, TimeUnit.SECONDS);
            }
            assertThat(taken.get()).isEqualTo(threads);
            assertThat(amazon.fetches(LocalAmazon.GOOD) - before).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theJdkTrustStoreHasRootsToCheckAgainst() {
        assertThat(SigningCertificates.jdkTrustAnchors()).isNotEmpty();
    }

    @Test
    void keepsAGoodChainNoLongerThanItIsValid() {
        SigningCertificates.Signer signer = signer(LocalAmazon.GOOD);

        assertThat(Duration.between(amazon.clock().instant(), signer.notAfter()))
                .isLessThanOrEqualTo(LocalAmazon.VALIDITY.plusMinutes(1));
    }
}
