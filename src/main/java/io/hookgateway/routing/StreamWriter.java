package io.hookgateway.routing;

import io.hookgateway.http.HttpResponses;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.function.BiConsumer;

/**
 * Writes a streamed body to the connection as the processor publishes it: one buffer at a time, asking for the next
 * only when the previous is written and the channel is writable again, so a slow reader slows the publisher instead
 * of filling the gateway's memory. Chunked for HTTP/1.1 (RFC 9112 §7.1); raw until close for HTTP/1.0.
 *
 * <p>Every signal is handled on the channel's event loop, whichever thread the publisher calls from.
 */
final class StreamWriter implements Flow.Subscriber<ByteBuffer> {

    private final ChannelHandlerContext ctx;
    private final boolean chunked;
    private final Duration writeTimeout;
    private final BiConsumer<Boolean, Long> done;
    private Flow.Subscription subscription;
    private boolean waitingForWritability;
    private boolean finished;
    private long bytes;

    /**
     * @param done called once, on the event loop, with whether the body ended normally and how many body bytes were
     *             written
     */
    StreamWriter(ChannelHandlerContext ctx, boolean chunked, Duration writeTimeout, BiConsumer<Boolean, Long> done) {
        this.ctx = ctx;
        this.chunked = chunked;
        this.writeTimeout = writeTimeout;
        this.done = done;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        ctx.executor().execute(() -> {
            subscription = s;
            if (finished) {
                s.cancel();
            } else {
                requestNext();
            }
        });
    }

    @Override
    public void onNext(ByteBuffer item) {
        ctx.executor().execute(() -> write(item));
    }

    @Override
    public void onError(Throwable throwable) {
        // The status is already sent; all a client can be told is that the body is cut short: close without the
        // last chunk.
        ctx.executor().execute(() -> finish(false));
    }

    @Override
    public void onComplete() {
        ctx.executor().execute(() -> {
            if (finished) {
                return;
            }
            if (!chunked) {
                finish(true);
                return;
            }
            TimedWrite.writeAndFlush(ctx, HttpResponses.lastChunk(), writeTimeout)
                    .addListener((ChannelFuture f) -> finish(f.isSuccess()));
        });
    }

    /** The channel became writable again (the router forwards the event). */
    void writabilityChanged() {
        if (waitingForWritability && ctx.channel().isWritable()) {
            waitingForWritability = false;
            requestNext();
        }
    }

    /** The connection closed under the stream. */
    void connectionClosed() {
        finish(false);
    }

    private void write(ByteBuffer item) {
        if (finished) {
            return;
        }
        if (!item.hasRemaining()) {
            // An empty chunk would end the body (RFC 9112 §7.1): skip it.
            requestNext();
            return;
        }
        int size = item.remaining();
        ByteBuf out = chunked ? HttpResponses.encodeChunk(ctx.alloc(), item)
                : ctx.alloc().buffer(size).writeBytes(item);
        TimedWrite.writeAndFlush(ctx, out, writeTimeout).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                finish(false);
                return;
            }
            bytes += size;
            requestNext();
        });
    }

    private void requestNext() {
        if (finished || subscription == null) {
            return;
        }
        if (ctx.channel().isWritable()) {
            subscription.request(1);
        } else {
            waitingForWritability = true;
        }
    }

    private void finish(boolean ok) {
        if (finished) {
            return;
        }
        finished = true;
        if (subscription != null && !ok) {
            subscription.cancel();
        }
        done.accept(ok, bytes);
    }
}
