package io.hookgateway.hooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * What runs when a hook is called: its gate (auth and guard), its trigger rules, then its processors in order. A
 * request the gate refuses gets 401 or 403; one that does not satisfy the rules gets the hook's mismatch answer; neither
 * runs anything.
 * Otherwise each processor runs after the one before has answered; the first failure, or answer of 400 or more, stops
 * the chain and is the answer; else the last processor's answer is.
 *
 * <p>A chain blocks if its gate or any of its processors does, and then starts on the worker pool; a blocking step that follows
 * a step which completed later (on an event loop, say) is moved back to the worker pool. Each step is timed
 * as {@code hook_gateway_processor_seconds{hook, processor, outcome}} ({@link StepTotals}), a series registered when
 * first recorded; when the registry takes no meters (metrics disabled) the chain stops reading the clock. The
 * resources its processors serve besides the hook are not the chain's: the gateway routes them from each processor
 * and the paths its type declared.
 */
public final class Chain implements HookProcessor {

    /** One processor of the chain and its meters. */
    private record Step(String type, HookProcessor processor, OnFirstUse<StepTotals> ok, OnFirstUse<StepTotals> failed) {
    }

    /**
     * A meter registered when first used, so that a hook's series appear with its traffic, not at the start (a
     * thousand hooks would expose thousands of zeros). Two threads may both register it: the registry hands both the
     * same meter. A null (a registry that takes no meters) is asked for again on the next use.
     */
    private static final class OnFirstUse<M> {
        private final Supplier<M> register;
        private volatile M meter;

        OnFirstUse(Supplier<M> register) {
            this.register = register;
        }

        M get() {
            M m = meter;
            if (m == null) {
                m = register.get();
                meter = m;
            }
            return m;
        }
    }

    private final Gate gate;
    private final Rule rule;
    private final HookProcessor onMismatch;
    private final Step[] steps;
    private final OnFirstUse<Counter> mismatches;
    private final boolean blocking;
    private final boolean readsBody;
    private final Executor workers;
    /**
     * Whether steps are timed: cleared when the registry turns out to take no meters, so that disabled metrics cost
     * no clock reads. Plain: a thread that still sees true only asks the registry once more.
     */
    private boolean timed = true;

    /**
     * @param processors the processors with their type names, in order
     * @param gate who may call the hook, what of it is not judged from the head ({@link Gate#afterHead()})
     * @param rule the trigger rule ({@link Rule#ALWAYS} for none)
     * @param onMismatch what answers a request that does not satisfy the rule
     */
    public Chain(String hookName, List<Named> processors, Gate gate, Rule rule, HookProcessor onMismatch,
                 MeterRegistry registry, Executor workers) {
        if (processors.isEmpty()) {
            throw new IllegalArgumentException("a chain needs at least one processor");
        }
        this.gate = gate;
        this.rule = rule;
        this.onMismatch = onMismatch;
        this.workers = workers;
        this.steps = new Step[processors.size()];
        boolean anyBlocking = gate.blocking();
        for (int i = 0; i < steps.length; i++) {
            Named named = processors.get(i);
            steps[i] = new Step(named.type(), named.processor(), totals(registry, hookName, named.type(), "ok"),
                    totals(registry, hookName, named.type(), "failed"));
            anyBlocking |= named.processor().blocking();
        }
        this.blocking = anyBlocking;
        boolean anyReadsBody = gate.readsBody() || rule.readsBody() || onMismatch.readsBody();
        for (Step step : steps) {
            anyReadsBody |= step.processor().readsBody();
        }
        this.readsBody = anyReadsBody;
        this.mismatches = new OnFirstUse<>(() -> Counter.builder("hook.gateway.rule.mismatches")
                .description("Requests that did not satisfy their hook's trigger rules, so ran nothing")
                .tag("hook", hookName).register(registry));
    }

    /**
     * A hook's own resource (an async run's state) behind the hook's gate: whoever may not call the hook may not
     * read what it did either. The hook's rules do not apply, since they judge what a delivery contains.
     */
    public static HookProcessor guarded(Gate gate, HookProcessor resource) {
        if (gate.isOpen()) {
            return resource;
        }
        return new HookProcessor() {
            @Override
            public CompletionStage<HookResponse> process(HookRequest request) {
                HookException refusal = gate.refusal(request);
                if (refusal != null) {
                    throw refusal;
                }
                return resource.process(request);
            }

            @Override
            public boolean blocking() {
                return gate.blocking() || resource.blocking();
            }

            @Override
            public boolean readsBody() {
                return gate.readsBody() || resource.readsBody();
            }
        };
    }

    /** A processor with the name of its type. */
    public record Named(String type, HookProcessor processor) {
    }

