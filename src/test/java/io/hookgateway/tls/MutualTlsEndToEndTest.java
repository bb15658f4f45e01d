package io.hookgateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookgateway.testing.Await;
import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestPki;
import io.hookgateway.testing.Tool;
import io.netty.handler.ssl.OpenSsl;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Client certificates, per listener: two listeners require one from the clients' CA (one served by OpenSSL, one by the
 * JDK), one takes it as optional, one does not ask. With curl and Java's HttpClient: the right certificate gets 200;
 * none, one from another CA, or an expired one is refused in the handshake, and counted by reason.
 */
class MutualTlsEndToEndTest {

    private static final String FAILURES = "hook.gateway.tls.handshake.failures";
    private static final int OPTIONAL = 2;
    private static final int NOT_ASKED = 3;

    @TempDir
    static Path directory;

    private static TestPki.Authority serverCa;
    private static TestPki.Issued client;
    private static TestPki.Issued stranger;
    private static TestPki.Issued expiredClient;
    private static Tool curl;

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(() -> {
        TestPki pki = new TestPki(directory);
        serverCa = pki.authority("gateway");
        TestPki.Authority clientCa = pki.authority("clients");
        TestPki.Issued server = pki.server(serverCa, "localhost");
        client = pki.client(clientCa, "lamp-controller");
        stranger = pki.client(pki.authority("strangers"), "lamp-controller");
        expiredClient = pki.issue(clientCa, "old-controller", "EC", "clientAuth", List.of(),
                Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1)));
        String files = "port: 0, certificate: '%s', key: '%s'".formatted(server.certificate(), server.key());
        String clients = "client-ca: '" + clientCa.certificate() + "'";
        return TestGateway.start("""
                server:
                  access-log: false
                  plain: false
                  tls:
                    - {%1$s, %2$s, provider: %3$s}
                    - {%1$s, %2$s, client-auth: require, provider: jdk}
                    - {%1$s, %2$s, client-auth: optional}
                    - {%1$s}
                hooks:
                  - name: lamp
                    path: /lamp
                    processor: {type: respond, body: "on"}
                """.formatted(files, clients, OpenSsl.isAvailable() ? "openssl" : "jdk"));
    });

    @BeforeAll
    static void tools() {
        curl = Tool.require("curl", "curl");
    }

    private static Tool.Result curl(int listener, TestPki.Issued certificate) throws Exception {
        int port = gateway.server().tlsPorts().get(listener);
        List<String> arguments = new ArrayList<>(List.of("-sS", "--max-time", "10",
                "--resolve", "localhost:" + port + ":127.0.0.1", "--cacert", serverCa.certificate().toString(),
                "-d", "x", "-w", " %{http_code}"));
        if (certificate != null) {
            arguments.addAll(List.of("--cert", certificate.certificate().toString(),
                    "--key", certificate.key().toString()));
        }
        arguments.add("https://localhost:" + port + "/lamp");
        return curl.run(directory, "", arguments);
    }

    private static double failures(String reason) {
        return gateway.counter(FAILURES, "reason", reason);
    }

    private static void assertRefused(int listener, TestPki.Issued certificate, String reason) throws Exception {
        double before = failures(reason);

        Tool.Result result = curl(listener, certificate);

        assertThat(result.exitCode()).as("%s", result).isNotZero();
        assertThat(result.out()).doesNotContain("on");
        Await.until(Duration.ofSeconds(5), "the refusal counted as " + reason,
                () -> failures(reason) == before + 1);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void theRightClientCertificateGets200(int listener) throws Exception {
        Tool.Result result = curl(listener, client);

        assertThat(result.out()).as("%s", result).isEqualTo("on 200");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void noClientCertificateIsRefused(int listener) throws Exception {
        assertRefused(listener, null, "no_client_certificate");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, OPTIONAL})
    void aCertificateFromAnotherCaIsRefused(int listener) throws Exception {
        assertRefused(listener, stranger, "client_certificate_refused");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, OPTIONAL})
    void anExpiredClientCertificateIsRefused(int listener) throws Exception {
        assertRefused(listener, expiredClient, "client_certificate_refused");
    }

    @Test
    void anOptionalCertificateMayBeLeftOut() throws Exception {
        assertThat(curl(OPTIONAL, null).out()).isEqualTo("on 200");
        assertThat(curl(OPTIONAL, client).out()).isEqualTo("on 200");
    }

    @Test
    void aListenerWithoutClientCaAsksForNoCertificate() throws Exception {
        assertThat(curl(NOT_ASKED, null).out()).isEqualTo("on 200");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void javaHttpClientWithTheClientCertificateGets200AndWithoutIsRefused(int listener) throws Exception {
        URI lamp = URI.create("https://localhost:" + gateway.server().tlsPorts().get(listener) + "/lamp");
        HttpRequest request = HttpRequest.newBuilder(lamp).POST(HttpRequest.BodyPublishers.ofString("x")).build();

        HttpResponse<String> response = HttpClient.newBuilder().sslContext(TestPki.clientContext(serverCa, client))
                .build().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> HttpClient.newBuilder().sslContext(TestPki.clientContext(serverCa, null)).build()
                .send(request, HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }
}
