package io.hookgateway.security.signatures;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.hookgateway.hooks.Authenticator.Reason;
import io.hookgateway.hooks.Authenticator.Verdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deliveries one way of a hook has accepted and still remembers: each until the end of its window (its signed
 * timestamp plus the tolerance, after which the timestamp alone refuses it; or the replay window from when it was
 * accepted, for a sender that signs no timestamp). The same delivery presented again within its window is refused as
 * {@link Reason#REPLAYED}.
 *
 * <p>A delivery is claimed atomically as it is checked, so that of two copies arriving at once only one passes; the
 * claim is given back if another check of the hook's {@code auth} then refuses the request ({@link Verdict#claimed}).
 *
 * <p>The cache is bounded, and <b>fails closed</b>: once it holds {@code capacity} deliveries that are all still in
 * their window, a new delivery is refused ({@link Reason#REPLAYED}, 403) rather than one of them forgotten, which would
 * let its replay through. (Caffeine's {@code maximumSize} would evict, so the bound is this class's own.) Only a sender
 * holding the secret can fill it, since only a delivery with a good signature is remembered; such refusals are
 * counted as {@code hook_gateway_replay_cache_full_total{hook, way}} and logged once each time the cache fills. A
 * sender that retries a refused delivery later, as the big senders do, gets it through once older ones expire.
 */
final class ReplayCache {

    private static final Logger log = LoggerFactory.getLogger(ReplayCache.class);

    static final int DEFAULT_CAPACITY = 100_000;

    private final String way;
    private final int capacity;
    private final Clock clock;
    /**
     * Each remembered delivery, and until when (epoch milliseconds). Its own, or, after a reload changed the hook, the
     * one of the cache before ({@link #takeOver}); claims lock it, not this object, so that the two caches serving
     * during the swap never both accept one delivery.
     */
    private volatile Cache<Key, Long> remembered;
    private volatile boolean full;
    private volatile Counter fullRefusals;
    private volatile String hookName = "";

    ReplayCache(String way, int capacity, Clock clock) {
        this.way = way;
        this.capacity = capacity;
        this.clock = clock;
        this.remembered = Caffeine.newBuilder()
                .expireAfter(Expiry.creating((Key key, Long until) ->
                        Duration.ofMillis(Math.max(1, until - clock.millis()))))
                // The same clock as the timestamps it is compared with, so a test can move both.
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)
                .build();
    }

    /**
     * Claims every key of one delivery until {@code untilMillis}: refused if any is remembered, or if there is no
     * room for them; else a passed verdict whose refusal gives them back.
     */
    Verdict claim(List<Key> keys, long untilMillis) {
        Long until = untilMillis;
        Cache<Key, Long> store = remembered;
        synchronized (store) {
            for (Key key : keys) {
                if (store.getIfPresent(key) != null) {
                    return Verdict.failed(Reason.REPLAYED, null);
                }
            }
            if (store.estimatedSize() > capacity - keys.size()) {
                // Deliveries past their window may still be counted until the cache is cleaned.
                store.cleanUp();
                if (store.estimatedSize() > capacity - keys.size()) {
                    refusedFull();
                    return Verdict.failed(Reason.REPLAYED, null);
                }
            }
            for (Key key : keys) {
                store.put(key, until);
            }
        }
        full = false;
        return Verdict.claimed(() -> release(store, keys, until));
    }

    private static void release(Cache<Key, Long> store, List<Key> keys, Long until) {
        synchronized (store) {
            for (Key key : keys) {
                store.asMap().remove(key, until);
            }
        }
    }

    private void refusedFull() {
        Counter counter = fullRefusals;
        if (counter != null) {
            counter.increment();
        }
        if (!full) {
            full = true;
            log.warn("hook '{}': the replay cache of {} is full: {} deliveries are still within their window, so new "
                    + "ones are refused until some expire; raise replay-cache-size if the sender is this busy",
                    hookName, way, capacity);
        }
    }

    /**
     * Remembers from now on in {@code previous}'s store, the deliveries it saw included: the same hook's cache of the
     * same way before a reload. Called before this cache serves a claim.
     */
    void takeOver(ReplayCache previous) {
        if (previous.way.equals(way)) {
            remembered = previous.remembered;
        }
    }

    /** The deliveries remembered, some perhaps past their window but not yet removed. */
    long size() {
        return remembered.estimatedSize();
    }

    void bindMeters(MeterRegistry registry, String hook) {
        this.hookName = hook;
        Gauge.builder("hook.gateway.replay.cache.entries", this, ReplayCache::size)
                .description("Signed deliveries remembered against replay, by hook and auth way")
                .tags("hook", hook, "way", way)
                .register(registry);
        fullRefusals = Counter.builder("hook.gateway.replay.cache.full")
                .description("Signed deliveries refused because the replay cache was full of deliveries still in "
                        + "their window (also counted in hook_gateway_auth_failures_total as replayed)")
                .tags("hook", hook, "way", way)
                .register(registry);
    }

    /**
     * A remembered delivery: 128 bits of its MAC (the same content under the same first secret gives the same MAC,
     * however it was presented) or of a SHA-256 of its delivery id. Small and of one size, so the bound on entries is
     * a bound on memory.
     */
    record Key(long high, long low) {

        /** The delivery signed with {@code mac} (its MAC under the way's first secret). */
        static Key ofMac(byte[] mac) {
            ByteBuffer bytes = ByteBuffer.wrap(mac);
            return new Key(bytes.getLong(), bytes.getLong());
        }

        /** The delivery with this id, as its sender numbers them. */
        static Key ofId(String id) {
            try {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                // A prefix keeps ids apart from MACs, whatever bytes either has.
                sha256.update((byte) 'i');
                return ofMac(sha256.digest(id.getBytes(StandardCharsets.ISO_8859_1)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }
    }
}
