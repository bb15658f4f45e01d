package io.hookgateway.clients;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket: {@code burst} tokens, one more every {@code per / requests}; a request takes one, and one that finds
 * none is refused until the next is due. It holds its state in one {@code long}, as the Generic Cell Rate Algorithm
 * does (ITU-T I.371; the "virtual scheduling" form): the theoretical arrival time, when the bucket will be full again
 * plus one interval. A request at {@code now} passes when that time is at most {@code (burst - 1)} intervals ahead of
 * {@code now}, and moves it one interval on. So a bucket is one compare-and-set on one number, with no lock and no
 * timer, and how long to wait for the next token is exact.
 *
 * @param requests tokens added every {@code per}
 * @param per the period
 * @param burst the most tokens held at once: how many requests may come back to back after a quiet spell
 */
public record RateLimit(int requests, Duration per, int burst) {

    /** The most a burst may be, so that {@code burst * interval} stays far inside a {@code long} of nanoseconds. */
    public static final int MAX_BURST = 100_000;
    /** The longest period, for the same reason. */
    public static final Duration MAX_PER = Duration.ofDays(1);

    public RateLimit {
        Objects.requireNonNull(per, "per");
        if (requests < 1 || burst < 1 || burst > MAX_BURST || per.compareTo(MAX_PER) > 0
                || per.toNanos() / requests < 1) {
            throw new IllegalArgumentException("not a rate limit: " + requests + " per " + per + ", burst " + burst);
        }
    }

    /** The time between two tokens. */
    public long intervalNanos() {
        return per.toNanos() / requests;
    }

    /** How long an empty bucket takes to fill: after that long unused, a bucket is as good as new. */
    public long fillNanos() {
        return intervalNanos() * burst;
    }

    /**
     * Takes a token from the bucket whose state is {@code state} (0 for a full new bucket) at {@code now} (nanoseconds
     * on a clock that does not go back and starts at 0 or later): 0 when taken, else how long until one is due.
     */
    long take(AtomicLong state, long now) {
        long interval = intervalNanos();
        long tolerance = interval * (burst - 1);
        while (true) {
            long due = state.get();
            long from = Math.max(due, now);
            long wait = from - now - tolerance;
            if (wait > 0) {
                return wait;
            }
            if (state.compareAndSet(due, from + interval)) {
                return 0;
            }
        }
    }
}
