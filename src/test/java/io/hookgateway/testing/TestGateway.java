package io.hookgateway.testing;

import io.hookgateway.GatewayServer;
import io.hookgateway.config.ConfigException;
import io.hookgateway.config.ConfigLoader;
import io.hookgateway.config.GatewayConfig;
import io.hookgateway.config.ServerConfig;
import io.hookgateway.hooks.ProcessorRegistry;
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

    /** Parses configuration text the way the gateway does, with the given environment. */
    public static GatewayConfig parse(String yaml, Map<String, String> env) throws ConfigException {
        return new ConfigLoader(ProcessorRegistry.load(), env::get)
                .parse(yaml, "test.yaml", Path.of("").toAbsolutePath(), false);
    }

    public static TestGateway start(GatewayConfig config) throws Exception {
        ServerConfig server = config.server().withBind("127.0.0.1").withPort(0);
        GatewayConfig local = config
                .withServer(server.withTls(server.tls().stream().map(tls -> tls.withPort(0)).toList()))
                .withMetrics(config.metrics().withBind("127.0.0.1").withPort(0));
        return new TestGateway(GatewayServer.start(local));
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
