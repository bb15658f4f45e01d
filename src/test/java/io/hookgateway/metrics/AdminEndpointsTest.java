package io.hookgateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookgateway.hooks.FakeHookRequest;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.HookResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AdminEndpoints}' scrape: rendered on its own small executor, never on the calling thread (the metrics port's
 * only event loop, which must stay free for {@code /healthz}), and answered 503 with {@code Retry-After} when that
 * executor is busy.
 */
class AdminEndpointsTest {

    private final GatewayMetrics metrics = new GatewayMetrics();

    @AfterEach
    void closeRegistry() {
        metrics.registry().close();
    }

    @Test
    void rendersMetricsOnTheRendererNotOnTheCallingThread() {
        List<Runnable> handedOver = new ArrayList<>();
        CompletableFuture<HookResponse> answer = scrape(handedOver::add);

        assertThat(answer).as("nothing is rendered on the calling thread").isNotDone();
        assertThat(handedOver).hasSize(1);
        handedOver.get(0).run();

        HookResponse rendered = answer.join();
        assertThat(rendered.status()).isEqualTo(200);
        assertThat(rendered.headers().get("Content-Type")).startsWith("text/plain");
        assertThat(new String(rendered.body(), StandardCharsets.UTF_8)).contains("hook_gateway_connections_open");
    }

    @Test
    void answers503WithRetryAfterWhenTheRendererIsBusy() {
        CompletableFuture<HookResponse> answer = scrape(task -> {
            throw new RejectedExecutionException("busy");
        });

        assertThat(answer).isDone();
        HookResponse busy = answer.join();
        assertThat(busy.status()).isEqualTo(503);
        assertThat(busy.headers().get("Retry-After")).isEqualTo("1");
    }

    @Test
    void theRendererTakesOneScrapeAtATimeAndTwoWaitingThenRefuses() throws Exception {
        ThreadPoolExecutor renderer = AdminEndpoints.renderer();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            renderer.execute(() -> {
                running.countDown();
                await(release);
            });
            running.await();
            for (int i = 0; i < AdminEndpoints.RENDER_QUEUE; i++) {
                renderer.execute(() -> { });
            }
            assertThatThrownBy(() -> renderer.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
            assertThat(scrape(renderer).join().status()).isEqualTo(503);
        } finally {
            release.countDown();
            renderer.shutdownNow();
        }
    }

    private CompletableFuture<HookResponse> scrape(Executor renderer) {
        HookProcessor processor = AdminEndpoints.routes(metrics, new Health(), renderer).match("GET", "/metrics")
                .hook().processor();
        return processor.process(FakeHookRequest.builder().method("GET").path("/metrics").build())
                .toCompletableFuture();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
