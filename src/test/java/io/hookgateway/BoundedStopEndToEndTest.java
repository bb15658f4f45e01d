package io.hookgateway;

import static io.hookgateway.testing.Requests.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookgateway.testing.LogCapture;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestProcessors;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GatewayServer#drainAndStop(Duration)}, as SIGTERM runs it, returns within the drain timeout and
 * {@link GatewayServer#STOP_GRACE} whatever the event loops do, and says what it abandoned. Here the only event loop of
 * the hook port is held by a processor that waits on it, so nothing queued to that loop ever runs: not the close of the
 * hook port, not the drain's events, not the connections' closes. A loop retrying a direct-memory reservation, or one
 * whose thread an {@link OutOfMemoryError} killed, leaves the stop in the same place.
 */
class BoundedStopEndToEndTest {

    private static final String CONFIG = """
            server:
              io-threads: 1
              access-log: false
            hooks:
              - name: stuck
                path: /stuck
                methods: [POST]
                processor: {type: test-latch, gate: event-loop, on-event-loop: true, timeout: 1m}
            """;

    @BeforeEach
    @AfterEach
    void letTheEventLoopGo() {
        TestProcessors.reset();
    }

    @Test
    void returnsWithinTheDrainTimeoutAndAFixedGraceWhenAnEventLoopIsBlocked() throws Exception {
        try (TestGateway gateway = TestGateway.start(CONFIG);
             RawHttp stuck = RawHttp.connect(gateway.port());
             RawHttp idle = RawHttp.connect(gateway.port());
             LogCapture log = LogCapture.of(GatewayServer.class)) {
            stuck.send(post("/stuck", "holds the event loop"));
            assertThat(TestProcessors.gate("event-loop").awaitArrivals(1, Duration.ofSeconds(5))).isTrue();
            int metricsPort = gateway.metricsPort();
            Duration timeout = Duration.ofMillis(500);

            long started = System.nanoTime();
            boolean drained = gateway.server().drainAndStop(timeout);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(drained).isFalse();
            // A second of slack for a busy machine; without the bounds this never returned.
            assertThat(took).isLessThan(timeout.plus(GatewayServer.STOP_GRACE).plusSeconds(1));
            assertThat(log.messages())
                    .anyMatch(line -> line.startsWith("the hook port did not stop accepting"))
                    .anyMatch(line -> line.startsWith("2 connection(s) still open")
                            && line.endsWith("abandoning them"))
                    .anyMatch(line -> line.startsWith("stopping: abandoned event loops that did not stop"));
            assertThatThrownBy(() -> RawHttp.connect(metricsPort).close())
                    .as("the metrics port, on a loop of its own, is closed").isInstanceOf(ConnectException.class);
        }
    }
}
