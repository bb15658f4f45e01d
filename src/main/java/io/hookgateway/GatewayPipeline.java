package io.hookgateway;

import io.hookgateway.http.BodyBudget;
import io.hookgateway.http.ClientAdmission;
import io.hookgateway.http.FixedLengthBodyAggregator;
import io.hookgateway.http.MemoryBudget;
import io.hookgateway.http.HeaderLineDecoder;
import io.hookgateway.http.HttpLimits;
import io.hookgateway.metrics.GatewayMetrics;
import io.hookgateway.routing.ArrivingRequest;
import io.hookgateway.routing.HookRouter;
import io.hookgateway.routing.RouteTable;
import io.hookgateway.routing.Routes;
import io.hookgateway.tls.PlainHttpRefusal;
import io.hookgateway.tls.ServerTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.AttributeKey;
import io.netty.util.internal.ObjectUtil;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Builds the pipeline of each connection. This is the one place the order is written down:
 *
 * <pre>
 *  socket ─▶ connections ─▶ decoder ──────────▶ arriving ───▶ aggregator ──────────────────▶ router ─────▶ processor
 *            count, cap,    HeaderLineDecoder   the head      FixedLengthBodyAggregator      HookRouter    on the event
 *            drain          RequestHead + body  and body      FullRequest, body ≤ limit      hook by path  loop, or the
 *                           slices; deadlines   bytes of      and body memory; from the      and method    worker pool
 *                                               the request   head: who the client is                      if it blocks
 *                                               still coming  (trusted proxies), its                       or its body
 *                                               (cut-off)     address rules, rate limits,                  is large
 *                                                             auth and guard; 100-continue
 *  socket ◀───────────────────────────────────────────────────────────────────────────────────────┘
 *            one answer per request, written by the router in request order
 * </pre>
 *
 * The hook port and the metrics port use the same stages; only the route table and the observer differ. The aggregator
 * reads the hook port's routes ({@link Routes}) once for each request, when its head arrives: a configuration reload
 * replaces them for the next request of every connection, and a request already routed finishes on the hook it found. The metrics
 * port, which closes its longest-idle connection to let a new one in, also has an {@code input} stage before the
 * decoder that tells the router when the client sends, so that answers to pipelined requests, which may sit unread,
 * do not make a connection look busy ({@link HookRouter#watchInput()}).
 *
 * <p>A TLS listener of the hook port has three stages more, between the count and the decoder, which then reads the
 * decrypted bytes:
 *
 * <pre>
 *  socket ─▶ connections ─▶ plain-http ─────────▶ tls ─────────────────────▶ handshake ──────────▶ decoder ─▶ ...
 *                           PlainHttpRefusal      SslHandler of the context   HandshakeFailures
 *                           first byte not TLS:   current when the            counts and logs failed
 *                           400 if it is HTTP,    connection opened; its      handshakes; keeps their
 *                           else closed; then     handshake timeout           exceptions from the router
 *                           removes itself
 * </pre>
 *
 * The decoder's idle deadline runs from the connection's start, through the handshake.
 */
public final class GatewayPipeline extends ChannelInitializer<Channel> {

    public static final String CONNECTIONS = "connections";
    public static final String INPUT = "input";
    public static final String PLAIN_HTTP = "plain-http";
    public static final String TLS = "tls";
    public static final String HANDSHAKE = "handshake";
    public static final String DECODER = "decoder";
    public static final String ARRIVING = "arriving";
    public static final String AGGREGATOR = "aggregator";
    public static final String ROUTER = "router";

    private final HttpLimits limits;
    private final Supplier<Routes> routes;
    private final HookRouter.Settings routerSettings;
    private final ConnectionTracker tracker;
    private final BodyBudget bodyBudget;
    private final MemoryBudget headBudget;
    private final ServerTls tls;

    public GatewayPipeline(HttpLimits limits, RouteTable routes, HookRouter.Settings routerSettings,
                           ConnectionTracker tracker, BodyBudget bodyBudget) {
        this(limits, routes, routerSettings, tracker, bodyBudget, MemoryBudget.unlimited(), ClientAdmission.EVERYONE,
                null);
    }

    /**
     * @param headBudget the memory heads arriving slowly may hold, across the connections of every port
     * @param clients who sent each request, and whether the port serves them
     * @param tls what a TLS listener serves; {@code null} for plain HTTP
     */
    public GatewayPipeline(HttpLimits limits, RouteTable routes, HookRouter.Settings routerSettings,
                           ConnectionTracker tracker, BodyBudget bodyBudget, MemoryBudget headBudget,
                           ClientAdmission clients, ServerTls tls) {
        this(limits, fixed(new Routes(routes, clients)), routerSettings, tracker, bodyBudget, headBudget, tls);
    }

    /**
     * @param routes the port's routes and client admission as they are now: read once for each request, so that a
     *               configuration reload applies to the next request of every connection, open or new
     */
    public GatewayPipeline(HttpLimits limits, Supplier<Routes> routes, HookRouter.Settings routerSettings,
                           ConnectionTracker tracker, BodyBudget bodyBudget, MemoryBudget headBudget, ServerTls tls) {
        this.tls = tls;
        this.headBudget = Objects.requireNonNull(headBudget, "headBudget");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.routerSettings = Objects.requireNonNull(routerSettings, "routerSettings");
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.bodyBudget = Objects.requireNonNull(bodyBudget, "bodyBudget");
    }

    private static Supplier<Routes> fixed(Routes routes) {
        return () -> routes;
    }

    @Override
    protected void initChannel(Channel ch) {
        HeaderLineDecoder decoder = new HeaderLineDecoder(limits, headBudget);
        ArrivingRequest arriving = new ArrivingRequest(() -> routes.get().table());
        HookRouter router = new HookRouter(routerSettings, decoder, arriving);
        ch.pipeline().addLast(CONNECTIONS, tracker);
        if (tls != null) {
            ch.pipeline()
                    .addLast(PLAIN_HTTP, new PlainHttpRefusal(tls.handshakeFailures()))
                    .addLast(TLS, tls.newHandler(ch))
                    .addLast(HANDSHAKE, tls.handshakeFailures());
        }
        if (routerSettings.trackIdle()) {
            ch.pipeline().addLast(INPUT, router.watchInput());
        }
        ch.pipeline()
                .addLast(DECODER, decoder)
                .addLast(ARRIVING, arriving)
                .addLast(AGGREGATOR, new FixedLengthBodyAggregator(routes, limits.defaultMaxBodyBytes(), bodyBudget))
                .addLast(ROUTER, router);
    }

    /**
     * Counts connections, caps them, and keeps them in a group so that draining can reach every one. One instance is
     * shared by all connections of a port; what happens to a connection beyond the cap is the port's {@link Overflow}.
     */
    @ChannelHandler.Sharable
    public static final class ConnectionTracker extends ChannelInboundHandlerAdapter {
        private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("hook-gateway.counted");

        /** What makes room when a port has as many connections as it may. */
        public enum Overflow {
            /** The new connection is closed at once: the cap keeps file descriptors for the connections at work. */
            REFUSE_NEW,
            /**
             * The connection idle the longest ({@link HookRouter#idleSinceNanos()}) is closed to let the new one in,
             * so idle or dripping connections can never keep a new one out, from whatever address they come (on
             * loopback every client has the same one, the probe included). A connection whose answers may sit unread
             * (it pipelined its requests, and need not read) counts as idle since the last answer to a request it sent
             * after the answer before, however many answers to its pipelined ones follow. Only a connection with a
             * processor at work for it is never closed; when all are, the new one is.
             */
            CLOSE_LONGEST_IDLE
        }

        private final ChannelGroup channels;
        private final GatewayMetrics metrics;
        private final int maxConnections;
        private final Overflow overflow;
        private final AtomicInteger open = new AtomicInteger();

        /**
         * @param metrics where to count; {@code null} not to count (the metrics port)
         * @param maxConnections connections beyond this many make room as {@code overflow} says
         */
        public ConnectionTracker(ChannelGroup channels, GatewayMetrics metrics, int maxConnections,
                                 Overflow overflow) {
            this.channels = Objects.requireNonNull(channels, "channels");
            this.metrics = metrics;
            this.maxConnections = ObjectUtil.checkPositive(maxConnections, "maxConnections");
            this.overflow = Objects.requireNonNull(overflow, "overflow");
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            if (open.incrementAndGet() > maxConnections
                    && (overflow == Overflow.REFUSE_NEW || !closeLongestIdle())) {
                open.decrementAndGet();
                if (metrics != null) {
                    metrics.connectionRejected();
                }
                ctx.close();
                return;
            }
            ctx.channel().attr(COUNTED).set(Boolean.TRUE);
            channels.add(ctx.channel());
            if (metrics != null) {
                metrics.connectionOpened();
            }
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            uncount(ctx.channel());
            super.channelInactive(ctx);
        }

        /** Gives back the count of a connection, once; false when it was given back already. */
        private boolean uncount(Channel channel) {
            if (channel.attr(COUNTED).getAndSet(null) == null) {
                return false;
            }
            open.decrementAndGet();
            if (metrics != null) {
                metrics.connectionClosed();
            }
            return true;
        }

        /**
         * Closes the counted connection idle the longest, so that a new one can have its count. False when every
         * connection has a processor at work. A scan of the group: the cap that calls for it is small.
         */
        private boolean closeLongestIdle() {
            while (true) {
                Channel longestIdle = null;
                long oldest = 0;
                for (Channel channel : channels) {
                    if (channel.attr(COUNTED).get() == null) {
                        continue;
                    }
                    HookRouter router = (HookRouter) channel.pipeline().get(ROUTER);
                    if (router == null) {
                        // Its pipeline is being taken apart: it is closing anyway, and goes first.
                        longestIdle = channel;
                        break;
                    }
                    long idleSince = router.idleSinceNanos();
                    // nanoTime values are compared by their difference, which survives a wrap-around.
                    if (idleSince != HookRouter.BUSY && (longestIdle == null || idleSince - oldest < 0)) {
                        longestIdle = channel;
                        oldest = idleSince;
                    }
                }
                if (longestIdle == null) {
                    return false;
                }
                // Another newcomer, on another event loop, may have picked the same one: only one gets its count.
                if (uncount(longestIdle)) {
                    longestIdle.close();
                    return true;
                }
            }
        }
    }
}
