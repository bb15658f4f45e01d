package io.hookgateway.processors;

import io.hookgateway.config.ConfigNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/** What the gateway lends a processor it creates: shared executors and metrics, named for the hook. */
public interface ProcessorContext {

    /** The configured name of the hook. */
    String hookName();

    /** The directory of the configuration file: relative paths in options resolve against it. */
    Path configDirectory();

    /**
     * The bounded pool for blocking work. Rejects (with {@link java.util.concurrent.RejectedExecutionException}) when
     * full.
     */
    Executor blockingExecutor();

    /** A scheduler for timeouts and retries; its tasks must be short and never block. */
    ScheduledExecutorService scheduler();

    /** The registry for a processor's own meters; tag them with {@code hook}. */
    MeterRegistry meterRegistry();

    /**
     * A gateway-wide service of the given type, or {@code null} when the gateway has none. Built-in processors that
     * are network clients get the gateway's event loops this way ({@link io.hookgateway.hooks.Transport}), so that
     * the SPI itself names no Netty type.
     */
    <T> T service(Class<T> type);

    /**
     * A resource shared by every processor of this gateway under one key, such as one MQTT connection per broker:
     * created by {@code factory} on first use, and closed, if it is {@link AutoCloseable}, when the gateway stops
     * (after every processor is closed).
     */
    <T> T shared(String key, Class<T> type, Supplier<? extends T> factory);

    /** What option parsing may know: nothing that starts threads or opens sockets. */
    interface Static {

        /** The directory of the configuration file. */
        Path configDirectory();

        /** The configured name of the hook. */
        String hookName();

        /**
         * The variables of the hook's path pattern, such as {@code device} of {@code /hooks/{device}/on}; {@code null}
         * when the path itself is invalid (already reported), so that nothing is checked against it.
         */
        Set<String> pathVariables();

        /**
         * Reads a processor configured inside this one's options, {@code {type: mqtt, ...}}, as the hook's own
         * processors are read: its type, its options, and the checks made across hooks. A processor that serves
         * resources besides its hook cannot be one: they would be routed to nothing. Problems are reported on
         * {@code node}; {@code null} after reporting one.
         */
        default ConfiguredProcessor processor(ConfigNode node) {
            node.problem(null, "cannot be read here: this configuration does not let one processor run another");
            return null;
        }
    }
}
