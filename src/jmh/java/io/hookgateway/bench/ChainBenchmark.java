package io.hookgateway.bench;

import io.hookgateway.hooks.Chain;
import io.hookgateway.hooks.FakeHookRequest;
import io.hookgateway.hooks.Gate;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.HookResponse;
import io.hookgateway.hooks.Rule;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * One request through a hook's chain of one processor that answers at once (the {@code respond} case), with the
 * step timed into the gateway's Prometheus registry ({@code metrics}) or into one that takes no meters, as with
 * {@code metrics.enabled: false} ({@code disabled}): what the chain itself costs per request, timing included.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChainBenchmark {

    @Param({"metrics", "disabled"})
    public String registry;

    private Chain chain;
    private HookRequest request;

    @Setup
    public void setUp() {
        MeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        if (registry.equals("disabled")) {
            meters.config().meterFilter(MeterFilter.deny());
        }
        CompletionStage<HookResponse> answer = CompletableFuture.completedFuture(HookResponse.text(200, "ok"));
        HookProcessor respond = r -> answer;
        chain = new Chain("post", List.of(new Chain.Named("respond", respond)), Gate.OPEN, Rule.ALWAYS, respond,
                meters, Runnable::run);
        request = FakeHookRequest.builder().build();
    }

    @Benchmark
    public CompletionStage<HookResponse> process() {
        return chain.process(request);
    }
}
