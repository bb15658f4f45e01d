package io.hookgateway.clients;

import java.util.Objects;

/**
 * Which client addresses are served: none in {@code deny}, and, when {@code allow} lists any, only those in it. A deny
 * wins over an allow, so a range can be allowed with holes in it ({@code allow: [10.0.0.0/8], deny: [10.0.0.13]}).
 *
 * @param allow when not empty, the only addresses served
 * @param deny addresses never served
 */
public record ClientRules(AddressSet allow, AddressSet deny) {

    /** Serves everyone. */
    public static final ClientRules EVERYONE = new ClientRules(AddressSet.EMPTY, AddressSet.EMPTY);

    public ClientRules {
        Objects.requireNonNull(allow, "allow");
        Objects.requireNonNull(deny, "deny");
    }

    /** Whether every address is served. */
    public boolean servesEveryone() {
        return allow.isEmpty() && deny.isEmpty();
    }

    /** Whether {@code client} is served; an unknown client ({@code null}) is not, unless everyone is. */
    public boolean serves(IpAddress client) {
        if (servesEveryone()) {
            return true;
        }
        return client != null && !deny.contains(client) && (allow.isEmpty() || allow.contains(client));
    }
}
