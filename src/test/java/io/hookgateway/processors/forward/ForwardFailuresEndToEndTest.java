package io.hookgateway.processors.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.Await;
import io.hookgateway.testing.LogCapture;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code forward} against real local servers that fail in each way a downstream can: nothing listening, never
 * answering, answering 5xx or 4xx, answering too much, closing half-way or at once, and a hook timeout shorter than
 * the forward's. Each gets its status and a one-line reason that never names the downstream, whose address and the
 * particular cause the log keeps under the answer's error id; each is retried only where {@code retry-on} allows.
 */
class ForwardFailuresEndToEndTest {

    private LogCapture log;

    @BeforeEach
    void captureLog() {
        log = LogCapture.gateway();
    }

    @AfterEach
    void stopCapturing() {
        log.close();
    }

    /** A port nothing listens on: bound, then closed. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void answers502WithTheReasonWhenNothingListensAfterRetryingEachConnection() throws Exception {
        int port = closedPort();
        try (TestGateway gateway = ForwardHooks.start("url: http://127.0.0.1:" + port + "/secret-key\n"
                + "retries: 2\nretry-backoff: 10ms")) {
            RawHttp.Response response = ForwardHooks.post(gateway);

            ForwardHooks.assertAnswered(log, response, 502, "the downstream could not be reached",
                    "downstream 127.0.0.1:" + port + " unreachable: connection refused (3 attempts)");
            assertThat(ForwardHooks.attempts(gateway, "unreachable")).isEqualTo(3);
            assertThat(ForwardHooks.retries(gateway)).isEqualTo(2);
        }
    }

    @Test
    void answers504WhenTheDownstreamAcceptsButNeverAnswers() throws Exception {
        try (Downstream downstream = Downstream.start((request, n, reply) -> reply.hang());
             TestGateway gateway = ForwardHooks.forwardingTo(downstream, "response-timeout: 300ms\n"
                     + "retry-on: [connect, 5xx]")) {
            long start = System.nanoTime();
            RawHttp.Response response = ForwardHooks.post(gateway);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            ForwardHooks.assertAnswered(log, response, 504, "the downstream did not answer in time",
                    "downstream 127.0.0.1:" + downstream.port() + " did not answer within 300ms");
            assertThat(took).isBetween(Duration.ofMillis(300), Duration.ofSeconds(3));
            assertThat(downstream.received()).as("a timed-out request may still be at work: not retried").hasSize(1);
            Await.until(Duration.ofSeconds(3), "the downstream sees its connection closed",
                    () -> downstream.connectionsClosedByClient() == 1);
        }
    }

    @Test
    void retriesA503AfterItsBackoffAndPassesTheAnswerThatFollows() throws Exception {
        Downstream.Behaviour behaviour = (request, n, reply) -> {
            if (n == 0) {
                reply.answer(503, "text/plain", "warming up");
            } else {
                reply.answer(200, "text/plain", "on");
            }
        };
        try (Downstream downstream = Downstream.start(behaviour);
             TestGateway gateway = ForwardHooks.forwardingTo(downstream, "retry-on: [connect, 5xx]\n"
                     + "retry-backoff: 50ms")) {
            long start = System.nanoTime();
            RawHttp.Response response = ForwardHooks.post(gateway);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("on");
            assertThat(downstream.received()).hasSize(2);
            assertThat(ForwardHooks.attempts(gateway, "5xx")).isEqualTo(1);
            assertThat(ForwardHooks.attempts(gateway, "2xx")).isEqualTo(1);
            assertThat(ForwardHooks.retries(gateway)).isEqualTo(1);
        }
    }

    @Test
    void aPostIsNotRetriedAfterA5xxUnlessRetryOnSaysSo() throws Exception {
        try (Downstream downstream = Downstream.start(Downstream.answering(500, "text/plain", "toggled, then failed"));
             TestGateway gateway = ForwardHooks.forwardingTo(downstream, "retry-backoff: 0ms")) {
            RawHttp.Response response = ForwardHooks.post(gateway);

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.bodyText()).isEqualTo("toggled, then failed");
            assertThat(downstream.received()).hasSize(1);
        }
    }

    @Test
    void anIdempotentMethodIsRetriedAfterA5xxAndTheLastAnswerIsPassedBack() throws Exception {
        try (Downstream downstream = Downstream.start((request, n, reply) ->
                reply.answer(500, "text/plain", "failure " + n));
             TestGateway gateway = ForwardHooks.forwardingTo(downstream, "method: PUT\nretries: 2\n"
                     + "retry-backoff: 10ms")) {
            RawHttp.Response response = ForwardHooks.post(gateway);

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.bodyText()).isEqualTo("failure 2");
            assertThat(downstream.received()).extracting(Downstream.Received::method)
                    .containsExactly("PUT", "PUT", "PUT");
            assertThat(ForwardHooks.retries(gateway)).isEqualTo(2);
        }
    }

    @Test
    void a4xxIsPassedBackAndNeverRetried() throws Exception {
        try (Downstream downstream = Downstream.start(Downstream.answering(404, "application/json", "{\"no\": 1}"));
             TestGateway gateway = ForwardHooks.forwardingTo(downstream, "retry-on: [connect, 5xx]")) {
            RawHttp.Response response = ForwardHooks.post(gateway);

            assertThat(response.status()).isEqualTo(404);
            assertThat(response.header("Content-Type")).isEqualTo("application/json");
            assertThat(response.bodyText()).isEqualTo("{\"no\": 1}");
            assertThat(downstream.received()).hasSize(1);
        }
    }

    @Test
    void answers502WhenTheDeclaredAnswerIsLargerThanMaxResponseSize() throws Exception {
        try (Downstream downstream = Downstream.start(Downstream.answering(200, "text/plain", "x".repeat(2048)));
             TestGateway gateway = ForwardHooks.forwardingTo(downstream, "max-response-size: 1KiB")) {
            RawHttp.Response response = ForwardHooks.post(gateway);

            ForwardHooks.assertAnswered(log, response, 502, "the downstream's answer was too large",
                    "downstream 127.0.0.1:" + downstream.port() + " sent an answer larger than 1KiB (max-response-size)");
        }
    }

    @Test
    void answers502WhenAChunkedAnswerGrowsPastMaxResponseSize() throws Exception {
        String chunk = "x".repeat(600);
        try (Downstream downstream = Downstream.start((request, n, reply) -> {
            reply.raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 2; i++) {
                reply.raw(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            }
            reply.raw("0\r\n\r\n");
        });
             TestGateway gateway = ForwardHooks.forwardingTo(downstream, "max-response-size: 1KiB")) {
            RawHttp.Response response = ForwardHooks.post(gateway);

            ForwardHooks.assertAnswered(log, response, 502, "the downstream's answer was too large",
                    "sent an answer larger than 1KiB (max-response-size)");
            assertThat(ForwardHooks.attempts(gateway, "too_large")).isEqualTo(1);
        }
    }

    @Test
    void answers502AtOnceToAStatusBelow100() throws Exception {
        try (Downstream downstream = Downstream.start((request, n, reply) ->
                reply.raw("HTTP/1.1 099 Odd\r\nContent-Length: 0\r\n\r\n"));
             TestGateway gateway = ForwardHooks.start("url: " + downstream.url(), "timeout: 2s")) {
            RawHttp.Response response = ForwardHooks.post(gateway);

            ForwardHooks.assertAnswered(log, response, 502, "the downstream's answer was incomplete or malformed",
                    "downstream 127.0.0.1:" + downstream.port() + " answered with status 99");
            assertThat(ForwardHooks.attempts(gateway, "broken")).isEqualTo(1);
        }
    }

    @Test
    void answers502WhenTheDownstreamClosesMidAnswer() throws Exception {
        try (Downstream downstream = Downstream.start((request, n, reply) -> {
            reply.raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
            reply.close();
        });
             TestGateway gateway = ForwardHooks.forwardingTo(downstream, "method: PUT")) {
            RawHttp.Response response = ForwardHooks.post(gateway);

            ForwardHooks.assertAnswered(log, response, 502, "the downstream's answer was incomplete or malformed",
                    "downstream 127.0.0.1:" + downstream.port() + " closed the connection before the answer was complete");
            assertThat(downstream.received()).as("a cut-off answer is not retried").hasSize(1);
        }
    }

    @Test
    void answers502WhenANewConnectionClosesWithoutAnAnswer() throws Exception {
        try (Downstream downstream = Downstream.start((request, n, reply) -> reply.close());
             TestGateway gateway = ForwardHooks.forwardingTo(downstream, "")) {
            RawHttp.Response response = ForwardHooks.post(gateway);

            ForwardHooks.assertAnswered(log, response, 502, "the downstream closed the connection without answering",
                    "downstream 127.0.0.1:" + downstream.port() + " closed the connection without answering");
            assertThat(downstream.received()).as("a POST the downstream may have acted on").hasSize(1);
        }
    }

    @Test
    void aKeptAliveConnectionClosedUnansweredIsRetriedOnceOnANewOne() throws Exception {
        Downstream.Behaviour behaviour = (request, n, reply) -> {
            if (n == 1) {
                // What a device does when it drops an idle connection just as the next request arrives.
                reply.close();
            } else {
                reply.answer(200, "text/plain", "answer " + n);
            }
        };
        try (Downstream downstream = Downstream.start(behaviour);
             TestGateway gateway = ForwardHooks.forwardingTo(downstream, "retries: 0")) {
            RawHttp.Response first = ForwardHooks.post(gateway);
            RawHttp.Response second = ForwardHooks.post(gateway);

            assertThat(first.bodyText()).isEqualTo("answer 0");
            assertThat(second.bodyText()).isEqualTo("answer 2");
            assertThat(downstream.received()).extracting(Downstream.Received::connection).containsExactly(0, 0, 1);
            assertThat(ForwardHooks.attempts(gateway, "stale")).isEqualTo(1);
        }
    }

    @Test
    void aHookTimeoutShorterThanTheResponseTimeoutAbortsTheDownstreamRequest() throws Exception {
        try (Downstream downstream = Downstream.start((request, n, reply) -> reply.hang());
             TestGateway gateway = ForwardHooks.start("url: " + downstream.url() + "\nresponse-timeout: 10s",
                     "timeout: 300ms")) {
            long start = System.nanoTime();
            RawHttp.Response response = ForwardHooks.post(gateway);

            assertThat(response.status()).isEqualTo(504);
            assertThat(response.bodyText()).isEqualTo("the hook did not answer in time\n");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            Await.until(Duration.ofSeconds(3), "the downstream sees its connection closed",
                    () -> downstream.connectionsClosedByClient() == 1);
            Await.until(Duration.ofSeconds(3), "the attempt is counted as cancelled",
                    () -> ForwardHooks.attempts(gateway, "cancelled") == 1);
        }
    }

    @Test
    void answers504WhenNoConnectionIsAcceptedInTime() throws Exception {
        // A listener that never accepts: once its backlog is full, the kernel leaves further connections unanswered.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Backlog backlog = Backlog.fill(full.getLocalPort());
             TestGateway gateway = ForwardHooks.start("url: http://127.0.0.1:" + full.getLocalPort() + "\n"
                     + "connect-timeout: 200ms\nretries: 1\nretry-backoff: 0ms")) {
            assertThat(backlog.isFull()).as("the listener's queue is full").isTrue();
            RawHttp.Response response = ForwardHooks.post(gateway);

            ForwardHooks.assertAnswered(log, response, 504, "the downstream did not accept a connection in time",
                    "downstream 127.0.0.1:" + full.getLocalPort() + " did not accept a connection within 200ms (2 attempts)");
        }
    }

    /** Client sockets that fill a listener's accept queue, closed at the end of the test. */
    private static final class Backlog implements AutoCloseable {
        private final List<Socket> sockets = new ArrayList<>();
        private boolean full;

        static Backlog fill(int port) {
            Backlog backlog = new Backlog();
            for (int i = 0; i < 8; i++) {
                Socket socket = new Socket();
                try {
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
                    backlog.sockets.add(socket);
                } catch (IOException e) {
                    // The queue is full: connections from here on wait unanswered.
                    closeQuietly(socket);
                    backlog.full = true;
                    return backlog;
                }
            }
            return backlog;
        }

        boolean isFull() {
            return full;
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException e) {
                // Never connected: nothing to release.
            }
        }

        @Override
        public void close() throws IOException {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
