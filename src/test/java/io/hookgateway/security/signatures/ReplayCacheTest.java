package io.hookgateway.security.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.hooks.Authenticator.Reason;
import io.hookgateway.hooks.Authenticator.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReplayCacheTest {

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        private volatile long millis = 1_700_000_000_000L;

        void advance(long byMillis) {
            millis += byMillis;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final MovingClock clock = new MovingClock();

    private static List<ReplayCache.Key> key(String id) {
        return List.of(ReplayCache.Key.ofId(id));
    }

    @Test
    void refusesADeliveryRememberedWithinItsWindowAndTakesItAfter() {
        ReplayCache cache = new ReplayCache("test", 100, clock);
        long until = clock.millis() + 300_000;

        assertThat(cache.claim(key("a"), until).passed()).isTrue();
        assertThat(cache.claim(key("a"), until).failure()).isEqualTo(Reason.REPLAYED);
        assertThat(cache.claim(key("b"), until).passed()).isTrue();

        clock.advance(299_999);
        assertThat(cache.claim(key("a"), until).failure()).isEqualTo(Reason.REPLAYED);
        clock.advance(2);
        assertThat(cache.claim(key("a"), clock.millis() + 300_000).passed()).isTrue();
    }

    @Test
    void oneKeySeenRefusesTheWholeDeliveryAndClaimsNothing() {
        ReplayCache cache = new ReplayCache("test", 100, clock);
        long until = clock.millis() + 60_000;
        cache.claim(key("id-1"), until);

        List<ReplayCache.Key> both = List.of(ReplayCache.Key.ofId("mac-2"), ReplayCache.Key.ofId("id-1"));
        assertThat(cache.claim(both, until).failure()).isEqualTo(Reason.REPLAYED);
        assertThat(cache.claim(key("mac-2"), until).passed()).as("nothing of the refused one was kept").isTrue();
    }

    @Test
    void aClaimGivenBackOnRefusalCanBeTakenAgain() {
        ReplayCache cache = new ReplayCache("test", 100, clock);
        long until = clock.millis() + 60_000;

        Verdict claimed = cache.claim(key("a"), until);
        claimed.refuse();

        assertThat(cache.size()).isZero();
        assertThat(cache.claim(key("a"), until).passed()).isTrue();
    }

    @Test
    void whenFullOfDeliveriesInTheirWindowItRefusesRatherThanForgets() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ReplayCache cache = new ReplayCache("github", 16, clock);
        cache.bindMeters(registry, "deploy");
        long until = clock.millis() + 60_000;
        for (int i = 0; i < 16; i++) {
            assertThat(cache.claim(key("d" + i), until).passed()).isTrue();
        }

        assertThat(cache.claim(key("one-too-many"), until).failure()).isEqualTo(Reason.REPLAYED);
        assertThat(cache.claim(key("d0"), until).failure()).as("the oldest is still remembered")
                .isEqualTo(Reason.REPLAYED);
        assertThat(registry.get("hook.gateway.replay.cache.full").tags("hook", "deploy", "way", "github").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get("hook.gateway.replay.cache.entries").tags("hook", "deploy", "way", "github").gauge()
                .value()).isEqualTo(16);

        // Once their window is over, there is room again.
        clock.advance(60_001);
        assertThat(cache.claim(key("one-too-many"), clock.millis() + 60_000).passed()).isTrue();
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void ofIdenticalDeliveriesArrivingAtOnceExactlyOnePasses() throws Exception {
        ReplayCache cache = new ReplayCache("test", 100_000, clock);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 200; round++) {
                List<ReplayCache.Key> delivery = key("round-" + round);
                long until = clock.millis() + 60_000;
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Callable<Boolean> claim = () -> {
                        start.await(10, TimeUnit.SECONDS);
                        return cache.claim(delivery, until).passed();
                    };
                    results.add(pool.submit(claim));
                }
                int passed = 0;
                for (Future<Boolean> result : results) {
                    passed += result.get(10, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(passed).as("round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keysOfIdsAndMacsAreOfOneSizeAndApart() {
        assertThat(ReplayCache.Key.ofId("a")).isEqualTo(ReplayCache.Key.ofId("a"));
        assertThat(ReplayCache.Key.ofId("a")).isNotEqualTo(ReplayCache.Key.ofId("b"));
        byte[] mac = new byte[32];
        assertThat(ReplayCache.Key.ofMac(mac)).isEqualTo(new ReplayCache.Key(0, 0));
    }
}
