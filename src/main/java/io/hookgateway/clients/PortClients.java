package io.hookgateway.clients;

import io.hookgateway.hooks.Gate;
import io.hookgateway.hooks.HookException;
import io.hookgateway.http.ClientAdmission;
import io.hookgateway.http.Destination;
import io.hookgateway.http.RequestHead;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hook port's clients: who sent each request ({@link TrustedProxies}), and whether the port serves them
 * ({@code server.clients}). A client the port does not serve, or whose address a trusted proxy's header cannot tell,
 * gets {@code 403 forbidden} whatever the path, and is counted as
 * {@code hook_gateway_auth_failures_total{hook, reason="ip"}} under the hook its path would reach, or under
 * {@code unmatched} when none would (as its 404 would have been).
 */
public final class PortClients implements ClientAdmission {

    private final TrustedProxies proxies;
    private final ClientRules rules;
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
    private final String unmatched;
    private final MeterRegistry registry;

    private PortClients(TrustedProxies proxies, ClientRules rules, List<String> hookNames, String unmatched,
                        MeterRegistry registry) {
        this.proxies = proxies;
        this.rules = rules;
        this.unmatched = unmatched;
        this.registry = registry;
        if (registry != null) {
            for (String name : hookNames) {
                refusals.put(name, Gate.failureCounter(registry, name, "ip"));
            }
            refusals.put(unmatched, Gate.failureCounter(registry, unmatched, "ip"));
        }
    }

    /**
     * The port's clients; {@link ClientAdmission#EVERYONE} when no proxy is trusted and everyone is served.
     *
     * @param hookNames the hooks, whose refusals are counted from zero
     * @param unmatched the hook tag of requests no hook takes
     * @param registry where refusals are counted; {@code null} for nowhere
     */
    public static ClientAdmission of(TrustedProxies proxies, ClientRules rules, List<String> hookNames,
                                     String unmatched, MeterRegistry registry) {
        if (proxies.isEmpty() && rules.servesEveryone()) {
            return EVERYONE;
        }
        return new PortClients(proxies, rules, hookNames, unmatched, registry);
    }

    @Override
    public InetSocketAddress clientOf(RequestHead head, InetSocketAddress peer) {
        IpAddress peerAddress = peer == null ? null : IpAddress.of(peer.getAddress());
        if (peerAddress == null || proxies.isEmpty()) {
            return peer;
        }
        IpAddress client = proxies.clientOf(peerAddress, head.headers());
        if (client == null) {
            return null;
        }
        // The port of a forwarded client is not known (or not worth believing): 0.
        return client.equals(peerAddress) ? peer : new InetSocketAddress(client.toInetAddress(), 0);
    }

    @Override
    public HookException refusal(InetSocketAddress client, Destination destination) {
        if (client != null && (rules.servesEveryone() || rules.serves(IpAddress.of(client.getAddress())))) {
            return null;
        }
        if (registry != null) {
            String hook = destination == null ? unmatched : destination.hookName();
            refusals.computeIfAbsent(hook, name -> Gate.failureCounter(registry, name, "ip")).increment();
        }
        return HookException.FORBIDDEN;
    }
}
