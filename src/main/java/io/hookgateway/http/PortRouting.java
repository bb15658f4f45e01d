package io.hookgateway.http;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where a port's requests go and whom it serves, as of one moment. The {@link FixedLengthBodyAggregator} asks for the
 * current one once per request head and uses it for the whole request, so that a configuration reload, which replaces
 * both together, never gives a request the hooks of one configuration and the client rules of another.
 */
public interface PortRouting {

    /** Finds each request's destination. */
    Destination.Resolver resolver();

    /** Who sent each request, and whether the port serves them. */
    ClientAdmission clients();

    /** Routing that never changes: for the metrics port and tests. */
    static Supplier<PortRouting> fixed(Destination.Resolver resolver, ClientAdmission clients) {
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(clients, "clients");
        PortRouting routing = new PortRouting() {
            @Override
            public Destination.Resolver resolver() {
                return resolver;
            }

            @Override
            public ClientAdmission clients() {
                return clients;
            }
        };
        return () -> routing;
    }
}
