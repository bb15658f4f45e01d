package io.hookgateway.clients;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The per-client token buckets of every hook, in one map of bounded size, so that no flood of distinct addresses can
 * make it grow past {@code maxClients} entries, whatever the number of hooks. An IPv4 client has a bucket of its own;
 * an IPv6 client shares one with its /64, since one subscriber is given a whole /64 (RFC 6177) and could otherwise
 * pick a fresh address, and bucket, for every request.
 *
 * <p>A bucket unused for {@code keepIdle} (the longest time any hook's bucket takes to fill) is full again, so
 * dropping it changes nothing: that keeps the map small in quiet times. When the map is full, Caffeine's W-TinyLFU
 * policy chooses what goes: a newcomer is kept only if it has been seen more often than the entry it would replace, so
 * a flood of addresses seen once each mostly replaces its own kind, and a client that keeps calling, limited or not,
 * keeps its bucket. When a bucket is dropped anyway, its client starts again with a full one: the limit is then more
 * lenient, never stricter, and it took {@code maxClients} other addresses to do it, which would each have had a full
 * bucket of their own.
 *
 * <p>A lookup takes a bin lock of the map for as long as a new bucket takes to create, and maintenance (evicting,
 * expiring) runs on the calling thread, in memory, in bounded steps; nothing here waits for I/O.
 */
public final class ClientBuckets {

    /** The default of {@code server.rate-limit.max-clients}. */
    public static final int DEFAULT_MAX_CLIENTS = 10_000;

    private final Cache<Key, AtomicLong> buckets;
    private final LongSupplier clock;
    private final int maxClients;
    private final AtomicInteger limiters = new AtomicInteger();
    private final Counter evictions;

    /**
     * @param maxClients the most buckets kept
     * @param keepIdle how long an unused bucket is kept
     * @param clock nanoseconds from some origin, never going back, 0 or more
     * @param registry where to show the number of buckets and the evictions; {@code null} for nowhere
     */
    public ClientBuckets(int maxClients, Duration keepIdle, LongSupplier clock, MeterRegistry registry) {
        if (maxClients < 1) {
            throw new IllegalArgumentException("maxClients must be positive: " + maxClients);
        }
        this.maxClients = maxClients;
        this.clock = clock;
        this.evictions = registry == null ? null : Counter.builder("hook.gateway.rate.limit.evictions")
                .description("Per-client rate-limit buckets dropped because the map was full (server.rate-limit."
                        + "max-clients): many distinct client addresses, perhaps a flood")
                .register(registry);
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxClients)
                .expireAfterAccess(keepIdle)
                .ticker(clock::getAsLong)
                .executor(Runnable::run)
                .evictionListener((Key key, AtomicLong bucket, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE && evictions != null) {
                        evictions.increment();
                    }
                })
                .build();
        if (registry != null) {
            Gauge.builder("hook.gateway.rate.limit.clients", buckets, Cache::estimatedSize)
                    .description("Client addresses with a rate-limit bucket, across all hooks; at most "
                            + "server.rate-limit.max-clients")
                    .register(registry);
        }
    }

    /** Buckets on the system clock, from now. */
    public static ClientBuckets create(int maxClients, Duration keepIdle, MeterRegistry registry) {
        long origin = System.nanoTime();
        return new ClientBuckets(maxClients, keepIdle, () -> System.nanoTime() - origin, registry);
    }

    /**
     * Keeps unused buckets at least this long from now on: a reload that adds a hook whose buckets fill more slowly
     * than any before must not see them dropped (and full again) before they would have filled.
     */
    public void keepIdleAtLeast(Duration keepIdle) {
        buckets.policy().expireAfterAccess().ifPresent(expiry -> {
            if (expiry.getExpiresAfter().compareTo(keepIdle) < 0) {
                expiry.setExpiresAfter(keepIdle);
            }
        });
    }

    /** A number for a new limiter, whose buckets are apart from every other's. */
    int newLimiter() {
        return limiters.getAndIncrement();
    }

    /** The clock buckets are measured on. */
    long now() {
        return clock.getAsLong();
    }

    /** The bucket of {@code client} for the limiter {@code limiter}, a full one when it has none. */
    AtomicLong bucket(int limiter, IpAddress client) {
        Key key = client.isIpv4() ? new Key(limiter, client.hi, client.lo) : new Key(limiter, client.hi, 0);
        return buckets.get(key, k -> new AtomicLong());
    }

    /** How many buckets are kept now, after pending maintenance. */
    public long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    public int maxClients() {
        return maxClients;
    }

    /** A limiter's bucket of one client: an IPv4 address, or an IPv6 /64 (its lower half 0). */
    private record Key(int limiter, long hi, long lo) {
    }
}
