package io.hookgateway.config;

import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.ProcessorContext;
import io.hookgateway.hooks.ProcessorType;
import io.hookgateway.hooks.Rule;
import io.hookgateway.routing.ExecutionLimits;
import io.hookgateway.routing.PathPattern;
import java.util.List;
import java.util.Set;

/**
 * One hook as configured and validated.
 *
 * @param name its name, in logs and as the {@code hook} metric tag
 * @param path its path pattern
 * @param methods the methods it takes, upper case
 * @param processors its processors with their validated options, in the order they run
 * @param guard who may call the hook and its resources ({@link Rule#ALWAYS} when anyone may); others get 403
 * @param rule its trigger rule ({@link Rule#ALWAYS} when it has none)
 * @param onMismatch what answers a request that does not satisfy the rule (a {@code respond} processor)
 * @param maxBodyBytes its body limit
 * @param accessLog whether its requests are logged
 * @param limits its concurrency, queue and timeout
 */
public record HookConfig(String name, PathPattern path, Set<String> methods, List<ProcessorSpec<?>> processors,
                         Rule guard, Rule rule, ProcessorSpec<?> onMismatch, long maxBodyBytes, boolean accessLog,
                         ExecutionLimits limits) {

    public HookConfig {
        methods = Set.copyOf(methods);
        processors = List.copyOf(processors);
        if (processors.isEmpty()) {
            throw new IllegalArgumentException("hook " + name + " has no processor");
        }
    }

    /** The first processor, the only one of most hooks. */
    public ProcessorSpec<?> processor() {
        return processors.get(0);
    }

    /** The processor types in order, e.g. {@code mqtt, respond}, for logs. */
    public String describeProcessors() {
        return String.join(" -> ", processors.stream().map(p -> p.type().name()).toList());
    }

    /** A processor type with options it validated; {@link #create} builds the processor when the gateway starts. */
    public record ProcessorSpec<O>(ProcessorType<O> type, O options) {
        public HookProcessor create(ProcessorContext context) throws Exception {
            return type.create(options, context);
        }
    }
}
