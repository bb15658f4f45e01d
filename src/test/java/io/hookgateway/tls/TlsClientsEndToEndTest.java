package io.hookgateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hookgateway.testing.Await;
import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestPki;
import io.hookgateway.testing.Tool;
import io.netty.handler.ssl.OpenSsl;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real clients against TLS listeners, one served by OpenSSL and one by the JDK (each test runs against both): curl,
 * {@code openssl s_client} and Java's HttpClient get 200 over TLS 1.3 or 1.2 with ALPN http/1.1 when they trust the
 * test's CA; TLS 1.0 and 1.1, and suites without forward secrecy or AEAD, are refused; a client that does not trust the
 * CA refuses the gateway. Plain HTTP on the TLS port gets a 400 that says so; a client that never finishes its
 * handshake is closed at the handshake timeout. Every failure is counted by reason.
 */
class TlsClientsEndToEndTest {

    private static final String FAILURES = "hook.gateway.tls.handshake.failures";

    @TempDir
    static Path directory;

    private static TestPki pki;
    private static TestPki.Authority ca;
    private static TestPki.Issued server;
    private static Tool curl;

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(() -> {
        pki = new TestPki(directory);
        ca = pki.authority("gateway");
        server = pki.server(ca, "localhost", "127.0.0.1");
        String listener = "{port: 0, certificate: '%s', key: '%s', handshake-timeout: 500ms, provider: %s}";
        return TestGateway.start("""
                server:
                  access-log: false
                  max-body-size: 1KiB
                  tls:
                    - %s
                    - %s
                hooks:
                  - name: hello
                    path: /hello
                    processor: {type: respond, body: "hello over TLS"}
                """.formatted(
                listener.formatted(server.certificate(), server.key(), OpenSsl.isAvailable() ? "openssl" : "jdk"),
                listener.formatted(server.certificate(), server.key(), "jdk")));
    });

    @BeforeAll
    static void tools() {
        curl = Tool.require("curl", "curl");
    }

    private static int port(int listener) {
        return gateway.server().tlsPorts().get(listener);
    }

    private static double failures(String reason) {
        return gateway.counter(FAILURES, "reason", reason);
    }

    private static Tool.Result curl(int listener, String... options) throws Exception {
        int port = port(listener);
        List<String> arguments = new ArrayList<>(List.of("-sS", "--max-time", "10",
                "--resolve", "localhost:" + port + ":127.0.0.1"));
        arguments.addAll(List.of(options));
        return curl.run(directory, "", arguments.stream()
                .map(a -> a.replace("https://localhost/", "https://localhost:" + port + "/")).toList());
    }

