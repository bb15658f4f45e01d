package io.hookgateway.clients;

import io.hookgateway.hooks.HeaderFields;
import java.util.List;
import java.util.Objects;

/**
 * Who sent a request: the TCP peer, unless the peer is a proxy the configuration trusts, whose forwarding header then
 * names the client. The header is read from the right, where each proxy appends the address it was called from: the
 * client is the right-most address that is not itself a trusted proxy. Whatever lies left of it was written by
 * someone the gateway does not trust (the client itself, perhaps), so it is never read. When every hop named is a
 * trusted proxy, the client is the farthest of them; when the header is absent, the peer itself.
 *
 * <p>Several field lines of the header are one list, in order (RFC 9110 §5.3): a proxy may append a line of its own
 * instead of extending the last. When the walk reaches a hop it cannot read (a malformed address, {@code unknown}, an
 * obfuscated name, a {@code Forwarded} line that does not parse) the client cannot be told, and {@link #clientOf}
 * says so with {@code null}; the gateway refuses such a request rather than take the proxy for the client.
 *
 * @param proxies the peers whose header is believed; none, and no header is ever read
 * @param header the one header field they name the client in; the other is never read, since a proxy that manages
 *               one passes the other through as the client wrote it
 */
public record TrustedProxies(AddressSet proxies, ForwardingHeader header) {

    /** No proxy is trusted: the client is always the peer. */
    public static final TrustedProxies NONE = new TrustedProxies(AddressSet.EMPTY, ForwardingHeader.X_FORWARDED_FOR);

    public TrustedProxies {
        Objects.requireNonNull(proxies, "proxies");
        Objects.requireNonNull(header, "header");
    }

    /** Whether no proxy is trusted. */
    public boolean isEmpty() {
        return proxies.isEmpty();
    }

    /**
     * The client of a request that came from {@code peer} with {@code fields}: the peer, or the address its trusted
     * proxies name; {@code null} when the header the walk reaches cannot be read.
     */
    public IpAddress clientOf(IpAddress peer, HeaderFields fields) {
        if (peer == null || !proxies.contains(peer)) {
            return peer;
        }
        List<String> lines = fields.getAll(header.fieldName());
        IpAddress farthest = peer;
        for (int l = lines.size() - 1; l >= 0; l--) {
            List<IpAddress> hops = header.hops(lines.get(l));
            if (hops == null) {
                return null;
            }
            for (int h = hops.size() - 1; h >= 0; h--) {
                IpAddress hop = hops.get(h);
                if (hop == null) {
                    return null;
                }
                if (!proxies.contains(hop)) {
                    return hop;
                }
                farthest = hop;
            }
        }
        return farthest;
    }
}
