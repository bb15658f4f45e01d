package io.hookgateway.metrics;

import io.hookgateway.http.MemoryBudget;
import io.hookgateway.http.RequestFailure;
import io.hookgateway.logging.AccessLog;
import io.hookgateway.routing.HookDispatcher;
import io.hookgateway.routing.RequestObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.concurrent.EventExecutorGroup;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's meters, in one Prometheus registry. Hook meters are tagged with the hook's configured name, never the
 * raw path, so the number of series is bounded by the configuration. A hook's request meters ({@link HookMeters}) are
 * made on its first request, not when it is configured, and are cheap field updates rather than Micrometer timers
 * (exposed by {@link HookCollector}, which also lists their buckets). {@link #disabled()} records nothing: every
 * meter is a no-op and requests are not observed at all.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><td>{@code hook_gateway_requests_seconds}</td><td>histogram by hook, method, status</td></tr>
 *   <tr><td>{@code hook_gateway_request_body_bytes}</td><td>histogram by hook</td></tr>
 *   <tr><td>{@code hook_gateway_decode_errors_total}</td><td>counter by reason</td></tr>
 *   <tr><td>{@code hook_gateway_processor_failures_total}</td><td>counter by hook, cause</td></tr>
 *   <tr><td>{@code hook_gateway_connections_open}</td><td>gauge</td></tr>
 *   <tr><td>{@code hook_gateway_connections_total}</td><td>counter of accepted connections</td></tr>
 *   <tr><td>{@code hook_gateway_connections_rejected_total}</td><td>counter of connections over the cap</td></tr>
 *   <tr><td>{@code hook_gateway_hook_queued}, {@code hook_gateway_hook_active}</td><td>gauges by hook, from its
 *   first request on</td></tr>
 *   <tr><td>{@code hook_gateway_config_reloads_total}</td><td>counter by result: {@code applied}, {@code refused}</td></tr>
 *   <tr><td>{@code hook_gateway_config_last_reload_successful}</td><td>gauge: 1 after the start or an applied reload,
 *   0 after a refused one</td></tr>
 *   <tr><td>{@code hook_gateway_config_last_reload_success_timestamp_seconds}</td><td>gauge: when the configuration
 *   running now was applied (the start, or the last applied reload)</td></tr>
 *   <tr><td>{@code hook_gateway_access_log_dropped_total}</td><td>counter of access lines dropped because standard
 *   output could not take them as fast as they came</td></tr>
 * </table>
 * plus JVM, process and Netty event loop and allocator meters.
 */
public final class GatewayMetrics implements RequestObserver {

    private final PrometheusMeterRegistry registry;
    private final boolean enabled;
    /** By hook name: bounded by the names configured since the start, and {@link #UNMATCHED}. */
    private final Map<String, HookMeters> hooks = new ConcurrentHashMap<>();
    private final Map<RequestFailure, Counter> decodeErrors = new EnumMap<>(RequestFailure.class);
    private final AtomicInteger openConnections = new AtomicInteger();
    private final Counter acceptedConnections;
    private final Counter rejectedConnections;
    private final AtomicInteger hookCount = new AtomicInteger();
    private final Counter reloadsApplied;
    private final Counter reloadsRefused;
    private final AtomicInteger lastReloadSuccessful = new AtomicInteger(1);
    /** Milliseconds since the epoch; seconds are shown, with the fraction. */
    private final AtomicLong lastReloadSuccessMillis = new AtomicLong(System.currentTimeMillis());
    /** Binds the JVM and process meters on a thread of its own; {@code null} when disabled. */
    private final FutureTask<Void> jvmBinders;

    /** Meters for the metrics port. */
    public GatewayMetrics() {
        this(true);
    }

    /**
     * For {@code metrics.enabled: false}: every meter is a no-op (Micrometer hands out no-op meters when a filter
     * denies them all), the JVM binders are not bound, and hooks get {@link HookObserver#NONE}, so a request costs
     * nothing to observe.
     */
    public static GatewayMetrics disabled() {
        return new GatewayMetrics(false);
    }

    private GatewayMetrics(boolean enabled) {
        this.enabled = enabled;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        if (enabled) {
            conformToPrometheusNaming(registry);
            registry.getPrometheusRegistry().register(new HookCollector(hooks.values()));
            // The JVM and process binders load and initialise a few hundred classes (management beans, GC
            // notifications): a quarter of the gateway's own start-up. Nothing before the first scrape reads them, so
            // they are bound beside the start rather than before the port, and the scrape waits for them.
            jvmBinders = new FutureTask<>(() -> bindJvm(registry), null);
            Thread binder = new Thread(jvmBinders, "metrics-binders");
            binder.setDaemon(true);
            binder.start();
        } else {
            registry.config().meterFilter(MeterFilter.deny());
            jvmBinders = null;
        }
        for (RequestFailure failure : RequestFailure.values()) {
            decodeErrors.put(failure, Counter.builder("hook.gateway.decode.errors")
                    .description("Requests refused before routing, by reason")
                    .tag("reason", failure.reason())
                    .register(registry));
        }
        Gauge.builder("hook.gateway.connections.open", openConnections, AtomicInteger::get)
                .description("Open connections on the hook port")
                .register(registry);
        acceptedConnections = Counter.builder("hook.gateway.connections")
                .description("Connections accepted on the hook port")
                .register(registry);
        rejectedConnections = Counter.builder("hook.gateway.connections.rejected")
                .description("Connections closed at once because the connection cap was reached")
                .register(registry);
        FunctionCounter.builder("hook.gateway.access.log.dropped", AccessLog.stdout(), AccessLog::dropped)
                .description("Access lines dropped because standard output could not take them as fast as they came")
                .register(registry);
        reloadsApplied = reloads("applied");
        reloadsRefused = reloads("refused");
        Gauge.builder("hook.gateway.config.last.reload.successful", lastReloadSuccessful, AtomicInteger::get)
                .description("1 when the configuration file was last loaded well (at the start or a reload), 0 when "
                        + "the last reload was refused and an older configuration still runs")
                .register(registry);
        Gauge.builder("hook.gateway.config.last.reload.success.timestamp", lastReloadSuccessMillis,
                        millis -> millis.get() / 1000.0)
                .baseUnit("seconds")
                .description("When the configuration running now was applied, at the start or by a reload, in "
                        + "seconds since the epoch")
                .register(registry);
    }

    private static void bindJvm(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sunOs) {
            FunctionCounter.builder("process.cpu", sunOs, o -> o.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds")
                    .description("CPU time used by the process")
                    .register(registry);
        }
    }

    /**
     * What {@code /metrics} shows: every meter, the JVM's included (this waits until they are bound, which the first
     * scrape after the start may).
     */
    public PrometheusRegistry scraped() {
        if (jvmBinders != null) {
            try {
                jvmBinders.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException("the JVM meters could not be bound", e.getCause());
            }
        }
        return registry.getPrometheusRegistry();
    }

    private Counter reloads(String result) {
        return Counter.builder("hook.gateway.config.reloads")
                .description("Reloads of the configuration file, by result: applied, or refused (the file could "
                        + "not be read or is not valid; the configuration before it still runs)")
                .tag("result", result)
                .register(registry);
    }

    /** A reload of the configuration replaced the hooks. */
    public void reloadApplied() {
        reloadsApplied.increment();
        lastReloadSuccessMillis.set(System.currentTimeMillis());
        lastReloadSuccessful.set(1);
    }

    /** A reload of the configuration was refused: the configuration before it still runs. */
    public void reloadRefused() {
        reloadsRefused.increment();
        lastReloadSuccessful.set(0);
    }

    /** The number of configured hooks, after the start or a reload. */
    public void hooksConfigured(int count) {
        hookCount.set(count);
    }

    /**
     * A few binders name meters in ways {@code promtool check metrics} objects to; these filters fix them at
     * registration, so the scrape passes the Prometheus conventions without exceptions.
     */
    private static void conformToPrometheusNaming(MeterRegistry registry) {
        registry.config()
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        String name = id.getName();
                        if (name.equals("system.cpu.count")) {
                            // "_count" is a histogram suffix; a plain gauge must not end with it.
                            return id.withName("system.cpu.cores");
                        }
                        String help = NETTY_HELP.get(name);
                        if (help != null && (id.getDescription() == null || id.getDescription().isBlank())) {
                            return new Meter.Id(name, Tags.of(id.getTags()), id.getBaseUnit(), help, id.getType());
                        }
                        return id;
                    }
                })
                // Nanoseconds in a name ("_ns_total") is an abbreviated unit; process_cpu_seconds_total replaces it.
                .meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
    }

    private static final Map<String, String> NETTY_HELP = Map.of(
            "netty.allocator.memory.used", "Memory used by Netty's buffer allocator",
            "netty.allocator.memory.pinned", "Memory pinned by buffers of Netty's allocator",
            "netty.allocator.pooled.arenas", "Arenas of Netty's pooled allocator",
            "netty.allocator.pooled.cache.size", "Cache sizes of Netty's pooled allocator",
            "netty.allocator.pooled.threadlocal.caches", "Thread-local caches of Netty's pooled allocator",
            "netty.allocator.pooled.chunk.size", "Chunk size of Netty's pooled allocator",
            "netty.eventexecutor.tasks.pending", "Tasks waiting to run on each Netty event loop",
            "netty.eventexecutor.workers", "Netty event loop threads");

    /** The registry, for processors' own meters and for the scrape endpoint. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Binds a group's event loops: pending tasks per loop. */
    public void bindEventLoops(EventExecutorGroup group) {
        new NettyEventExecutorMetrics(group).bindTo(registry);
    }

    /** Binds the buffer allocator's memory use, when it reports it. */
    public void bindAllocator(ByteBufAllocator allocator) {
        if (allocator instanceof ByteBufAllocatorMetricProvider provider) {
            new NettyAllocatorMetrics(provider).bindTo(registry);
        }
    }

    /**
     * Gauges of one memory budget: {@code hook_gateway_<name>_memory_used_bytes}, what it holds of {@code what}, and
     * {@code hook_gateway_<name>_memory_max_bytes}, what it may; beyond it, 503.
     */
    public void bindMemory(String name, MemoryBudget budget, String what) {
        Gauge.builder("hook.gateway." + name + ".memory.used", budget, MemoryBudget::used).baseUnit("bytes")
                .description("Memory held by " + what).register(registry);
        Gauge.builder("hook.gateway." + name + ".memory.max", budget, MemoryBudget::capacity).baseUnit("bytes")
                .description("Memory that " + what + " may hold together; beyond it, 503").register(registry);
    }

    /** Publishes a gauge of 1 with the version as a tag, the Prometheus way to export build info. */
    public void bindBuildInfo(String version, int hooks) {
        Gauge.builder("hook.gateway.build.info", () -> 1).description("Build information; the value is always 1")
                .tag("version", version).register(registry);
        hooksConfigured(hooks);
        Gauge.builder("hook.gateway.hooks", hookCount, AtomicInteger::get).description("Hooks configured")
                .register(registry);
    }

    /**
     * Gauges of one hook's dispatcher: requests waiting and executions under way, shown from the hook's first request
     * on.
     */
    public void bindDispatcher(String hookName, HookDispatcher dispatcher) {
        if (enabled) {
            meters(hookName).bind(dispatcher);
        }
    }

    /**
     * Removes the gauges of a hook that a reload removed or replaced: a gauge reads the object it was registered with,
     * which the hook's replacement does not share, and registering again under the same name and tags would return the
     * old gauge. The replacement registers its own afterwards. Counters and timers stay: they only ever grow, and a
     * hook configured again under the same name goes on counting where it left off.
     */
    public void forgetHookGauges(String hookName) {
        HookMeters meters = hooks.get(hookName);
        if (meters != null) {
            meters.unbind();
        }
        for (Meter meter : registry.getMeters()) {
            if (meter instanceof Gauge && hookName.equals(meter.getId().getTag("hook"))) {
                registry.remove(meter);
            }
        }
    }

    public void connectionRejected() {
        rejectedConnections.increment();
    }

    public void connectionOpened() {
        openConnections.incrementAndGet();
        acceptedConnections.increment();
    }

    public void connectionClosed() {
        openConnections.decrementAndGet();
    }

    @Override
    public HookObserver hook(String hookName) {
        return enabled ? meters(hookName) : HookObserver.NONE;
    }

    private HookMeters meters(String hookName) {
        HookMeters meters = hooks.get(hookName);
        return meters != null ? meters : hooks.computeIfAbsent(hookName,
                name -> new HookMeters(name, registry, HookCollector.LATENCY, HookCollector.BODY));
    }

    @Override
    public void decodeFailure(RequestFailure failure) {
        decodeErrors.get(failure).increment();
    }
}
