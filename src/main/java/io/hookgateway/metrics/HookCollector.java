package io.hookgateway.metrics;

import io.hookgateway.routing.HookDispatcher;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Exposes the hooks' {@link HookMeters} to the scrape, read when {@code /metrics} is rendered: the request and body
 * size histograms, and each hook's queue and executions. A hook appears with its first request; one never called has
 * no series at all. Its queue and executions are shown from its first request on, waiting or under way.
 *
 * <table>
 *   <caption>Buckets</caption>
 *   <tr><td>{@code hook_gateway_requests_seconds}</td><td>5 ms, 25 ms, 100 ms, 250 ms, 1 s, 3 s, 5 s, 10 s</td></tr>
 *   <tr><td>{@code hook_gateway_request_body_bytes}</td><td>64 B, 256 B, 1 KiB, 16 KiB, 64 KiB, 256 KiB, 1 MiB</td></tr>
 * </table>
 * The latency bounds follow what senders wait for: an answer from memory within 5 ms, a LAN forward or a short
 * program within 100-250 ms, Slack's 3 s and GitHub's 10 s delivery timeouts, and 5 s for the p99 alert of
 * {@code docker/alerts.yml}.
 */
final class HookCollector implements MultiCollector {

    static final FixedHistogram.Buckets LATENCY = new FixedHistogram.Buckets(
            millisToNanos(5, 25, 100, 250, 1000, 3000, 5000, 10000), 1e9);
    static final FixedHistogram.Buckets BODY = new FixedHistogram.Buckets(
            new long[] {64, 256, 1024, 16 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024}, 1);

    private static final MetricMetadata REQUESTS = new MetricMetadata("hook_gateway_requests_seconds",
            "Requests answered, by hook, method and status, with their latency", Unit.SECONDS);
    private static final MetricMetadata BODIES = new MetricMetadata("hook_gateway_request_body_bytes",
            "Request body sizes", Unit.BYTES);
    private static final MetricMetadata QUEUED = new MetricMetadata("hook_gateway_hook_queued",
            "Requests waiting for an execution slot of their hook");
    private static final MetricMetadata ACTIVE = new MetricMetadata("hook_gateway_hook_active",
            "Processor executions under way");

    private final Collection<HookMeters> hooks;

    /** @param hooks a live view of the hooks' meters, safe to iterate while they are added */
    HookCollector(Collection<HookMeters> hooks) {
        this.hooks = hooks;
    }

    private static long[] millisToNanos(long... millis) {
        long[] nanos = new long[millis.length];
        for (int i = 0; i < millis.length; i++) {
            nanos[i] = TimeUnit.MILLISECONDS.toNanos(millis[i]);
        }
        return nanos;
    }

    @Override
    public MetricSnapshots collect() {
        List<HistogramDataPointSnapshot> requests = new ArrayList<>();
        List<HistogramDataPointSnapshot> bodies = new ArrayList<>();
        List<GaugeDataPointSnapshot> queued = new ArrayList<>();
        List<GaugeDataPointSnapshot> active = new ArrayList<>();
        for (HookMeters hook : hooks) {
            FixedHistogram bodyBytes = hook.bodyBytes();
            HookDispatcher dispatcher = hook.dispatcher();
            Labels labels = Labels.of("hook", hook.hook());
            if (dispatcher != null && hook.called(dispatcher)) {
                queued.add(new GaugeDataPointSnapshot(dispatcher.queued(), labels, null));
                active.add(new GaugeDataPointSnapshot(dispatcher.active(), labels, null));
            }
            if (bodyBytes != null) {
                for (HookMeters.Requests series : hook.requests()) {
                    requests.add(series.latency().snapshot(series.labels()));
                }
                bodies.add(bodyBytes.snapshot(labels));
            }
        }
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        if (!requests.isEmpty()) {
            all.metricSnapshot(new HistogramSnapshot(REQUESTS, requests))
                    .metricSnapshot(new HistogramSnapshot(BODIES, bodies));
        }
        if (!queued.isEmpty()) {
            all.metricSnapshot(new GaugeSnapshot(QUEUED, queued)).metricSnapshot(new GaugeSnapshot(ACTIVE, active));
        }
        return all.build();
    }
}
