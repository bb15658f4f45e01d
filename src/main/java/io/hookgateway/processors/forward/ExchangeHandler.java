package io.hookgateway.processors.forward;

import io.hookgateway.config.Units;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of a pooled downstream connection: runs one {@link Exchange} at a time, collects its answer up to
 * the exchange's size limit, and hands the connection back to the pool (kept alive, or closed) before telling the
 * exchange's listener. Everything here runs on the connection's event loop.
 *
 * <p>Every message read is released here, in {@code finally}; the answer's body is copied into a byte array as it
 * arrives, so no buffer outlives the read that brought it.
 */
final class ExchangeHandler extends ChannelInboundHandlerAdapter {

    private static final byte[] NO_BODY = new byte[0];
    private static final int INITIAL_BODY_BYTES_MAX = 64 * 1024;

    private final DownstreamClient client;
    private ChannelHandlerContext ctx;
    /** Whether an exchange completed here: every later one runs on a kept-alive connection. */
    private boolean reused;

    // The exchange under way, and what has arrived of its answer.
    private Exchange exchange;
    private ScheduledFuture<?> responseTimer;
    private boolean answerStarted;
    private boolean informational;
    private boolean keepAlive;
    private int status;
    private String contentType;
    private BodyBytes body;

    ExchangeHandler(DownstreamClient client) {
        this.client = client;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Runs {@code exchange} on {@code connection}, from any thread. */
    static void start(Channel connection, Exchange exchange) {
        ExchangeHandler handler = connection.pipeline().get(ExchangeHandler.class);
        if (handler == null) {
            // Closed between leaving the pool and now: nothing was sent.
            exchange.listener().failed(exchange, new DownstreamFailure(DownstreamFailure.Kind.STALE,
                    "closed a kept-alive connection without answering"));
        } else if (connection.eventLoop().inEventLoop()) {
            handler.begin(exchange);
        } else {
            connection.eventLoop().execute(() -> handler.begin(exchange));
        }
    }

    private void begin(Exchange next) {
        Channel channel = ctx.channel();
        if (!next.attach(channel)) {
            client.release(channel, true);
            return;
        }
        exchange = next;
        answerStarted = false;
        informational = false;
        status = 0;
        contentType = null;
        body = null;
        responseTimer = ctx.executor().schedule(() -> fail(next, new DownstreamFailure(DownstreamFailure.Kind.TIMEOUT,
                        "did not answer within " + Units.formatDuration(next.responseTimeout()))),
                next.responseTimeout().toNanos(), TimeUnit.NANOSECONDS);
        if (!channel.isActive()) {
            fail(next, closedFailure());
            return;
        }
        ctx.writeAndFlush(next.newRequest()).addListener(written -> {
            if (!written.isSuccess()) {
                fail(next, closedFailure());
            }
        });
    }

    /** Cancels {@code cancelled} if it is still under way here: the connection closes, mid-answer as it may be. */
    void abort(Exchange cancelled) {
        fail(cancelled, new DownstreamFailure(DownstreamFailure.Kind.CANCELLED, "was cancelled by the hook's timeout"));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            Exchange current = exchange;
            if (current == null) {
                // Nothing was asked: a stray answer (such as a 408 on an idle connection) leaves it out of step.
                ctx.close();
                return;
            }
            if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
                fail(current, malformed(object.decoderResult().cause()));
                return;
            }
            if (msg instanceof HttpResponse response) {
                head(current, response);
            }
            if (msg instanceof HttpContent content && exchange == current) {
                content(current, content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void head(Exchange current, HttpResponse response) {
        answerStarted = true;
        int code = response.status().code();
        if (code == 101) {
            fail(current, new DownstreamFailure(DownstreamFailure.Kind.BROKEN, "switched protocols unasked"));
            return;
        }
        if (code >= 100 && code < 200) {
            // RFC 9110 §15.2: an interim answer, such as 100 Continue; the final one follows.
            informational = true;
            return;
        }
        if (code < 100 || code > 599) {
            // RFC 9110 §15: status codes run from 100 to 599, but the decoder takes any number. One below 100 would
            // reach HookResponse, which refuses it: the forward would then hang, unanswered, until the hook's timeout.
            fail(current, new DownstreamFailure(DownstreamFailure.Kind.BROKEN, "answered with status " + code));
            return;
        }
        informational = false;
        status = code;
        contentType = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
        keepAlive = HttpUtil.isKeepAlive(response);
        // A HEAD answer declares the length of a body it does not carry (RFC 9110 §9.3.2).
        long declared = current.method() == HttpMethod.HEAD ? 0 : HttpUtil.getContentLength(response, -1L);
        if (declared > current.maxResponseBytes()) {
            fail(current, tooLarge(current));
            return;
        }
        // The declared length sizes the first array, up to a point: memory follows bytes that arrive, not promises.
        body = new BodyBytes((int) Math.min(declared >= 0 ? declared : 256, INITIAL_BODY_BYTES_MAX));
    }

    private void content(Exchange current, HttpContent content) {
        if (informational) {
            informational = !(content instanceof LastHttpContent);
            return;
        }
        if (body == null) {
            return;
        }
        if (!body.append(content.content(), current.maxResponseBytes())) {
            fail(current, tooLarge(current));
            return;
        }
        if (content instanceof LastHttpContent) {
            Exchange.Answer answer = new Exchange.Answer(status, contentType,
                    current.method() == HttpMethod.HEAD ? NO_BODY : body.toArray());
            boolean reusable = keepAlive && ctx.channel().isActive();
            clear();
            reused = true;
            client.release(ctx.channel(), reusable);
            current.listener().answered(current, answer);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange current = exchange;
        if (current != null) {
            fail(current, closedFailure());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or a TLS error: on an idle connection it only ends the connection; on a busy one, the exchange too.
        Exchange current = exchange;
        if (current != null) {
            fail(current, closedFailure());
        } else {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (exchange == null) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        Exchange current = exchange;
        if (current != null) {
            fail(current, closedFailure());
        }
    }

    /** Ends {@code failed} if it is the exchange under way: the connection closes, and the listener hears why. */
    private void fail(Exchange failed, DownstreamFailure failure) {
        if (exchange != failed) {
            return;
        }
        clear();
        ctx.close();
        failed.listener().failed(failed, failure);
    }

    private void clear() {
        exchange = null;
        body = null;
        if (responseTimer != null) {
            responseTimer.cancel(false);
            responseTimer = null;
        }
    }

    /** The connection ended, or failed, before the answer was complete. */
    private DownstreamFailure closedFailure() {
        if (answerStarted) {
            return new DownstreamFailure(DownstreamFailure.Kind.BROKEN,
                    "closed the connection before the answer was complete");
        }
        return reused
                ? new DownstreamFailure(DownstreamFailure.Kind.STALE,
                        "closed a kept-alive connection without answering")
                : new DownstreamFailure(DownstreamFailure.Kind.CLOSED, "closed the connection without answering");
    }

    private DownstreamFailure malformed(Throwable cause) {
        if (cause instanceof PrematureChannelClosureException) {
            answerStarted = true;
            return closedFailure();
        }
        if (cause instanceof TooLongFrameException) {
            return new DownstreamFailure(DownstreamFailure.Kind.BROKEN, "sent an answer head that is too large");
        }
        return new DownstreamFailure(DownstreamFailure.Kind.BROKEN, "sent a malformed answer");
    }

    private static DownstreamFailure tooLarge(Exchange current) {
        return new DownstreamFailure(DownstreamFailure.Kind.TOO_LARGE, "sent an answer larger than "
                + Units.formatSize(current.maxResponseBytes()) + " (max-response-size)");
    }

    /** The answer's body as it arrives, copied out of each buffer, within a limit checked before every copy. */
    private static final class BodyBytes {
        private byte[] bytes;
        private int size;

        BodyBytes(int expected) {
            bytes = new byte[expected];
        }

        boolean append(ByteBuf content, long maxBytes) {
            int length = content.readableBytes();
            if (length > maxBytes - size) {
                return false;
            }
            if (length > bytes.length - size) {
                long grown = Math.max((long) size + length, Math.max(256, (long) bytes.length * 2));
                bytes = Arrays.copyOf(bytes, (int) Math.min(grown, maxBytes));
            }
            content.getBytes(content.readerIndex(), bytes, size, length);
            size += length;
            return true;
        }

        byte[] toArray() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }
}
