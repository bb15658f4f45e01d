package io.hookgateway.hooks;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.noop.NoopMeter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * How often one processor step of a hook ended with one outcome, and the time those runs took in all: two adders,
 * shown as {@code hook_gateway_processor_seconds{hook, processor, outcome}} ({@code _count} and {@code _sum}) through
 * a FunctionTimer. Recording is two adds; a Micrometer Timer also read the wall clock and rotated a window for
 * {@code _max} on every record, which nothing (dashboard, alerts) reads.
 *
 * <p>The totals of a registry are shared by every chain built on it: a hook configured again under the same name (a
 * reload) goes on counting in the series its first chain registered, which the registry would hand back anyway.
 */
final class StepTotals {

    /**
     * By registry (weakly, so a stopped gateway's go with it), then by hook, processor type and outcome. This map also
     * keeps the totals alive: a FunctionTimer holds its object only weakly.
     */
    private static final Map<MeterRegistry, Map<List<String>, StepTotals>> BY_REGISTRY = new WeakHashMap<>();

    private final LongAdder count = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    private StepTotals() {
    }

    /**
     * The totals of this step and outcome in {@code registry}, registering their series the first time; null when the
     * registry takes no meters ({@code metrics.enabled: false}), so the caller can stop timing. Called once per chain,
     * step and outcome, on first use.
     */
    static StepTotals of(MeterRegistry registry, String hook, String processor, String outcome) {
        synchronized (BY_REGISTRY) {
            Map<List<String>, StepTotals> byStep = BY_REGISTRY.computeIfAbsent(registry, r -> new HashMap<>());
            List<String> key = List.of(hook, processor, outcome);
            StepTotals totals = byStep.get(key);
            if (totals == null) {
                totals = new StepTotals();
                FunctionTimer timer = FunctionTimer.builder("hook.gateway.processor", totals,
                                t -> t.count.sum(), t -> t.nanos.sum(), TimeUnit.NANOSECONDS)
                        .description("Processor executions, by hook, processor type and outcome, with their duration")
                        .tags("hook", hook, "processor", processor, "outcome", outcome)
                        .register(registry);
                if (timer instanceof NoopMeter) {
                    return null;
                }
                byStep.put(key, totals);
            }
            return totals;
        }
    }

    void add(long elapsedNanos) {
        count.increment();
        nanos.add(elapsedNanos);
    }
}
