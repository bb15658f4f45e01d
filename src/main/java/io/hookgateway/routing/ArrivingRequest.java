package io.hookgateway.routing;

import io.hookgateway.http.RequestHead;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Remembers the request a connection is still receiving: its head, once read, and how much of its body has come. It
 * sits between the decoder and the aggregator, passes everything on, and is read by the {@link HookRouter} of the same
 * connection only when the drain timeout cuts the connection off: a client whose request has begun is told it will
 * not be served (503), in the access log under its method, path and hook, rather than left with a bare close.
 *
 * <p>The router {@linkplain #clear() clears} it when the request reaches it, whole or refused: from then on the
 * request is the router's.
 */
public final class ArrivingRequest extends ChannelInboundHandlerAdapter {

    private final Supplier<RouteTable> routes;
    private RequestHead head;
    private long bodyBytes;

    /** @param routes the port's routes, to name the hook of a request cut off while it arrives */
    public ArrivingRequest(RouteTable routes) {
        this(constant(Objects.requireNonNull(routes, "routes")));
    }

    /** @param routes the port's routes as they are now (a reload replaces them) */
    public ArrivingRequest(Supplier<RouteTable> routes) {
        this.routes = Objects.requireNonNull(routes, "routes");
    }

    private static Supplier<RouteTable> constant(RouteTable routes) {
        return () -> routes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof RequestHead requestHead) {
            head = requestHead;
            bodyBytes = 0;
        } else if (msg instanceof HttpContent content && head != null) {
            bodyBytes += content.content().readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    /** The head of the request being received, or {@code null} when none has been read since the last request. */
    RequestHead head() {
        return head;
    }

    /** The body bytes of that request received so far. */
    long bodyBytes() {
        return bodyBytes;
    }

    /** Where that request was going; resolved only when asked, since only the cut-off asks. */
    RouteMatch match() {
        return head == null ? null : routes.get().resolve(head);
    }

    /** The request has reached the router. */
    void clear() {
        head = null;
        bodyBytes = 0;
    }

    /** What a log may show of {@code path}, which no hook of the port's routes as they are now takes. */
    public String loggedUnmatchedPath(String path) {
        return routes.get().loggedUnmatchedPath(path);
    }
}
