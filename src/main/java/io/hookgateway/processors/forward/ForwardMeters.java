package io.hookgateway.processors.forward;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One forward hook's meters, all created when the hook is built: every attempt to reach the downstream, by outcome,
 * with its duration ({@code hook_gateway_forward_attempts_seconds}), and the retries among them
 * ({@code hook_gateway_forward_retries_total}). Tagged by hook and outcome only, never by URL or host: a templated URL
 * would make a series per request.
 */
final class ForwardMeters {

    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };
    private static final String[] STATUS_CLASSES = {"2xx", "3xx", "4xx", "5xx"};

    private final Timer[] answered = new Timer[STATUS_CLASSES.length];
    private final Map<DownstreamFailure.Kind, Timer> failed = new EnumMap<>(DownstreamFailure.Kind.class);
    private final Counter retries;

    ForwardMeters(MeterRegistry registry, String hook) {
        for (int i = 0; i < STATUS_CLASSES.length; i++) {
            answered[i] = timer(registry, hook, STATUS_CLASSES[i]);
        }
        for (DownstreamFailure.Kind kind : DownstreamFailure.Kind.values()) {
            failed.put(kind, timer(registry, hook, kind.outcome));
        }
        retries = Counter.builder("hook.gateway.forward.retries")
                .description("Attempts of a forward hook that repeated an earlier one (after a failure or a 5xx)")
                .tag("hook", hook)
                .register(registry);
    }

    private static Timer timer(MeterRegistry registry, String hook, String outcome) {
        return Timer.builder("hook.gateway.forward.attempts")
                .description("Attempts of a forward hook to reach its downstream, by outcome (the answer's status "
                        + "class, or why there was none), with their duration")
                .tags("hook", hook, "outcome", outcome)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
    }

    /** An attempt that got an answer, 200..599. */
    void answered(int status, long nanos) {
        int statusClass = Math.min(Math.max(status / 100 - 2, 0), STATUS_CLASSES.length - 1);
        answered[statusClass].record(nanos, TimeUnit.NANOSECONDS);
    }

    void failed(DownstreamFailure.Kind kind, long nanos) {
        failed.get(kind).record(nanos, TimeUnit.NANOSECONDS);
    }

    void retried() {
        retries.increment();
    }
}
