package io.hookgateway.security.alexa;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates that sign Alexa requests, by the URL their chain is published at, checked as Amazon requires: the
 * first certificate of the chain is the signer, valid now (not before, not after), with {@value #SIGNER_NAME} among
 * its subject alternative names, and the whole chain leads to a trusted root (PKIX, RFC 5280 §6).
 *
 * <p>A chain is fetched once and kept until its first certificate expires; a URL whose chain was refused, or could not
 * be fetched, is refused again for {@link #REFUSAL_TTL} without another fetch. Requests for a URL being fetched wait
 * for that one fetch. At most {@value #MAX_URLS} URLs are remembered and {@value #MAX_CONCURRENT_FETCHES} fetched at
 * once, so requests naming ever new URLs under {@code /echo.api/} cannot make the gateway fetch without bound: past
 * that, a request for a URL not yet known is refused at once.
 */
final class SigningCertificates {

    private static final Logger log = LoggerFactory.getLogger(SigningCertificates.class);

    static final String SIGNER_NAME = "echo-api.amazon.com";
    static final int MAX_URLS = 64;
    static final int MAX_CHAIN_LENGTH = 10;
    static final int MAX_CONCURRENT_FETCHES = 4;
    static final Duration REFUSAL_TTL = Duration.ofSeconds(10);
    /** How long a request waits for a fetch another request started: the fetch's own limit, and a little. */
    private static final Duration WAIT = HttpsCertificateFetcher.FETCH_TIMEOUT.plusSeconds(1);
    /** RFC 5280 §4.2.1.6: a dNSName is general name 2. */
    private static final int DNS_NAME = 2;

    /**
     * What a URL gave: the signing certificate and when the whole chain is valid, or why it was refused.
     *
     * @param refusal why the chain is not taken, for the log; {@code null} when it is
     */
    record Signer(X509Certificate certificate, Instant notBefore, Instant notAfter, String refusal) {

        static Signer refused(String why) {
            return new Signer(null, null, null, why);
        }

        boolean isValidAt(Instant now) {
            return refusal == null && !now.isBefore(notBefore) && !now.isAfter(notAfter);
        }
    }

    private final CertificateFetcher fetcher;
    private final Supplier<Set<TrustAnchor>> trustAnchors;
    private final Clock clock;
    private final Semaphore fetches = new Semaphore(MAX_CONCURRENT_FETCHES);
    private final AsyncCache<URI, Signer> cache;
    private Set<TrustAnchor> anchors;

    /**
     * @param trustAnchors the roots a chain must lead to, asked for once, on first use
     * @param clock what "now" is, for validity dates
     */
    SigningCertificates(CertificateFetcher fetcher, Supplier<Set<TrustAnchor>> trustAnchors, Clock clock) {
        this.fetcher = fetcher;
        this.trustAnchors = trustAnchors;
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .maximumSize(MAX_URLS)
                .expireAfter(new UntilInvalid())
                // Evictions are bookkeeping on the thread at hand, not work for the common pool.
                .executor(Runnable::run)
                .buildAsync();
    }

    /** The roots the JDK trusts: its {@code cacerts}, which holds the roots Amazon's chains lead to. */
    static Set<TrustAnchor> jdkTrustAnchors() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            Set<TrustAnchor> anchors = new HashSet<>();
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate root : x509.getAcceptedIssuers()) {
                        anchors.add(new TrustAnchor(root, null));
                    }
                }
            }
            return anchors;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's trust store cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The signer of the chain at {@code url} (normalised by {@link CertificateUrl}), valid now; or a refusal. Blocks
     * while the chain is fetched: call it on the worker pool.
     */
    Signer signerAt(URI url) {
        CompletableFuture<Signer> pending = pending(url);
        Signer signer = await(url, pending);
        if (isStale(signer)) {
            // Kept past its time (the cache counts on a clock of its own): fetched again, once, in case it was
            // replaced at the same URL.
            cache.asMap().remove(url, pending);
            signer = await(url, pending(url));
            if (isStale(signer)) {
                signer = Signer.refused("the chain at " + url + " is not valid now");
            }
        }
        return signer;
    }

    private boolean isStale(Signer signer) {
        return signer.refusal() == null && !signer.isValidAt(clock.instant());
    }

    /** The chain at {@code url} as known, or being fetched: by this request, if no other is fetching it. */
    private CompletableFuture<Signer> pending(URI url) {
        CompletableFuture<Signer> mine = new CompletableFuture<>();
        CompletableFuture<Signer> known = cache.asMap().putIfAbsent(url, mine);
        if (known != null) {
            return known;
        }
        load(url, mine);
        return mine;
    }

    private Signer await(URI url, CompletableFuture<Signer> pending) {
        try {
            return pending.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Signer.refused("the chain at " + url + " was not fetched within " + WAIT.toSeconds() + "s");
        } catch (ExecutionException e) {
            return Signer.refused(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Signer.refused("interrupted while waiting for the chain at " + url);
        }
    }

    /**
     * Fetches and checks the chain, completing {@code result}; with every fetch slot taken, fails it instead, which
     * takes it out of the cache again: being busy is not a verdict on the URL.
     */
    private void load(URI url, CompletableFuture<Signer> result) {
        if (!fetches.tryAcquire()) {
            result.completeExceptionally(new IllegalStateException(MAX_CONCURRENT_FETCHES + " certificate chains "
                    + "are being fetched already; " + url + " is not fetched now"));
            return;
        }
        Signer signer;
        try {
            signer = check(url, fetcher.fetch(url));
        } catch (IOException e) {
            signer = Signer.refused(e.getMessage());
        } catch (RuntimeException | Error e) {
            // Never left pending: a future that never completes would hold the URL for good.
            result.completeExceptionally(e);
            if (e instanceof Error error) {
                throw error;
            }
            log.error("Alexa signing certificate chain at {} could not be checked", url, e);
            return;
        } finally {
            fetches.release();
        }
        if (signer.refusal() != null) {
            log.warn("Alexa signing certificate chain refused for {} seconds: {}", REFUSAL_TTL.toSeconds(),
                    signer.refusal());
        } else {
            log.info("Alexa signing certificate chain at {} accepted: {}, valid until {}", url,
                    signer.certificate().getSubjectX500Principal().getName(), signer.notAfter());
        }
        result.complete(signer);
    }

    /** The chain's signer, if the chain is what Amazon's rules ask for at this moment. */
    Signer check(URI url, byte[] pem) {
        List<X509Certificate> chain;
        try {
            chain = parse(pem);
        } catch (CertificateException e) {
            return Signer.refused("the chain at " + url + " is not PEM certificates: " + e.getMessage());
        }
        if (chain.isEmpty() || chain.size() > MAX_CHAIN_LENGTH) {
            return Signer.refused("the chain at " + url + " holds " + chain.size() + " certificates, not 1 to "
                    + MAX_CHAIN_LENGTH);
        }
        X509Certificate signer = chain.get(0);
        Instant now = clock.instant();
        Instant notBefore = Instant.MIN;
        Instant notAfter = Instant.MAX;
        for (X509Certificate certificate : chain) {
            notBefore = max(notBefore, certificate.getNotBefore().toInstant());
            notAfter = min(notAfter, certificate.getNotAfter().toInstant());
        }
        if (now.isBefore(signer.getNotBefore().toInstant()) || now.isAfter(signer.getNotAfter().toInstant())) {
            return Signer.refused("the signing certificate at " + url + " is valid from " + signer.getNotBefore()
                    .toInstant() + " to " + signer.getNotAfter().toInstant() + ", not now");
        }
        if (!namesSigner(signer)) {
            return Signer.refused("the signing certificate at " + url + " does not name " + SIGNER_NAME
                    + " among its subject alternative names");
        }
        if (!"RSA".equals(signer.getPublicKey().getAlgorithm())) {
            return Signer.refused("the signing certificate at " + url + " has no RSA key");
        }
        try {
            validate(chain, now);
        } catch (CertPathValidatorException e) {
            return Signer.refused("the chain at " + url + " does not lead to a trusted root: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            return Signer.refused("the chain at " + url + " could not be checked: " + e.getMessage());
        }
        return new Signer(signer, notBefore, notAfter, null);
    }

    private static List<X509Certificate> parse(byte[] pem) throws CertificateException {
        Collection<? extends java.security.cert.Certificate> read =
                CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
        List<X509Certificate> chain = new ArrayList<>(read.size());
        for (java.security.cert.Certificate certificate : read) {
            chain.add((X509Certificate) certificate);
        }
        return chain;
    }

    private static boolean namesSigner(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return false;
            }
            for (List<?> name : names) {
                if (Integer.valueOf(DNS_NAME).equals(name.get(0)) && name.get(1) instanceof String dns
                        && dns.equalsIgnoreCase(SIGNER_NAME)) {
                    return true;
                }
            }
            return false;
        } catch (CertificateException e) {
            return false;
        }
    }

    /**
     * PKIX path validation to one of the trust anchors, at {@code now}. A root the file ends with is left out of the
     * path: it is trusted only if it is an anchor anyway. Revocation is not checked, as browsers mostly do not either;
     * it would mean fetching more on a request's way.
     */
    private void validate(List<X509Certificate> chain, Instant now) throws GeneralSecurityException {
        List<X509Certificate> path = new ArrayList<>(chain);
        while (path.size() > 1 && isSelfIssued(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        PKIXParameters parameters = new PKIXParameters(anchors());
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(now));
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
    }

    private static boolean isSelfIssued(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }

    private synchronized Set<TrustAnchor> anchors() {
        if (anchors == null) {
            anchors = Set.copyOf(trustAnchors.get());
        }
        return anchors;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** A chain is kept until it is no longer valid; a refusal for {@link #REFUSAL_TTL}. */
    private final class UntilInvalid implements Expiry<URI, Signer> {
        @Override
        public long expireAfterCreate(URI url, Signer signer, long currentTime) {
            if (signer.refusal() != null) {
                return REFUSAL_TTL.toNanos();
            }
            Duration left = Duration.between(clock.instant(), signer.notAfter());
            return left.isNegative() ? 0 : saturatedNanos(left);
        }

        @Override
        public long expireAfterUpdate(URI url, Signer signer, long currentTime, long currentDuration) {
            return expireAfterCreate(url, signer, currentTime);
        }

        @Override
        public long expireAfterRead(URI url, Signer signer, long currentTime, long currentDuration) {
            return currentDuration;
        }

        private static long saturatedNanos(Duration duration) {
            return duration.compareTo(Duration.ofDays(365L * 100)) > 0 ? Long.MAX_VALUE : duration.toNanos();
        }
    }
}
