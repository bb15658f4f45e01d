package io.hookgateway.routing;

import io.hookgateway.http.ClientAdmission;
import io.hookgateway.http.Destination;
import io.hookgateway.http.PortRouting;
import java.util.Objects;

/**
 * The hook port's routing as one configuration made it: its route table and its client admission, swapped together
 * when the configuration is reloaded.
 */
public record Routes(RouteTable table, ClientAdmission clients) implements PortRouting {

    public Routes {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(clients, "clients");
    }

    @Override
    public Destination.Resolver resolver() {
        return table;
    }
}
