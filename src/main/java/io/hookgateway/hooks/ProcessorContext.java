package io.hookgateway.hooks;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** What the gateway lends a processor it creates: shared executors and metrics, named for the hook. */
public interface ProcessorContext {

    /** The configured name of the hook. */
    String hookName();

    /** The directory of the configuration file: relative paths in options resolve against it. */
    Path configDirectory();

    /** The bounded pool for blocking work. Rejects (with {@link java.util.concurrent.RejectedExecutionException}) when full. */
    Executor blockingExecutor();

    /** A scheduler for timeouts and retries; its tasks must be short and never block. */
    ScheduledExecutorService scheduler();

    /** The registry for a processor's own meters; tag them with {@code hook}. */
    MeterRegistry meterRegistry();

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
        java.util.Set<String> pathVariables();
    }
}
