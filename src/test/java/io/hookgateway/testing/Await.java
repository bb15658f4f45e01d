package io.hookgateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Waiting in tests without blind sleeps: poll a condition until a deadline, or watch a socket stay quiet. */
public final class Await {

    private static final long POLL_MILLIS = 10;

    private Await() {
    }

    /**
     * Polls {@code condition} until it is true, failing with {@code what} once {@code timeout} has passed. An exception
     * from the condition counts as "not yet" until the deadline, when it becomes the failure's cause; an
     * {@link AssertionError} from it fails at once.
     */
    public static void until(Duration timeout, String what, Callable<Boolean> condition) throws InterruptedException {
        until(timeout, () -> what, condition);
    }

    /** As {@link #until(Duration, String, Callable)}, with the description made only on failure (e.g. with output). */
    public static void until(Duration timeout, Supplier<String> what, Callable<Boolean> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
                last = null;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not true within " + timeout.toMillis() + " ms: " + what.get(), last);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /**
     * Whether nothing at all (no byte, no end of stream) arrives on the connection for {@code quiet}. Reads at most one
     * byte, so it is meant for moments when nothing may arrive; a byte or a close returns false.
     */
    public static boolean silentFor(RawHttp client, Duration quiet) throws IOException {
        int previous = client.socket().getSoTimeout();
        client.setTimeoutMillis((int) quiet.toMillis());
        try {
            InputStream in = client.socket().getInputStream();
            in.read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            client.setTimeoutMillis(previous);
        }
    }
}
