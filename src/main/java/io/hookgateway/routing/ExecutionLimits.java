package io.hookgateway.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * How much of the gateway one hook may use at once.
 *
 * @param maxConcurrent executions of the processor at the same time
 * @param maxQueued requests that may wait for an execution slot; beyond that, 503 with {@code Retry-After}
 * @param timeout from dispatch to answer; after it the client gets 504 and the processor's stage is cancelled, which
 *                frees the slot (built-in processors stop their work when cancelled)
 */
public record ExecutionLimits(int maxConcurrent, int maxQueued, Duration timeout) {

    public static final int DEFAULT_MAX_CONCURRENT = 16;
    public static final int DEFAULT_MAX_QUEUED = 64;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public ExecutionLimits {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1: " + maxConcurrent);
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("maxQueued must not be negative: " + maxQueued);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    public static ExecutionLimits defaults() {
        return new ExecutionLimits(DEFAULT_MAX_CONCURRENT, DEFAULT_MAX_QUEUED, DEFAULT_TIMEOUT);
    }
}
