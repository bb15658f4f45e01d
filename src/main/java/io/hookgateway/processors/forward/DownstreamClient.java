package io.hookgateway.processors.forward;

import io.hookgateway.hooks.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The HTTP/1.1 client of every {@code forward} hook of one gateway (shared through
 * {@link io.hookgateway.processors.ProcessorContext#shared}): a pool of kept-alive connections per downstream, opened
 * on the gateway's own event loops, so two hooks that forward to one device share its connections.
 *
 * <p>Each connection's pipeline, outbound to the left:
 * <pre>
 *  socket ◀─▶ tls (SslHandler, https only) ◀─▶ codec (HttpClientCodec) ◀─▶ idle (IdleStateHandler) ◀─▶ exchange
 * </pre>
 *
 * <table>
 *   <caption>Bounds</caption>
 *   <tr><td>connections per pool</td><td>the hook's {@code max-connections}</td></tr>
 *   <tr><td>requests waiting for a connection, per pool</td>
 *       <td>{@value #MAX_WAITING_PER_POOL}; more answer 503</td></tr>
 *   <tr><td>pools (downstreams in use at once)</td><td>{@value #MAX_POOLS}; more answer 503</td></tr>
 *   <tr><td>idle connection</td><td>closed after {@link #IDLE_TIMEOUT}</td></tr>
 *   <tr><td>answer's status line, header fields</td><td>{@value #MAX_STATUS_LINE_BYTES},
 *       {@value #MAX_HEADER_BYTES} bytes</td></tr>
 * </table>
 *
 * <p>Pool state is small and touched briefly, by callers on any thread and by connection callbacks, so one lock guards
 * all of it; nothing is connected, completed or closed while it is held. Host names are looked up with the JDK's
 * resolver, which blocks, so on the gateway's worker pool; IP addresses need no lookup.
 */
final class DownstreamClient implements AutoCloseable {

    /** The key of {@link io.hookgateway.processors.ProcessorContext#shared}. */
    static final String SHARED_KEY = DownstreamClient.class.getName();
    /** An idle connection is closed after this long: the downstream would soon close it itself. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_WAITING_PER_POOL = 256;
    static final int MAX_POOLS = 256;
    static final int MAX_STATUS_LINE_BYTES = 4096;
    static final int MAX_HEADER_BYTES = 16 * 1024;

    private static final String TLS = "tls";
    private static final String CODEC = "codec";
    private static final String IDLE = "idle";
    private static final String EXCHANGE = "exchange";
    private static final AttributeKey<Pool> POOL = AttributeKey.valueOf(DownstreamClient.class, "pool");

    /** Which connections may serve a request: the same downstream, trusted the same way, under the same limit. */
    record PoolKey(boolean https, String host, int port, boolean tlsInsecure, int maxConnections) {
    }

    /** One downstream's connections. Guarded by {@link #lock}. */
    private static final class Pool {
        final PoolKey key;
        /** Kept-alive connections, the most recently used first: the least likely to have been closed by now. */
        final ArrayDeque<Channel> idle = new ArrayDeque<>();
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
        /** Connections open or being opened. */
        int open;

        Pool(PoolKey key) {
            this.key = key;
        }
    }

    private record Waiter(CompletableFuture<Channel> future, Duration connectTimeout) {
    }

    private final EventLoopGroup loops;
    private final Class<? extends Channel> channelType;
    private final EventLoopGroup ownLoops;
    private final Executor resolver;
    private final ChannelGroup channels = new DefaultChannelGroup("forward-connections", GlobalEventExecutor.INSTANCE);
    private final Object lock = new Object();
    private final Map<PoolKey, Pool> pools = new HashMap<>();
    private boolean closed;
    private final Object tlsLock = new Object();
    private SslContext verifyingTls;
    private SslContext trustingTls;

    private DownstreamClient(EventLoopGroup loops, Class<? extends Channel> channelType, EventLoopGroup ownLoops,
                             Executor resolver) {
        this.loops = loops;
        this.channelType = channelType;
        this.ownLoops = ownLoops;
        this.resolver = resolver;
    }

    /**
     * A client on the gateway's event loops; without them (a processor built outside a gateway), on one loop of its
     * own, stopped by {@link #close()}.
     *
     * @param resolver where host names are looked up (it blocks): the gateway's bounded worker pool
     */
    static DownstreamClient create(Transport transport, Executor resolver) {
        if (transport != null) {
            return new DownstreamClient(transport.eventLoops(), transport.socketChannelType(), null, resolver);
        }
        EventLoopGroup own = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("forward-io", true),
                NioIoHandler.newFactory());
        return new DownstreamClient(own, NioSocketChannel.class, own, resolver);
    }

    /** An event loop for a forward's own timers (connect timeout, retry backoff). */
    EventExecutor timers() {
        return loops.next();
    }

    /**
     * A connection to the pool's downstream, ready for one exchange: a kept-alive one if any is idle (unless
     * {@code fresh}), else a new one if the pool's limit allows, else the next to be released. Completing or
     * cancelling the future before it is done (the caller's connect timeout) withdraws the request; a connection that
     * comes too late goes back to the pool.
     */
    CompletableFuture<Channel> acquire(PoolKey key, Duration connectTimeout, boolean fresh) {
        CompletableFuture<Channel> result = new CompletableFuture<>();
        Pool pool;
        boolean connect = false;
        boolean queued = false;
        synchronized (lock) {
            if (closed) {
                result.completeExceptionally(DownstreamFailure.stopping());
                return result;
            }
            pool = pools.get(key);
            if (pool == null) {
                if (pools.size() >= MAX_POOLS) {
                    result.completeExceptionally(new DownstreamFailure(DownstreamFailure.Kind.BUSY,
                            "is one downstream too many: the gateway forwards to " + MAX_POOLS
                                    + " at most at once; try again shortly"));
                    return result;
                }
                pool = new Pool(key);
                pools.put(key, pool);
            }
            Channel idle = fresh ? null : takeIdle(pool);
            if (idle != null) {
                result.complete(idle);
                return result;
            }
            if (pool.open < key.maxConnections()) {
                pool.open++;
                connect = true;
            } else if (pool.waiters.size() < MAX_WAITING_PER_POOL) {
                pool.waiters.add(new Waiter(result, connectTimeout));
                queued = true;
            } else {
                result.completeExceptionally(new DownstreamFailure(DownstreamFailure.Kind.BUSY,
                        "has too many requests waiting for a connection; try again shortly"));
            }
        }
        if (connect) {
            connect(pool, result, connectTimeout);
        }
        if (queued) {
            // A waiter that gives up leaves the queue at once, so the queue's bound counts live waiters only.
            Pool waitedOn = pool;
            result.whenComplete((channel, error) -> {
                if (error != null) {
                    synchronized (lock) {
                        waitedOn.waiters.removeIf(w -> w.future() == result);
                        evictIfUnused(waitedOn);
                    }
                }
            });
        }
        return result;
    }

    /**
     * Gives a connection back after an exchange: to the next waiter, or to the idle ones, when {@code reusable} (the
     * whole answer was read and both sides keep the connection alive); else it is closed.
     */
    void release(Channel channel, boolean reusable) {
        Pool pool = channel.attr(POOL).get();
        if (!reusable || pool == null || !channel.isActive()) {
            channel.close();
            return;
        }
        while (true) {
            Waiter next;
            synchronized (lock) {
                if (closed) {
                    next = null;
                } else {
                    next = pool.waiters.poll();
                    if (next == null) {
                        pool.idle.addFirst(channel);
                        return;
                    }
                }
            }
            if (next == null) {
                channel.close();
                return;
            }
            if (next.future().complete(channel)) {
                return;
            }
        }
    }

    private static Channel takeIdle(Pool pool) {
        Channel channel;
        while ((channel = pool.idle.pollFirst()) != null) {
            if (channel.isActive()) {
                return channel;
            }
        }
        return null;
    }

    /** Opens a connection for {@code requester}; its slot in the pool is already counted. */
    private void connect(Pool pool, CompletableFuture<Channel> requester, Duration connectTimeout) {
        PoolKey key = pool.key;
        SslContext tls;
        try {
            tls = key.https() ? tls(key.tlsInsecure()) : null;
        } catch (SSLException e) {
            connectFailed(pool, requester, DownstreamFailure.ofConnect(e, connectTimeout));
            return;
        }
        resolve(key.host(), key.port()).whenComplete((address, error) -> {
            if (error != null) {
                connectFailed(pool, requester, DownstreamFailure.ofConnect(error, connectTimeout));
                return;
            }
            if (requester.isDone()) {
                // The requester gave up while the name was looked up.
                connectFailed(pool, null, null);
                return;
            }
            int connectMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
            ChannelFuture connecting = new Bootstrap()
                    .group(loops)
                    .channel(channelType)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .attr(POOL, pool)
                    .handler(new Initializer(key, tls, connectMillis))
                    .connect(address);
            connecting.addListener((ChannelFuture connected) -> {
                if (!connected.isSuccess()) {
                    connectFailed(pool, requester, DownstreamFailure.ofConnect(connected.cause(), connectTimeout));
                    return;
                }
                Channel channel = connected.channel();
                opened(pool, channel);
                SslHandler handshake = channel.pipeline().get(SslHandler.class);
                if (handshake == null) {
                    handOver(requester, channel);
                    return;
                }
                handshake.handshakeFuture().addListener(done -> {
                    if (done.isSuccess()) {
                        handOver(requester, channel);
                    } else {
                        requester.completeExceptionally(DownstreamFailure.ofConnect(done.cause(), connectTimeout));
                        channel.close();
                    }
                });
            });
        });
    }

    private void handOver(CompletableFuture<Channel> requester, Channel channel) {
        if (!requester.complete(channel)) {
            // Too late for the requester (its connect timeout, or the hook's): nothing was sent, the next may use it.
            release(channel, true);
        }
    }

    /** A connection is open: from now on its slot is freed when it closes. */
    private void opened(Pool pool, Channel channel) {
        channels.add(channel);
        channel.closeFuture().addListener(ignored -> closed(pool, channel));
        boolean stopping;
        synchronized (lock) {
            stopping = closed;
        }
        if (stopping) {
            channel.close();
        }
    }

    private void closed(Pool pool, Channel channel) {
        Runnable next;
        synchronized (lock) {
            pool.idle.remove(channel);
            pool.open--;
            next = nextConnect(pool);
            evictIfUnused(pool);
        }
        if (next != null) {
            next.run();
        }
    }

    /** A connection could not be opened: its slot is freed, and {@code requester} (if any) hears why. */
    private void connectFailed(Pool pool, CompletableFuture<Channel> requester, DownstreamFailure failure) {
        Runnable next;
        synchronized (lock) {
            pool.open--;
            next = nextConnect(pool);
            evictIfUnused(pool);
        }
        if (requester != null) {
            requester.completeExceptionally(failure);
        }
        if (next != null) {
            next.run();
        }
    }

    /** With a slot free, the first live waiter gets a connection of its own. Called with the lock held. */
    private Runnable nextConnect(Pool pool) {
        if (closed) {
            return null;
        }
        while (pool.open < pool.key.maxConnections()) {
            Waiter waiter = pool.waiters.poll();
            if (waiter == null) {
                return null;
            }
            if (!waiter.future().isDone()) {
                pool.open++;
                return () -> connect(pool, waiter.future(), waiter.connectTimeout());
            }
        }
        return null;
    }

    /** Forgets a pool with nothing in it, so that pools never outnumber the downstreams in use. Lock held. */
    private void evictIfUnused(Pool pool) {
        if (pool.open == 0 && pool.waiters.isEmpty() && pools.get(pool.key) == pool) {
            pools.remove(pool.key);
        }
    }

    private CompletableFuture<InetSocketAddress> resolve(String host, int port) {
        if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
            // An address literal is parsed, not looked up.
            return CompletableFuture.completedFuture(new InetSocketAddress(host, port));
        }
        CompletableFuture<InetSocketAddress> address = new CompletableFuture<>();
        try {
            resolver.execute(() -> {
                try {
                    address.complete(new InetSocketAddress(InetAddress.getByName(host), port));
                } catch (UnknownHostException | RuntimeException e) {
                    address.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            address.completeExceptionally(new DownstreamFailure(DownstreamFailure.Kind.BUSY,
                    "was not looked up: the gateway's workers are all busy; try again shortly"));
        }
        return address;
    }

    /**
     * The client TLS context: verifying (the JDK's trusted CAs, and the host name, RFC 2818 §3.1), or trusting every
     * certificate. Built once, when the first hook that needs it is created, so that a JDK without TLS fails the start
     * rather than a request, and no event loop waits for it.
     */
    SslContext tls(boolean insecure) throws SSLException {
        synchronized (tlsLock) {
            if (insecure) {
                if (trustingTls == null) {
                    trustingTls = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                            .trustManager(InsecureTrustManagerFactory.INSTANCE)
                            .endpointIdentificationAlgorithm(null)
                            .build();
                }
                return trustingTls;
            }
            if (verifyingTls == null) {
                verifyingTls = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                        .endpointIdentificationAlgorithm("HTTPS")
                        .build();
            }
            return verifyingTls;
        }
    }

    /** Fails every waiter and closes every connection; called once when the gateway stops. */
    @Override
    public void close() {
        List<Waiter> waiting = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (Pool pool : pools.values()) {
                waiting.addAll(pool.waiters);
                pool.waiters.clear();
                pool.idle.clear();
            }
        }
        for (Waiter waiter : waiting) {
            waiter.future().completeExceptionally(DownstreamFailure.stopping());
        }
        channels.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        if (ownLoops != null) {
            ownLoops.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    /** Builds a new connection's pipeline; see the class javadoc. */
    private final class Initializer extends ChannelInitializer<Channel> {
        private final PoolKey key;
        private final SslContext tls;
        private final int handshakeMillis;

        Initializer(PoolKey key, SslContext tls, int handshakeMillis) {
            this.key = key;
            this.tls = tls;
            this.handshakeMillis = handshakeMillis;
        }

        @Override
        protected void initChannel(Channel channel) {
            ChannelPipeline pipeline = channel.pipeline();
            if (tls != null) {
                // With the host name: SNI, and the name the certificate is checked against.
                SslHandler handler = tls.newHandler(channel.alloc(), key.host(), key.port());
                handler.setHandshakeTimeoutMillis(handshakeMillis);
                pipeline.addLast(TLS, handler);
            }
            pipeline.addLast(CODEC, new HttpClientCodec(new HttpDecoderConfig()
                    .setMaxInitialLineLength(MAX_STATUS_LINE_BYTES)
                    .setMaxHeaderSize(MAX_HEADER_BYTES), false, false));
            pipeline.addLast(IDLE, new IdleStateHandler(0, 0, IDLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            pipeline.addLast(EXCHANGE, new ExchangeHandler(DownstreamClient.this));
        }
    }
}
