package io.hookgateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.LogCapture;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestPki;
import io.hookgateway.testing.Tool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gateway serving certificates a client must refuse, and the clients refusing them as they should: one for another
 * host, one that has expired, one self-signed. curl, {@code openssl s_client} and Java's HttpClient all trust the
 * test's CA, and all refuse each. The expired one is served anyway (a renewal may come at any moment), with a warning.
 */
class RefusedCertificatesEndToEndTest {

    private static final int WRONG_HOST = 0;
    private static final int EXPIRED = 1;
    private static final int SELF_SIGNED = 2;

    @TempDir
    static Path directory;

    private static TestPki pki;
    private static TestPki.Authority ca;
    private static TestPki.Issued expired;
    private static LogCapture startLog;
    private static Tool curl;

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(() -> {
        pki = new TestPki(directory);
        ca = pki.authority("gateway");
        TestPki.Issued otherHost = pki.server(ca, "other.example");
        expired = pki.expiredServer(ca, "localhost", "127.0.0.1");
        TestPki.Issued selfSigned = pki.selfSigned("localhost", "127.0.0.1");
        String listener = "{port: 0, certificate: '%s', key: '%s'}";
        startLog = LogCapture.gateway();
        return TestGateway.start("""
                server:
                  access-log: false
                  plain: false
                  tls: [%s, %s, %s]
                hooks:
                  - name: hello
                    path: /hello
                    processor: {type: respond, body: hello}
                """.formatted(listener.formatted(otherHost.certificate(), otherHost.key()),
                listener.formatted(expired.certificate(), expired.key()),
                listener.formatted(selfSigned.certificate(), selfSigned.key())));
    });

    @BeforeAll
    static void tools() {
        curl = Tool.require("curl", "curl");
    }

    @AfterAll
    static void stopCapturing() {
        startLog.close();
    }

    private static int port(int listener) {
        return gateway.server().tlsPorts().get(listener);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        WRONG_HOST + "| no alternative certificate subject name matches target host name 'localhost'",
        EXPIRED + "| certificate has expired",
        SELF_SIGNED + "| self-signed certificate"})
    void curlRefusesIt(int listener, String why) throws Exception {
        int port = port(listener);

        Tool.Result result = curl.run(directory, "-sS", "--max-time", "10", "--cacert", ca.certificate().toString(),
                "--resolve", "localhost:" + port + ":127.0.0.1", "-d", "x", "https://localhost:" + port + "/hello");

        assertThat(result.exitCode()).as("%s", result).isEqualTo(60);
        assertThat(result.err()).contains(why);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        WRONG_HOST + "| Hostname mismatch",
        EXPIRED + "| certificate has expired",
        SELF_SIGNED + "| self-signed certificate"})
    void opensslRefusesIt(int listener, String why) throws Exception {
        Tool.Result result = pki.openssl().run(directory, "", List.of("s_client", "-connect",
                "127.0.0.1:" + port(listener), "-servername", "localhost", "-verify_hostname", "localhost",
                "-verify_return_error", "-CAfile", ca.certificate().toString()));

        assertThat(result.exitCode()).as("%s", result).isNotZero();
        assertThat(result.out() + result.err()).containsIgnoringCase(why);
    }

    @ParameterizedTest
    @CsvSource({WRONG_HOST + ", No subject alternative DNS name matching localhost found",
        EXPIRED + ", validity check failed", SELF_SIGNED + ", unable to find valid certification path"})
    void javaHttpClientRefusesIt(int listener, String why) {
        HttpClient client = HttpClient.newBuilder().sslContext(clientContext()).build();

        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + port(listener) + "/hello"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class).hasStackTraceContaining(why);
    }

    @Test
    void servesTheExpiredCertificateWithAWarning() {
        assertThat(startLog.lines()).anySatisfy(line -> assertThat(line).startsWith("WARN").contains(
                "the certificate expired at " + expired.x509().getNotAfter().toInstant() + ": clients refuse it"));
    }

    private static javax.net.ssl.SSLContext clientContext() {
        try {
            return TestPki.clientContext(ca, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
