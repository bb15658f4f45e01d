package io.hookgateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.Await;
import io.hookgateway.testing.LogCapture;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestPki;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Certificate files replaced while the gateway runs, with each TLS implementation: new connections get the new
 * certificate within the reload interval, a connection established before keeps working on its own, and a pair that
 * does not fit (the certificate written before its key, a file missing while it is swapped) keeps the certificate
 * served, says why in one error, and loads once the files fit. Kubernetes' way of updating a mounted secret (a
 * {@code ..data} link swapped to a new directory) is followed.
 */
class TlsReloadEndToEndTest {

    private static final Duration RELOADED = Duration.ofSeconds(10);
    private static final String RELOADS = "hook.gateway.tls.certificate.reloads";

    @TempDir
    static Path pkiDirectory;

    @TempDir
    Path live;

    private static TestPki pki;
    private static TestPki.Authority ca;
    private static SSLContext trusting;
    /** What a test's gateway serves at start, and what replaces it. */
    private TestPki.Issued first;
    private TestPki.Issued second;

    @BeforeAll
    static void makeCertificates() throws Exception {
        pki = new TestPki(pkiDirectory);
        ca = pki.authority("reload");
        trusting = TestPki.clientContext(ca, null);
    }

    @BeforeEach
    void makeTheTwoCertificates() throws Exception {
        first = pki.server(ca, "localhost");
        second = pki.server(ca, "localhost");
    }

    /** Installs the certificate and key as {@code tls.crt} and {@code tls.key} and starts a gateway serving them. */
    private TestGateway serving(int which, TestPki.Issued issued) throws Exception {
        replace(issued.certificate(), certificate());
        replace(issued.key(), key());
        return start(provider(which), certificate(), key());
    }

    private Path certificate() {
        return live.resolve("tls.crt");
    }

    private Path key() {
        return live.resolve("tls.key");
    }

    private static TestGateway start(String provider, Path certificate, Path key) throws Exception {
        return TestGateway.start("""
                server:
                  access-log: false
                  plain: false
                  tls: {port: 0, certificate: '%s', key: '%s', reload-interval: 100ms, provider: %s}
                hooks:
                  - name: hello
                    path: /hello
                    processor: {type: respond, body: hello}
                """.formatted(certificate, key, provider));
    }

    private static String provider(int which) {
        return which == 0 && io.netty.handler.ssl.OpenSsl.isAvailable() ? "openssl" : "jdk";
    }

    /** Writes a file as a deploy tool does: whole, under another name, then renamed over the old one. */
    private static void replace(Path source, Path target) throws Exception {
        Path temporary = target.resolveSibling(target.getFileName() + ".new");
        Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The serial of the certificate a new connection is served. */
    private static BigInteger servedSerial(TestGateway gateway) throws Exception {
        try (SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", gateway.tlsPort())) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static void awaitServed(TestGateway gateway, TestPki.Issued issued) throws Exception {
        Await.until(RELOADED, "new connections get serial " + issued.serial(),
                () -> servedSerial(gateway).equals(issued.serial()));
    }

    private static RawHttp.Response hello(RawHttp client) throws Exception {
        return client.send("POST /hello HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\n\r\nx").read();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void newConnectionsGetTheNewCertificateAndAnOpenOneKeepsWorking(int which) throws Exception {
        try (TestGateway gateway = serving(which, first);
             SSLSocket open = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", gateway.tlsPort());
             RawHttp kept = RawHttp.over(open);
             LogCapture log = LogCapture.gateway()) {
            assertThat(hello(kept).bodyText()).isEqualTo("hello");
            assertThat(servedSerial(gateway)).isEqualTo(first.serial());

            replace(second.key(), key());
            replace(second.certificate(), certificate());

            awaitServed(gateway, second);
            RawHttp.Response again = hello(kept);
            assertThat(again.status()).isEqualTo(200);
            assertThat(((X509Certificate) open.getSession().getPeerCertificates()[0]).getSerialNumber())
                    .as("the open connection keeps the certificate it started with").isEqualTo(first.serial());
            Await.until(RELOADED, "the reload logged", () -> log.messages().stream().anyMatch(line -> line.contains(
                    "the certificate files changed; new connections get CN=localhost for localhost, serial "
                            + second.serial().toString(16))));
            assertThat(gateway.gauge("hook.gateway.tls.certificate.expiry.timestamp",
                    "certificate", certificate().toString()))
                    .isEqualTo(second.x509().getNotAfter().toInstant().getEpochSecond());
            assertThat(gateway.counter(RELOADS, "outcome", "loaded")).isGreaterThanOrEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void aCertificateWithoutItsKeyKeepsTheOldOneUntilTheKeyComes(int which) throws Exception {
        try (TestGateway gateway = serving(which, first);
             LogCapture log = LogCapture.gateway()) {
            replace(second.certificate(), certificate());

            Await.until(RELOADED, "the failed reload counted",
                    () -> gateway.counter(RELOADS, "outcome", "failed") == 1);
            assertThat(servedSerial(gateway)).isEqualTo(first.serial());
            assertThat(log.lines()).filteredOn(line -> line.startsWith("ERROR")).singleElement().asString()
                    .contains("the certificate files changed but cannot be served: " + key() + " is not the key of "
                            + "the certificate in " + certificate())
                    .contains("Still serving CN=localhost for localhost, serial " + first.serial().toString(16))
                    .doesNotContain("PRIVATE KEY");

            replace(second.key(), key());

            awaitServed(gateway, second);
            assertThat(gateway.counter(RELOADS, "outcome", "failed")).as("logged and counted once").isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void aFileMissingForAWhileKeepsTheOldCertificate(int which) throws Exception {
        try (TestGateway gateway = serving(which, first)) {
            Files.delete(certificate());

            Await.until(RELOADED, "the missing file counted", () -> gateway.counter(RELOADS, "outcome", "failed") == 1);
            assertThat(servedSerial(gateway)).isEqualTo(first.serial());

            replace(second.key(), key());
            replace(second.certificate(), certificate());

            awaitServed(gateway, second);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void followsAKubernetesSecretWhoseDataLinkIsSwapped(int which) throws Exception {
        // As the kubelet lays out a mounted secret: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>/
        mountedSecret(first, "..2026_01_01_00_00_00.000000001");
        Files.createSymbolicLink(live.resolve("..data"), Path.of("..2026_01_01_00_00_00.000000001"));
        Files.createSymbolicLink(certificate(), Path.of("..data/tls.crt"));
        Files.createSymbolicLink(key(), Path.of("..data/tls.key"));
        try (TestGateway gateway = start(provider(which), certificate(), key())) {
            assertThat(servedSerial(gateway)).isEqualTo(first.serial());

            mountedSecret(second, "..2026_02_01_00_00_00.000000002");
            Files.createSymbolicLink(live.resolve("..data_tmp"), Path.of("..2026_02_01_00_00_00.000000002"));
            Files.move(live.resolve("..data_tmp"), live.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

            awaitServed(gateway, second);
            assertThat(gateway.counter(RELOADS, "outcome", "failed")).isZero();
        }
    }

    private void mountedSecret(TestPki.Issued issued, String name) throws Exception {
        Path directory = Files.createDirectory(live.resolve(name));
        Files.copy(issued.certificate(), directory.resolve("tls.crt"));
        Files.copy(issued.key(), directory.resolve("tls.key"));
    }
}
