package io.hookgateway;

import static io.hookgateway.testing.Requests.post;
import static io.hookgateway.testing.Requests.seedPost;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.Await;
import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestProcessors;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Overload is answered, never absorbed: connections past the cap are closed at once, a hook with every execution slot
 * and queue place taken answers 503 with {@code Retry-After}, a hook past its timeout answers 504, and a queued request
 * whose client went away gives its place back. Each refusal is counted.
 */
class OverloadEndToEndTest {

    private static final String CONFIG = """
            server:
              max-connections: 4
              access-log: false
            hooks:
              - name: post
                path: /post
                methods: [POST]
                processor: {type: respond, body: SUCCESS}
              - name: narrow
                path: /narrow
                methods: [POST]
                max-concurrent: 1
                max-queued: 1
                processor: {type: test-latch, gate: narrow}
              - name: slow
                path: /slow
                methods: [POST]
                timeout: 200ms
                processor: {type: test-slow, delay: 5s}
            """;

    /**
     * A fresh gateway for every test (an instance field), so that the connection cap and the counters start empty;
     * the test processors are reset around each test, opening every gate before the drain.
     */
    @RegisterExtension
    final GatewayExtension gateway = new GatewayExtension(CONFIG);

    @Test
    void closesConnectionsBeyondTheCapAtOnceAndCountsThem() throws Exception {
        RawHttp[] open = new RawHttp[4];
        try {
            for (int i = 0; i < open.length; i++) {
                open[i] = RawHttp.connect(gateway.port());
                assertThat(open[i].send(seedPost()).read().status()).isEqualTo(200);
            }
            try (RawHttp fifth = RawHttp.connect(gateway.port())) {
                assertThat(fifth.isClosedByServer()).isTrue();
            }
            assertThat(gateway.counter("hook.gateway.connections.rejected")).isEqualTo(1);

            open[0].close();
            Await.until(Duration.ofSeconds(5), "a place is free again", () -> {
                try (RawHttp again = RawHttp.connect(gateway.port())) {
                    return again.send(seedPost()).read().status() == 200;
                }
            });
        } finally {
            for (RawHttp c : open) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    @Test
    void answers503WithRetryAfterWhenEverySlotAndQueuePlaceIsTaken() throws Exception {
        TestProcessors.Gate gate = TestProcessors.gate("narrow");
        try (RawHttp running = RawHttp.connect(gateway.port());
             RawHttp queued = RawHttp.connect(gateway.port());
             RawHttp refused = RawHttp.connect(gateway.port())) {
            running.send(post("/narrow", "1"));
            assertThat(gate.awaitArrivals(1, Duration.ofSeconds(5))).isTrue();
            queued.send(post("/narrow", "2"));
            Await.until(Duration.ofSeconds(5), "the second request waits in the queue",
                    () -> gateway.gauge("hook.gateway.hook.queued", "hook", "narrow") == 1);

            RawHttp.Response busy = refused.send(post("/narrow", "3")).read();

            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.header("Retry-After")).isEqualTo("1");
            assertThat(gateway.counter("hook.gateway.processor.failures", "hook", "narrow", "cause", "rejected"))
                    .isEqualTo(1);
            gate.open();
            assertThat(running.read().status()).isEqualTo(200);
            assertThat(queued.read().status()).isEqualTo(200);
            // A 503 is not a broken connection: the client may try again on it.
            assertThat(refused.send(seedPost()).read().status()).isEqualTo(200);
        }
    }

    @Test
    void answers504WhenTheHookOutlivesItsTimeout() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            RawHttp.Response answer = client.send(post("/slow", "x")).read();

            assertThat(answer.status()).isEqualTo(504);
            assertThat(answer.bodyText()).isEqualTo("the hook did not answer in time\n");
            assertThat(client.send(seedPost()).read().status()).as("the connection is still usable").isEqualTo(200);
        }
        assertThat(gateway.counter("hook.gateway.processor.failures", "hook", "slow", "cause", "timeout")).isEqualTo(1);
    }

    @Test
    void aQueuedRequestWhoseConnectionIsResetGivesItsPlaceBackAndNeverRuns() throws Exception {
        TestProcessors.Gate gate = TestProcessors.gate("narrow");
        try (RawHttp running = RawHttp.connect(gateway.port());
             RawHttp next = RawHttp.connect(gateway.port())) {
            running.send(post("/narrow", "1"));
            assertThat(gate.awaitArrivals(1, Duration.ofSeconds(5))).isTrue();
            try (RawHttp leaving = RawHttp.connect(gateway.port())) {
                leaving.send(post("/narrow", "2"));
                Await.until(Duration.ofSeconds(5), "queued",
                        () -> gateway.gauge("hook.gateway.hook.queued", "hook", "narrow") == 1);
                // Gone for good (a reset), not a half-close: a half-closed client may still be waiting to read.
                leaving.socket().setSoLinger(true, 0);
            }
            Await.until(Duration.ofSeconds(5), "the departed client's request leaves the queue",
                    () -> gateway.gauge("hook.gateway.hook.queued", "hook", "narrow") == 0);

            next.send(post("/narrow", "3"));
            Await.until(Duration.ofSeconds(5), "the next request takes the free queue place",
                    () -> gateway.gauge("hook.gateway.hook.queued", "hook", "narrow") == 1);
            gate.open();

            assertThat(running.read().status()).isEqualTo(200);
            assertThat(next.read().status()).isEqualTo(200);
            assertThat(TestProcessors.invocations("narrow")).as("the withdrawn request never ran").isEqualTo(2);
        }
    }
}
