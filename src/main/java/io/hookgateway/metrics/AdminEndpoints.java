package io.hookgateway.metrics;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.HookResponse;
import io.hookgateway.http.HttpLimits;
import io.hookgateway.routing.Hook;
import io.hookgateway.routing.PathPattern;
import io.hookgateway.routing.RequestObserver;
import io.hookgateway.routing.RouteTable;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The metrics port's endpoints, served by the same pipeline as hooks (so they share its limits and hardening), from a
 * route table of their own:
 *
 * <ul>
 *   <li>{@code GET /metrics}: the Prometheus text format, or OpenMetrics when {@code Accept} asks for it.</li>
 *   <li>{@code GET /healthz}: 200 while the process runs.</li>
 *   <li>{@code GET /readyz}: 200 once the hook port is bound, 503 before that and while draining.</li>
 * </ul>
 * HEAD works on each, as it does on every GET hook.
 *
 * <h2>Limits</h2>
 * A liveness probe that cannot connect gets a healthy gateway restarted, so the port is kept open for it: clients
 * that connect and wait, or drip a request byte by byte, are let go soon, and when the port is full a new connection
 * closes the one idle the longest (see {@code GatewayPipeline.ConnectionTracker.Overflow.CLOSE_LONGEST_IDLE}). The
 * size limits of requests are the hook port's.
 *
 * <p>A probe must also be answered at once when it is in: the port has one event loop, so {@code /metrics}, whose
 * rendering takes milliseconds, is rendered on a small executor of its own ({@link #renderer()}), and when that is
 * busy it is answered 503 with {@code Retry-After} rather than queued; {@code /healthz} and {@code /readyz} are
 * answered on the event loop, behind nothing.
 *
 * <table>
 *   <caption>The metrics port's own limits</caption>
 *   <tr><th>limit</th><th>value</th><th>then</th></tr>
 *   <tr><td>{@link #MAX_CONNECTIONS}</td><td>64</td><td>the connection idle the longest is closed</td></tr>
 *   <tr><td>{@link #HEAD_TIMEOUT}: from the first byte of a request to the end of its head</td><td>2 s</td>
 *       <td>408, close</td></tr>
 *   <tr><td>{@link #BODY_TIMEOUT}</td><td>2 s</td><td>408, close</td></tr>
 *   <tr><td>{@link #IDLE_TIMEOUT}: waiting for a request, or for the client to take an answer</td><td>5 s</td>
 *       <td>close</td></tr>
 *   <tr><td>request body</td><td>1 KiB</td><td>413</td></tr>
 *   <tr><td>{@link #RENDER_THREADS} rendering {@code /metrics}, {@link #RENDER_QUEUE} more waiting</td><td>1, 2</td>
 *       <td>503, {@code Retry-After: 1}</td></tr>
 * </table>
 */
public final class AdminEndpoints {

    /** Scrapers and probes need few connections; a flood must not exhaust the process's file descriptors. */
    public static final int MAX_CONNECTIONS = 64;
    /** A probe or a scraper sends its request head in one packet. */
    public static final Duration HEAD_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration BODY_TIMEOUT = Duration.ofSeconds(2);
    /** Longer than a scrape takes to be read, far shorter than the hook port's minute. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);
    /** The admin endpoints take no request body worth the name. */
    private static final long MAX_BODY_BYTES = 1024;
    /** One scrape at a time: Prometheus scrapes every few seconds, and a flood gets no more CPU than that. */
    public static final int RENDER_THREADS = 1;
    /** Scrapes that may wait for the renderer: a scraper and a person with curl at the same moment. */
    public static final int RENDER_QUEUE = 2;
    private static final byte[] RENDERER_BUSY = "busy rendering metrics for others; try again shortly\n"
            .getBytes(StandardCharsets.UTF_8);

    private AdminEndpoints() {
    }

    /** The metrics port's limits: the hook port's sizes, the deadlines and body limit above. */
    public static HttpLimits limits(HttpLimits hookPort) {
        return new HttpLimits(hookPort.maxRequestLineBytes(), hookPort.maxHeaderBytes(), hookPort.maxHeaderFields(),
                MAX_BODY_BYTES, HEAD_TIMEOUT, BODY_TIMEOUT, IDLE_TIMEOUT);
    }

    /**
     * The executor {@code /metrics} is rendered on: {@link #RENDER_THREADS} daemon threads and a queue of
     * {@link #RENDER_QUEUE}; beyond that it refuses. Its owner shuts it down.
     */
    public static ThreadPoolExecutor renderer() {
        return new ThreadPoolExecutor(RENDER_THREADS, RENDER_THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(RENDER_QUEUE), new DefaultThreadFactory("metrics-render", true),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /** @param renderer where {@code /metrics} is rendered: {@link #renderer()}, or one that also refuses when busy */
    public static RouteTable routes(GatewayMetrics metrics, Health health, Executor renderer) {
        return RouteTable.of(List.of(
                endpoint("metrics", "/metrics", new ScrapeProcessor(metrics, renderer)),
                endpoint("healthz", "/healthz", request -> CompletableFuture.completedFuture(
                        HookResponse.text(200, "ok\n"))),
                endpoint("readyz", "/readyz", request -> CompletableFuture.completedFuture(readiness(health)))),
                MAX_BODY_BYTES);
    }

    private static Hook endpoint(String name, String path, HookProcessor processor) {
        return new Hook(name, PathPattern.parse(path), Set.of("GET"), processor, MAX_BODY_BYTES, false,
                RequestObserver.HookObserver.NONE);
    }

    private static HookResponse readiness(Health health) {
        return switch (health.state()) {
            case READY -> HookResponse.text(200, "ready\n");
            case STARTING -> HookResponse.text(503, "starting\n");
            case DRAINING -> HookResponse.text(503, "draining\n");
        };
    }

    /**
     * Writes the registry in the format the scraper's {@code Accept} field asks for, on the renderer; 503 with
     * {@code Retry-After} when the renderer refuses (it is busy).
     */
    static final class ScrapeProcessor implements HookProcessor {
        private final GatewayMetrics metrics;
        private final Executor renderer;
        private final ExpositionFormats formats = ExpositionFormats.init();

        ScrapeProcessor(GatewayMetrics metrics, Executor renderer) {
            this.metrics = metrics;
            this.renderer = renderer;
        }

        @Override
        public CompletionStage<HookResponse> process(HookRequest request) {
            // Read here: the request is the event loop's, and is not touched once the render is handed over.
            ExpositionFormatWriter writer = formats.findWriter(request.headers().get("Accept"));
            try {
                return CompletableFuture.supplyAsync(() -> render(writer), renderer);
            } catch (RejectedExecutionException busy) {
                return CompletableFuture.completedFuture(HookResponse.of(503, HeaderFields.of(
                        "Content-Type", HookResponse.TEXT_PLAIN, "Retry-After", "1"), RENDERER_BUSY));
            }
        }

        private HookResponse render(ExpositionFormatWriter writer) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
            try {
                writer.write(out, metrics.scraped().scrape());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return HookResponse.of(200, HeaderFields.of("Content-Type", writer.getContentType()), out.toByteArray());
        }
    }
}