    private static OnFirstUse<StepTotals> totals(MeterRegistry registry, String hook, String type, String outcome) {
        return new OnFirstUse<>(() -> StepTotals.of(registry, hook, type, outcome));
    }

    @Override
    public boolean blocking() {
        return blocking;
    }

    /** Whether the gate, the rules, a step or the mismatch answer reads the body. */
    @Override
    public boolean readsBody() {
        return readsBody;
    }

    @Override
    public CompletionStage<HookResponse> process(HookRequest request) {
        HookException refusal = gate.refusal(request);
        if (refusal != null) {
            throw refusal;
        }
        if (!rule.matches(request)) {
            mismatches.get().increment();
            return onMismatch.process(request);
        }
        return run(0, request);
    }

    /**
     * Runs from step {@code first}. Steps that complete at once are chained in a loop, without a future each; from
     * the first step that does not, the rest follows from its completion. Cancelling the returned stage (a timeout)
     * cancels the step under way, so a processor that can stop its work is told to.
     */
    private CompletionStage<HookResponse> run(int first, HookRequest request) {
        for (int i = first; ; i++) {
            Step step = steps[i];
            boolean last = i == steps.length - 1;
            long start = timed ? System.nanoTime() : 0L;
            CompletableFuture<HookResponse> future = invoke(step, request);
            if (future.isDone()) {
                HookResponse response = future.isCompletedExceptionally() ? null : future.join();
                record(step, start, response);
                if (response == null || response.status() >= 400 || last) {
                    return future;
                }
                continue;
            }
            int next = i + 1;
            CompletableFuture<HookResponse> result = new CompletableFuture<>();
            cancelWith(result, future);
            future.whenComplete((response, error) -> {
                record(step, start, error == null ? response : null);
                if (error != null) {
                    result.completeExceptionally(error);
                } else if (response == null || response.status() >= 400 || last) {
                    result.complete(response);
                } else {
                    CompletableFuture<HookResponse> rest = continueAt(next, request);
                    cancelWith(result, rest);
                    relay(rest, result);
                }
            });
            return result;
        }
    }

    /**
     * Runs the rest of the chain after a step that completed later, on whatever thread completed it (an event loop,
     * a process reaper): a blocking step must not run there, so it goes to the worker pool.
     */
    private CompletableFuture<HookResponse> continueAt(int next, HookRequest request) {
        if (!steps[next].processor().blocking()) {
            return run(next, request).toCompletableFuture();
        }
        CompletableFuture<HookResponse> rest = new CompletableFuture<>();
        try {
            workers.execute(() -> relay(run(next, request), rest));
        } catch (RejectedExecutionException e) {
            rest.completeExceptionally(HookException.WORKERS_BUSY);
        }
        return rest;
    }

    /** When {@code outer} is cancelled (a timeout), so is the work it waits for. */
    private static void cancelWith(CompletableFuture<HookResponse> outer, CompletableFuture<HookResponse> inner) {
        outer.whenComplete((r, e) -> {
            if (outer.isCancelled()) {
                inner.cancel(true);
            }
        });
    }

    /** Completes {@code to} as {@code from} completes. */
    private static void relay(CompletionStage<HookResponse> from, CompletableFuture<HookResponse> to) {
        from.whenComplete((r, e) -> {
            if (e != null) {
                to.completeExceptionally(e);
            } else {
                to.complete(r);
            }
        });
    }

    private static CompletableFuture<HookResponse> invoke(Step step, HookRequest request) {
        try {
            CompletionStage<HookResponse> stage = step.processor().process(request);
            return stage != null ? stage.toCompletableFuture()
                    : CompletableFuture.failedFuture(new NullPointerException(
                            "processor '" + step.type() + "' returned no stage"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Records a step's time: a response under 400 is a success; a failure or a 4xx/5xx is not. */
    private void record(Step step, long start, HookResponse response) {
        if (!timed) {
            return;
        }
        long elapsed = System.nanoTime() - start;
        boolean ok = response != null && response.status() < 400;
        StepTotals totals = (ok ? step.ok() : step.failed()).get();
        if (totals == null) {
            timed = false;
        } else {
            totals.add(elapsed);
        }
    }

    /** Drains every processor of the chain within the one deadline. */
    @Override
    public boolean drain(long deadlineNanos) {
        boolean drained = true;
        for (Step step : steps) {
            drained &= step.processor().drain(deadlineNanos);
        }
        return drained;
    }

    /** Closes every processor, even after one fails to; then throws the first failure, for the gateway to log. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (Step step : steps) {
            failure = closeQuietly(step.processor(), failure);
        }
        failure = closeQuietly(onMismatch, failure);
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException closeQuietly(HookProcessor processor, RuntimeException failure) {
        try {
            processor.close();
        } catch (RuntimeException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
        }
        return failure;
    }
}
