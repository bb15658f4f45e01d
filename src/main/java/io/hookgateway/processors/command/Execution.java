package io.hookgateway.processors.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * One run of a program: started from a {@link CommandLine}, its pipes copied by {@link CommandThreads}, its output kept
 * in {@link CappedOutput}s (and, for a streamed hook, published as it comes), and its whole process tree killed when
 * it must stop. {@link #done()} completes once the program has exited and both pipes are drained.
 */
final class Execution {

    /** How long a program gets between SIGTERM and SIGKILL. */
    static final Duration KILL_GRACE = Duration.ofSeconds(2);
    /** How long a pipe copy waits for a streaming client to ask for more before it only drains. */
    private static final long STREAM_WAIT_MILLIS = 60_000;

    /** Where a run is in its life; the last four are final. */
    enum State { QUEUED, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, KILLED }

    private final String id;
    private final Instant created = Instant.now();
    private final CappedOutput stdout;
    private final CappedOutput stderr;
    private final CompletableFuture<Execution> done = new CompletableFuture<>();
    private final AtomicBoolean killed = new AtomicBoolean();
    private volatile State state = State.QUEUED;
    private volatile Instant started;
    private volatile Instant finished;
    private volatile int exitCode = -1;
    private volatile boolean timedOut;
    private volatile Process process;

    Execution(String id, long maxOutputBytes) {
        this.id = id;
        this.stdout = new CappedOutput(maxOutputBytes);
        this.stderr = new CappedOutput(maxOutputBytes);
    }

    /**
     * Starts the program, unless the run was withdrawn while it waited ({@link #cancelQueued}); returns whether it
     * started. Output goes to the capped buffers, and stdout (or both streams, when {@code combined}) to
     * {@code stream} too when it is not null. Throws {@link IOException} when the program cannot be started.
     */
    boolean start(CommandLine line, Path workingDirectory, boolean combined, OutputPublisher stream,
                  CommandThreads threads, ScheduledExecutorService scheduler, Duration timeout) throws IOException {
        synchronized (this) {
            if (state != State.QUEUED) {
                return false;
            }
            state = State.RUNNING;
            started = Instant.now();
        }
        ProcessBuilder builder = new ProcessBuilder(line.argv()).directory(workingDirectory.toFile());
        builder.environment().clear();
        builder.environment().putAll(line.environment());
        builder.redirectErrorStream(combined);
        if (line.stdin() == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p;
        try {
            p = builder.start();
        } catch (IOException e) {
            finish(State.FAILED);
            throw e;
        }
        process = p;
        if (killed.get()) {
            // Stopped while it was being started (the gateway closing): terminate() found no process to signal.
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        if (line.stdin() != null) {
            threads.run(() -> feed(p.getOutputStream(), line.stdin()));
        }
        CompletableFuture<Void> outDone = new CompletableFuture<>();
        threads.run(() -> copy(p.getInputStream(), stdout, stream, outDone));
        CompletableFuture<Void> errDone = new CompletableFuture<>();
        if (combined) {
            errDone.complete(null);
        } else {
            threads.run(() -> copy(p.getErrorStream(), stderr, null, errDone));
        }
        if (timeout != null) {
            var timer = scheduler.schedule(() -> {
                timedOut = true;
                kill(scheduler);
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            done.whenComplete((e, t) -> timer.cancel(false));
        }
        // A program may leave a background child holding its pipes open after it exits; the answer does not wait
        // for that child beyond a short grace (its output is still drained, just no longer awaited).
        p.onExit().thenRun(() -> scheduler.schedule(() -> {
            outDone.complete(null);
            errDone.complete(null);
        }, KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS));
        CompletableFuture.allOf(p.onExit(), outDone, errDone).whenComplete((v, t) -> {
            exitCode = p.exitValue();
            finish(timedOut ? State.TIMED_OUT : killed.get() ? State.KILLED
                    : exitCode == 0 ? State.SUCCEEDED : State.FAILED);
        });
        return true;
    }

    private void finish(State finalState) {
        finished = Instant.now();
        state = finalState;
        done.complete(this);
    }

    private static void feed(OutputStream in, byte[] data) {
        try (OutputStream stdin = in) {
            stdin.write(data);
        } catch (IOException e) {
            // The program closed its input without reading it all; that is its business.
        }
    }

    private void copy(InputStream pipe, CappedOutput kept, OutputPublisher stream,
                      CompletableFuture<Void> doneCopying) {
        byte[] buffer = new byte[8192];
        boolean streaming = stream != null;
        try (InputStream in = pipe) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                kept.append(buffer, 0, n);
                if (streaming && n > 0 && !stream.publish(buffer, 0, n, STREAM_WAIT_MILLIS)) {
                    streaming = false;
                    if (!stream.isCancelled()) {
                        // The client took nothing for a minute: end its body short rather than with a silent gap.
                        stream.fail(new TimeoutException("the client stopped reading"));
                    }
                }
            }
        } catch (IOException e) {
            // The pipe closed under us because the process was killed; what was read is kept.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            doneCopying.complete(null);
        }
    }

    /**
     * Stops the program and everything it started: SIGTERM to the whole tree, then SIGKILL, after
     * {@link #KILL_GRACE}, to whatever is left, descendants collected again then so that children forked meanwhile
     * (by a TERM trap, say) go too.
     */
    void kill(ScheduledExecutorService scheduler) {
        List<ProcessHandle> tree = terminate();
        if (tree != null) {
            scheduler.schedule(() -> forceKill(tree), KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * SIGTERM to the tree; returns what was signalled, or {@code null} when the run was already being killed. A run
     * that is starting but has no process yet is killed by {@link #start} as soon as it has one (an empty list here).
     */
    List<ProcessHandle> terminate() {
        if (!killed.compareAndSet(false, true)) {
            return null;
        }
        Process p = process;
        if (p == null) {
            return List.of();
        }
        List<ProcessHandle> tree = p.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        p.destroy();
        return tree;
    }

    /** SIGKILL to whatever of the tree is still alive, and to descendants that appeared since. */
    void forceKill(List<ProcessHandle> signalled) {
        Process p = process;
        if (p == null) {
            return;
        }
        Stream.concat(signalled.stream(), p.descendants())
                .filter(ProcessHandle::isAlive)
                .forEach(ProcessHandle::destroyForcibly);
        if (p.isAlive()) {
            p.destroyForcibly();
        }
    }

    /** Waits up to {@code timeout} for the program to exit; true when it has. */
    boolean awaitExit(Duration timeout) {
        Process p = process;
        if (p == null) {
            return true;
        }
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Withdraws a run that has not started (the gateway stopping); returns whether it was still waiting. */
    boolean cancelQueued() {
        synchronized (this) {
            if (state != State.QUEUED) {
                return false;
            }
            // Under the lock that start() checks, so a withdrawn run can never start after all.
            state = State.KILLED;
        }
        killed.set(true);
        finish(State.KILLED);
        return true;
    }

    String id() {
        return id;
    }

    State state() {
        return state;
    }

    boolean isFinished() {
        return done.isDone();
    }

    CompletableFuture<Execution> done() {
        return done;
    }

    int exitCode() {
        return exitCode;
    }

    CappedOutput stdout() {
        return stdout;
    }

    CappedOutput stderr() {
        return stderr;
    }

    Instant created() {
        return created;
    }

    Instant started() {
        return started;
    }

    Instant finished() {
        return finished;
    }

    Duration duration() {
        Instant s = started;
        Instant f = finished;
        return s == null ? Duration.ZERO : Duration.between(s, f != null ? f : Instant.now());
    }

    /** The start of stderr (or of the combined output), on one line, for a log line. */
    String outputSummary(boolean combined, int maxChars) {
        String text = (combined ? stdout : stderr).text().strip();
        if (text.length() > maxChars) {
            text = text.substring(0, maxChars) + "...";
        }
        return text.isEmpty() ? "(nothing)" : text.replace("\n", " | ");
    }
}
