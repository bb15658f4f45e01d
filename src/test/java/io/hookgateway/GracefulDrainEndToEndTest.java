package io.hookgateway;

import static io.hookgateway.testing.Requests.get;
import static io.hookgateway.testing.Requests.post;
import static io.hookgateway.testing.Requests.seedPost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookgateway.metrics.Health;
import io.hookgateway.testing.Await;
import io.hookgateway.testing.LogCapture;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestProcessors;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GatewayServer#drainAndStop(Duration)}, as SIGTERM runs it: readiness turns 503, the hook port stops taking
 * connections, idle connections close, a request in flight still gets its answer (with {@code Connection: close},
 * RFC 9112 §9.6) if it finishes within the drain timeout, and 503 with {@code Connection: close} if it does not, as
 * does a request still arriving then, logged like any other. A connection whose answer failed in any way is closed, so
 * it never holds the drain up.
 */
class GracefulDrainEndToEndTest {

    /** One event loop: a request answered on one connection shows that what came before it on another was read. */
    private static final String CONFIG = """
            server:
              io-threads: 1
            hooks:
              - name: post
                path: /post
                methods: [POST]
                processor: {type: respond, body: SUCCESS}
              - name: latch
                path: /latch
                methods: [POST]
                processor: {type: test-latch, gate: drain}
              - name: one-at-a-time
                path: /one
                methods: [POST]
                max-concurrent: 1
                processor: {type: test-latch, gate: one}
              - name: unloggable
                path: /unloggable
                methods: [POST]
                processor: {type: test-fail, mode: unloggable}
              - name: unloggable-on-a-worker
                path: /unloggable-on-a-worker
                methods: [POST]
                processor: {type: test-fail, mode: unloggable, blocking: true}
            """;

    @BeforeEach
    @AfterEach
    void openAllGates() {
        TestProcessors.reset();
    }

