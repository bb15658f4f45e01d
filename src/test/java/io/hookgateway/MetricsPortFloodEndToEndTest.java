package io.hookgateway;

import static io.hookgateway.testing.Requests.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.metrics.AdminEndpoints;
import io.hookgateway.testing.Await;
import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.RawHttp;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The metrics port under a flood from one address, 127.0.0.1, which on loopback is every client's, the probe's too:
 * connections that sit idle or drip a request, or pipeline scrapes they never read, far more of them than its budget
 * and opened again as fast as they are closed, never keep {@code /healthz}, {@code /readyz} or {@code /metrics} from
 * answering at once ({@code /metrics} perhaps with 503 and {@code Retry-After} while the flood keeps its renderer
 * busy); and its short deadlines let such connections go within seconds.
 */
class MetricsPortFloodEndToEndTest {

    private static final List<String> PROBES = List.of("/healthz", "/readyz", "/metrics");
    /** Fifty scrapes sent at once, as one write: a connection of the flood sends them and never reads an answer. */
    private static final byte[] PIPELINED_SCRAPES = get("/metrics").repeat(50).getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    final GatewayExtension gateway = GatewayExtension.defaults();

    @Test
    void answersProbesAtOnceWhileIdleAndDrippingConnectionsFillTheBudget() throws Exception {
        List<RawHttp> flood = new ArrayList<>();
        AtomicBoolean flooding = new AtomicBoolean(true);
        try {
            for (int i = 0; i < 2 * AdminEndpoints.MAX_CONNECTIONS; i++) {
                RawHttp connection = RawHttp.connect(gateway.metricsPort());
                flood.add(connection);
                if (i % 2 == 1) {
                    connection.send("GET /metr");
                }
            }
            CompletableFuture<Void> dripping = CompletableFuture.runAsync(() -> drip(flood, flooding));

            for (String path : PROBES) {
                assertAnsweredAtOnce(path);
            }
            flooding.set(false);
            dripping.get(10, TimeUnit.SECONDS);
        } finally {
            flooding.set(false);
            closeAll(flood);
        }
    }

