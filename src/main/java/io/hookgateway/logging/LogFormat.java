package io.hookgateway.logging;

import java.util.Locale;

/**
 * How log lines are written: {@link #PLAIN} text for a terminal and {@code journalctl}, or {@link #JSON}, one object a
 * line, for Loki, Elasticsearch and the like. Chosen by {@code logging.format} in the configuration, which
 * {@value #ENVIRONMENT} overrides; that variable also decides the lines written before the configuration is read.
 */
public enum LogFormat {
    PLAIN,
    JSON;

    /** The environment variable that overrides {@code logging.format}. */
    public static final String ENVIRONMENT = "HOOK_GATEWAY_LOG_FORMAT";

    private static volatile LogFormat current = fromEnvironment(System.getenv(ENVIRONMENT));

    /** The format every line is written in from now on. */
    public static LogFormat current() {
        return current;
    }

    /** Writes every line from now on in {@code format}. */
    public static void use(LogFormat format) {
        current = java.util.Objects.requireNonNull(format, "format");
    }

    /** The format a configuration word names ({@code plain}, {@code json}, any case), or {@code null}. */
    public static LogFormat named(String word) {
        return switch (word.trim().toLowerCase(Locale.ROOT)) {
            case "plain" -> PLAIN;
            case "json" -> JSON;
            default -> null;
        };
    }

    /** The word the configuration uses for it. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static LogFormat fromEnvironment(String value) {
        LogFormat format = value == null ? null : named(value);
        return format == null ? PLAIN : format;
    }
}
