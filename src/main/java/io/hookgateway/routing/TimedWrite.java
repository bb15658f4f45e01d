package io.hookgateway.routing;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Every write of an answer goes through here: a client that never reads would otherwise hold the answer, and the
 * connection, forever.
 */
final class TimedWrite {

    private TimedWrite() {
    }

    /**
     * Writes and flushes {@code msg}, and closes the connection if the client has not taken it within
     * {@code timeout}. A write that completes at once, as a small answer into an empty socket buffer does, needs no
     * timer, so none is scheduled for it.
     */
    static ChannelFuture writeAndFlush(ChannelHandlerContext ctx, Object msg, Duration timeout) {
        ChannelFuture written = ctx.writeAndFlush(msg);
        if (!written.isDone()) {
            ScheduledFuture<?> stall = ctx.executor().schedule((Runnable) ctx::close, timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
            written.addListener(f -> stall.cancel(false));
        }
        return written;
    }
}