    private static Tool.Result sClient(int listener, String... options) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("s_client", "-connect",
                "127.0.0.1:" + port(listener), "-servername", "localhost", "-CAfile", ca.certificate().toString()));
        arguments.addAll(List.of(options));
        return pki.openssl().run(directory, "", arguments);
    }

    @Test
    void servesWithOpenSslWhereItsNativeLibraryLoads() {
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"));

        assertThat(OpenSsl.isAvailable()).as("netty-tcnative-boringssl-static loads on Linux x86_64: %s",
                OpenSsl.unavailabilityCause()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void curlTrustingTheCaGets200OverHttp11(int listener) throws Exception {
        Tool.Result result = curl(listener, "--cacert", ca.certificate().toString(), "-d", "x",
                "-w", "\n%{http_code} %{http_version} %{ssl_verify_result}", "https://localhost/hello");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.out()).isEqualTo("hello over TLS\n200 1.1 0");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void curlAskingForHttp2GetsHttp11(int listener) throws Exception {
        Tool.Result result = curl(listener, "--http2", "--cacert", ca.certificate().toString(), "-d", "x",
                "-w", "\n%{http_code} %{http_version}", "https://localhost/hello");

        assertThat(result.out()).as("%s", result).endsWith("\n200 1.1");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void curlKeepsTheConnectionAliveAcrossRequests(int listener) throws Exception {
        Tool.Result result = curl(listener, "--cacert", ca.certificate().toString(), "-d", "x",
                "-w", " connects=%{num_connects}\n", "https://localhost/hello", "https://localhost/hello");

        assertThat(result.out()).as("%s", result)
                .isEqualTo("hello over TLS connects=1\nhello over TLS connects=0\n");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void anErrorAnswerIsReadWholeBeforeTheConnectionEnds(int listener) throws Exception {
        Path body = directory.resolve("two-kib.txt");
        Files.writeString(body, "x".repeat(2048));

        Tool.Result result = curl(listener, "--cacert", ca.certificate().toString(), "--data-binary", "@" + body,
                "-o", "/dev/null", "-w", "%{http_code}", "https://localhost/hello");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.out()).isEqualTo("413");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void curlWithoutTheCaRefusesTheGatewayAndTheRefusalIsCounted(int listener) throws Exception {
        for (String version : List.of("--tlsv1.3", "--tls-max")) {
            double before = failures("certificate_refused");

            Tool.Result result = version.equals("--tls-max") ? curl(listener, "--tls-max", "1.2",
                    "https://localhost/hello") : curl(listener, version, "https://localhost/hello");

            assertThat(result.exitCode()).as("%s", result).isEqualTo(60);
            assertThat(result.err()).contains("unable to get local issuer certificate");
            Await.until(Duration.ofSeconds(5), "the refusal counted",
                    () -> failures("certificate_refused") == before + 1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void opensslNegotiatesTls13WithAlpnHttp11(int listener) throws Exception {
        Tool.Result result = sClient(listener, "-alpn", "h2,http/1.1");

        assertThat(result.out()).as("%s", result).contains("New, TLSv1.3, Cipher is TLS_")
                .contains("ALPN protocol: http/1.1").contains("Verify return code: 0 (ok)");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void acceptsTls12WithForwardSecrecyAndAead(int listener) throws Exception {
        for (String suite : List.of("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
                "ECDHE-ECDSA-CHACHA20-POLY1305")) {
            Tool.Result result = sClient(listener, "-tls1_2", "-cipher", suite);

            assertThat(result.out()).as("%s", result).contains("New, TLSv1.2, Cipher is " + suite);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void refusesTls10And11(int listener) throws Exception {
        for (String version : List.of("-tls1", "-tls1_1")) {
            double before = failures("protocol");

            // SECLEVEL=0: the client's own policy would refuse these versions before asking.
            Tool.Result result = sClient(listener, version, "-cipher", "DEFAULT@SECLEVEL=0");

            assertThat(result.exitCode()).as("%s", result).isNotZero();
            assertThat(result.out() + result.err()).contains("alert protocol version");
            Await.until(Duration.ofSeconds(5), "the refusal counted", () -> failures("protocol") == before + 1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void refusesSuitesWithoutForwardSecrecyOrAead(int listener) throws Exception {
        for (String suite : List.of("AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384")) {
            Tool.Result result = sClient(listener, "-tls1_2", "-cipher", suite);

            assertThat(result.exitCode()).as("%s", result).isNotZero();
            assertThat(result.out() + result.err()).contains("alert handshake failure");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void javaHttpClientTrustingTheCaGets200(int listener) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(TestPki.clientContext(ca, null))
                .version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + port(listener) + "/hello"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).isEqualTo("hello over TLS");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void javaHttpClientWithTheDefaultTrustRefusesTheGateway(int listener) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + port(listener) + "/hello"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void plainHttpOnTheTlsPortGets400SayingSo(int listener) throws Exception {
        double before = failures("plain_http");

        Tool.Result result = curl.run(directory, "-sS", "--max-time", "10", "-d", "x", "-w", "\n%{http_code}",
                "http://127.0.0.1:" + port(listener) + "/hello");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.out()).isEqualTo("this port speaks TLS: send the request to https:// instead of "
                + "http://\n\n400");
        assertThat(failures("plain_http")).isEqualTo(before + 1);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void closesAConnectionThatSendsNoHandshakeAtTheHandshakeTimeout(int listener) throws Exception {
        Duration open = closedAfterSending(listener, new byte[0], "timeout");

        assertThat(open).isBetween(Duration.ofMillis(400), Duration.ofSeconds(3));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void closesAConnectionThatStopsInTheMiddleOfItsHandshake(int listener) throws Exception {
        // The start of a ClientHello record's header, and nothing more: a handshake that drips.
        closedAfterSending(listener, new byte[] {0x16, 0x03, 0x01}, "timeout");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void closesAConnectionThatIsNeitherTlsNorHttp(int listener) throws Exception {
        closedAfterSending(listener, new byte[] {0, 1, 2, 3}, "not_tls");
    }

    /**
     * Sends the bytes on a new connection, waits for the gateway to close it, and checks that the failure is counted
     * under {@code reason}. Returns how long the connection stayed open.
     */
    private static Duration closedAfterSending(int listener, byte[] bytes, String reason) throws Exception {
        double before = failures(reason);
        Duration open;
        try (Socket socket = new Socket("127.0.0.1", port(listener))) {
            socket.setSoTimeout(5000);
            long start = System.nanoTime();
            socket.getOutputStream().write(bytes);

            assertThat(readOrReset(socket.getInputStream())).isEqualTo(-1);
            open = Duration.ofNanos(System.nanoTime() - start);
        }
        Await.until(Duration.ofSeconds(5), "the failure counted as " + reason,
                () -> failures(reason) == before + 1);
        return open;
    }

    @Test
    void showsWhenTheCertificateExpires() {
        assertThat(gateway.gauge("hook.gateway.tls.certificate.expiry.timestamp",
                "certificate", server.certificate().toString()))
                .isEqualTo(server.x509().getNotAfter().toInstant().getEpochSecond());
    }

    @Test
    void itsMetricsPassPromtool() throws Exception {
        Tool promtool = Tool.require("promtool", "prometheus");
        String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.metricsUri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();

        assertThat(scrape).contains("# TYPE hook_gateway_tls_certificate_expiry_timestamp_seconds gauge",
                "hook_gateway_tls_certificate_expiry_timestamp_seconds{certificate=\"" + server.certificate() + "\"}",
                "hook_gateway_tls_certificate_reloads_total{certificate=\"" + server.certificate()
                        + "\",outcome=\"failed\"} 0.0",
                "hook_gateway_tls_handshake_failures_total{reason=\"client_certificate_refused\"}");
        Tool.Result check = promtool.run(directory, scrape, List.of("check", "metrics"));
        assertThat(check.exitCode()).as("%s", check).isZero();
        assertThat(check.out() + check.err()).isBlank();
    }

    /** The first byte read, or -1 at the end of the stream or a reset (either is the gateway closing). */
    private static int readOrReset(InputStream in) throws Exception {
        try {
            return in.read();
        } catch (SocketException reset) {
            return -1;
        }
    }
}
