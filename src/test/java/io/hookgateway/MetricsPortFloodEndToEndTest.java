package io.hookgateway;

import static io.hookgateway.testing.Requests.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.metrics.AdminEndpoints;
import io.hookgateway.testing.Await;
import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.RawHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The metrics port under a flood from one address, 127.0.0.1, which on loopback is every client's, the probe's too:
 * connections that sit idle or drip a request, far more of them than its budget and opened again as fast as they are
 * closed, never keep {@code /healthz}, {@code /readyz} or {@code /metrics} from answering at once; and its short
 * deadlines let such connections go within seconds.
 */
class MetricsPortFloodEndToEndTest {

    private static final List<String> PROBES = List.of("/healthz", "/readyz", "/metrics");

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
     * at once, whatever the flood.
     */
    private void assertAnsweredAtOnce(String path) throws IOException {
        long started = System.nanoTime();
        RawHttp.Response answer = RawHttp.exchange(gateway.metricsPort(), get(path));
        assertThat(answer.status()).as(path).isEqualTo(200);
        assertThat(since(started)).as(path).isLessThan(AdminEndpoints.HEAD_TIMEOUT);
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
