package io.hookgateway.clients;

import java.util.Objects;

/**
 * What the hook port knows of its clients, from {@code server:} in the configuration: whose forwarding header names
 * them, whom it serves at all, and the rate limits of a hook that sets none.
 *
 * @param trustedProxies {@code trusted-proxies} and {@code forwarded-header}
 * @param rules {@code clients}: judged for every request to the port, before its hook's own
 * @param rateLimit {@code rate-limit}: each hook's unless it has its own
 * @param maxClients {@code rate-limit.max-clients}: the most per-client buckets kept, across all hooks
 */
public record ClientPolicy(TrustedProxies trustedProxies, ClientRules rules, RateLimits rateLimit, int maxClients) {

    /** No proxy trusted, everyone served, no limit. */
    public static final ClientPolicy DEFAULT = new ClientPolicy(TrustedProxies.NONE, ClientRules.EVERYONE,
            RateLimits.NONE, ClientBuckets.DEFAULT_MAX_CLIENTS);

    public ClientPolicy {
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(rateLimit, "rateLimit");
    }
}
