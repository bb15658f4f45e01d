package io.hookgateway.clients;

import io.hookgateway.hooks.Gate;
import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which clients a hook serves, and how often: its address rules, then its rate limits, each client's bucket before the
 * hook's, so that a client over its own limit spends nothing of what the hook has for everyone. Judged from the head,
 * before the hook's {@code auth}, before any body is read: the cheapest refusals go first.
 *
 * <ul>
 *   <li>An address the rules do not serve: {@code 403 forbidden}, the answer of every other refusal, counted as
 *       {@code hook_gateway_auth_failures_total{hook, reason="ip"}}.</li>
 *   <li>No token left: {@code 429} with {@code Retry-After}, the seconds until the next token (rounded up, RFC 9110
 *       §10.2.3), counted as {@code reason="rate"}.</li>
 * </ul>
 * Every request that reaches the limits takes a token, whether its auth then passes or not.
 */
public final class HookClients {

    /** Serves everyone, as often as they like. */
    public static final HookClients EVERYONE = new HookClients(ClientRules.EVERYONE, RateLimits.NONE, null, null, null);

    /** The body of a 429. */
    static final String TOO_MANY = "too many requests";

    private final ClientRules rules;
    private final RateLimit perClient;
    private final RateLimit perHook;
    private final ClientBuckets buckets;
    private final int limiter;
    private final AtomicLong hookBucket = new AtomicLong();
    private final Counter ipRefusals;
    private final Counter rateRefusals;

    private HookClients(ClientRules rules, RateLimits limits, ClientBuckets buckets, Counter ipRefusals,
                        Counter rateRefusals) {
        this.rules = rules;
        this.perClient = limits.perClient();
        this.perHook = limits.perHook();
        this.buckets = buckets;
        this.limiter = perClient == null ? -1 : buckets.newLimiter();
        this.ipRefusals = ipRefusals;
        this.rateRefusals = rateRefusals;
    }

    /**
     * The clients of one hook.
     *
     * @param buckets where per-client buckets are kept, and the clock of every bucket; needed when there are limits
     * @param registry where refusals are counted (from zero: the rate is there before the first); {@code null} for
     *                 nowhere
     */
    public static HookClients of(String hookName, ClientRules rules, RateLimits limits, ClientBuckets buckets,
                                 MeterRegistry registry) {
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(limits, "limits");
        if (rules.servesEveryone() && limits.isNone()) {
            return EVERYONE;
        }
        if (!limits.isNone()) {
            Objects.requireNonNull(buckets, "buckets");
        }
        Counter ip = registry == null || rules.servesEveryone() ? null
                : Gate.failureCounter(registry, hookName, "ip");
        Counter rate = registry == null || limits.isNone() ? null : Gate.failureCounter(registry, hookName, "rate");
        return new HookClients(rules, limits, buckets, ip, rate);
    }

    /**
     * The same rules without the limits: for the resources a hook's processor serves (an async run's state), which a
     * client may poll without spending the hook's requests.
     */
    public HookClients withoutLimits() {
        if (perClient == null && perHook == null) {
            return this;
        }
        return rules.servesEveryone() ? EVERYONE
                : new HookClients(rules, RateLimits.NONE, null, ipRefusals, null);
    }

    /** The answer to a request from {@code client} ({@code null} when unknown), or {@code null} to let it on. */
    public HookException refusal(InetSocketAddress client) {
        if (this == EVERYONE) {
            return null;
        }
        IpAddress address = client == null ? null : IpAddress.of(client.getAddress());
        if (!rules.serves(address)) {
            count(ipRefusals);
            return HookException.FORBIDDEN;
        }
        if (perClient != null && address != null) {
            long wait = perClient.take(buckets.bucket(limiter, address), buckets.now());
            if (wait > 0) {
                return tooMany(wait);
            }
        }
        if (perHook != null) {
            long wait = perHook.take(hookBucket, buckets.now());
            if (wait > 0) {
                return tooMany(wait);
            }
        }
        return null;
    }

    private HookException tooMany(long waitNanos) {
        count(rateRefusals);
        // Whole seconds, rounded up: a client that waits as told finds a token.
        long seconds = Math.max(1, (waitNanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
        return new HookException(429, TOO_MANY, HeaderFields.of("Retry-After", Long.toString(seconds)), null);
    }

    private static void count(Counter counter) {
        if (counter != null) {
            counter.increment();
        }
    }
}
