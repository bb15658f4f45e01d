package io.hookgateway.config;

import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.ProcessorContext;
import io.hookgateway.hooks.ProcessorType;
import io.hookgateway.routing.ExecutionLimits;
import io.hookgateway.routing.PathPattern;
import java.util.Set;

/**
 * One hook as configured and validated.
 *
 * @param name its name, in logs and as the {@code hook} metric tag
 * @param path its path pattern
 * @param methods the methods it takes, upper case
 * @param processor its processor type and validated options
 * @param maxBodyBytes its body limit
 * @param accessLog whether its requests are logged
 * @param limits its concurrency, queue and timeout
 */
public record HookConfig(String name, PathPattern path, Set<String> methods, ProcessorSpec<?> processor,
                         long maxBodyBytes, boolean accessLog, ExecutionLimits limits) {

    public HookConfig {
        methods = Set.copyOf(methods);
    }

    /** A processor type with options it validated; {@link #create} builds the processor when the gateway starts. */
    public record ProcessorSpec<O>(ProcessorType<O> type, O options) {
        public HookProcessor create(ProcessorContext context) throws Exception {
            return type.create(options, context);
        }
    }
}
