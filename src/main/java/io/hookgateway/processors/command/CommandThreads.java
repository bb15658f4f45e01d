package io.hookgateway.processors.command;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that copy programs' pipes (stdin in, stdout and stderr out), shared by every command hook of a gateway
 * and stopped with it. Pipe copies block, so they need threads of their own; there are at most three per running
 * program, and running programs are bounded by each hook's limits.
 */
final class CommandThreads implements AutoCloseable {

    static final String SHARED_KEY = CommandThreads.class.getName();

    private final ExecutorService pipes;
    private final AtomicInteger count = new AtomicInteger();

    CommandThreads() {
        this.pipes = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "command-pipe-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void run(Runnable task) {
        pipes.execute(task);
    }

    @Override
    public void close() {
        pipes.shutdownNow();
        try {
            pipes.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
