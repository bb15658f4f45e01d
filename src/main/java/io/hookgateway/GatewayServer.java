package io.hookgateway;

import io.hookgateway.clients.ClientBuckets;
import io.hookgateway.clients.ClientPolicy;
import io.hookgateway.clients.HookClients;
import io.hookgateway.clients.PortClients;
import io.hookgateway.clients.RateLimit;
import io.hookgateway.config.ConfigException;
import io.hookgateway.config.Units;
import io.hookgateway.hooks.Chain;
import io.hookgateway.hooks.Gate;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.Transport;
import io.hookgateway.http.BodyBudget;
import io.hookgateway.http.ClientAdmission;
import io.hookgateway.http.HttpLimits;
import io.hookgateway.http.MemoryBudget;
import io.hookgateway.loader.GatewayConfig;
import io.hookgateway.loader.HookConfig;
import io.hookgateway.loader.RestartKeys;
import io.hookgateway.loader.ServerConfig;
import io.hookgateway.metrics.AdminEndpoints;
import io.hookgateway.metrics.GatewayMetrics;
import io.hookgateway.metrics.Health;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.routing.ExecutionLimits;
import io.hookgateway.routing.Hook;
import io.hookgateway.routing.HookRouter;
import io.hookgateway.routing.PathPattern;
import io.hookgateway.routing.RequestObserver;
import io.hookgateway.routing.RouteTable;
import io.hookgateway.routing.Routes;
import io.hookgateway.tls.ServerTls;
import io.hookgateway.tls.TlsConfig;
import io.hookgateway.tls.TlsFileException;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: the hook port, the metrics port, the worker pool and the processors, from one configuration.
 * {@link #start} binds the hook port's listeners (plain and TLS) and the metrics port; {@link #close} drains (stops
 * accepting, lets requests in flight finish within the drain timeout) and releases everything, within the drain
 * timeout and {@link #STOP_GRACE} whatever state the event loops are in.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
    /**
     * How long the hook port's close is waited for at least, even with no drain timeout: a loop that runs closes it in
     * microseconds, so one that has not after this long does not run.
     */
    private static final Duration UNBIND_GRACE = Duration.ofMillis(100);
    /**
     * After the drain timeout, how long the 503s to requests still in flight or still arriving may take to be written
     * and read: after such an answer the router lingers up to {@link HookRouter#LINGER_MILLIS}, so that a client still
     * sending reads it rather than a reset.
     */
    private static final Duration CUT_OFF_GRACE = Duration.ofMillis(HookRouter.LINGER_MILLIS + 500);
    /** How long past the drain deadline the processors' drain, told that deadline, is waited for to return. */
    private static final Duration PROCESSOR_DRAIN_GRACE = Duration.ofMillis(500);
    /**
     * How long releasing everything may take once the connections are done: closing the processors (a command's
     * runs get {@code SIGKILL} two seconds after {@code SIGTERM}) and their client connections, then the event loops
     * and the workers.
     */
    private static final Duration RELEASE_GRACE = Duration.ofSeconds(3);
    /** Of {@link #RELEASE_GRACE}, the most closing the connections may take: no time at all unless a loop is stuck. */
    private static final Duration CHANNELS_GRACE = Duration.ofSeconds(1);
    /** Of {@link #RELEASE_GRACE}, what is kept for the event loops and workers to stop, after the processors. */
    private static final Duration THREADS_GRACE = Duration.ofMillis(500);
    /** The most {@link #drainAndStop} takes beyond its drain timeout. */
    static final Duration STOP_GRACE =
            UNBIND_GRACE.plus(CUT_OFF_GRACE).plus(PROCESSOR_DRAIN_GRACE).plus(RELEASE_GRACE);
    /** Sub-resources answer GET; they take no body worth the name. */
    private static final long SUB_RESOURCE_MAX_BODY_BYTES = 1024;

    /** The configuration the gateway started with: its listeners, threads and limits stay for as long as it runs. */
    private final GatewayConfig started;
    /** The configuration running now: the one it started with, or the last reload applied. */
    private volatile GatewayConfig config;
    /**
     * The hooks running now and the routes to them: read once for each request (by the aggregator, through
     * {@link #routes}), replaced whole by a reload.
     */
    private volatile Generation current;
    /** Hooks a reload replaced or removed, whose processors close once no request can reach them. */
    private final List<BuiltHook> retiring = new ArrayList<>();
    /** Where retired hooks wait for their last requests, and are closed: off the event loops and the reload's thread. */
    private final ScheduledThreadPoolExecutor retirer;
    /** One share of the heap for every hook, across reloads: processors copy the large bodies they read. */
    private final MemoryBudget workMemory = MemoryBudget.ofHeap(4);
    /** The buckets of the hooks' rate limits, kept across reloads; {@code null} until a hook has a limit. */
    private ClientBuckets buckets;
    private final GatewayMetrics metrics;
    private final Health health = new Health();
    private final ChannelGroup hookChannels = new DefaultChannelGroup("hook-connections", GlobalEventExecutor.INSTANCE);
    private final ChannelGroup adminChannels =
            new DefaultChannelGroup("admin-connections", GlobalEventExecutor.INSTANCE);
    private final EventLoopGroup hookLoops;
    private final EventLoopGroup adminLoops;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor scheduler;
    /** Where {@code /metrics} is rendered, off the metrics port's event loop. */
    private final ThreadPoolExecutor metricsRenderer = AdminEndpoints.renderer();
    private final Class<? extends ServerChannel> channelType;
    private final Transport transportForClients;
    private final Map<String, Object> shared = new LinkedHashMap<>();
    private final String transport;
    /** Where TLS listeners check their files for changes; {@code null} without TLS listeners. */
    private final ScheduledThreadPoolExecutor tlsWatch;
    /** The plain listener of the hook port, {@code null} when it is off. */
    private Channel hookChannel;
    /** Every listener of the hook port, plain and TLS. */
    private final List<Channel> hookListeners = new ArrayList<>();
    private final List<Channel> tlsChannels = new ArrayList<>();
    private final List<ServerTls> tlsListeners = new ArrayList<>();
    private Channel adminChannel;
    private boolean closed;

    private GatewayServer(GatewayConfig config) {
        this.started = config;
        this.config = config;
        this.metrics = config.metrics().enabled() ? new GatewayMetrics() : GatewayMetrics.disabled();
        ServerConfig server = config.server();
        IoHandlerFactory ioHandler;
        Class<? extends SocketChannel> clientType;
        if (Epoll.isAvailable()) {
            ioHandler = EpollIoHandler.newFactory();
            channelType = EpollServerSocketChannel.class;
            clientType = EpollSocketChannel.class;
            transport = "epoll";
        } else {
            ioHandler = NioIoHandler.newFactory();
            channelType = NioServerSocketChannel.class;
            clientType = NioSocketChannel.class;
            transport = "nio";
            if (System.getProperty("os.name", "").startsWith("Linux")) {
                // The jar carries epoll for x86_64 and aarch_64; on Linux, not loading it is news (another CPU, a
                // /tmp mounted noexec where Netty unpacks the library).
                log.info("epoll is unavailable, using NIO: {}", Epoll.unavailabilityCause().toString());
            }
        }
        int ioThreads = server.ioThreads() > 0 ? server.ioThreads() : Runtime.getRuntime().availableProcessors();
        hookLoops = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("hook-io", true), ioHandler);
        transportForClients = new Transport(hookLoops, clientType);
        adminLoops = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("metrics-io", true), ioHandler);
        BlockingQueue<Runnable> queue = server.workerQueue() > 0
                ? new ArrayBlockingQueue<>(server.workerQueue()) : new SynchronousQueue<>();
        workers = new ThreadPoolExecutor(server.workerThreads(), server.workerThreads(), 60, TimeUnit.SECONDS, queue,
                new DefaultThreadFactory("hook-worker", true), new ThreadPoolExecutor.AbortPolicy());
        workers.allowCoreThreadTimeOut(true);
        scheduler = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("hook-scheduler", true));
        scheduler.setRemoveOnCancelPolicy(true);
        retirer = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("hook-retire", true));
        retirer.setRemoveOnCancelPolicy(true);
        if (server.tls().isEmpty()) {
            tlsWatch = null;
        } else {
            // Its own thread: reading a file may block (a network file system), and the scheduler's timeouts must not
            // wait for it.
            tlsWatch = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("tls-watch", true));
            tlsWatch.setRemoveOnCancelPolicy(true);
        }
    }

    /** Builds the processors and binds every port; on failure, releases what was built and throws. */
    public static GatewayServer start(GatewayConfig config) throws Exception {
        GatewayServer server = new GatewayServer(config);
        try {
            server.bind();
            return server;
        } catch (Exception | Error e) {
            server.releaseAll(System.nanoTime() + RELEASE_GRACE.toNanos());
            throw e;
        }
    }

    private void bind() throws Exception {
        ServerConfig server = config.server();
        metrics.bindMemory("work", workMemory, "heap set aside for processors reading bodies over 64 KiB, four times "
                + "each body");
        ClientPolicy policy = server.clients();
        List<BuiltHook> created = new ArrayList<>();
        try {
            current = generation(config, List.of(), created);
        } catch (Exception | Error e) {
            closeBuilt(created, e);
            throw e;
        }
        bindGauges(created);
        HttpLimits limits = server.httpLimits();
        long largestBodyLimit = server.maxBodyBytes();
        for (HookConfig hook : config.hooks()) {
            largestBodyLimit = Math.max(largestBodyLimit, hook.maxBodyBytes());
        }
        // One budget for every port: it bounds the memory bodies take, wherever they arrive.
        BodyBudget bodyBudget = new BodyBudget(server.maxBufferedBodyBytes() > 0 ? server.maxBufferedBodyBytes()
                : BodyBudget.defaultCapacity(largestBodyLimit));
        metrics.bindMemory("body", bodyBudget.memory(), "request bodies being received or processed");
        MemoryBudget headBudget = MemoryBudget.ofHeap(16);
        metrics.bindMemory("head", headBudget, "request heads that arrive over more than one read");

        if (config.metrics().enabled()) {
            GatewayPipeline admin = new GatewayPipeline(AdminEndpoints.limits(limits),
                    AdminEndpoints.routes(metrics, health, metricsRenderer),
                    new HookRouter.Settings(RequestObserver.NONE, false, () -> false, AdminEndpoints.IDLE_TIMEOUT,
                            true),
                    new GatewayPipeline.ConnectionTracker(adminChannels, null, AdminEndpoints.MAX_CONNECTIONS,
                            GatewayPipeline.ConnectionTracker.Overflow.CLOSE_LONGEST_IDLE), bodyBudget, headBudget,
                    ClientAdmission.EVERYONE, null);
            adminChannel = bootstrap(adminLoops, admin)
                    .bind(new InetSocketAddress(config.metrics().bind(), config.metrics().port())).sync().channel();
        }

        HookRouter.Settings hookSettings =
                new HookRouter.Settings(metrics, server.accessLog(), health::isDraining, server.idleTimeout());
        // One count for every listener of the hook port: max-connections bounds them together.
        GatewayPipeline.ConnectionTracker tracker = new GatewayPipeline.ConnectionTracker(hookChannels, metrics,
                server.maxConnections(), GatewayPipeline.ConnectionTracker.Overflow.REFUSE_NEW);
        // One routing for every listener, read for each request: a reload replaces it for all of them at once.
        Supplier<Routes> routes = () -> current.routes();
        if (server.plain()) {
            hookChannel = bootstrap(hookLoops, new GatewayPipeline(limits, routes, hookSettings, tracker, bodyBudget,
                    headBudget, null)).bind(new InetSocketAddress(server.bind(), server.port())).sync().channel();
            hookListeners.add(hookChannel);
        }
        for (int i = 0; i < server.tls().size(); i++) {
            TlsConfig listener = server.tls().get(i);
            ServerTls tls = loadTls(listener, server.tls().size() == 1 ? "server.tls" : "server.tls[" + i + "]");
            tlsListeners.add(tls);
            Channel channel = bootstrap(hookLoops, new GatewayPipeline(limits, routes, hookSettings, tracker,
                    bodyBudget, headBudget, tls))
                    .bind(new InetSocketAddress(listener.bind(), listener.port())).sync().channel();
            hookListeners.add(channel);
            tlsChannels.add(channel);
            tls.watch(tlsWatch, NetUtil.toSocketAddressString(listener.bind(), portOf(channel)));
        }
        if (server.plain() && server.tls().stream().anyMatch(t -> t.clientAuth() == ClientAuth.REQUIRE)) {
            log.warn("the hooks are served on the plain port {} too, where no client certificate is asked for; set "
                    + "server.plain: false to serve them only where client certificates are required", hookPort());
        }

        metrics.bindEventLoops(hookLoops);
        metrics.bindAllocator(ByteBufAllocator.DEFAULT);
        // Configured hooks, not routes: a hook's sub-resources are part of it.
        metrics.bindBuildInfo(HookGateway.version(), config.hooks().size());
        health.ready();

        for (BuiltHook hook : current.hooks()) {
            for (Hook route : hook.routes()) {
                log.info("hook {}: {} {} -> {}", route.name(), String.join(",", new TreeSet<>(route.methods())),
                        route.path(), hook.config().describeProcessors());
            }
        }
        if (!policy.trustedProxies().isEmpty()) {
            log.info("client addresses: from {} when the peer is one of the trusted proxies {}",
                    policy.trustedProxies().header().fieldName(), policy.trustedProxies().proxies());
        }
        log.info("request bodies may hold {} of memory together (server.max-buffered-body-size)",
                Units.formatSize(bodyBudget.capacity()));
        List<String> listening = new ArrayList<>();
        if (hookChannel != null) {
            listening.add("http://" + NetUtil.toSocketAddressString(server.bind(), hookPort()));
        }
        for (int i = 0; i < tlsChannels.size(); i++) {
            listening.add("https://" + NetUtil.toSocketAddressString(server.tls().get(i).bind(),
                    portOf(tlsChannels.get(i))));
        }
        log.info("listening for hooks on {} ({} transport), metrics on {}", String.join(" and ", listening), transport,
                adminChannel == null
                        ? "(disabled)"
                        : "http://" + NetUtil.toSocketAddressString(config.metrics().bind(), metricsPort())
                                + "/metrics");
    }

    /**
     * The buckets of the hooks' rate limits, {@code null} when no hook has any. An unused bucket is kept as long as the
     * slowest to fill takes to fill, after which it is as good as new. They are made once, when a hook first has a
     * limit, and kept across reloads (a reload that lengthens the slowest fill lengthens how long they are kept).
     */
    private ClientBuckets rateLimitBuckets(GatewayConfig next) {
        boolean limited = false;
        long keepIdle = TimeUnit.SECONDS.toNanos(1);
        for (HookConfig hook : next.hooks()) {
            limited |= !hook.rateLimit().isNone();
            RateLimit perClient = hook.rateLimit().perClient();
            if (perClient != null) {
                keepIdle = Math.max(keepIdle, perClient.fillNanos());
            }
        }
        if (!limited) {
            return buckets;
        }
        if (buckets == null) {
            buckets = ClientBuckets.create(next.server().clients().maxClients(), Duration.ofNanos(keepIdle),
                    metrics.registry());
        } else {
            buckets.keepIdleAtLeast(Duration.ofNanos(keepIdle));
        }
        return buckets;
    }

    /**
     * The hooks of {@code next} and the routes to them. A hook configured as it runs in {@code running}
     * ({@link HookConfig#sameAs}) is kept as it is, processors and rate-limit buckets included; every other is built,
     * and added to {@code created} so that a failure can close what was built.
     */
    private Generation generation(GatewayConfig next, List<BuiltHook> running, List<BuiltHook> created)
            throws Exception {
        Map<String, BuiltHook> byName = new LinkedHashMap<>();
        running.forEach(hook -> byName.put(hook.config().name(), hook));
        ClientBuckets rateBuckets = rateLimitBuckets(next);
        List<BuiltHook> hooks = new ArrayList<>();
        List<Hook> routes = new ArrayList<>();
        for (HookConfig hook : next.hooks()) {
            BuiltHook previous = byName.get(hook.name());
            BuiltHook built;
            if (previous != null && previous.config().sameAs(hook)) {
                built = previous;
            } else {
                if (previous != null) {
                    // A delivery accepted before the change must still be a replay after it.
                    hook.auth().takeOver(previous.config().auth());
                }
                built = build(next, hook, rateBuckets);
                created.add(built);
            }
            hooks.add(built);
            routes.addAll(built.routes());
        }
        ClientPolicy policy = next.server().clients();
        // One admission for every listener: the rules, and the buckets that rate limits draw from, are the port's.
        ClientAdmission clients = PortClients.of(policy.trustedProxies(), policy.rules(),
                next.hooks().stream().map(HookConfig::name).toList(), RequestObserver.UNMATCHED, metrics.registry());
        return new Generation(next, List.copyOf(hooks),
                new Routes(RouteTable.of(routes, next.server().maxBodyBytes()), clients));
    }

    /** One hook built from its configuration: its gate, clients, processors, and the routes to it and its resources. */
    private BuiltHook build(GatewayConfig next, HookConfig hook, ClientBuckets rateBuckets) throws Exception {
        Gate gate = Gate.of(hook.name(), hook.auth(), hook.guard(), hook.hidden(), metrics.registry());
        HookClients clients = HookClients.of(hook.name(), hook.clients(), hook.rateLimit(), rateBuckets,
                metrics.registry());
        Map<String, HookProcessor> resources = new LinkedHashMap<>();
        Context context = new Context(hook.name());
        HookProcessor processor = buildChain(next, hook, gate, resources, context);
        List<Hook> routes = new ArrayList<>();
        routes.add(new Hook(hook.name(), hook.path(), hook.methods(), processor, hook.maxBodyBytes(),
                hook.accessLog(), metrics.hook(hook.name()), hook.limits(), workers, gate, workMemory, clients));
        // A processor's own resources (an async command's run state) are routed as part of the hook, behind its gate.
        for (Map.Entry<String, HookProcessor> sub : resources.entrySet()) {
            routes.add(new Hook(hook.name(), PathPattern.parse(hook.path().text() + sub.getKey()), Set.of("GET"),
                    Chain.guarded(gate.afterHead(), sub.getValue()), SUB_RESOURCE_MAX_BODY_BYTES,
                    hook.accessLog(), metrics.hook(hook.name()), ExecutionLimits.defaults(), workers, gate,
                    workMemory, clients.withoutLimits()));
        }
        return new BuiltHook(hook, List.copyOf(routes), processor, context.sharedKeys());
    }

    /**
     * Registers the gauges of hooks just built: after the start, or after a reload has removed those of the hooks they
     * replace ({@link GatewayMetrics#forgetHookGauges}).
     */
    private void bindGauges(List<BuiltHook> created) {
        for (BuiltHook hook : created) {
            hook.config().auth().bindMeters(metrics.registry(), hook.config().name());
            metrics.bindDispatcher(hook.config().name(), hook.routes().get(0).dispatcher());
        }
        metrics.hooksConfigured(current.hooks().size());
    }

    /** Closes hooks built for a start or a reload that failed; what fails to close goes with {@code failure}. */
    private static void closeBuilt(List<BuiltHook> created, Throwable failure) {
        for (BuiltHook hook : created) {
            try {
                hook.processor().close();
            } catch (RuntimeException closing) {
                failure.addSuppressed(closing);
            }
        }
    }

    /**
     * The hook's rules and processors as one processor; each processor is created (and closed on failure) here. The
     * resources its processors serve besides the hook go into {@code resources}, by path relative to the hook's: the
     * paths their types declared, which the configuration checked when it loaded.
     */
    private HookProcessor buildChain(GatewayConfig next, HookConfig hook, Gate gate,
                                     Map<String, HookProcessor> resources, Context context) throws Exception {
        List<HookProcessor> created = new ArrayList<>();
        try {
            List<Chain.Named> steps = new ArrayList<>();
            for (HookConfig.ProcessorSpec<?> spec : hook.processors()) {
                HookProcessor processor = spec.create(context);
                created.add(processor);
                resources.putAll(spec.resourcesOf(processor, hook.name()));
                steps.add(new Chain.Named(spec.type().name(), processor));
            }
            HookProcessor onMismatch = hook.onMismatch().create(context);
            created.add(onMismatch);
            return new Chain(hook.name(), steps, gate.afterHead(), hook.rule(), onMismatch,
                    metrics.registry(), workers);
        } catch (Exception | Error e) {
            for (HookProcessor processor : created) {
                try {
                    processor.close();
                } catch (RuntimeException closing) {
                    // The failure to build is the news; this one goes with it.
                    e.addSuppressed(closing);
                }
            }
            if (e instanceof IllegalArgumentException) {
                // Options that only clash across hooks (two MQTT hooks on one connection that disagree, say) show
                // when the processors are built: still a configuration problem, reported as one.
                throw new ConfigException(next.source(), "hooks[" + next.hooks().indexOf(hook) + "]",
                        e.getMessage());
            }
            throw e;
        }
    }

    private ServerBootstrap bootstrap(EventLoopGroup group, GatewayPipeline pipeline) {
        return new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // A client may half-close after its last request and still wait for the answers.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(pipeline);
    }

    /**
     * A TLS listener's files read and checked, its context built; a file that changed since the configuration was
     * loaded and cannot be used now is reported as the configuration would.
     */
    private ServerTls loadTls(TlsConfig listener, String keyPath) throws ConfigException, SSLException {
        try {
            return ServerTls.load(listener, metrics.registry());
        } catch (TlsFileException e) {
            throw new ConfigException(config.source(), keyPath + "." + e.key(), e.getMessage());
        }
    }

    private static int portOf(Channel listener) {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /**
     * What a reload did: the hooks it added, changed (built anew), removed and kept as they ran, and the keys it
     * changed that apply only after a restart (which keep their running values until then).
     */
    public record Reloaded(List<String> added, List<String> changed, List<String> removed, List<String> unchanged,
                           List<String> needsRestart) {
    }

    /**
     * Replaces the hooks with those of {@code next}, atomically: a request routed before the swap finishes on the hook
     * it found, every request routed after it (on a new connection or one already open) finds the new hooks. A hook
     * configured as it runs ({@link HookConfig#sameAs}) is kept, its processors and rate-limit buckets with it;
     * processors of hooks replaced or removed are closed once no request can reach them any more, and shared
     * resources (an MQTT connection) once no hook uses them. Listener settings cannot change while the gateway runs:
     * those that differ from the start are returned, to be reported, and the rest applies.
     *
     * @throws ConfigException when a processor cannot be built from {@code next}; nothing changed then
     * @throws IllegalStateException when the gateway is stopping
     */
    public synchronized Reloaded reload(GatewayConfig next) throws Exception {
        Objects.requireNonNull(next, "next");
        if (closed) {
            throw new IllegalStateException("the gateway is stopping");
        }
        Generation previous = current;
        List<BuiltHook> created = new ArrayList<>();
        Generation fresh;
        try {
            fresh = generation(next, previous.hooks(), created);
        } catch (Exception | Error e) {
            closeBuilt(created, e);
            throw e;
        }
        current = fresh;
        config = next;
        List<BuiltHook> retired = new ArrayList<>(previous.hooks());
        retired.removeIf(hook -> fresh.hooks().contains(hook));
        // The gauges of replaced and removed hooks read their old dispatchers and caches: their replacements bring
        // their own.
        retired.forEach(hook -> metrics.forgetHookGauges(hook.config().name()));
        bindGauges(created);
        retireWhenUnreachable(retired);

        Set<String> before = names(previous.hooks());
        Set<String> after = names(fresh.hooks());
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (BuiltHook hook : fresh.hooks()) {
            String name = hook.config().name();
            (!before.contains(name) ? added : created.contains(hook) ? changed : unchanged).add(name);
        }
        List<String> removed = before.stream().filter(name -> !after.contains(name)).toList();
        return new Reloaded(added, changed, removed, unchanged, RestartKeys.between(started, next));
    }

    private static Set<String> names(List<BuiltHook> hooks) {
        Set<String> names = new LinkedHashSet<>();
        hooks.forEach(hook -> names.add(hook.config().name()));
        return names;
    }

    /**
     * Closes the processors of retired hooks once no request can reach them. A request is routed when its head has
     * arrived, and a connection reads its next request only once the answer before it is written
     * ({@link io.hookgateway.http.HeaderLineDecoder#resume()}), so a request routed before the swap is, at worst, still
     * receiving its body (within the body timeout) or in its hook's dispatcher. The processors are closed once those
     * timeouts have passed since the swap and none of their dispatchers holds a request; accepted work (an
     * asynchronous run) is given the drain timeout. Shared resources that no hook uses any more are closed after them.
     */
    private void retireWhenUnreachable(List<BuiltHook> retired) {
        if (retired.isEmpty()) {
            return;
        }
        synchronized (retiring) {
            retiring.addAll(retired);
        }
        ServerConfig server = started.server();
        long notBefore = System.nanoTime() + server.headTimeout().plus(server.bodyTimeout()).toNanos()
                + TimeUnit.SECONDS.toNanos(1);
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if (System.nanoTime() - notBefore < 0 || !retired.stream().allMatch(BuiltHook::idle)) {
                retirer.schedule(check[0], 250, TimeUnit.MILLISECONDS);
                return;
            }
            synchronized (retiring) {
                if (!retiring.containsAll(retired)) {
                    // Stopping took them over.
                    return;
                }
                retiring.removeAll(retired);
            }
            long deadline = System.nanoTime() + config.server().drainTimeout().toNanos();
            for (BuiltHook hook : retired) {
                try {
                    hook.processor().drain(deadline);
                    hook.processor().close();
                } catch (RuntimeException e) {
                    log.warn("hook {}: its processor, replaced by a reload, failed to close", hook.config().name(), e);
                }
            }
            closeUnusedShared();
        };
        retirer.schedule(check[0], 250, TimeUnit.MILLISECONDS);
    }

    /** Closes the shared resources (client connections) that neither a running nor a retiring hook uses. */
    private synchronized void closeUnusedShared() {
        if (closed) {
            return;
        }
        Set<String> used = new LinkedHashSet<>();
        current.hooks().forEach(hook -> used.addAll(hook.sharedKeys()));
        synchronized (retiring) {
            retiring.forEach(hook -> used.addAll(hook.sharedKeys()));
        }
        List<AutoCloseable> unused = new ArrayList<>();
        synchronized (shared) {
            shared.entrySet().removeIf(entry -> {
                if (used.contains(entry.getKey())) {
                    return false;
                }
                if (entry.getValue() instanceof AutoCloseable closeable) {
                    unused.add(closeable);
                }
                return true;
            });
        }
        for (AutoCloseable resource : unused) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("a shared processor resource no hook uses any more failed to close", e);
            }
        }
    }

    /** The configuration running now: the one the gateway started with, or the last one a reload applied. */
    public GatewayConfig config() {
        return config;
    }

    /** The bound plain hook port (useful when the configuration asked for port 0), or -1 when it is off. */
    public int hookPort() {
        return hookChannel == null ? -1 : portOf(hookChannel);
    }

    /** The bound ports of the TLS listeners, in the order of {@code server.tls}. */
    public List<Integer> tlsPorts() {
        return tlsChannels.stream().map(GatewayServer::portOf).toList();
    }

    /** The bound metrics port, or -1 when metrics are disabled. */
    public int metricsPort() {
        return adminChannel == null ? -1 : ((InetSocketAddress) adminChannel.localAddress()).getPort();
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public Health health() {
        return health;
    }

    /**
     * Drains and stops: {@code /readyz} turns 503, the hook port stops accepting, idle connections close, requests
     * in flight get their answers (with {@code Connection: close}) until the drain timeout. Then a request whose
     * processor has still not answered, or that is still arriving, gets 503 (with {@code Connection: close}), a
     * streamed answer is cut, and everything closes. Returns true when every request in flight finished in time.
     *
     * <p>Every wait is bounded, so this returns within {@code timeout} and {@link #STOP_GRACE} even when an event loop
     * is blocked or has died (an {@link OutOfMemoryError} can kill its thread): what does not stop in time is logged
     * and abandoned, and the process exits anyway.
     */
    public synchronized boolean drainAndStop(Duration timeout) {
        if (closed) {
            return true;
        }
        closed = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        health.draining();
        List<ChannelFuture> unbound = hookListeners.stream().map(Channel::close).toList();
        long unbindDeadline = Math.max(deadline, System.nanoTime() + UNBIND_GRACE.toNanos());
        if (!unbound.stream().allMatch(f -> f.awaitUninterruptibly(remainingMillis(unbindDeadline)))) {
            log.warn("the hook port did not stop accepting within the drain timeout: its event loop does not answer "
                    + "(blocked, or stopped); draining anyway");
        }
        tell(hookChannels, HookRouter.DRAIN);
        awaitClosed(hookChannels, deadline);
        boolean drained = hookChannels.isEmpty();
        if (!drained) {
            log.warn("drain timeout ({} ms) passed with {} connection(s) still busy; answering 503 to requests not "
                    + "yet answered and closing the rest", timeout.toMillis(), hookChannels.size());
            tell(hookChannels, HookRouter.CUT_OFF);
            awaitClosed(hookChannels, System.nanoTime() + CUT_OFF_GRACE.toNanos());
            if (!hookChannels.isEmpty()) {
                log.warn("{} connection(s) still open {} ms after the cut-off: their event loop does not answer "
                        + "(blocked, or stopped); abandoning them", hookChannels.size(), CUT_OFF_GRACE.toMillis());
            }
        }
        // Work accepted but not yet done (asynchronous runs answered 202) is waited for up to the same deadline. It has
        // been running all along, so waiting for it after the connections costs it nothing: a request held to the
        // deadline leaves a run all the time a wait beside it would. Waiting here, once the requests are answered or cut
        // off, also sees the runs that requests still in flight at SIGTERM were answered 202 for.
        long drainEnd = Math.max(deadline, System.nanoTime()) + PROCESSOR_DRAIN_GRACE.toNanos();
        drained &= Boolean.TRUE.equals(bounded("waiting for the processors' accepted work", drainEnd,
                () -> drainProcessors(deadline)));
        releaseAll(System.nanoTime() + RELEASE_GRACE.toNanos());
        return drained;
    }

    private boolean drainProcessors(long deadline) {
        boolean drained = true;
        for (HookProcessor processor : allProcessors(false)) {
            try {
                drained &= processor.drain(deadline);
            } catch (RuntimeException e) {
                log.warn("a processor failed to drain", e);
                drained = false;
            }
        }
        return drained;
    }

    /**
     * Fires a drain event on every connection of the group. A connection whose event loop has stopped cannot take it
     * (the loop refuses the task); it is counted and left to the waits that follow, which are bounded.
     */
    private static void tell(ChannelGroup channels, Object event) {
        int unreachable = 0;
        for (Channel channel : channels) {
            try {
                channel.pipeline().fireUserEventTriggered(event);
            } catch (RejectedExecutionException stopped) {
                unreachable++;
            }
        }
        if (unreachable > 0) {
            log.warn("{} connection(s) could not be told {}: their event loop has stopped", unreachable, event);
        }
    }

    /** Waits until every channel of the group has closed, or the deadline ({@link System#nanoTime()}) passes. */
    private static void awaitClosed(ChannelGroup channels, long deadline) {
        while (!channels.isEmpty() && deadline - System.nanoTime() > 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Runs one step of the stop on a thread of its own and waits for it until the deadline: a step that blocks (a
     * processor waiting for an event loop that no longer runs tasks, say) is logged and abandoned to its daemon
     * thread rather than waited for. Returns what the step returned, or {@code null} when it failed or was abandoned.
     */
    private static <T> T bounded(String step, long deadline, Supplier<T> work) {
        CompletableFuture<T> result = CompletableFuture.supplyAsync(work, task -> {
            Thread thread = new Thread(task, "hook-gateway-stop");
            thread.setDaemon(true);
            thread.start();
        });
        try {
            return result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            log.warn("stopping: abandoned {}: not done in time (a thread it waits for may be blocked)", step);
        } catch (ExecutionException e) {
            log.warn("stopping: {} failed", step, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private static long remainingMillis(long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    @Override
    public void close() {
        drainAndStop(config.server().drainTimeout());
    }

    /**
     * Closes everything, by the deadline ({@link System#nanoTime()}) whatever blocks. Runs after the drain, so whatever
     * is still running is cut off: workers are interrupted at once rather than waited for, and the event loops get a
     * short grace period only. What does not stop in time is logged and left behind: the process is about to exit.
     */
    private void releaseAll(long deadline) {
        ChannelGroupFuture hookClosed = hookChannels.close();
        ChannelFuture adminUnbound = adminChannel == null ? null : adminChannel.close();
        ChannelGroupFuture adminClosed = adminChannels.close();
        long channelsDeadline = Math.min(System.nanoTime() + CHANNELS_GRACE.toNanos(), deadline);
        if (!hookClosed.awaitUninterruptibly(remainingMillis(channelsDeadline))
                || (adminUnbound != null && !adminUnbound.awaitUninterruptibly(remainingMillis(channelsDeadline)))
                || !adminClosed.awaitUninterruptibly(remainingMillis(channelsDeadline))) {
            log.warn("stopping: abandoned connections that did not close: their event loop does not answer");
        }
        // Processors and their shared resources (client connections) close while the event loops still run.
        bounded("closing the processors and their connections", deadline - THREADS_GRACE.toNanos(), () -> {
            closeProcessors();
            return null;
        });
        tlsListeners.forEach(ServerTls::close);
        if (tlsWatch != null) {
            tlsWatch.shutdownNow();
        }
        retirer.shutdownNow();
        workers.shutdownNow();
        scheduler.shutdownNow();
        metricsRenderer.shutdownNow();
        hookLoops.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS);
        adminLoops.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS);
        if (!hookLoops.terminationFuture().awaitUninterruptibly(remainingMillis(deadline))
                || !adminLoops.terminationFuture().awaitUninterruptibly(remainingMillis(deadline))) {
            log.warn("stopping: abandoned event loops that did not stop: a thread of theirs is blocked");
        }
        try {
            if (!workers.awaitTermination(remainingMillis(deadline), TimeUnit.MILLISECONDS)) {
                log.warn("stopping: abandoned {} worker thread(s) still running", workers.getActiveCount());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.registry().close();
    }

    /**
     * The processors of the hooks running now, and of those retired but not yet closed; with {@code claim}, the retired
     * ones are taken from the retirer, which then leaves them to the caller.
     */
    private List<HookProcessor> allProcessors(boolean claim) {
        List<HookProcessor> all = new ArrayList<>();
        Generation now = current;
        if (now != null) {
            now.hooks().forEach(hook -> all.add(hook.processor()));
        }
        synchronized (retiring) {
            retiring.forEach(hook -> all.add(hook.processor()));
            if (claim) {
                retiring.clear();
            }
        }
        return all;
    }

    private void closeProcessors() {
        for (HookProcessor processor : allProcessors(true)) {
            try {
                processor.close();
            } catch (Exception e) {
                log.warn("a processor failed to close", e);
            }
        }
        synchronized (shared) {
            for (Object resource : shared.values()) {
                if (resource instanceof AutoCloseable closeable) {
                    try {
                        closeable.close();
                    } catch (Exception e) {
                        log.warn("a shared processor resource failed to close", e);
                    }
                }
            }
            shared.clear();
        }
    }

    /**
     * One configured hook as it runs: its configuration, the routes to it and to its resources, its processor (the
     * chain), and the keys of the shared resources its processors use.
     */
    private record BuiltHook(HookConfig config, List<Hook> routes, HookProcessor processor, Set<String> sharedKeys) {

        /** Whether no request is waiting for or running in its processor. */
        boolean idle() {
            return routes.stream().allMatch(route -> route.dispatcher().queued() == 0
                    && route.dispatcher().active() == 0);
        }
    }

    /** What one configuration made: its hooks, and the routes to them that requests read. */
    private record Generation(GatewayConfig config, List<BuiltHook> hooks, Routes routes) {
    }

    /** What a processor of one hook is lent. */
    private final class Context implements ProcessorContext {
        private final String hookName;
        /** The shared resources this hook's processors use: one no hook uses any more is closed after a reload. */
        private final Set<String> sharedKeys = ConcurrentHashMap.newKeySet();

        Context(String hookName) {
            this.hookName = hookName;
        }

        @Override
        public String hookName() {
            return hookName;
        }

        @Override
        public Path configDirectory() {
            return config.directory();
        }

        @Override
        public Executor blockingExecutor() {
            return workers;
        }

        @Override
        public ScheduledExecutorService scheduler() {
            return scheduler;
        }

        @Override
        public MeterRegistry meterRegistry() {
            return metrics.registry();
        }

        @Override
        public <T> T service(Class<T> type) {
            if (type == Transport.class) {
                return type.cast(transportForClients);
            }
            return null;
        }

        Set<String> sharedKeys() {
            return sharedKeys;
        }

        @Override
        public <T> T shared(String key, Class<T> type, Supplier<? extends T> factory) {
            sharedKeys.add(key);
            synchronized (shared) {
                Object resource = shared.get(key);
                if (resource == null) {
                    resource = Objects.requireNonNull(factory.get(), "shared resource " + key);
                    shared.put(key, resource);
                }
                return type.cast(resource);
            }
        }
    }
}
