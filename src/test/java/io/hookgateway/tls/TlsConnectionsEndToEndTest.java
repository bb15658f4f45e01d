package io.hookgateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.Await;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What holds for a plain connection holds over TLS: after the handshake, a connection that sends no request is closed
 * at the idle timeout, a request head that drips gets 408 at the head timeout, a request with an error answer is
 * answered whole, and a drain closes an idle keep-alive connection and lets one in flight finish.
 */
class TlsConnectionsEndToEndTest {

    @TempDir
    static Path directory;

    private static SSLContext trusting;
    private static String listener;
    private TestGateway gateway;

    @BeforeAll
    static void makeCertificates() throws Exception {
        TestPki pki = new TestPki(directory);
        TestPki.Authority ca = pki.authority("connections");
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
