package io.hookgateway.config;

/**
 * The metrics port: {@code /metrics}, {@code /healthz}, {@code /readyz}, and nothing else.
 *
 * @param enabled whether the port is opened at all
 * @param bind the address to listen on
 * @param port the port; 0 picks a free one (tests)
 */
public record MetricsConfig(boolean enabled, String bind, int port) {

    public static final int DEFAULT_PORT = 8081;

    public MetricsConfig withBind(String newBind) {
        return new MetricsConfig(enabled, newBind, port);
    }

    public MetricsConfig withPort(int newPort) {
        return new MetricsConfig(enabled, bind, newPort);
    }
}
