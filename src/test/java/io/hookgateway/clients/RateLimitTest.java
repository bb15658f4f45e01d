package io.hookgateway.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The token bucket on a clock the test moves. */
class RateLimitTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aFullBucketLetsTheBurstThroughThenOneAnInterval() {
        RateLimit limit = new RateLimit(10, Duration.ofMinutes(1), 3);
        AtomicLong bucket = new AtomicLong();
        long now = 5 * SECOND;

        assertThat(limit.take(bucket, now)).isZero();
        assertThat(limit.take(bucket, now)).isZero();
        assertThat(limit.take(bucket, now)).isZero();
        // A token every 6 s: the fourth request waits exactly that long.
        assertThat(limit.take(bucket, now)).isEqualTo(6 * SECOND);
        assertThat(limit.take(bucket, now + 6 * SECOND - 1)).isEqualTo(1);
        assertThat(limit.take(bucket, now + 6 * SECOND)).isZero();
        assertThat(limit.take(bucket, now + 6 * SECOND)).isEqualTo(6 * SECOND);
    }

    @Test
    void aRefusedRequestTakesNothing() {
        RateLimit limit = new RateLimit(1, Duration.ofSeconds(10), 1);
        AtomicLong bucket = new AtomicLong();

        assertThat(limit.take(bucket, 0)).isZero();
        for (int i = 0; i < 1000; i++) {
            assertThat(limit.take(bucket, SECOND)).isEqualTo(9 * SECOND);
        }
        assertThat(limit.take(bucket, 10 * SECOND)).isZero();
    }

    @Test
    void aQuietSpellRefillsNoMoreThanTheBurst() {
        RateLimit limit = new RateLimit(1, Duration.ofSeconds(1), 2);
        AtomicLong bucket = new AtomicLong();

        assertThat(limit.take(bucket, 0)).isZero();
        long later = 3600 * SECOND;
        assertThat(limit.take(bucket, later)).isZero();
        assertThat(limit.take(bucket, later)).isZero();
        assertThat(limit.take(bucket, later)).isEqualTo(SECOND);
        assertThat(limit.fillNanos()).isEqualTo(2 * SECOND);
    }

    @Test
    void theLongestLimitsStayInsideALong() {
        RateLimit slowest = new RateLimit(1, RateLimit.MAX_PER, RateLimit.MAX_BURST);
        AtomicLong bucket = new AtomicLong();

        assertThat(slowest.fillNanos()).isPositive();
        for (int i = 0; i < RateLimit.MAX_BURST; i++) {
            assertThat(slowest.take(bucket, 0)).isZero();
        }
        assertThat(slowest.take(bucket, 0)).isEqualTo(RateLimit.MAX_PER.toNanos());
    }

    @Test
    void refusesWhatIsNoRate() {
        assertThatThrownBy(() -> new RateLimit(0, Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimit(1, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimit(1000, Duration.ofNanos(999), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimit(1, Duration.ofDays(2), 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void threadsRacingForOneBucketGetExactlyTheBurst() throws Exception {
        RateLimit limit = new RateLimit(1, Duration.ofHours(1), 1000);
        AtomicLong bucket = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> taken = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                taken.add(threads.submit(() -> {
                    int count = 0;
                    for (int i = 0; i < 1000; i++) {
                        if (limit.take(bucket, SECOND) == 0) {
                            count++;
                        }
                    }
                    return count;
                }));
            }
            int total = 0;
            for (Future<Integer> f : taken) {
                total += f.get(10, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(1000);
        } finally {
            threads.shutdownNow();
        }
    }
}
