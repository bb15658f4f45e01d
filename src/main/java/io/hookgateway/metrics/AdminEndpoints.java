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
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

    private AdminEndpoints() {
    }

    /** The metrics port's limits: the hook port's sizes, the deadlines and body limit above. */
    public static HttpLimits limits(HttpLimits hookPort) {
        return new HttpLimits(hookPort.maxRequestLineBytes(), hookPort.maxHeaderBytes(), hookPort.maxHeaderFields(),
                MAX_BODY_BYTES, HEAD_TIMEOUT, BODY_TIMEOUT, IDLE_TIMEOUT);
    }

    public static RouteTable routes(GatewayMetrics metrics, Health health) {
        return RouteTable.of(List.of(
                endpoint("metrics", "/metrics", new ScrapeProcessor(metrics)),
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

    /** Writes the registry in the format the scraper's {@code Accept} field asks for. */
    static final class ScrapeProcessor implements HookProcessor {
        private final GatewayMetrics metrics;
        private final ExpositionFormats formats = ExpositionFormats.init();

        ScrapeProcessor(GatewayMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public CompletionStage<HookResponse> process(HookRequest request) {
            String accept = request.headers().get("Accept");
            ExpositionFormatWriter writer = formats.findWriter(accept);
            ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
            try {
                writer.write(out, metrics.registry().getPrometheusRegistry().scrape());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return CompletableFuture.completedFuture(
                    HookResponse.of(200, HeaderFields.of("Content-Type", writer.getContentType()), out.toByteArray()));
        }
    }
}
