package io.hookgateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.internal.ObjectUtil;

/**
 * Holds pipelined input back while a request is with the router, for {@link HeaderLineDecoder}: bytes that arrive
 * meanwhile stay in the decoder's buffer, undecoded, and the channel keeps reading. Only a client that sends more than
 * {@link #maxHeldBytes} ahead of its answers makes it stop reading, and reading resumes when the router has answered.
 *
 * <p>Why not simply stop reading after every request: each {@code setAutoRead} is an {@code epoll_ctl} system call,
 * two per request, about a tenth of the CPU of a keep-alive connection; and almost every client sends its next request
 * only after reading the answer, so there is nothing to hold back. What a connection may hold is therefore this bound
 * plus one read (a read in progress stops as soon as auto-read is off).
 */
final class PipelineHoldBack {

    /** Bytes of later requests a connection may hold while one is answered, before it stops reading. */
    static final int DEFAULT_MAX_HELD_BYTES = 16 * 1024;

    private final int maxHeldBytes;
    private boolean stoppedReading;

    PipelineHoldBack(int maxHeldBytes) {
        this.maxHeldBytes = ObjectUtil.checkPositive(maxHeldBytes, "maxHeldBytes");
    }

    /** Input is held while a request is answered: stops reading once more than the bound is buffered. */
    void holding(ChannelHandlerContext ctx, int bufferedBytes) {
        if (!stoppedReading && bufferedBytes > maxHeldBytes) {
            stoppedReading = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** Nothing is held back any more: reads again, if reading was stopped. */
    void release(ChannelHandlerContext ctx) {
        if (stoppedReading) {
            stoppedReading = false;
            ctx.channel().config().setAutoRead(true);
        }
    }

    /**
     * Whether reading is stopped. While it is, the decoder must not let {@code ByteToMessageDecoder} ask for another
     * read after a read that decoded nothing, which it does whenever auto-read is off.
     */
    boolean stoppedReading() {
        return stoppedReading;
    }
}
