package io.hookgateway.metrics;

import io.hookgateway.hooks.HookMethods;
import io.hookgateway.routing.HookDispatcher;
import io.hookgateway.routing.RequestObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One hook's request meters. Nothing is registered when the hook is built: its series are made on its first request,
 * one per method and status it answers, so a gateway with a thousand hooks exposes only those that had traffic.
 * Recording a request finds its series in a short array (a hook answers a handful of method and status pairs) and
 * records two {@link FixedHistogram}s; a pair seen for the first time is added under the lock, copy on write.
 */
final class HookMeters implements RequestObserver.HookObserver {

    /** Methods a hook can take are tagged by name; anything else is {@code OTHER}, to keep the tag bounded. */
    private static final int OTHER_METHOD = HookMethods.ALL.size();
    /** Status codes have three digits (RFC 9110 §15); anything else was never written by the gateway. */
    private static final int STATUS_LIMIT = 1000;

    /** The series of one method and status. */
    record Requests(int key, Labels labels, FixedHistogram latency) {
    }

    private final String hook;
    private final MeterRegistry registry;
    private final FixedHistogram.Buckets latencyBuckets;
    private final FixedHistogram.Buckets bodyBuckets;
    private volatile Requests[] requests = new Requests[0];
    /** Made with the first series. */
    private volatile FixedHistogram bodyBytes;
    private volatile HookDispatcher dispatcher;
    /** Set for good once the hook had a request: answered, under way or waiting. */
    private volatile boolean called;
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();

    HookMeters(String hook, MeterRegistry registry, FixedHistogram.Buckets latencyBuckets,
               FixedHistogram.Buckets bodyBuckets) {
        this.hook = hook;
        this.registry = registry;
        this.latencyBuckets = latencyBuckets;
        this.bodyBuckets = bodyBuckets;
    }

    String hook() {
        return hook;
    }

    @Override
    public void completed(String method, int status, long durationNanos, long bodyBytes) {
        if (status < 0 || status >= STATUS_LIMIT) {
            return;
        }
        int methodIndex = HookMethods.indexOf(method);
        int key = (methodIndex < 0 ? OTHER_METHOD : methodIndex) * STATUS_LIMIT + status;
        Requests series = find(requests, key);
        if (series == null) {
            series = add(key);
        }
        series.latency().record(durationNanos);
        this.bodyBytes.record(bodyBytes);
    }

    private static Requests find(Requests[] all, int key) {
        for (Requests series : all) {
            if (series.key() == key) {
                return series;
            }
        }
        return null;
    }

    private synchronized Requests add(int key) {
        Requests[] all = requests;
        Requests series = find(all, key);
        if (series != null) {
            return series;
        }
        int methodIndex = key / STATUS_LIMIT;
        String method = methodIndex < OTHER_METHOD ? HookMethods.ALL.get(methodIndex) : "OTHER";
        series = new Requests(key, Labels.of("hook", hook, "method", method, "status",
                Integer.toString(key % STATUS_LIMIT)), new FixedHistogram(latencyBuckets));
        if (bodyBytes == null) {
            bodyBytes = new FixedHistogram(bodyBuckets);
        }
        Requests[] more = Arrays.copyOf(all, all.length + 1);
        more[all.length] = series;
        requests = more;
        return series;
    }

    /** The series made so far, in the order they were first seen. */
    Requests[] requests() {
        return requests;
    }

    /** The body sizes, {@code null} before the first request. */
    FixedHistogram bodyBytes() {
        return bodyBytes;
    }

    /** The hook's dispatcher, whose queue and executions are exposed once the hook has traffic. */
    void bind(HookDispatcher running) {
        dispatcher = running;
    }

    /** Forgets the dispatcher of a hook a reload removed or replaced. */
    void unbind() {
        dispatcher = null;
    }

    HookDispatcher dispatcher() {
        return dispatcher;
    }

    /**
     * Whether the hook has had a request: one answered, or one under way or waiting in {@code running} (a first
     * request to a slow program is in flight long before it is answered).
     */
    boolean called(HookDispatcher running) {
        if (!called && (bodyBytes != null || running.queued() > 0 || running.active() > 0)) {
            called = true;
        }
        return called;
    }

    @Override
    public void processorFailed(String cause) {
        failures.computeIfAbsent(cause, c -> Counter.builder("hook.gateway.processor.failures")
                .description("Processor failures, by hook and cause")
                .tags("hook", hook, "cause", c)
                .register(registry)).increment();
    }
}
