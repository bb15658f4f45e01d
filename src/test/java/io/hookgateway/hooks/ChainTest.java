package io.hookgateway.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
        List<Chain.Named> named = new ArrayList<>();
        for (HookProcessor p : processors) {
            named.add(new Chain.Named("test", p));
        }
        return new Chain("h", named, Gate.OPEN, Rule.ALWAYS, onMismatch, new SimpleMeterRegistry(), Runnable::run);
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
