package io.hookgateway.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Sits before the {@link io.netty.handler.ssl.SslHandler} of a TLS listener's connection and looks at the first byte
 * the client sends. A TLS connection starts with a handshake record (content type 22, RFC 8446 §5.1): this handler
 * then removes itself and the bytes go on to the {@code SslHandler}. A connection that starts with a letter is plain
 * HTTP sent to the TLS port, as {@code curl http://host:8443/} does: it gets a {@code 400} in plain text that says to
 * use {@code https://}, rather than a closed connection that says nothing. Anything else is closed.
 *
 * <p>The answer is followed by the end of our side of the connection; what the client still sends (a body) is read and
 * dropped, up to {@value #MAX_DISCARDED_BYTES} bytes and {@value #LINGER_MILLIS} ms, so the client reads the answer
 * rather than a reset.
 */
public final class PlainHttpRefusal extends ChannelInboundHandlerAdapter {

    /** RFC 8446 §5.1: ContentType handshake(22), the first byte of every TLS (and SSL 3) ClientHello record. */
    private static final int HANDSHAKE_RECORD = 22;
    static final int MAX_DISCARDED_BYTES = 64 * 1024;
    static final int LINGER_MILLIS = 1000;
    private static final String BODY = "this port speaks TLS: send the request to https:// instead of http://\n";
    private static final ByteBuf ANSWER = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer((
            "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                    + BODY.length() + "\r\nConnection: close\r\n\r\n" + BODY).getBytes(StandardCharsets.US_ASCII))
            .asReadOnly());

    private final HandshakeFailures failures;
    private boolean refused;
    private long discarded;

    public PlainHttpRefusal(HandshakeFailures failures) {
        this.failures = failures;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (refused) {
            discarded += in.readableBytes();
            in.release();
            if (discarded > MAX_DISCARDED_BYTES) {
                ctx.close();
            }
            return;
        }
        if (!in.isReadable()) {
            in.release();
            return;
        }
        int first = in.getUnsignedByte(in.readerIndex());
        if (first == HANDSHAKE_RECORD) {
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(in);
            return;
        }
        refused = true;
        discarded = in.readableBytes();
        in.release();
        // Request methods are upper-case letters (RFC 9110 §9.1 registers no other).
        boolean http = first >= 'A' && first <= 'Z';
        failures.failed(ctx.channel(), http ? HandshakeFailures.Reason.PLAIN_HTTP : HandshakeFailures.Reason.NOT_TLS,
                null);
        if (!http) {
            ctx.close();
            return;
        }
        ctx.writeAndFlush(ANSWER.retainedDuplicate()).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess() || !(ctx.channel() instanceof DuplexChannel duplex)) {
                ctx.close();
                return;
            }
            duplex.shutdownOutput().addListener(shut -> ctx.executor().schedule((Runnable) ctx::close,
                    LINGER_MILLIS, TimeUnit.MILLISECONDS));
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (refused && evt instanceof ChannelInputShutdownEvent) {
            // The client has sent all it will: nothing is left to drop.
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }
}
