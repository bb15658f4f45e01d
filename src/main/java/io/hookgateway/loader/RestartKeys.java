package io.hookgateway.loader;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The keys of the configuration that a running gateway cannot change: its listeners (addresses, ports, TLS listeners),
 * its threads, and the limits its connections were made with. A reload that changes them applies everything else and
 * reports these as needing a restart; until then the values the gateway started with stay in force. The TLS files
 * themselves (certificate, key, client CA) are watched by their listener and reload on their own.
 *
 * <p>Everything else applies live: the hooks, {@code server.max-body-size} and {@code server.access-log} (their
 * defaults), {@code server.trusted-proxies}, {@code server.forwarded-header}, {@code server.clients},
 * {@code server.rate-limit} (but its {@code max-clients}) and {@code server.drain-timeout}.
 */
public final class RestartKeys {

    private record Key(String path, Function<GatewayConfig, Object> value) {
    }

    private static final List<Key> KEYS = List.of(
            server("bind", ServerConfig::bind),
            server("port", ServerConfig::port),
            server("plain", ServerConfig::plain),
            server("tls", ServerConfig::tls),
            server("io-threads", ServerConfig::ioThreads),
            server("worker-threads", ServerConfig::workerThreads),
            server("worker-queue", ServerConfig::workerQueue),
            server("max-connections", ServerConfig::maxConnections),
            server("max-request-line-size", ServerConfig::maxRequestLineBytes),
            server("max-header-size", ServerConfig::maxHeaderBytes),
            server("max-header-count", ServerConfig::maxHeaderFields),
            server("request-head-timeout", ServerConfig::headTimeout),
            server("request-body-timeout", ServerConfig::bodyTimeout),
            server("idle-timeout", ServerConfig::idleTimeout),
            server("max-buffered-body-size", ServerConfig::maxBufferedBodyBytes),
            server("rate-limit.max-clients", s -> s.clients().maxClients()),
            new Key("metrics.enabled", c -> c.metrics().enabled()),
            new Key("metrics.bind", c -> c.metrics().bind()),
            new Key("metrics.port", c -> c.metrics().port()));

    private RestartKeys() {
    }

    private static Key server(String key, Function<ServerConfig, Object> value) {
        return new Key("server." + key, c -> value.apply(c.server()));
    }

    /** The keys whose values differ between the configuration the gateway runs with and {@code next}, in file order. */
    public static List<String> between(GatewayConfig running, GatewayConfig next) {
        List<String> changed = new ArrayList<>();
        for (Key key : KEYS) {
            if (!Objects.equals(key.value().apply(running), key.value().apply(next))) {
                changed.add(key.path());
            }
        }
        return changed;
    }
}
