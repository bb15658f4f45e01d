package io.hookgateway.loader;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookgateway.clients.ClientRules;
import io.hookgateway.clients.RateLimits;
import io.hookgateway.hooks.Authenticator;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.Rule;
import io.hookgateway.processors.ConfiguredProcessor;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.processors.ProcessorType;
import io.hookgateway.routing.ExecutionLimits;
import io.hookgateway.routing.PathPattern;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One hook as configured and validated.
 *
 * @param name its name, in logs and as the {@code hook} metric tag
 * @param path its path pattern
 * @param methods the methods it takes, upper case
 * @param processors its processors with their validated options, in the order they run
 * @param auth how a caller proves who it is ({@link Authenticator#NONE} when anyone may call); others get 401 or 403
 * @param hidden whether a request without credentials is answered as a path without a hook (only with an auth)
 * @param guard who may call the hook and its resources ({@link Rule#ALWAYS} when anyone may); others get 403
 * @param rule its trigger rule ({@link Rule#ALWAYS} when it has none)
 * @param onMismatch what answers a request that does not satisfy the rule (a {@code respond} processor)
 * @param maxBodyBytes its body limit
 * @param accessLog whether its requests are logged
 * @param limits its concurrency, queue and timeout
 * @param clients the client addresses it serves, besides the port's own rules
 * @param rateLimit its rate limits: its own, or the server's default
 * @param written the hook's mapping as written, environment variables and secret files filled in: what tells, on a
 *                reload, whether the hook changed ({@link #sameAs})
 */
public record HookConfig(String name, PathPattern path, Set<String> methods, List<ProcessorSpec<?>> processors,
                         Authenticator auth, boolean hidden, Rule guard, Rule rule, ProcessorSpec<?> onMismatch,
                         long maxBodyBytes, boolean accessLog, ExecutionLimits limits, ClientRules clients,
                         RateLimits rateLimit, Written written) {

    public HookConfig {
        methods = Set.copyOf(methods);
        processors = List.copyOf(processors);
        if (processors.isEmpty()) {
            throw new IllegalArgumentException("hook " + name + " has no processor");
        }
    }

    /**
     * Whether {@code other} is this hook configured again unchanged: written the same, with the same defaults from
     * {@code server} (body limit, access log, rate limits). A reload keeps such a hook as it runs, its processors'
     * state (an MQTT connection, a replay cache, a rate limit's buckets) included. The built options are not compared:
     * a template or an auth holds no value that tells two equal ones apart, and the text they were built from does.
     */
    public boolean sameAs(HookConfig other) {
        return other != null && written.equals(other.written) && maxBodyBytes == other.maxBodyBytes
                && accessLog == other.accessLog && rateLimit.equals(other.rateLimit);
    }

    /**
     * A hook's mapping as written, compared whole; it may hold secrets (filled in from the environment), so it never
     * prints them.
     */
    public static final class Written {
        private final JsonNode mapping;

        Written(JsonNode mapping) {
            this.mapping = mapping.deepCopy();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Written other && mapping.equals(other.mapping);
        }

        @Override
        public int hashCode() {
            return mapping.hashCode();
        }

        @Override
        public String toString() {
            return "<hook mapping>";
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
    public record ProcessorSpec<O>(ProcessorType<O> type, O options) implements ConfiguredProcessor {
        @Override
        public String typeName() {
            return type.name();
        }

        @Override
        public HookProcessor create(ProcessorContext context) throws Exception {
            return type.create(options, context);
        }

        /**
         * The resources {@code processor}, built from this spec, serves besides its hook, at the paths the type
         * declared for these options ({@link ProcessorType#subResourcePaths}) and in that order. Those paths are what
         * the configuration checked against every other route when it loaded; the processor only lends the handlers.
         * A processor that serves another set of paths would start with routes {@code --check} never saw, or promise
         * one it does not serve, so that is refused.
         *
         * @throws IllegalStateException naming the processor type and the hook, when the two sets differ
         */
        public Map<String, HookProcessor> resourcesOf(HookProcessor processor, String hookName) {
            List<String> declared = type.subResourcePaths(options);
            Map<String, HookProcessor> served = processor.subResources();
            if (!served.keySet().equals(Set.copyOf(declared))) {
                throw new IllegalStateException("processor type '" + type.name() + "' of hook " + hookName
                        + " declared the resources " + declared + " (subResourcePaths) but its processor serves "
                        + new TreeSet<>(served.keySet()) + " (subResources); the type must declare exactly what "
                        + "its processors serve");
            }
            Map<String, HookProcessor> resources = new LinkedHashMap<>();
            declared.forEach(path -> resources.put(path, served.get(path)));
            return resources;
        }
    }
}
