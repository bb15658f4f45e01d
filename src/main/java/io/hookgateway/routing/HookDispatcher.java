package io.hookgateway.routing;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.HookResponse;
import io.hookgateway.http.FullRequest;
import io.hookgateway.http.MemoryBudget;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one hook's processor within its {@link ExecutionLimits}: at most {@code maxConcurrent} at once, at most
 * {@code maxQueued} waiting (more: 503), each answered within {@code timeout} (else 504).
 *
 * <p>The dispatcher owns each request it is given and releases it when the processor's stage completes (or, for a
 * request that never ran, when it leaves the queue). On a timeout the stage is cancelled, which completes it: a
 * processor that keeps working after being cancelled must have copied what it needs of the request, and its slot is
 * free again (the built-in processors stop their work when cancelled: a command is killed, a forward's connection
 * closed, an MQTT acknowledgement no longer awaited).
 *
 * <p>Non-blocking processors run on the thread that submits or frees the slot; blocking ones on the worker pool, and
 * so does a processor that reads a body over {@value #EVENT_LOOP_MAX_BODY_BYTES} bytes: reading that much (parsing
 * JSON, rendering a template, matching a rule) would hold up every other connection of the event loop. Such a request
 * also takes {@value #COPIES} times its body from the work memory, for the copies of it a processor makes (its bytes,
 * its text, a rendered template and that one's bytes), or gets 503; it gives it back when it is answered.
 */
public final class HookDispatcher {

    static final HookException QUEUE_FULL = new HookException(503,
            "this hook is busy; try again shortly", HeaderFields.of("Retry-After", "1"), null);
    static final HookException TIMED_OUT = new HookException(504, "the hook did not answer in time");
    static final HookException MEMORY_BUSY = new HookException(503,
            "the gateway is busy with large requests; try again shortly", HeaderFields.of("Retry-After", "1"), null);
    /** The copies of a large body a processor may make on the heap: its bytes, its text, a template, its bytes. */
    public static final int COPIES = 4;
    /** The largest body a non-blocking processor reads on an event loop: well under a millisecond of parsing. */
    public static final long EVENT_LOOP_MAX_BODY_BYTES = 64 * 1024;

    private final String hookName;
    private final HookProcessor processor;
    private final ExecutionLimits limits;
    private final Executor workers;
    private final RequestObserver.HookObserver observer;
    private final MemoryBudget workMemory;
    private final ArrayDeque<Task> queue = new ArrayDeque<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    private int running;

    public HookDispatcher(String hookName, HookProcessor processor, ExecutionLimits limits, Executor workers,
                          RequestObserver.HookObserver observer) {
        this(hookName, processor, limits, workers, observer, MemoryBudget.unlimited());
    }

    /** @param workMemory the heap large bodies may take while their processors read them */
    public HookDispatcher(String hookName, HookProcessor processor, ExecutionLimits limits, Executor workers,
                          RequestObserver.HookObserver observer, MemoryBudget workMemory) {
        this.hookName = hookName;
        this.processor = processor;
        this.limits = limits;
        this.workers = workers;
        this.observer = observer;
        this.workMemory = workMemory;
    }

    /** Requests waiting for a slot, for the queue-depth gauge. */
    public int queued() {
        return queued.get();
    }

    /** Executions under way, for the gauge. */
    public int active() {
        return active.get();
    }

    public ExecutionLimits limits() {
        return limits;
    }

    /**
     * Takes ownership of {@code request} and answers it. The returned future completes with the processor's answer,
     * or exceptionally (a {@link HookException} for 503 and 504, or the processor's own failure). Cancelling it
     * withdraws a request still waiting in the queue; work already started is left to finish, because a webhook's
     * effect (a deploy, a light) should not be cut in half by its sender hanging up.
     *
     * <p>A processor that runs on the caller's thread and answers within its call (respond, a rule that refuses)
     * costs no task, future or timer: the future returned is then the processor's own, already complete.
     */
    public CompletableFuture<HookResponse> submit(FullRequest request, EventExecutor timer) {
        Task task = null;
        synchronized (queue) {
            if (running < limits.maxConcurrent()) {
                running++;
            } else if (queue.size() < limits.maxQueued()) {
                task = new Task(request);
                queue.add(task);
                queued.incrementAndGet();
            } else {
                request.release();
                observer.processorFailed("rejected");
                return CompletableFuture.failedFuture(QUEUE_FULL);
            }
        }
        if (task != null) {
            track(task, timer);
            return task.result;
        }
        if (runsOnEventLoop(request)) {
            return runHere(request, timer);
        }
        task = new Task(request);
        start(task);
        track(task, timer);
        return task.result;
    }

    /**
     * Runs the processor on this thread, in the slot just taken. An answer ready when it returns is handed back as it
     * is, the request released and the slot given back at once; one still to come is followed as a task.
     */
    private CompletableFuture<HookResponse> runHere(FullRequest request, EventExecutor timer) {
        long deadlineNanos = System.nanoTime() + limits.timeout().toNanos();
        active.incrementAndGet();
        CompletionStage<HookResponse> stage = call(request);
        if (stage instanceof CompletableFuture<HookResponse> done && done.isDone() && !isStreaming(done)) {
            CompletableFuture<HookResponse> answer = done;
            if (System.nanoTime() - deadlineNanos > 0) {
                // Work that held the event loop past the deadline still answers 504, as in follow().
                observer.processorFailed("timeout");
                answer = CompletableFuture.failedFuture(TIMED_OUT);
            }
            try {
                request.release();
            } finally {
                active.decrementAndGet();
                freeSlot();
            }
            return answer;
        }
        Task task = new Task(request, deadlineNanos);
        task.started = true;
        follow(task, stage);
        track(task, timer);
        return task.result;
    }

    private static boolean isStreaming(CompletableFuture<HookResponse> done) {
        if (done.isCompletedExceptionally()) {
            return false;
        }
        HookResponse response = done.getNow(null);
        return response != null && response.isStreaming();
    }

    /** Whether the processor runs on the thread that starts it: it does not block, nor reads a large body. */
    private boolean runsOnEventLoop(FullRequest request) {
        return !processor.blocking() && !(request.bodyLength() > EVENT_LOOP_MAX_BODY_BYTES && processor.readsBody());
    }

    /** Stops the timer when the task's answer is settled, and starts it when that has not happened yet. */
    private void track(Task task, EventExecutor timer) {
        task.result.whenComplete((response, error) -> {
            task.cancelTimer();
            if (error instanceof CancellationException) {
                task.withdraw();
            }
        });
        if (!task.result.isDone()) {
            task.setTimer(timer.schedule(task::timedOut, task.deadlineNanos - System.nanoTime(),
                    TimeUnit.NANOSECONDS));
        }
    }

    private void start(Task task) {
        if (task.result.isDone()) {
            // Timed out or withdrawn while waiting: it never runs.
            finished(task);
            return;
        }
        active.incrementAndGet();
        task.started = true;
        if (runsOnEventLoop(task.request)) {
            invoke(task);
            return;
        }
        boolean large = task.request.bodyLength() > EVENT_LOOP_MAX_BODY_BYTES && processor.readsBody();
        if (large && !task.takeMemory()) {
            observer.processorFailed("rejected");
            task.result.completeExceptionally(MEMORY_BUSY);
            finished(task);
            return;
        }
        try {
            workers.execute(() -> invoke(task));
        } catch (RejectedExecutionException e) {
            observer.processorFailed("rejected");
            task.result.completeExceptionally(HookException.WORKERS_BUSY);
            finished(task);
        }
    }

    private void invoke(Task task) {
        if (task.result.isDone()) {
            // Timed out (504 already sent) while waiting for a worker: it must not run after its answer.
            finished(task);
            return;
        }
        follow(task, call(task.request));
    }

    /** The processor's stage for {@code request}; a failure to make one is a failed stage. */
    private CompletionStage<HookResponse> call(FullRequest request) {
        try {
            CompletionStage<HookResponse> stage = processor.process(request);
            if (stage == null) {
                return CompletableFuture.failedFuture(new NullPointerException(
                        "processor of hook '" + hookName + "' returned no stage"));
            }
            return stage;
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    }

    /** Completes the task with what its processor's stage completes with, and frees its slot then. */
    private void follow(Task task, CompletionStage<HookResponse> stage) {
        task.work = stage;
        stage.whenComplete((response, error) -> {
            if (error == null && response != null && response.isStreaming()) {
                // The work goes on while the body streams: the slot and the request are held until it ends.
                HookResponse tracked = response.withStream(new EndSignal(response.stream(), () -> finished(task)));
                if (!task.result.complete(tracked)) {
                    tracked.stream().subscribe(HookRouter.CANCEL_AT_ONCE);
                }
                return;
            }
            try {
                if (System.nanoTime() - task.deadlineNanos > 0) {
                    // Work that held its thread past the deadline (the event loop's, so the timer could not fire)
                    // still answers 504: the hook's timeout holds whatever the processor did.
                    task.timedOut();
                } else if (error != null) {
                    task.result.completeExceptionally(error);
                } else {
                    task.result.complete(response);
                }
            } finally {
                // Whatever failed above (an OutOfMemoryError in a dependent), the slot is given back and the request
                // released: a lost slot would shrink the hook's concurrency for as long as the gateway runs.
                finished(task);
            }
        });
        if (task.result.isDone() && task.timedOut) {
            task.cancelWork();
        }
    }

    /** The work of a task has ended (or will never start): release it and give its slot to the next in line. */
    private void finished(Task task) {
        task.release();
        if (task.started) {
            active.decrementAndGet();
        }
        freeSlot();
    }

    /** A slot is free: the next task in line takes it, if there is one. */
    private void freeSlot() {
        Task next;
        synchronized (queue) {
            next = queue.poll();
            if (next != null) {
                queued.decrementAndGet();
            } else {
                running--;
            }
        }
        if (next != null) {
            start(next);
        }
    }

    /** Passes a stream through and runs {@code onEnd} once, when it completes, fails or is cancelled. */
    private static final class EndSignal implements Flow.Publisher<ByteBuffer> {
        private final Flow.Publisher<ByteBuffer> inner;
        private final AtomicBoolean ended = new AtomicBoolean();
        private final Runnable onEnd;

        EndSignal(Flow.Publisher<ByteBuffer> inner, Runnable onEnd) {
            this.inner = inner;
            this.onEnd = onEnd;
        }

        private void end() {
            if (ended.compareAndSet(false, true)) {
                onEnd.run();
            }
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            inner.subscribe(new Flow.Subscriber<ByteBuffer>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscriber.onSubscribe(new Flow.Subscription() {
                        @Override
                        public void request(long n) {
                            subscription.request(n);
                        }

                        @Override
                        public void cancel() {
                            subscription.cancel();
                            end();
                        }
                    });
                }

                @Override
                public void onNext(ByteBuffer item) {
                    subscriber.onNext(item);
                }

                @Override
                public void onError(Throwable throwable) {
                    try {
                        subscriber.onError(throwable);
                    } finally {
                        end();
                    }
                }

                @Override
                public void onComplete() {
                    try {
                        subscriber.onComplete();
                    } finally {
                        end();
                    }
                }
            });
        }
    }

    private final class Task {
        final FullRequest request;
        final CompletableFuture<HookResponse> result = new CompletableFuture<>();
        /** When the answer is due: the timer says so, and so does an answer that arrives later than it. */
        final long deadlineNanos;
        private ScheduledFuture<?> timer;
        volatile CompletionStage<HookResponse> work;
        volatile boolean started;
        volatile boolean timedOut;
        private boolean released;
        /** Heap taken from the work memory, given back with the request. */
        private long memory;

        Task(FullRequest request) {
            this(request, System.nanoTime() + limits.timeout().toNanos());
        }

        Task(FullRequest request, long deadlineNanos) {
            this.request = request;
            this.deadlineNanos = deadlineNanos;
        }

        void timedOut() {
            if (result.completeExceptionally(TIMED_OUT)) {
                timedOut = true;
                observer.processorFailed("timeout");
                if (!dequeue()) {
                    cancelWork();
                }
            }
        }

        /** The client went away: a request that has not started is dropped. */
        void withdraw() {
            dequeue();
        }

        private boolean dequeue() {
            boolean removed;
            synchronized (queue) {
                removed = queue.remove(this);
                if (removed) {
                    queued.decrementAndGet();
                }
            }
            if (removed) {
                release();
            }
            return removed;
        }

        void cancelWork() {
            CompletionStage<HookResponse> w = work;
            if (w != null) {
                w.toCompletableFuture().cancel(true);
            }
        }

        synchronized void setTimer(ScheduledFuture<?> t) {
            if (result.isDone()) {
                t.cancel(false);
            } else {
                timer = t;
            }
        }

        synchronized void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        /**
         * Takes the heap this task's processor may fill with copies of its body: {@value #COPIES} times it, but no
         * more than all there is, so that a body at the largest limit can always be processed alone.
         */
        boolean takeMemory() {
            long body = request.bodyLength();
            long need = Math.min(workMemory.capacity(), body > Long.MAX_VALUE / COPIES ? Long.MAX_VALUE : body * COPIES);
            if (!workMemory.tryTake(need)) {
                return false;
            }
            memory = need;
            return true;
        }

        synchronized void release() {
            if (!released) {
                released = true;
                request.release();
                if (memory > 0) {
                    workMemory.giveBack(memory);
                    memory = 0;
                }
            }
        }
    }
}
