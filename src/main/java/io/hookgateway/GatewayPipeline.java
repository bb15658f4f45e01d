package io.hookgateway;

import io.hookgateway.http.FixedLengthBodyAggregator;
import io.hookgateway.http.HeaderLineDecoder;
import io.hookgateway.metrics.GatewayMetrics;
import io.hookgateway.routing.HookRouter;
import io.hookgateway.routing.RouteTable;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Builds the pipeline of each connection. This is the one place the order is written down:
 *
 * <pre>
 *  socket ─▶ connections ─▶ idle ─▶ decoder ─────────▶ aggregator ──────────────▶ router ─▶ processor
 *            (count, drain)  (keep-  HeaderLineDecoder   FixedLengthBodyAggregator   HookRouter  (event loop, or
 *                            alive)  RequestHead,        FullRequest, body ≤ limit,             bounded workers)
 *                                    body slices         100-continue                  │
 *  socket ◀──────────────────────────────────────────────────────────────────────────────┘
 *            one answer per request, written by the router in request order
 * </pre>
 *
 * The hook port and the metrics port use the same stages; only the route table and the observer differ.
 */
public final class GatewayPipeline extends ChannelInitializer<Channel> {

    public static final String CONNECTIONS = "connections";
    public static final String IDLE = "idle";
    public static final String DECODER = "decoder";
    public static final String AGGREGATOR = "aggregator";
    public static final String ROUTER = "router";

    /**
     * The limits the stages are built with, taken from the configuration once.
     *
     * @param maxRequestLineBytes see {@link HeaderLineDecoder}
     * @param maxHeaderBytes see {@link HeaderLineDecoder}
     * @param maxHeaderFields see {@link HeaderLineDecoder}
     * @param defaultMaxBodyBytes the body limit of requests that match no hook
     * @param idleTimeout closes a connection with no traffic for this long
     */
    public record Limits(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderFields, long defaultMaxBodyBytes,
                         Duration idleTimeout) {
    }

    private final Limits limits;
    private final RouteTable routes;
    private final HookRouter.Settings routerSettings;
    private final ConnectionTracker tracker;

    public GatewayPipeline(Limits limits, RouteTable routes, HookRouter.Settings routerSettings,
                           ConnectionTracker tracker) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.routerSettings = Objects.requireNonNull(routerSettings, "routerSettings");
        this.tracker = Objects.requireNonNull(tracker, "tracker");
    }

    @Override
    protected void initChannel(Channel ch) {
        HeaderLineDecoder decoder =
                new HeaderLineDecoder(limits.maxRequestLineBytes(), limits.maxHeaderBytes(), limits.maxHeaderFields());
        ch.pipeline()
                .addLast(CONNECTIONS, tracker)
                .addLast(IDLE, new IdleStateHandler(0, 0, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast(DECODER, decoder)
                .addLast(AGGREGATOR, new FixedLengthBodyAggregator(routes, limits.defaultMaxBodyBytes()))
                .addLast(ROUTER, new HookRouter(routerSettings, decoder));
    }

    /** Counts connections and keeps them in a group, so that draining can reach every one. Shared by all. */
    @ChannelHandler.Sharable
    public static final class ConnectionTracker extends ChannelInboundHandlerAdapter {
        private final ChannelGroup channels;
        private final GatewayMetrics metrics;

        /** @param metrics where to count; {@code null} not to count (the metrics port) */
        public ConnectionTracker(ChannelGroup channels, GatewayMetrics metrics) {
            this.channels = Objects.requireNonNull(channels, "channels");
            this.metrics = metrics;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            channels.add(ctx.channel());
            if (metrics != null) {
                metrics.connectionOpened();
            }
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (metrics != null) {
                metrics.connectionClosed();
            }
            super.channelInactive(ctx);
        }
    }
}