    @Test
    void finishesTheRequestInFlightWithConnectionCloseWhileRefusingNewConnections() throws Exception {
        try (TestGateway gateway = TestGateway.start(CONFIG);
             RawHttp inFlight = RawHttp.connect(gateway.port());
             RawHttp idle = RawHttp.connect(gateway.port())) {
            TestProcessors.Gate gate = TestProcessors.gate("drain");
            assertThat(idle.send(seedPost()).read().bodyText()).isEqualTo("SUCCESS");
            inFlight.send(post("/latch", "a job that takes a while"));
            assertThat(gate.awaitArrivals(1, Duration.ofSeconds(5))).isTrue();

            CompletableFuture<Boolean> drained = drainInBackground(gateway, Duration.ofSeconds(10));

            Await.until(Duration.ofSeconds(5), "/readyz answers 503 while draining",
                    () -> RawHttp.exchange(gateway.metricsPort(), get("/readyz")).status() == 503);
            assertThat(gateway.server().health().state()).isEqualTo(Health.State.DRAINING);
            assertThat(idle.isClosedByServer()).as("an idle keep-alive connection is closed at once").isTrue();
            Await.until(Duration.ofSeconds(5), "the hook port refuses or closes new connections",
                    () -> newConnectionIsTurnedAway(gateway.port()));
            assertThat(drained).as("drain waits for the request in flight").isNotDone();

            gate.release(1);
            RawHttp.Response answer = inFlight.read();

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyText()).isEqualTo("passed drain\n");
            assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(inFlight.isClosedByServer()).isTrue();
            assertThat(drained.get(10, TimeUnit.SECONDS)).as("every request finished in time").isTrue();
        }
    }

    @Test
    void answers503WithConnectionCloseToRequestsNotAnsweredWhenTheDrainTimeoutPasses() throws Exception {
        try (TestGateway gateway = TestGateway.start(CONFIG);
             RawHttp running = RawHttp.connect(gateway.port());
             RawHttp waiting = RawHttp.connect(gateway.port())) {
            TestProcessors.Gate gate = TestProcessors.gate("one");
            // With a body: the processor finishes after the event loops have stopped, and its request must still be
            // released (the leak detector fails this class otherwise).
            running.send("POST /one HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: 10\r\n\r\n0123456789");
            assertThat(gate.awaitArrivals(1, Duration.ofSeconds(5))).isTrue();
            waiting.send(post("/one", "waits for the only slot"));
            Await.until(Duration.ofSeconds(5), "the second request waits for a slot",
                    () -> gateway.gauge("hook.gateway.hook.queued", "hook", "one-at-a-time") == 1);

            CompletableFuture<Boolean> drained = drainInBackground(gateway, Duration.ofMillis(300));

            for (RawHttp client : List.of(running, waiting)) {
                RawHttp.Response answer = client.read();
                assertThat(answer.status()).isEqualTo(503);
                assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
                assertThat(answer.bodyText())
                        .isEqualTo("the gateway is shutting down; this request was not completed\n");
                assertThat(client.isClosedByServer()).isTrue();
            }
            gate.release(1);
            assertThat(drained.get(10, TimeUnit.SECONDS)).as("drain reports the cut-off requests").isFalse();
            assertThat(TestProcessors.invocations("one-at-a-time")).as("the waiting request never ran").isEqualTo(1);
        }
    }

    /**
     * A request whose answer fails in a way that cannot even be logged (memory running out does that to any
     * failure), answered on the event loop or from a worker: its connection closes, and the drain that follows finds
     * nothing busy. Before, such a connection stayed open with the decoder waiting, and SIGTERM waited the whole drain
     * timeout for it.
     */
    @Test
    void closesConnectionsWhoseAnswerFailedSoTheDrainFindsNothingBusy() throws Exception {
        try (TestGateway gateway = TestGateway.start(CONFIG);
             RawHttp onTheEventLoop = RawHttp.connect(gateway.port());
             RawHttp fromAWorker = RawHttp.connect(gateway.port())) {
            onTheEventLoop.send(post("/unloggable", "x"));
            fromAWorker.send(post("/unloggable-on-a-worker", "x"));

            assertThat(readUntilClosedOrReset(onTheEventLoop)).isEmpty();
            assertThat(readUntilClosedOrReset(fromAWorker)).isEmpty();
            Await.until(Duration.ofSeconds(5), "no connection is left open",
                    () -> gateway.gauge("hook.gateway.connections.open") == 0);

            long started = System.nanoTime();
            assertThat(gateway.server().drainAndStop(Duration.ofSeconds(10))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void answers503AndLogsARequestWhoseHeadIsStillArrivingWhenTheDrainTimeoutPasses() throws Exception {
        assertAnswered503AtTheCutOff("POST /post HTTP/1.1\r\nHost: gateway.test\r\nContent-Ty", false,
                "- - hook=unmatched status=503 in=0B .*");
    }

    /** The client goes on sending its body: it still reads the answer, not a reset (RFC 9112 §9.6). */
    @Test
    void answers503AndLogsARequestWhoseBodyIsStillArrivingWhenTheDrainTimeoutPasses() throws Exception {
        assertAnswered503AtTheCutOff("POST /post HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: 1000000\r\n\r\n"
                + "x".repeat(1000), true, "POST /post hook=post status=503 in=\\d+B .*");
    }

    @Test
    void answers503AndLogsARequestWhoseBodyIsAwaitedAfter100ContinueWhenTheDrainTimeoutPasses() throws Exception {
        assertAnswered503AtTheCutOff("POST /post HTTP/1.1\r\nHost: gateway.test\r\nExpect: 100-continue\r\n"
                + "Content-Length: 14\r\n\r\n", false, "POST /post hook=post status=503 in=0B .*");
    }

    /**
     * Sends the start of a request (and, with {@code keepSending}, more body until the connection closes), drains with
     * a timeout that passes before it is complete, and checks the answer at the cut-off, the close, the drain's result
     * and the access line.
     */
    private static void assertAnswered503AtTheCutOff(String start, boolean keepSending, String accessLine)
            throws Exception {
        try (TestGateway gateway = TestGateway.start(CONFIG);
             RawHttp arriving = RawHttp.connect(gateway.port());
             LogCapture log = LogCapture.gateway()) {
            arriving.send(start);
            if (start.contains("100-continue")) {
                assertThat(arriving.read().status()).isEqualTo(100);
            }
            // Sent after those bytes, to the same event loop: answered once they have been read.
            assertThat(RawHttp.exchange(gateway.port(), seedPost()).status()).isEqualTo(200);
            AtomicBoolean sending = new AtomicBoolean(keepSending);
            CompletableFuture<Void> rest = CompletableFuture.runAsync(() -> sendSlowly(arriving, sending));
            try {
                CompletableFuture<Boolean> drained = drainInBackground(gateway, Duration.ofMillis(300));

                RawHttp.Response answer = arriving.read();
                assertThat(answer.status()).isEqualTo(503);
                assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
                assertThat(answer.bodyText())
                        .isEqualTo("the gateway is shutting down; this request was not completed\n");
                assertThat(arriving.isClosedByServer()).isTrue();
                assertThat(drained.get(10, TimeUnit.SECONDS)).as("the drain reports the cut-off").isFalse();
            } finally {
                sending.set(false);
                rest.get(10, TimeUnit.SECONDS);
            }
            assertThat(log.messages()).anyMatch(line -> line.matches(accessLine));
        }
    }

    /** A kilobyte of body every 20 ms while {@code sending} holds, or until the gateway closes: the pace is tested. */
    private static void sendSlowly(RawHttp client, AtomicBoolean sending) {
        byte[] piece = new byte[1000];
        try {
            while (sending.get()) {
                client.send(piece);
                Thread.sleep(20);
            }
        } catch (IOException closedByTheGateway) {
            // The linger is over.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void drainsAnIdleGatewayAtOnceAndThenClosesBothPorts() throws Exception {
        try (TestGateway gateway = TestGateway.start(CONFIG)) {
            int hookPort = gateway.port();
            int metricsPort = gateway.metricsPort();

            assertThat(gateway.server().drainAndStop(Duration.ofSeconds(5))).isTrue();
            assertThat(gateway.server().drainAndStop(Duration.ofSeconds(5))).as("a second drain is a no-op").isTrue();

            assertThatThrownBy(() -> RawHttp.connect(hookPort).close()).isInstanceOf(ConnectException.class);
            assertThatThrownBy(() -> RawHttp.connect(metricsPort).close()).isInstanceOf(ConnectException.class);
        }
    }

    private static CompletableFuture<Boolean> drainInBackground(TestGateway gateway, Duration timeout) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread drainer = new Thread(() -> {
            try {
                result.complete(gateway.server().drainAndStop(timeout));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "test-drainer");
        drainer.setDaemon(true);
        drainer.start();
        return result;
    }

    /**
     * True when a new connection is refused, or accepted and closed (or reset) without an answer. A connection that
     * is accepted but neither answered nor closed within the read timeout is not turned away: the timeout is thrown.
     */
    private static boolean newConnectionIsTurnedAway(int port) throws IOException {
        RawHttp client;
        try {
            client = RawHttp.connect(port);
        } catch (ConnectException refused) {
            return true;
        }
        try (client) {
            client.send(seedPost());
            return readUntilClosedOrReset(client).length == 0;
        } catch (SocketException reset) {
            // Reset while sending: closed without an answer.
            return true;
        }
    }

    private static byte[] readUntilClosedOrReset(RawHttp client) throws IOException {
        try {
            return client.readUntilClosed();
        } catch (SocketException reset) {
            return new byte[0];
        }
    }
}