    /** The attacker reconnects: a new idle connection every moment, so the budget is always full of fresh ones. */
    @Test
    void answersProbesAtOnceWhileNewIdleConnectionsKeepArriving() throws Exception {
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger opened = new AtomicInteger();
        CompletableFuture<Void> reconnecting = CompletableFuture.runAsync(() -> {
            Deque<RawHttp> held = new ArrayDeque<>();
            try {
                while (flooding.get()) {
                    held.add(RawHttp.connect(gateway.metricsPort()));
                    opened.incrementAndGet();
                    // Far more than the budget stay open on this side; the oldest are long closed on the other.
                    if (held.size() > 4 * AdminEndpoints.MAX_CONNECTIONS) {
                        held.poll().close();
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } finally {
                closeAll(held);
            }
        });
        try {
            Await.until(Duration.ofSeconds(10), "the flood has opened twice the budget",
                    () -> opened.get() > 2 * AdminEndpoints.MAX_CONNECTIONS);
            for (int round = 0; round < 5; round++) {
                for (String path : PROBES) {
                    assertAnsweredAtOnce(path);
                }
            }
        } finally {
            flooding.set(false);
        }
        reconnecting.get(10, TimeUnit.SECONDS);
        assertThat(opened.get()).isGreaterThan(2 * AdminEndpoints.MAX_CONNECTIONS);
    }

    /** Four clients connect again and again, each connection pipelining fifty scrapes that it never reads. */
    @Test
    void answersProbesAtOnceWhileReconnectingClientsPipelineScrapesTheyNeverRead() throws Exception {
        withSampledLeakTracking(this::reconnectingPipelinedFlood);
    }

    private void reconnectingPipelinedFlood() throws Exception {
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger opened = new AtomicInteger();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int client = 0; client < 4; client++) {
            clients.add(CompletableFuture.runAsync(() -> {
                Deque<RawHttp> held = new ArrayDeque<>();
                try {
                    while (flooding.get()) {
                        try {
                            held.add(pipelineScrapes());
                            opened.incrementAndGet();
                        } catch (IOException notAccepted) {
                            // The flood fills the port's accept queue now and then: a flooder tries again.
                        }
                        if (held.size() > AdminEndpoints.MAX_CONNECTIONS / 4) {
                            closeAll(List.of(held.poll()));
                        }
                    }
                } finally {
                    closeAll(held);
                }
            }, runEach()));
        }
        try {
            Await.until(Duration.ofSeconds(10), "the flood has opened twice the budget",
                    () -> opened.get() > 2 * AdminEndpoints.MAX_CONNECTIONS);
            probeFiveRounds();
        } finally {
            flooding.set(false);
        }
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }

    /** One client holds more connections than the budget, each with fifty scrapes it never reads. */
    @Test
    void answersProbesAtOnceWhileOneClientHoldsMoreThanTheBudgetOfConnectionsWithScrapesTheyNeverRead()
            throws Exception {
        withSampledLeakTracking(() -> {
            List<RawHttp> flood = new ArrayList<>();
            try {
                for (int i = 0; i < AdminEndpoints.MAX_CONNECTIONS + 6; i++) {
                    flood.add(pipelineScrapes());
                }
                probeFiveRounds();
            } finally {
                closeAll(flood);
            }
        });
    }

    /** What a flood test does. */
    private interface Flood {
        void run() throws Exception;
    }

    /**
     * Runs a flood with leak tracking sampled, as in production, rather than paranoid as in every other test: paranoid
     * tracking records a stack trace at every buffer access, and under a flood of pipelined requests it, not the
     * gateway, would set the pace of the event loop. Leaks are still reported, from the buffers sampled.
     */
    private static void withSampledLeakTracking(Flood flood) throws Exception {
        ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        try {
            flood.run();
        } finally {
            ResourceLeakDetector.setLevel(before);
        }
    }

    /** A connection of the flood: its scrapes sent, its answers never read (the socket is closed unread). */
    private RawHttp pipelineScrapes() throws IOException {
        RawHttp connection = RawHttp.connect(gateway.metricsPort());
        try {
            connection.send(PIPELINED_SCRAPES);
        } catch (IOException closedToMakeRoom) {
            // The gateway let it go: that is its defence.
        }
        return connection;
    }

    private void probeFiveRounds() throws IOException {
        for (int round = 0; round < 5; round++) {
            for (String path : PROBES) {
                assertAnsweredAtOnce(path);
            }
        }
    }

    @Test
    void letsAnIdleConnectionGoAfterFiveSecondsAndADrippingOneAfterTwo() throws Exception {
        // Taken before either connection exists, so that neither deadline can seem shorter than it is.
        long started = System.nanoTime();
        try (RawHttp idle = RawHttp.connect(gateway.metricsPort());
             RawHttp dripping = RawHttp.connect(gateway.metricsPort())) {
            idle.setTimeoutMillis(15_000);
            dripping.setTimeoutMillis(15_000);
            dripping.send("GET /hea");
            AtomicBoolean more = new AtomicBoolean(true);
            CompletableFuture<Void> drip = CompletableFuture.runAsync(() -> drip(List.of(dripping), more));

            RawHttp.Response timedOut = dripping.read();
            Duration headTimedOut = since(started);
            more.set(false);
            drip.get(10, TimeUnit.SECONDS);
            assertThat(timedOut.status()).isEqualTo(408);
            assertThat(headTimedOut).isBetween(AdminEndpoints.HEAD_TIMEOUT,
                    AdminEndpoints.HEAD_TIMEOUT.plusSeconds(3));

            assertThat(idle.readUntilClosed()).isEmpty();
            assertThat(since(started)).isBetween(AdminEndpoints.IDLE_TIMEOUT,
                    AdminEndpoints.IDLE_TIMEOUT.plusSeconds(3));
        }
    }

    /**
     * A new connection gets its answer before any deadline of the port could have made room: room is made for it
     * at once, whatever the flood. {@code /metrics} may be told to come back when the flood keeps its renderer busy.
     */
    private void assertAnsweredAtOnce(String path) throws IOException {
        long started = System.nanoTime();
        RawHttp.Response answer = RawHttp.exchange(gateway.metricsPort(), get(path));
        if (path.equals("/metrics") && answer.status() == 503) {
            assertThat(answer.header("Retry-After")).isEqualTo("1");
        } else {
            assertThat(answer.status()).as(path).isEqualTo(200);
        }
        assertThat(since(started)).as(path).isLessThan(AdminEndpoints.HEAD_TIMEOUT);
    }

    /** A thread for each task: the clients of a flood run at once, not in turn on a small common pool. */
    private static Executor runEach() {
        return task -> new Thread(task, "flood-client").start();
    }

    /**
     * Sends one more byte of a request line on each connection every 100 ms, while {@code more} holds: the pace is
     * what is tested, so it is slept.
     */
    private static void drip(List<RawHttp> connections, AtomicBoolean more) {
        while (more.get()) {
            for (RawHttp connection : connections) {
                try {
                    connection.send("t");
                } catch (IOException closedByTheGateway) {
                    // Closed to make room, or timed out: that is the point.
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void closeAll(Iterable<RawHttp> connections) {
        for (RawHttp connection : connections) {
            try {
                connection.close();
            } catch (IOException alreadyGone) {
                // Nothing to release.
            }
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
