package io.hookgateway.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class ChainTest {

    private final List<String> closed = new ArrayList<>();

    /** A processor that answers 200 and records its closing, failing it when {@code failure} is given. */
    private HookProcessor processor(String name, RuntimeException failure) {
        return new HookProcessor() {
            @Override
            public CompletionStage<HookResponse> process(HookRequest request) {
                return CompletableFuture.completedFuture(HookResponse.text(200, name));
            }

            @Override
            public void close() {
                closed.add(name);
                if (failure != null) {
                    throw failure;
                }
            }
        };
    }

    private Chain chain(HookProcessor onMismatch, HookProcessor... processors) {
        return chain(new SimpleMeterRegistry(), onMismatch, processors);
    }

    private Chain chain(MeterRegistry registry, HookProcessor onMismatch, HookProcessor... processors) {
        List<Chain.Named> named = new ArrayList<>();
        for (HookProcessor p : processors) {
            named.add(new Chain.Named("test", p));
        }
        return new Chain("h", named, Gate.OPEN, Rule.ALWAYS, onMismatch, registry, Runnable::run);
    }

    @Test
    void showsAStepsCountAndTimeAfterItsFirstRunAndNothingBefore() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Chain chain = chain(registry, processor("mismatch", null), processor("a", null));

        assertThat(registry.scrape()).doesNotContain("hook_gateway_processor_seconds");

        assertThat(chain.process(FakeHookRequest.builder().build()).toCompletableFuture().join().status())
                .isEqualTo(200);

        String scrape = registry.scrape();
        assertThat(scrape).contains(
                "hook_gateway_processor_seconds_count{hook=\"h\",outcome=\"ok\",processor=\"test\"} 1")
                .contains("hook_gateway_processor_seconds_sum{hook=\"h\",outcome=\"ok\",processor=\"test\"}")
                .doesNotContain("outcome=\"failed\"");
    }

    @Test
    void goesOnCountingInTheSameSeriesWhenTheHookIsBuiltAgain() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (int reload = 0; reload < 2; reload++) {
            chain(registry, processor("mismatch", null), processor("a", null))
                    .process(FakeHookRequest.builder().build()).toCompletableFuture().join();
        }

        assertThat(registry.scrape()).contains(
                "hook_gateway_processor_seconds_count{hook=\"h\",outcome=\"ok\",processor=\"test\"} 2");
    }

    @Test
    void registersNothingWhenTheRegistryTakesNoMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(MeterFilter.deny());
        Chain chain = chain(registry, processor("mismatch", null), processor("a", null));

        for (int i = 0; i < 3; i++) {
            assertThat(chain.process(FakeHookRequest.builder().build()).toCompletableFuture().join().status())
                    .isEqualTo(200);
        }

        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void closingClosesEveryProcessorThenReportsTheFirstFailure() {
        IllegalStateException first = new IllegalStateException("first");
        IllegalStateException second = new IllegalStateException("second");
        Chain chain = chain(processor("mismatch", null), processor("a", first), processor("b", second),
                processor("c", null));

        assertThatThrownBy(chain::close).isSameAs(first);
        assertThat(closed).containsExactly("a", "b", "c", "mismatch");
        assertThat(first.getSuppressed()).containsExactly(second);
    }

    @Test
    void closingWithoutFailuresThrowsNothing() {
        Chain chain = chain(processor("mismatch", null), processor("a", null));

        chain.close();

        assertThat(closed).containsExactly("a", "mismatch");
    }
}
