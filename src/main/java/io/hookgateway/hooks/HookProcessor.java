package io.hookgateway.hooks;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Does the work of one hook: gets the complete request, answers with a {@link HookResponse}.
 *
 * <p>A processor knows nothing of Netty. Non-blocking processors are called on an event loop and must return at once;
 * a processor whose work blocks (a child process, a file, a synchronous client) says so with {@link #blocking()} and is
 * then called on the gateway's bounded worker pool instead. Either way the returned stage may complete on any thread.
 *
 * <p>A stage that fails with {@link HookException} answers with that exception's status and public message; any other
 * failure answers 500 with a short error id, and the details go to the log under that id.
 */
public interface HookProcessor extends AutoCloseable {

    CompletionStage<HookResponse> process(HookRequest request);

    /** Whether {@link #process} may block; if so the gateway calls it off the event loop. */
    default boolean blocking() {
        return false;
    }

    /**
     * Whether {@link #process} reads the request's body (a template over it, its bytes passed on). One that does not
     * answers a request with a large body without the body ever being read, copied or moved off the event loop.
     */
    default boolean readsBody() {
        return true;
    }

    /**
     * Further resources of the hook, answered by this processor's helpers: paths relative to the hook's path (such as
     * {@code /executions/{execution}} for the state of an asynchronous command), each answering GET. They are routed
     * as part of the hook, under its name, so whatever guards the hook guards them too. The keys must be exactly the
     * paths {@link io.hookgateway.processors.ProcessorType#subResourcePaths} declared for this processor's options:
     * those are the routes, and the gateway refuses to start when the two differ.
     */
    default Map<String, HookProcessor> subResources() {
        return Map.of();
    }

    /**
     * The gateway is stopping and takes no more requests: waits, until {@code deadlineNanos} (a {@link System#nanoTime}
     * value) at the latest, for work this processor accepted but has not finished, such as an asynchronous command's
     * running and queued runs, whose senders were told it would happen. Returns true when none is left. Called once,
     * before {@link #close()}, which stops whatever is still going (and says so in the log).
     */
    default boolean drain(long deadlineNanos) {
        return true;
    }

    /** Releases what the processor holds (connections, threads); called once when the gateway stops. */
    @Override
    default void close() {
    }
}
