package io.hookgateway.processors.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookgateway.config.Units;
import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.HookResponse;
import io.hookgateway.hooks.UrlEncoded;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.processors.template.Template;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a hook's program, in one of three ways:
 *
 * <ul>
 *   <li><b>sync</b>: answers once the program exits, with the status its exit code maps to. The hook's timeout cancels
 *       the answer, which kills the program's whole process tree.</li>
 *   <li><b>async</b>: answers 202 at once with an execution id and a {@code Location}; the run's state, exit code and
 *       (capped) output stay readable at {@code <hook path>/executions/{id}}, a resource of the hook itself.</li>
 *   <li><b>stream</b>: answers 200 at once and streams the program's output as it is written, then a last line with
 *       the exit code.</li>
 * </ul>
 *
 * <p>Starting a program forks the gateway, a blocking call, so the processor runs on the worker pool; the pipes are
 * copied by {@link CommandThreads}, never on an event loop.
 */
final class CommandProcessor implements HookProcessor {

    private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);
    private static final SecureRandom IDS = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandOptions options;
    private final String hookName;
    private final ScheduledExecutorService scheduler;
    private final CommandThreads threads;
    private final Map<String, String> inherited;
    private final AsyncRuns async;
    private final Set<Execution> live = ConcurrentHashMap.newKeySet();
    /** Lines waiting to start, by their run, for async runs that wait for a slot. */
    private final Map<Execution, CommandLine> pending = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final Map<String, Counter> exits = new ConcurrentHashMap<>();
    /** Set when the gateway stops: no queued run starts after it, and runs it kills are logged by close(). */
    private volatile boolean closing;

    CommandProcessor(CommandOptions options, ProcessorContext context) {
        this.options = options;
        this.hookName = context.hookName();
        this.scheduler = context.scheduler();
        this.threads = context.shared(CommandThreads.SHARED_KEY, CommandThreads.class, CommandThreads::new);
        this.registry = context.meterRegistry();
        // The program gets PATH and HOME from the gateway, and nothing else it did not declare.
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : new String[] {"PATH", "HOME"}) {
            String value = System.getenv(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        this.inherited = Map.copyOf(env);
        this.async = options.mode() == CommandOptions.Mode.ASYNC
                ? new AsyncRuns(options.async(), this::startQueued) : null;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public boolean readsBody() {
        return options.arguments().stream().anyMatch(Template::readsBody)
                || options.environment().values().stream().anyMatch(Template::readsBody)
                || options.stdin() != null && options.stdin().readsBody();
    }

    @Override
    public CompletionStage<HookResponse> process(HookRequest request) {
        CommandLine line = CommandLine.render(options, request, inherited);
        return switch (options.mode()) {
            case SYNC -> runSync(line);
            case ASYNC -> runAsync(line, request);
            case STREAM -> runStreamed(line);
        };
    }

    private CompletionStage<HookResponse> runSync(CommandLine line) {
        Execution execution = newExecution();
        start(execution, line, null);
        CompletableFuture<HookResponse> answer = execution.done().thenApply(this::answerFor);
        // The hook's timeout cancels the answer: stop the program rather than let it run on unwatched.
        answer.whenComplete((r, e) -> {
            if (answer.isCancelled()) {
                execution.kill(scheduler);
            }
        });
        return answer;
    }

    private CompletionStage<HookResponse> runAsync(CommandLine line, HookRequest request) {
        Execution execution = newExecution();
        // The answer is built before the run is admitted, so nothing can fail after it has started.
        String location = UrlEncoded.encodePath(request.path()) + "/executions/" + execution.id();
        ObjectNode json = JSON.createObjectNode().put("id", execution.id()).put("location", location);
        HookResponse accepted = HookResponse.of(202,
                HeaderFields.of("Content-Type", "application/json", "Location", location),
                (json.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        pending.put(execution, line);
        try {
            async.admit(execution);
        } catch (HookException full) {
            pending.remove(execution);
            throw full;
        }
        return CompletableFuture.completedFuture(accepted);
    }

    /** Starts an admitted run on a pipe thread: a slot may be freed on a thread that must not fork. */
    private void startQueued(Execution execution) {
        CommandLine line = pending.remove(execution);
        if (line == null || closing) {
            execution.cancelQueued();
            return;
        }
        threads.run(() -> {
            try {
                start(execution, line, null);
            } catch (RuntimeException e) {
                log.warn("hook '{}': run {} could not start", hookName, execution.id(), e);
            }
        });
    }

    private CompletionStage<HookResponse> runStreamed(CommandLine line) {
        Execution execution = newExecution();
        OutputPublisher stream = new OutputPublisher();
        // A streamed run belongs to its watcher: when the client goes away, the program is stopped, so that runs
        // cannot pile up beyond the hook's limits behind clients that left.
        stream.onCancel(() -> execution.kill(scheduler));
        start(execution, line, stream);
        execution.done().whenComplete((e, t) -> threads.run(() -> {
            // The last line tells the watcher how it ended; the status line went out before the program did.
            byte[] last = ("\n[exit code " + e.exitCode() + (e.state() == Execution.State.TIMED_OUT
                    ? ", timed out" : "") + "]\n").getBytes(StandardCharsets.UTF_8);
            try {
                stream.publish(last, 0, last.length, 10_000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            stream.complete();
        }));
        return CompletableFuture.completedFuture(HookResponse.streaming(200, HookResponse.TEXT_FIELDS, stream));
    }

    /** A run of this hook, counted (and, when it fails, logged) when it ends. */
    private Execution newExecution() {
        Execution execution = new Execution(newId(), options.maxOutputBytes());
        execution.done().whenComplete((e, t) -> finished(e));
        return execution;
    }

    /** Starts the program; a program that cannot start fails the request with 500 (its details go to the log). */
    private void start(Execution execution, CommandLine line, OutputPublisher stream) {
        live.add(execution);
        execution.done().whenComplete((e, t) -> live.remove(e));
        try {
            execution.start(line, options.workingDirectory(), options.output() == CommandOptions.Output.COMBINED,
                    stream, threads, scheduler, options.timeout());
        } catch (IOException e) {
            throw new IllegalStateException("hook '" + hookName + "': " + options.program() + " could not start: "
                    + e.getMessage(), e);
        }
    }

    private void finished(Execution e) {
        String code = e.started() == null ? "not-started"
                : e.state() == Execution.State.TIMED_OUT ? "timeout"
                : e.state() == Execution.State.KILLED ? "killed"
                : e.exitCode() < 0 ? "not-started" : Integer.toString(e.exitCode());
        exits.computeIfAbsent(code, c -> Counter.builder("hook.gateway.command.exits")
                .description("Command runs, by hook and exit code (timeout, killed, not-started)")
                .tags("hook", hookName, "code", c).register(registry)).increment();
        if (closing && e.state() == Execution.State.KILLED) {
            // close() has said in one line why this run ended.
            return;
        }
        if (e.state() == Execution.State.SUCCEEDED) {
            log.debug("hook '{}': run {} exited 0 after {} ms", hookName, e.id(), e.duration().toMillis());
        } else if (options.logOutput()) {
            boolean combined = options.output() == CommandOptions.Output.COMBINED;
            log.warn("hook '{}': run {} ended {} (exit code {}) after {} ms; {}: {}", hookName, e.id(),
                    e.state().name().toLowerCase(Locale.ROOT), e.exitCode(), e.duration().toMillis(),
                    combined ? "output" : "stderr", e.outputSummary(combined, 1000));
        }
    }

    private HookResponse answerFor(Execution e) {
        if (e.state() == Execution.State.TIMED_OUT) {
            throw new HookException(504, "the command did not finish within " + options.timeout().toMillis()
                    + " ms and was stopped");
        }
        int status = options.statusFor(e.exitCode());
        HeaderFields.Builder headers = HeaderFields.builder(3)
                .add("Content-Type", HookResponse.TEXT_PLAIN)
                .add("X-Exit-Code", Integer.toString(e.exitCode()));
        byte[] body;
        if (options.output() == CommandOptions.Output.NONE) {
            body = ("command exited with " + e.exitCode() + "\n").getBytes(StandardCharsets.UTF_8);
        } else {
            body = e.stdout().bytes();
            if (e.stdout().truncated()) {
                headers.add("X-Output-Truncated", "true");
            }
        }
        return HookResponse.of(status, headers.build(), body);
    }

    @Override
    public Map<String, HookProcessor> subResources() {
        if (async == null) {
            return Map.of();
        }
        // Blocking: the state holds up to two capped outputs, which are not serialized on an event loop.
        HookProcessor state = new HookProcessor() {
            @Override
            public CompletionStage<HookResponse> process(HookRequest request) {
                Execution e = async.get(request.pathVariables().get(CommandProcessorType.EXECUTION_VARIABLE));
                if (e == null) {
                    throw new HookException(404, "no run with that id; finished runs are kept for "
                            + Units.formatDuration(options.async().keep()));
                }
                return CompletableFuture.completedFuture(HookResponse.of(200,
                        HeaderFields.of("Content-Type", "application/json"), AsyncRuns.describe(e)));
            }

            @Override
            public boolean blocking() {
                return true;
            }
        };
        return Map.of(CommandProcessorType.STATE_PATH, state);
    }

    /**
     * The gateway is stopping and takes no more requests: waits for the asynchronous runs it answered 202 for, those
     * running and those queued, which still start as slots free, until the deadline. Until delivery is durable, a run
     * cut off here is lost, so {@link #close()} names each one in the log.
     */
    @Override
    public boolean drain(long deadlineNanos) {
        if (async == null) {
            return true;
        }
        List<Execution> unfinished = async.unfinished();
        if (!unfinished.isEmpty()) {
            long queued = unfinished.stream().filter(e -> e.state() == Execution.State.QUEUED).count();
            log.info("hook '{}': waiting up to {} ms for {} accepted run(s) to finish ({} running, {} queued)",
                    hookName, Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000), unfinished.size(),
                    unfinished.size() - queued, queued);
        }
        while (!unfinished.isEmpty()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                CompletableFuture.allOf(unfinished.stream().map(Execution::done).toArray(CompletableFuture[]::new))
                        .get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException e) {
                // A run's done() never fails; look again.
            }
            unfinished = async.unfinished();
        }
        return true;
    }

    /**
     * The gateway is stopping, after {@link #drain}: queued runs never start, and running ones are stopped with it,
     * SIGTERM first and SIGKILL for what is left after {@link Execution#KILL_GRACE}. Each is logged with its id. This
     * waits, because the scheduler that would otherwise send the SIGKILL is stopping too.
     */
    @Override
    public void close() {
        closing = true;
        if (async != null) {
            for (Execution e : async.unfinished()) {
                if (e.cancelQueued()) {
                    log.warn("hook '{}': run {} abandoned at shutdown: it never started (queued since {})",
                            hookName, e.id(), e.created());
                }
            }
        }
        pending.clear();
        Map<Execution, List<ProcessHandle>> signalled = new LinkedHashMap<>();
        for (Execution e : live) {
            List<ProcessHandle> tree = e.terminate();
            if (tree != null) {
                signalled.put(e, tree);
                log.warn("hook '{}': run {} abandoned at shutdown: killed while running (for {} ms)", hookName,
                        e.id(), e.duration().toMillis());
            }
        }
        long deadline = System.nanoTime() + Execution.KILL_GRACE.toNanos();
        for (Map.Entry<Execution, List<ProcessHandle>> entry : signalled.entrySet()) {
            entry.getKey().awaitExit(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            entry.getKey().forceKill(entry.getValue());
        }
    }

    private static String newId() {
        byte[] bytes = new byte[8];
        IDS.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
