package io.hookgateway.processors.alexa;

import com.fasterxml.jackson.core.JsonPointer;
import io.hookgateway.hooks.Chain;
import io.hookgateway.hooks.Gate;
import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.HookResponse;
import io.hookgateway.hooks.RequestValues;
import io.hookgateway.hooks.Rule;
import io.hookgateway.processors.ConfiguredProcessor;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.processors.alexa.AlexaProcessorType.Action;
import io.hookgateway.processors.alexa.AlexaProcessorType.Options;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one Alexa request: finds the action for its type and intent, runs the action's steps if it has any (as a
 * {@link Chain} of their own, timed as the hook's processors are), and renders the answer, or the failure answer when a
 * step failed, answered 400 or more, or was still running after {@code run-timeout}. The answer is always 200 with an
 * envelope Alexa can speak: a failure is something to say, not an error for Alexa to report.
 */
final class AlexaProcessor implements HookProcessor {

    private static final Logger log = LoggerFactory.getLogger(AlexaProcessor.class);

    /** The version of the response format, the only one there is. */
    static final String VERSION = "1.0";
    static final HeaderFields JSON_FIELDS = HeaderFields.of("Content-Type", "application/json;charset=UTF-8");
    /** For a session's end and events: Alexa reads nothing from the answer, which must still be one. */
    static final HookResponse EMPTY = HookResponse.of(200, JSON_FIELDS,
            "{\"version\":\"" + VERSION + "\",\"response\":{}}");

    static final JsonPointer TYPE = JsonPointer.compile("/request/type");
    static final JsonPointer INTENT = JsonPointer.compile("/request/intent/name");

    /** An action as it runs: its answers and the chain of its steps, if it has any. */
    private record Running(Action action, Chain steps) {
    }

    private final String hookName;
    private final Running launch;
    private final Map<String, Running> intents;
    private final Running unknown;
    private final Map<String, Running> builtIn = new HashMap<>();
    private final long runTimeoutMillis;
    private final ScheduledExecutorService scheduler;
    private final List<Chain> chains;

    private AlexaProcessor(String hookName, Running launch, Map<String, Running> intents, Running unknown,
                           long runTimeoutMillis, ScheduledExecutorService scheduler, List<Chain> chains) {
        this.hookName = hookName;
        this.launch = launch;
        this.intents = intents;
        this.unknown = unknown;
        this.runTimeoutMillis = runTimeoutMillis;
        this.scheduler = scheduler;
        this.chains = chains;
        AlexaProcessorType.BUILT_IN.forEach((name, answer) ->
                builtIn.put(name, new Running(Action.answering(answer), null)));
    }

