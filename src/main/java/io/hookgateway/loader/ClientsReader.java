package io.hookgateway.loader;

import io.hookgateway.clients.AddressRange;
import io.hookgateway.clients.AddressSet;
import io.hookgateway.clients.ClientBuckets;
import io.hookgateway.clients.ClientPolicy;
import io.hookgateway.clients.ClientRules;
import io.hookgateway.clients.ForwardingHeader;
import io.hookgateway.clients.RateLimit;
import io.hookgateway.clients.RateLimits;
import io.hookgateway.clients.TrustedProxies;
import io.hookgateway.config.ConfigNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads who may call, from where and how often: under {@code server:}, {@code trusted-proxies},
 * {@code forwarded-header}, {@code clients} and {@code rate-limit}; under a hook, {@code clients} and
 * {@code rate-limit}.
 *
 * <pre>
 * server:
 *   trusted-proxies: [10.0.0.2, "fd00::/8"]      # peers whose forwarding header names the client
 *   forwarded-header: X-Forwarded-For             # or Forwarded (RFC 7239)
 *   clients: {allow: [10.0.0.0/8, "::1"], deny: [10.0.0.13]}
 *   rate-limit:                                   # each hook's, unless it has its own
 *     per-client: {requests: 10, per: 1m, burst: 20}
 *     per-hook: {requests: 100, per: 1m}
 *     max-clients: 10000
 * </pre>
 */
final class ClientsReader {

    private static final String TRUSTED_PROXIES = "trusted-proxies";
    private static final String FORWARDED_HEADER = "forwarded-header";
    private static final String CLIENTS = "clients";
    private static final String RATE_LIMIT = "rate-limit";

    private ClientsReader() {
    }

    /** The port's policy from the {@code server} mapping. */
    static ClientPolicy readServer(ConfigNode server) {
        AddressSet proxies = ranges(server, TRUSTED_PROXIES);
        ForwardingHeader header = ForwardingHeader.X_FORWARDED_FOR;
        String headerName = server.string(FORWARDED_HEADER, null);
        if (headerName != null) {
            header = ForwardingHeader.named(headerName.trim());
            if (header == null) {
                server.problem(FORWARDED_HEADER, "'" + headerName + "' is not a header the gateway reads a client's "
                        + "address from; write X-Forwarded-For or Forwarded, whichever your proxy sets");
                header = ForwardingHeader.X_FORWARDED_FOR;
            } else if (proxies.isEmpty()) {
                server.problem(FORWARDED_HEADER, "is set, but no header is read without " + server.pathOf(
                        TRUSTED_PROXIES) + "; list your proxies' addresses there, or remove " + FORWARDED_HEADER);
            }
        }
        ClientRules rules = rules(server);
        ConfigNode limits = server.object(RATE_LIMIT);
        RateLimits rateLimit = RateLimits.NONE;
        int maxClients = ClientBuckets.DEFAULT_MAX_CLIENTS;
        if (limits != null) {
            rateLimit = rateLimits(limits);
            maxClients = limits.integer("max-clients", ClientBuckets.DEFAULT_MAX_CLIENTS, 100, 10_000_000);
            limits.finish();
        }
        return new ClientPolicy(new TrustedProxies(proxies, header), rules, rateLimit, maxClients);
    }

    /** A hook's {@code clients} rules ({@link ClientRules#EVERYONE} when it has none). */
    static ClientRules rules(ConfigNode parent) {
        ConfigNode node = parent.object(CLIENTS);
        if (node == null) {
            return ClientRules.EVERYONE;
        }
        ClientRules rules = new ClientRules(ranges(node, "allow"), ranges(node, "deny"));
        node.finish();
        return rules;
    }

    /** A hook's {@code rate-limit}: its own (an empty mapping for none), else {@code byDefault}. */
    static RateLimits rateLimits(ConfigNode hook, RateLimits byDefault) {
        ConfigNode node = hook.object(RATE_LIMIT);
        if (node == null) {
            return byDefault;
        }
        RateLimits limits = rateLimits(node);
        node.finish();
        return limits;
    }

    private static RateLimits rateLimits(ConfigNode node) {
        return new RateLimits(limit(node, "per-client"), limit(node, "per-hook"));
    }

    /** One token bucket: {@code {requests: 10, per: 1m, burst: 20}}; {@code null} when absent or wrong. */
    private static RateLimit limit(ConfigNode parent, String key) {
        ConfigNode node = parent.object(key);
        if (node == null) {
            return null;
        }
        int requests = 0;
        if (!node.has("requests")) {
            node.problem("requests", "is required: how many requests each period allows, as requests: 10");
        } else {
            requests = node.integer("requests", 0, 1, RateLimit.MAX_BURST);
        }
        Duration per = null;
        if (!node.has("per")) {
            node.problem("per", "is required: the period, as per: 1m (or 1s, 1h)");
        } else {
            per = node.duration("per", null, Duration.ofMillis(1), RateLimit.MAX_PER);
        }
        int burst = node.integer("burst", Math.max(requests, 1), 1, RateLimit.MAX_BURST);
        node.finish();
        return requests > 0 && per != null ? new RateLimit(requests, per, burst) : null;
    }

    /**
     * A list of address ranges ({@link AddressSet#EMPTY} when absent); each that cannot be read is reported at its
     * place. An empty list is refused: {@code allow: []} would read as "no allow list", serving everyone.
     */
    private static AddressSet ranges(ConfigNode node, String key) {
        if (!node.has(key)) {
            return AddressSet.EMPTY;
        }
        if (node.isEmptyList(key)) {
            node.problem(key, "is empty; list addresses or ranges, as [10.0.0.0/8, \"::1\"], or remove " + key);
            return AddressSet.EMPTY;
        }
        List<String> written = node.strings(key, List.of());
        boolean list = node.isList(key);
        List<AddressRange> ranges = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            try {
                ranges.add(AddressRange.parse(written.get(i)));
            } catch (IllegalArgumentException e) {
                node.problem(list ? key + "[" + i + "]" : key, e.getMessage());
            }
        }
        return AddressSet.of(ranges);
    }
}
