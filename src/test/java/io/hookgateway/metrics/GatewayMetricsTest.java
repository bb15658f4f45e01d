package io.hookgateway.metrics;

import static io.hookgateway.testing.PrometheusText.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.hooks.HookResponse;
import io.hookgateway.http.RequestFailure;
import io.hookgateway.routing.ExecutionLimits;
import io.hookgateway.routing.HookDispatcher;
import io.hookgateway.routing.RequestObserver;
import io.micrometer.core.instrument.Counter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The hooks' request meters as a scrape shows them: series that appear with a hook's first request, the chosen
 * buckets, counts that survive concurrent recording, and a disabled registry that records nothing.
 */
class GatewayMetricsTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void firstScrapeShowsTheJvmMetersBoundBesideTheStart() throws IOException {
        GatewayMetrics metrics = new GatewayMetrics();

        String scrape = new String(scrapeText(metrics), StandardCharsets.UTF_8);

        assertThat(scrape).contains("jvm_memory_used_bytes{", "jvm_threads_live_threads ", "process_cpu_seconds_total ",
                "process_uptime_seconds ", "system_cpu_cores ");
        assertThat(scrape).doesNotContain("process_cpu_time_ns_total", "system_cpu_count");
    }

    private static byte[] scrapeText(GatewayMetrics metrics) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExpositionFormats.init().getPrometheusTextFormatWriter()
                .write(out, metrics.scraped().scrape());
        return out.toByteArray();
    }

    @Test
    void exposesNoSeriesOfAHookBeforeItsFirstRequest() {
        GatewayMetrics metrics = new GatewayMetrics();
        for (int i = 0; i < 1000; i++) {
            metrics.hook("h" + i);
            metrics.bindDispatcher("h" + i, dispatcher("h" + i));
        }

        assertThat(metrics.registry().scrape()).doesNotContain("hook=\"h");

        metrics.hook("h7").completed("POST", 200, 3 * MS, 48);
        String scrape = metrics.registry().scrape();

        assertThat(sample(scrape, "hook_gateway_requests_seconds_count{hook=\"h7\",method=\"POST\",status=\"200\"}"))
                .hasValue(1.0);
        assertThat(sample(scrape, "hook_gateway_request_body_bytes_sum{hook=\"h7\"}")).hasValue(48.0);
        assertThat(sample(scrape, "hook_gateway_hook_active{hook=\"h7\"}")).hasValue(0.0);
        assertThat(sample(scrape, "hook_gateway_hook_queued{hook=\"h7\"}")).hasValue(0.0);
        assertThat(scrape).doesNotContain("hook=\"h8\"").doesNotContain("hook=\"h70\"");
    }

    @Test
    void countsLatencyInTheChosenBucketsWithInclusiveUpperBounds() {
        GatewayMetrics metrics = new GatewayMetrics();
        RequestObserver.HookObserver hook = metrics.hook("post");

        hook.completed("POST", 200, 4 * MS, 10);
        hook.completed("POST", 200, 5 * MS, 10);
        hook.completed("POST", 200, 6 * MS, 300);
        hook.completed("POST", 200, 11_000 * MS, 2000);
        String scrape = metrics.registry().scrape();

        String series = "hook_gateway_requests_seconds_bucket{hook=\"post\",method=\"POST\",status=\"200\",le=\"%s\"}";
        assertThat(sample(scrape, series.formatted("0.005"))).hasValue(2.0);
        assertThat(sample(scrape, series.formatted("0.025"))).hasValue(3.0);
        assertThat(sample(scrape, series.formatted("10.0"))).hasValue(3.0);
        assertThat(sample(scrape, series.formatted("+Inf"))).hasValue(4.0);
        assertThat(scrape.lines().filter(line -> line.startsWith("hook_gateway_requests_seconds_bucket")))
                .as("eight bounds and +Inf").hasSize(9);
        assertThat(sample(scrape, "hook_gateway_requests_seconds_sum{hook=\"post\",method=\"POST\",status=\"200\"}"))
                .hasValue(11.015);
        assertThat(sample(scrape, "hook_gateway_request_body_bytes_bucket{hook=\"post\",le=\"256.0\"}")).hasValue(2.0);
        assertThat(sample(scrape, "hook_gateway_request_body_bytes_count{hook=\"post\"}")).hasValue(4.0);
        assertThat(scrape).doesNotContain("hook_gateway_requests_seconds_max");
    }

    @Test
    void tagsMethodsNoHookTakesAsOther() {
        GatewayMetrics metrics = new GatewayMetrics();

        metrics.hook(RequestObserver.UNMATCHED).completed("BREW", 501, MS, 0);

        assertThat(sample(metrics.registry().scrape(),
                "hook_gateway_requests_seconds_count{hook=\"unmatched\",method=\"OTHER\",status=\"501\"}"))
                .hasValue(1.0);
    }

    @Test
    void losesNoCountWhenThreadsRecordAndAddSeriesTogether() throws Exception {
        GatewayMetrics metrics = new GatewayMetrics();
        int threads = 4;
        int perThread = 20_000;
        int[] statuses = {200, 201, 202, 204, 400, 401, 403, 404, 500, 503};
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    RequestObserver.HookObserver hook = metrics.hook("busy");
                    for (int i = 0; i < perThread; i++) {
                        hook.completed(i % 2 == 0 ? "POST" : "GET", statuses[i % statuses.length], i, 1);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        String scrape = metrics.registry().scrape();

        double total = scrape.lines().filter(line -> line.startsWith("hook_gateway_requests_seconds_count{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        assertThat(total).isEqualTo(threads * perThread);
        assertThat(scrape.lines().filter(line -> line.startsWith("hook_gateway_requests_seconds_count{")))
                .as("one series per method and status seen").hasSize(statuses.length);
        assertThat(sample(scrape, "hook_gateway_request_body_bytes_count{hook=\"busy\"}"))
                .hasValue((double) threads * perThread);
    }

    @Test
    void recordsNothingWhenDisabled() {
        GatewayMetrics metrics = GatewayMetrics.disabled();

        RequestObserver.HookObserver hook = metrics.hook("post");
        hook.completed("POST", 200, MS, 48);
        metrics.bindDispatcher("post", dispatcher("post"));
        metrics.decodeFailure(RequestFailure.values()[0]);
        metrics.connectionOpened();
        Counter processorMeter = Counter.builder("hook.gateway.example").register(metrics.registry());
        processorMeter.increment();

        assertThat(hook).isSameAs(RequestObserver.HookObserver.NONE);
        assertThat(processorMeter.count()).as("a no-op counter").isZero();
        assertThat(metrics.registry().getMeters()).isEmpty();
        assertThat(metrics.registry().scrape()).isEmpty();
    }

    private static HookDispatcher dispatcher(String name) {
        return new HookDispatcher(name, request -> CompletableFuture.completedFuture(HookResponse.text(200, "ok")),
                ExecutionLimits.defaults(), Runnable::run, RequestObserver.HookObserver.NONE);
    }
}
