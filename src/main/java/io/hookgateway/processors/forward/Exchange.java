package io.hookgateway.processors.forward;

import io.hookgateway.hooks.HeaderFields;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

/**
 * One attempt of a forward on one pooled connection: the request to write, the limits of its answer, and who hears the
 * outcome. The {@link ExchangeHandler} of the connection runs it; {@link #cancel()} may come from any thread.
 */
final class Exchange {

    /** Hears how the attempt ended, on the connection's event loop. Exactly one of the two is called. */
    interface Listener {
        void answered(Exchange exchange, Answer answer);

        void failed(Exchange exchange, DownstreamFailure failure);
    }

    /** A complete final answer (status 200..599). {@code contentType} is {@code null} when none was sent. */
    record Answer(int status, String contentType, byte[] body) {
    }

    private final HttpMethod method;
    private final String requestTarget;
    private final HeaderFields headers;
    private final byte[] body;
    private final Duration responseTimeout;
    private final long maxResponseBytes;
    private final Listener listener;
    private volatile Channel channel;
    private volatile boolean cancelled;

    /**
     * @param headers every field to send, {@code Host} included; {@code Content-Length} is added here
     * @param body shared between attempts, never changed
     */
    Exchange(HttpMethod method, String requestTarget, HeaderFields headers, byte[] body, Duration responseTimeout,
             long maxResponseBytes, Listener listener) {
        this.method = method;
        this.requestTarget = requestTarget;
        this.headers = headers;
        this.body = body;
        this.responseTimeout = responseTimeout;
        this.maxResponseBytes = maxResponseBytes;
        this.listener = listener;
    }

    HttpMethod method() {
        return method;
    }

    Duration responseTimeout() {
        return responseTimeout;
    }

    long maxResponseBytes() {
        return maxResponseBytes;
    }

    Listener listener() {
        return listener;
    }

    /** A new request for one write: the codec releases it once written (or failed). */
    FullHttpRequest newRequest() {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, requestTarget,
                body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        HttpHeaders fields = request.headers();
        headers.forEach(fields::add);
        // RFC 9110 §8.6: a request with content, or of a method that expects some, says its length.
        if (body.length > 0 || method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
            HttpUtil.setContentLength(request, body.length);
        }
        return request;
    }

    /**
     * Binds the exchange to the connection it runs on. Returns false when it was cancelled first: then nothing is
     * sent. Written before {@link #cancel()} reads it, and read after it writes {@code cancelled}, so that a cancel
     * racing with the start is seen by one side or the other.
     */
    boolean attach(Channel connection) {
        channel = connection;
        return !cancelled;
    }

    /** Stops the attempt: its connection is closed, since an answer may be on its way. */
    void cancel() {
        cancelled = true;
        Channel connection = channel;
        if (connection == null) {
            return;
        }
        try {
            connection.eventLoop().execute(() -> {
                ExchangeHandler handler = connection.pipeline().get(ExchangeHandler.class);
                if (handler != null) {
                    handler.abort(this);
                }
            });
        } catch (RejectedExecutionException e) {
            // The event loops are stopping, and close every connection as they go.
        }
    }
}
