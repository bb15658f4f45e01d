package io.hookgateway.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.HookResponse;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.processors.ProcessorType;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Processor types that exist only in tests, so that end-to-end tests can make a hook fail, block, be slow, or show
 * what it received. They are registered through {@code src/test/resources/META-INF/services} and read their options
 * through {@link ConfigNode} like the built-in types, so a misspelt option fails the test's configuration.
 *
 * <table>
 *   <caption>Types</caption>
 *   <tr><td>{@code test-fail}</td><td>fails with a plain exception: thrown, as a failed stage, as a {@code null}
 *       stage or as a stage completed with {@code null} ({@code mode}); or with an {@link Error} that cannot be
 *       logged, as memory running out makes of any failure</td></tr>
 *   <tr><td>{@code test-fail-status}</td><td>fails with a {@link HookException} of a configured status, message and
 *       header fields</td></tr>
 *   <tr><td>{@code test-latch}</td><td>blocks a worker thread on a named {@link Gate} until the test lets it pass
 *       (bounded by {@code timeout}); with {@code on-event-loop: true}, the event loop itself, as a processor that
 *       wrongly blocks would</td></tr>
 *   <tr><td>{@code test-slow}</td><td>does not block, but completes its stage after {@code delay}</td></tr>
 *   <tr><td>{@code test-echo}</td><td>answers with JSON describing the request it was given</td></tr>
 *   <tr><td>{@code test-resources}</td><td>declares some resources besides its hook and serves others, to see
 *       the gateway route what the type declared</td></tr>
 * </table>
 * Every type counts its calls per hook ({@link #invocations(String)}).
 */
public final class TestProcessors {

    private static final Map<String, AtomicInteger> INVOCATIONS = new ConcurrentHashMap<>();
    private static final Map<String, Gate> GATES = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestProcessors() {
    }

    /** How many times a test processor of this hook has been called since the last {@link #reset()}. */
    public static int invocations(String hookName) {
        AtomicInteger count = INVOCATIONS.get(hookName);
        return count == null ? 0 : count.get();
    }

    /** Forgets the call counts and opens then drops every gate, so nothing from an earlier test stays blocked. */
    public static void reset() {
        INVOCATIONS.clear();
        GATES.values().forEach(Gate::open);
        GATES.clear();
    }

    /** The gate of this name, made on first use. {@code test-latch} hooks name theirs with {@code gate:}. */
    public static Gate gate(String name) {
        return GATES.computeIfAbsent(name, n -> new Gate());
    }

    private static void counted(String hookName) {
        INVOCATIONS.computeIfAbsent(hookName, n -> new AtomicInteger()).incrementAndGet();
    }

    /** Where {@code test-latch} processors wait: the test sees them arrive and decides when they pass. */
    public static final class Gate {
        private static final int OPEN = 1_000_000;
        private final Semaphore arrivals = new Semaphore(0);
        private final Semaphore passes = new Semaphore(0);

        /** Waits until {@code count} processors have arrived at the gate (and not yet been counted by this call). */
        public boolean awaitArrivals(int count, Duration timeout) throws InterruptedException {
            return arrivals.tryAcquire(count, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Lets {@code count} waiting (or future) processors pass. */
        public void release(int count) {
            passes.release(count);
        }

        /** Lets every processor pass, now and later. */
        public void open() {
            passes.release(OPEN);
        }

        boolean pass(Duration timeout) throws InterruptedException {
            arrivals.release();
            return passes.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /**
     * {@code test-fail}: {@code mode} is {@code throw} (default), {@code failed-stage}, {@code null-stage},
     * {@code null-response} or {@code unloggable} (a stage failed with an {@link Unloggable}). With
     * {@code blocking: true} it runs on the worker pool.
     */
    public static final class Fail implements ProcessorType<Fail.Options> {

        private static final List<String> MODES =
                List.of("throw", "failed-stage", "null-stage", "null-response", "unloggable");

        /**
         * @param mode how the failure is delivered
         * @param message the exception's message
         * @param blocking whether it runs on the worker pool
         */
        public record Options(String mode, String message, boolean blocking) {
        }

        @Override
        public String name() {
            return "test-fail";
        }

        @Override
        public Options parseOptions(ConfigNode node, ProcessorContext.Static context) {
            String mode = node.string("mode", "throw");
            if (!MODES.contains(mode)) {
                node.problem("mode", "must be one of " + MODES);
            }
            String message = node.string("message", "test processor failure");
            boolean blocking = node.bool("blocking", false);
            node.finish();
            return new Options(mode, message, blocking);
        }

        @Override
        public HookProcessor create(Options options, ProcessorContext context) {
            String hook = context.hookName();
            return new HookProcessor() {
                @Override
                public CompletionStage<HookResponse> process(HookRequest request) {
                    counted(hook);
                    return switch (options.mode()) {
                        case "failed-stage" ->
                                CompletableFuture.failedFuture(new IllegalStateException(options.message()));
                        case "null-stage" -> null;
                        case "null-response" -> CompletableFuture.completedFuture(null);
                        case "unloggable" -> CompletableFuture.failedFuture(new Unloggable(options.message()));
                        default -> throw new IllegalStateException(options.message());
                    };
                }

                @Override
                public boolean blocking() {
                    return options.blocking();
                }
            };
        }
    }

    /**
     * What running out of memory throws, where it is thrown: a {@link VirtualMachineError} like
     * {@link OutOfMemoryError}, but not one the test runner takes for its own death.
     */
    public static final class NoMemoryLeft extends VirtualMachineError {

        public NoMemoryLeft(String where) {
            super("test: no memory left " + where);
        }
    }

    /**
     * A failure that cannot be logged, as any failure becomes when memory has run out: logback reads the stack trace
     * of each throwable it logs, and reading this one throws {@link NoMemoryLeft}.
     */
    public static final class Unloggable extends Error {

        public Unloggable(String message) {
            super(message);
        }

        @Override
        public StackTraceElement[] getStackTrace() {
            throw new NoMemoryLeft("to log " + getMessage());
        }
    }

    /**
     * {@code test-fail-status}: fails with {@code HookException(status, message, headers)}; with {@code async: true}
     * it fails the stage instead of throwing.
     */
    public static final class FailStatus implements ProcessorType<FailStatus.Options> {

        /** The failure to raise. */
        public record Options(int status, String message, Map<String, String> headers, boolean async) {
        }

        @Override
        public String name() {
            return "test-fail-status";
        }

        @Override
        public Options parseOptions(ConfigNode node, ProcessorContext.Static context) {
            int status = node.integer("status", 500, 400, 599);
            String message = node.string("message", "refused by test processor");
            Map<String, String> headers = node.stringMap("headers");
            boolean async = node.bool("async", false);
            node.finish();
            return new Options(status, message, headers, async);
        }

        @Override
        public HookProcessor create(Options options, ProcessorContext context) {
            String hook = context.hookName();
            HeaderFields.Builder b = HeaderFields.builder(options.headers().size());
            options.headers().forEach(b::add);
            HeaderFields headers = b.build();
            return request -> {
                counted(hook);
                HookException failure = new HookException(options.status(), options.message(), headers, null);
                if (options.async()) {
                    return CompletableFuture.failedFuture(failure);
                }
                throw failure;
            };
        }
    }

    /**
     * {@code test-latch}: a blocking processor (run on the worker pool) that waits at the {@link Gate} named by
     * {@code gate} for at most {@code timeout} (default 10s), then answers 200 {@code passed <gate>}; 504 when the
     * timeout passed first, 503 when interrupted. With {@code on-event-loop: true} it says it does not block, so it
     * waits on the event loop, and every connection of that loop waits with it.
     */
    public static final class Latch implements ProcessorType<Latch.Options> {

        /** Which gate, how long to wait at it, and whether to wait on the event loop rather than a worker. */
        public record Options(String gate, Duration timeout, boolean onEventLoop) {
        }

        @Override
        public String name() {
            return "test-latch";
        }

        @Override
        public Options parseOptions(ConfigNode node, ProcessorContext.Static context) {
            String gate = node.requiredString("gate", "name the gate the test controls");
            Duration timeout = node.duration("timeout", Duration.ofSeconds(10), Duration.ZERO, Duration.ofMinutes(1));
            boolean onEventLoop = node.bool("on-event-loop", false);
            node.finish();
            return new Options(gate, timeout, onEventLoop);
        }

        @Override
        public HookProcessor create(Options options, ProcessorContext context) {
            String hook = context.hookName();
            return new HookProcessor() {
                @Override
                public CompletionStage<HookResponse> process(HookRequest request) {
                    counted(hook);
                    try {
                        if (!gate(options.gate()).pass(options.timeout())) {
                            throw new HookException(504, "gate " + options.gate() + " stayed closed");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new HookException(503, "interrupted at gate " + options.gate());
                    }
                    return CompletableFuture.completedFuture(HookResponse.text(200, "passed " + options.gate() + "\n"));
                }

                @Override
                public boolean blocking() {
                    return !options.onEventLoop();
                }
            };
        }
    }

    /**
     * {@code test-slow}: does not block; completes its stage with 200 {@code slow} after {@code delay}, from the
     * gateway's scheduler.
     */
    public static final class Slow implements ProcessorType<Duration> {

        @Override
        public String name() {
            return "test-slow";
        }

        @Override
        public Duration parseOptions(ConfigNode node, ProcessorContext.Static context) {
            Duration delay = node.duration("delay", Duration.ofMillis(200), Duration.ZERO, Duration.ofSeconds(30));
            node.finish();
            return delay;
        }

        @Override
        public HookProcessor create(Duration delay, ProcessorContext context) {
            String hook = context.hookName();
            ScheduledExecutorService scheduler = context.scheduler();
            return request -> {
                counted(hook);
                CompletableFuture<HookResponse> answer = new CompletableFuture<>();
                scheduler.schedule(() -> answer.complete(HookResponse.text(200, "slow\n")),
                        delay.toMillis(), TimeUnit.MILLISECONDS);
                return answer;
            };
        }
    }

    /**
     * {@code test-echo}: answers 200 with a JSON object of what it received: {@code hook}, {@code method},
     * {@code path}, {@code rawTarget}, {@code version}, {@code pathVariables}, {@code query}, {@code headers} (a list
     * of [name, value] pairs in order), {@code bodyLength}, {@code body} (as text) and {@code bodyBase64}. With
     * {@code blocking: true} it runs on the worker pool.
     */
    public static final class Echo implements ProcessorType<Boolean> {

        @Override
        public String name() {
            return "test-echo";
        }

        @Override
        public Boolean parseOptions(ConfigNode node, ProcessorContext.Static context) {
            boolean blocking = node.bool("blocking", false);
            node.finish();
            return blocking;
        }

        @Override
        public HookProcessor create(Boolean blocking, ProcessorContext context) {
            String hook = context.hookName();
            return new HookProcessor() {
                @Override
                public CompletionStage<HookResponse> process(HookRequest request) {
                    counted(hook);
                    return CompletableFuture.completedFuture(HookResponse.of(200,
                            HeaderFields.of("Content-Type", "application/json"), describe(request)));
                }

                @Override
                public boolean blocking() {
                    return blocking;
                }
            };
        }

        private static byte[] describe(HookRequest request) {
            ObjectNode root = JSON.createObjectNode();
            root.put("hook", request.hookName());
            root.put("method", request.method());
            root.put("path", request.path());
            root.put("rawTarget", request.rawTarget());
            root.put("version", request.protocolVersion());
            root.set("pathVariables", JSON.valueToTree(new TreeMap<>(request.pathVariables())));
            root.set("query", JSON.valueToTree(new TreeMap<>(request.queryParameters())));
            ArrayNode headers = root.putArray("headers");
            request.headers().forEach((name, value) -> headers.addArray().add(name).add(value));
            byte[] body = request.bodyBytes();
            root.put("bodyLength", request.bodyLength());
            root.put("body", request.bodyText());
            root.put("bodyBase64", Base64.getEncoder().encodeToString(body));
            root.put("thread", Thread.currentThread().getName().toLowerCase(Locale.ROOT));
            try {
                return JSON.writeValueAsBytes(root);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * {@code test-resources}: its type declares the resources {@code declares} ({@link ProcessorType#subResourcePaths})
     * and its processor serves {@code serves} ({@link HookProcessor#subResources()}), by default the same. The hook
     * answers {@code hook}; a resource answers {@code resource <path> <variables>}. Each processor closed is counted
     * as a call of the hook named {@code <hook>/closed}.
     */
    public static final class Resources implements ProcessorType<Resources.Options> {

        /** The paths the type declares and the paths its processor serves. */
        public record Options(List<String> declares, List<String> serves) {
        }

        @Override
        public String name() {
            return "test-resources";
        }

        @Override
        public Options parseOptions(ConfigNode node, ProcessorContext.Static context) {
            List<String> declares = node.strings("declares", List.of());
            List<String> serves = node.strings("serves", declares);
            node.finish();
            return new Options(declares, serves);
        }

        @Override
        public List<String> subResourcePaths(Options options) {
            return options.declares();
        }

        @Override
        public HookProcessor create(Options options, ProcessorContext context) {
            String hook = context.hookName();
            Map<String, HookProcessor> resources = new TreeMap<>();
            for (String path : options.serves()) {
                resources.put(path, request -> CompletableFuture.completedFuture(HookResponse.text(200,
                        "resource " + path + " " + new TreeMap<>(request.pathVariables()) + "\n")));
            }
            return new HookProcessor() {
                @Override
                public CompletionStage<HookResponse> process(HookRequest request) {
                    counted(hook);
                    return CompletableFuture.completedFuture(HookResponse.text(200, "hook\n"));
                }

                @Override
                public Map<String, HookProcessor> subResources() {
                    return resources;
                }

                @Override
                public void close() {
                    counted(hook + "/closed");
                }
            };
        }
    }
}
