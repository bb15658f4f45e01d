package io.hookgateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.Await;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestPki;
import io.hookgateway.testing.Tool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What holds for a plain connection holds over TLS: after the handshake, a connection that sends no request is closed
 * at the idle timeout, a request head that drips gets 408 at the head timeout, pipelined requests are answered in
 * order, a refusal ends the connection with a close_notify (so a client can tell the end from a cut), and a drain
 * closes an idle keep-alive connection and lets one in flight finish.
 */
class TlsConnectionsEndToEndTest {

    @TempDir
    static Path directory;

    private static TestPki pki;
    private static Path caFile;
    private static SSLContext trusting;
    private static String listener;
    private TestGateway gateway;

    @BeforeAll
    static void makeCertificates() throws Exception {
        pki = new TestPki(directory);
        TestPki.Authority ca = pki.authority("connections");
        caFile = ca.certificate();
        TestPki.Issued server = pki.server(ca, "localhost");
        trusting = TestPki.clientContext(ca, null);
        listener = "{port: 0, certificate: '%s', key: '%s'}".formatted(server.certificate(), server.key());
    }

    @BeforeEach
    void start() throws Exception {
        gateway = TestGateway.start("""
                server:
                  access-log: false
                  plain: false
                  idle-timeout: 500ms
                  max-body-size: 1KiB
                  request-head-timeout: 300ms
                  tls: %s
                hooks:
                  - name: hello
                    path: /hello
                    processor: {type: respond, body: hello}
                  - name: slow
                    path: /slow
                    processor: {type: test-slow, delay: 300ms}
                """.formatted(listener));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private SSLSocket connect() throws IOException {
        SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", gateway.tlsPort());
        socket.setSoTimeout(5000);
        socket.startHandshake();
        return socket;
    }

    /** Reads until the end of the stream or a reset; how long that took. */
    private static Duration untilClosed(InputStream in) {
        long start = System.nanoTime();
        try {
            while (in.read() >= 0) {
                // What the gateway sends before it closes is not the point here.
            }
        } catch (IOException reset) {
            // A close too.
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void closesAConnectionIdleAfterItsHandshakeAtTheIdleTimeout() throws Exception {
        try (SSLSocket socket = connect()) {
            assertThat(untilClosed(socket.getInputStream())).isBetween(Duration.ofMillis(200), Duration.ofSeconds(3));
        }
    }

    @Test
    void answers408ToAHeadThatDripsOverTls() throws Exception {
        try (SSLSocket socket = connect(); RawHttp client = RawHttp.over(socket)) {
            client.send("POST /hello HTTP/1.1\r\nHost: localhost\r\n");

            RawHttp.Response response = client.read();

            assertThat(response.status()).isEqualTo(408);
            assertThat(response.header("Connection")).isEqualTo("close");
        }
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        try (SSLSocket socket = connect(); RawHttp client = RawHttp.over(socket)) {
            client.send("POST /slow HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"
                    + "POST /hello HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");

            assertThat(client.read().bodyText()).isEqualTo("slow\n");
            assertThat(client.read().bodyText()).isEqualTo("hello");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    void endsTheConnectionWithCloseNotifyAfterARefusal(String version) throws Exception {
        // A body over the limit: refused before it is read, and the connection lingers for the rest of it.
        String request = "POST /hello HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2000\r\n\r\n";

        Tool.Result result = pki.openssl().run(directory, request, List.of("s_client", "-connect",
                "127.0.0.1:" + gateway.tlsPort(), version, "-ign_eof", "-quiet", "-CAfile", caFile.toString()));

        assertThat(result.out()).startsWith("HTTP/1.1 413 ");
        // Without close_notify: "unexpected eof while reading".
        assertThat(result.err()).doesNotContain("unexpected eof");
    }

    @Test
    void drainClosesAnIdleConnectionAndFinishesOneInFlight() throws Exception {
        try (SSLSocket idle = connect(); RawHttp idleClient = RawHttp.over(idle);
             SSLSocket busy = connect(); RawHttp busyClient = RawHttp.over(busy)) {
            assertThat(idleClient.send("POST /hello HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n").read()
                    .status()).isEqualTo(200);
            busyClient.send("POST /slow HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
            Await.until(Duration.ofSeconds(5), "the slow request is in flight",
                    () -> gateway.gauge("hook.gateway.hook.active", "hook", "slow") == 1);

            boolean drained = gateway.server().drainAndStop(Duration.ofSeconds(5));

            assertThat(drained).isTrue();
            RawHttp.Response finished = busyClient.read();
            assertThat(finished.status()).isEqualTo(200);
            assertThat(finished.header("Connection")).isEqualTo("close");
            assertThat(untilClosed(idle.getInputStream())).isLessThan(Duration.ofSeconds(1));
        }
    }
}
