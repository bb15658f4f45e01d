package io.hookgateway.clients;

/**
 * A hook's rate limits: each of its clients by address, and the hook as a whole. Either may be {@code null}, for none.
 *
 * @param perClient a bucket for each client address (an IPv6 client's by its /64, which one subscriber holds whole)
 * @param perHook one bucket for every request to the hook, whoever sends it
 */
public record RateLimits(RateLimit perClient, RateLimit perHook) {

    /** No limit. */
    public static final RateLimits NONE = new RateLimits(null, null);

    public boolean isNone() {
        return perClient == null && perHook == null;
    }
}