    /** Builds every step of every action; on a failure, closes what was built and throws. */
    static AlexaProcessor create(Options options, ProcessorContext context) throws Exception {
        List<Chain> chains = new ArrayList<>();
        try {
            Running launch = running(options.launch(), context, chains);
            Map<String, Running> intents = new HashMap<>();
            for (Map.Entry<String, Action> intent : options.intents().entrySet()) {
                intents.put(intent.getKey(), running(intent.getValue(), context, chains));
            }
            Running unknown = new Running(Action.answering(options.unknownIntent()), null);
            return new AlexaProcessor(context.hookName(), launch, intents, unknown,
                    options.runTimeout().toMillis(), context.scheduler(), chains);
        } catch (Exception | Error e) {
            RuntimeException closing = closeAll(chains);
            if (closing != null) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private static Running running(Action action, ProcessorContext context, List<Chain> chains) throws Exception {
        if (action.run().isEmpty()) {
            return new Running(action, null);
        }
        List<Chain.Named> steps = new ArrayList<>();
        try {
            for (ConfiguredProcessor step : action.run()) {
                steps.add(new Chain.Named(step.typeName(), step.create(context)));
            }
        } catch (Exception | Error e) {
            RuntimeException closing = closeAll(steps.stream().map(Chain.Named::processor).toList());
            if (closing != null) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        // The steps' own chain: no gate (the hook's has judged the request) and no rules; a mismatch cannot happen.
        Chain chain = new Chain(context.hookName(), steps, Gate.OPEN, Rule.ALWAYS,
                request -> CompletableFuture.failedFuture(new IllegalStateException("no rules to mismatch")),
                context.meterRegistry(), context.blockingExecutor());
        chains.add(chain);
        return new Running(action, chain);
    }

    /** Steps that block (a command) make the whole answer start on the worker pool. */
    @Override
    public boolean blocking() {
        return chains.stream().anyMatch(Chain::blocking);
    }

    @Override
    public boolean readsBody() {
        return true;
    }

    @Override
    public CompletionStage<HookResponse> process(HookRequest request) {
        RequestValues values = request.values();
        values.prepare(List.of(TYPE, INTENT));
        String type = values.json(TYPE);
        if (type == null) {
            throw new HookException(400, "not an Alexa request: the body has no request.type");
        }
        String intent = values.json(INTENT);
        Running running = switch (type) {
            case "LaunchRequest" -> launch;
            case "IntentRequest" -> intents.getOrDefault(intent, builtIn.getOrDefault(intent, unknown));
            default -> null;
        };
        if (running == null) {
            return CompletableFuture.completedFuture(EMPTY);
        }
        String about = type.equals("IntentRequest") ? "intent " + intent : type;
        if (running.steps() == null) {
            return CompletableFuture.completedFuture(answer(running.action().answer(), request, about));
        }
        return runThenAnswer(running, request, about);
    }

    /**
     * Runs the steps, then answers by how they ended. Cancelling the answer (the hook's timeout) cancels the steps; so
     * does {@code run-timeout}, after which they count as failed.
     */
    private CompletableFuture<HookResponse> runThenAnswer(Running running, HookRequest request, String about) {
        CompletableFuture<HookResponse> steps;
        try {
            steps = running.steps().process(request).toCompletableFuture();
        } catch (RuntimeException e) {
            steps = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<HookResponse> run = steps;
        ScheduledFuture<?> deadline = scheduler.schedule(() -> run.cancel(true), runTimeoutMillis,
                TimeUnit.MILLISECONDS);
        CompletableFuture<HookResponse> result = new CompletableFuture<>();
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                run.cancel(true);
            }
        });
        run.whenComplete((response, error) -> {
            deadline.cancel(false);
            boolean succeeded = error == null && response != null && response.status() < 400;
            if (!succeeded) {
                logFailure(request, about, response, error);
            }
            try {
                result.complete(answer(succeeded ? running.action().answer() : running.action().failure(), request,
                        about));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private void logFailure(HookRequest request, String about, HookResponse response, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CancellationException) {
            log.warn("hook {}: request {}, {}: a step was still running after {} ms (run-timeout); answering with the "
                    + "failure speech", hookName, request.requestId(), about, runTimeoutMillis);
        } else if (cause instanceof HookException failed) {
            log.warn("hook {}: request {}, {}: a step failed with {} ({}); answering with the failure speech",
                    hookName, request.requestId(), about, failed.status(),
                    failed.logDetail() != null ? failed.logDetail() : failed.getMessage());
        } else if (cause != null) {
            log.warn("hook {}: request {}, {}: a step failed; answering with the failure speech", hookName,
                    request.requestId(), about, cause);
        } else {
            log.warn("hook {}: request {}, {}: a step answered {}; answering with the failure speech", hookName,
                    request.requestId(), about, response == null ? "nothing" : response.status());
        }
    }

    /** The answer rendered; one over Alexa's limits is replaced by a short one that says so. */
    private HookResponse answer(Answer answer, HookRequest request, String about) {
        byte[] envelope = answer.render(request);
        if (envelope == null) {
            log.warn("hook {}: request {}, {}: the answer is longer than Alexa takes ({} characters of speech, {} "
                    + "bytes in all); answering that it is too long", hookName, request.requestId(), about,
                    AlexaLimits.MAX_SPEECH_CHARS, AlexaLimits.MAX_RESPONSE_BYTES);
            envelope = Answer.TOO_LONG.render(request);
        }
        return HookResponse.of(200, JSON_FIELDS, envelope);
    }

    @Override
    public boolean drain(long deadlineNanos) {
        boolean drained = true;
        for (Chain chain : chains) {
            drained &= chain.drain(deadlineNanos);
        }
        return drained;
    }

    /** Closes every step, even after one fails to; then throws the first failure. */
    @Override
    public void close() {
        RuntimeException failure = closeAll(chains);
        if (failure != null) {
            throw failure;
        }
    }

    /** Closes each processor, even after one fails to; returns the first failure, the others suppressed in it. */
    private static RuntimeException closeAll(List<? extends HookProcessor> processors) {
        RuntimeException failure = null;
        for (HookProcessor processor : processors) {
            try {
                processor.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }
}
