package io.hookgateway.loader;

import io.hookgateway.config.MetricsConfig;
import io.hookgateway.logging.LogFormat;
import java.nio.file.Path;
import java.util.List;

/**
 * The whole configuration, validated: immutable once loaded. {@link ConfigLoader} builds it.
 *
 * @param source the file it came from, or {@code <embedded default>}, for messages
 * @param directory the directory relative paths resolve against
 * @param server the hook port
 * @param metrics the metrics port
 * @param hooks the hooks, in file order
 * @param logFormat how log lines are written ({@code logging.format})
 */
public record GatewayConfig(String source, Path directory, ServerConfig server, MetricsConfig metrics,
                            List<HookConfig> hooks, LogFormat logFormat) {

    public GatewayConfig {
        hooks = List.copyOf(hooks);
    }

    public GatewayConfig withServer(ServerConfig newServer) {
        return new GatewayConfig(source, directory, newServer, metrics, hooks, logFormat);
    }

    public GatewayConfig withMetrics(MetricsConfig newMetrics) {
        return new GatewayConfig(source, directory, server, newMetrics, hooks, logFormat);
    }

    /** Whether this is the configuration built into the jar, used when no file is given. */
    public boolean isEmbeddedDefault() {
        return ConfigLoader.EMBEDDED_SOURCE.equals(source);
    }
}
