package io.hookgateway.testing;

import io.hookgateway.GatewayServer;
import io.hookgateway.config.ConfigException;
import io.hookgateway.loader.ConfigLoader;
import io.hookgateway.loader.GatewayConfig;
import io.hookgateway.loader.ServerConfig;
import io.hookgateway.processors.ProcessorRegistry;
import io.hookgateway.security.AuthRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real gateway for end-to-end tests: bound to 127.0.0.1 on free ports (its TLS listeners too), stopped (drained) by
 * {@link #close()}. For one gateway per test class (or per test) that JUnit starts and stops, see
 * {@link GatewayExtension}.
 */
public final class TestGateway implements RunningGateway, AutoCloseable {

    private final GatewayServer server;

    private TestGateway(GatewayServer server) {
        this.server = server;
    }

    /** Starts the embedded default configuration. */
    public static TestGateway startDefault() throws Exception {
        return start(new ConfigLoader(ProcessorRegistry.load(), name -> null).loadEmbeddedDefault());
    }

    /** Starts a configuration given as YAML text; ports and bind address are replaced by free local ones. */
    public static TestGateway start(String yaml) throws Exception {
        return start(yaml, Map.of());
    }

    public static TestGateway start(String yaml, Map<String, String> env) throws Exception {
        return start(parse(yaml, env));
    }

    /** Starts a configuration whose {@code auth:} ways are {@code authTypes}: a local Amazon for {@code alexa}, say. */
    public static TestGateway start(String yaml, Map<String, String> env, AuthRegistry authTypes) throws Exception {
        return start(parse(yaml, env, authTypes));
    }

    /** Parses configuration text the way the gateway does, with the given environment. */
    public static GatewayConfig parse(String yaml, Map<String, String> env) throws ConfigException {
        return parse(yaml, env, AuthRegistry.load());
    }

    /** Parses configuration text the way the gateway does, with the given environment and ways to authenticate. */
    public static GatewayConfig parse(String yaml, Map<String, String> env, AuthRegistry authTypes)
            throws ConfigException {
        return new ConfigLoader(ProcessorRegistry.load(), env::get, authTypes)
                .parse(yaml, "test.yaml", Path.of("").toAbsolutePath(), false);
    }

    public static TestGateway start(GatewayConfig config) throws Exception {
        return startOn("127.0.0.1", config);
    }

    /**
     * Starts a configuration with its hook port and TLS listeners on {@code bind}, {@code ::} for IPv6 and IPv4
     * both, and free ports; the metrics port on 127.0.0.1.
     */
    public static TestGateway startOn(String bind, GatewayConfig config) throws Exception {
        return new TestGateway(GatewayServer.start(local(bind, config)));
    }

    private static GatewayConfig local(String bind, GatewayConfig config) {
        ServerConfig server = config.server().withBind(bind).withPort(0);
        return config
                .withServer(server.withTls(server.tls().stream().map(tls -> tls.withPort(0)).toList()))
                .withMetrics(config.metrics().withBind("127.0.0.1").withPort(0));
    }

    /**
     * Reloads the running gateway with configuration text, its listeners made local as at the start (so they are the
     * ones it runs with); throws what the reload throws.
     */
    public GatewayServer.Reloaded reload(String yaml) throws Exception {
        return server.reload(local("127.0.0.1", parse(yaml, Map.of())));
    }

    @Override
    public GatewayServer server() {
        return server;
    }

    @Override
    public void close() {
        server.drainAndStop(Duration.ofSeconds(5));
    }
}
