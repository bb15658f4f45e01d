package io.hookgateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Ticker;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The one deadline of a connection, for {@link HeaderLineDecoder}: waiting for a request ({@link Kind#IDLE}), for the
 * rest of its head ({@link Kind#HEAD}) or of its body ({@link Kind#BODY}), or none while the router has the request.
 *
 * <p>Setting a deadline writes two fields; it does not schedule anything. One timer per connection checks lazily, as
 * Netty's {@code IdleStateHandler} does: when it fires and the deadline has moved on, it schedules itself again for
 * what is left; when there is no deadline, it stops, and the next deadline starts it. It never waits longer than the
 * shortest of the three timeouts, so a deadline set after it was scheduled, which is at least that far away, is never
 * missed. A keep-alive connection thus costs no timer task per request, only one wake-up per shortest timeout.
 */
final class ConnectionDeadlines implements Runnable {

    /** What the connection is waiting for. */
    enum Kind { NONE, IDLE, HEAD, BODY }

    /** Told when a deadline passes; runs on the event loop. */
    interface Expiry {
        void expired(Kind kind);
    }

    private final long idleNanos;
    private final long headNanos;
    private final long bodyNanos;
    /** The longest the timer waits, so that no deadline set meanwhile can pass before it looks. */
    private final long maxWaitNanos;
    private final Expiry expiry;

    private EventExecutor executor;
    private Ticker ticker;
    private Kind kind = Kind.NONE;
    private long deadlineNanos;
    private Future<?> timer;
    private boolean stopped;

    ConnectionDeadlines(HttpLimits limits, Expiry expiry) {
        this.idleNanos = limits.idleTimeout().toNanos();
        this.headNanos = limits.headTimeout().toNanos();
        this.bodyNanos = limits.bodyTimeout().toNanos();
        this.maxWaitNanos = Math.min(idleNanos, Math.min(headNanos, bodyNanos));
        this.expiry = Objects.requireNonNull(expiry, "expiry");
    }

    /** From now on deadlines run on the connection's event loop, by its clock. */
    void start(ChannelHandlerContext ctx) {
        if (executor == null) {
            executor = ctx.executor();
            ticker = executor instanceof AbstractScheduledEventExecutor scheduled
                    ? scheduled.ticker() : Ticker.systemTicker();
        }
    }

    /** Sets the deadline: {@code next}'s timeout from now; {@link Kind#NONE} for none. */
    void set(Kind next) {
        kind = next;
        if (next == Kind.NONE || executor == null || stopped) {
            return;
        }
        long timeout = switch (next) {
            case IDLE -> idleNanos;
            case HEAD -> headNanos;
            case BODY -> bodyNanos;
            case NONE -> throw new AssertionError();
        };
        deadlineNanos = ticker.nanoTime() + timeout;
        if (timer == null) {
            schedule(timeout);
        }
    }

    /** What the connection waits for now. */
    Kind kind() {
        return kind;
    }

    /** The connection has closed or the decoder left it: no deadline will run again. */
    void stop() {
        stopped = true;
        kind = Kind.NONE;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void run() {
        timer = null;
        if (kind == Kind.NONE || stopped) {
            return;
        }
        long left = deadlineNanos - ticker.nanoTime();
        if (left > 0) {
            schedule(left);
            return;
        }
        Kind passed = kind;
        kind = Kind.NONE;
        expiry.expired(passed);
    }

    private void schedule(long nanos) {
        timer = executor.schedule(this, Math.min(nanos, maxWaitNanos), TimeUnit.NANOSECONDS);
    }
}
