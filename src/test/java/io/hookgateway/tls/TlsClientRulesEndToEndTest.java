package io.hookgateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestPki;
import java.io.IOException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client rules are the hook port's, whichever of its listeners a request came in on: a denied address is refused
 * over TLS as over plain HTTP, a client's bucket is one across the plain port and the TLS listener (so a second
 * listener is no way around a rate limit), and a trusted proxy's forwarding header names the client over TLS too.
 */
class TlsClientRulesEndToEndTest {

    @TempDir
    static Path directory;

    private static SSLContext trusting;
    private static String listener;
    private TestGateway gateway;

    @BeforeAll
    static void makeCertificates() throws Exception {
        TestPki pki = new TestPki(directory);
        TestPki.Authority ca = pki.authority("client-rules");
        TestPki.Issued server = pki.server(ca, "localhost");
        trusting = TestPki.clientContext(ca, null);
        listener = "{port: 0, certificate: '%s', key: '%s'}".formatted(server.certificate(), server.key());
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private RawHttp.Response overTls(String request) throws IOException {
        try (SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1",
                gateway.tlsPort())) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
            try (RawHttp client = RawHttp.over(socket)) {
                return client.send(request).read();
            }
        }
    }

    private static String post(String path, String... headers) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n" + String.join("", headers)
                + "Content-Length: 0\r\n\r\n";
    }

    @Test
    void aDeniedAddressIsRefusedOverTlsOnEveryPath() throws Exception {
        gateway = TestGateway.start("""
                server:
                  clients: {deny: [127.0.0.0/8]}
                  tls: %s
                hooks:
                  - name: hello
                    path: /hello
                    processor: {type: respond, body: hello}
                """.formatted(listener));

        assertThat(overTls(post("/hello")).status()).isEqualTo(403);
        assertThat(overTls(post("/no/such/path")).status()).isEqualTo(403);
        assertThat(RawHttp.exchange(gateway.port(), post("/hello")).status()).isEqualTo(403);
    }

    @Test
    void aClientHasOneBucketAcrossThePlainPortAndTheTlsListener() throws Exception {
        gateway = TestGateway.start("""
                server:
                  tls: %s
                hooks:
                  - name: hello
                    path: /hello
                    rate-limit: {per-client: {requests: 1, per: 1h}}
                    processor: {type: respond, body: hello}
                """.formatted(listener));

        assertThat(RawHttp.exchange(gateway.port(), post("/hello")).status()).isEqualTo(200);
        RawHttp.Response overTls = overTls(post("/hello"));

        assertThat(overTls.status()).isEqualTo(429);
        assertThat(overTls.header("Retry-After")).isNotNull();
    }

    @Test
    void aTrustedProxyNamesTheClientOverTls() throws Exception {
        gateway = TestGateway.start("""
                server:
                  trusted-proxies: [127.0.0.1]
                  tls: %s
                hooks:
                  - name: who
                    path: /who
                    processor: {type: respond, body: "${client.ip}"}
                """.formatted(listener));

        RawHttp.Response response = overTls(post("/who", "X-Forwarded-For: 192.0.2.7\r\n"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("192.0.2.7");
    }
}
