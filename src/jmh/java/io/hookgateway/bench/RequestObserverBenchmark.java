package io.hookgateway.bench;

import io.hookgateway.metrics.GatewayMetrics;
import io.hookgateway.routing.RequestObserver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What observing one answered request costs the event loop: the gateway's meters ({@code gateway}), the same with
 * {@code metrics.enabled: false} ({@code disabled}), and for comparison the Micrometer timer and distribution summary
 * it recorded into before ({@code micrometer}: 13 latency and 7 size buckets, as they were). Run with {@code -t 2}
 * to see two event loops recording the same hook.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestObserverBenchmark {

    @Param({"gateway", "disabled", "micrometer"})
    public String meters;

    private RequestObserver.HookObserver observer;

    @Setup
    public void setUp() {
        observer = switch (meters) {
            case "gateway" -> new GatewayMetrics().hook("post");
            case "disabled" -> GatewayMetrics.disabled().hook("post");
            case "micrometer" -> micrometer(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            default -> throw new IllegalArgumentException(meters);
        };
    }

    @Benchmark
    public void completed() {
        observer.completed("POST", 200, 180_000, 48);
    }

    private static RequestObserver.HookObserver micrometer(PrometheusMeterRegistry registry) {
        Timer timer = Timer.builder("hook.gateway.requests").tags("hook", "post", "method", "POST", "status", "200")
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
                        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
                        Duration.ofSeconds(10), Duration.ofSeconds(30))
                .register(registry);
        DistributionSummary body = DistributionSummary.builder("hook.gateway.request.body").baseUnit("bytes")
                .tag("hook", "post")
                .serviceLevelObjectives(64, 256, 1024, 16 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024)
                .register(registry);
        return new RequestObserver.HookObserver() {
            @Override
            public void completed(String method, int status, long durationNanos, long bodyBytes) {
                timer.record(durationNanos, TimeUnit.NANOSECONDS);
                body.record(bodyBytes);
            }

            @Override
            public void processorFailed(String cause) {
            }
        };
    }
}
