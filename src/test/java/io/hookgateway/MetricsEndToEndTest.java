package io.hookgateway;

import static io.hookgateway.testing.PrometheusText.sample;
import static io.hookgateway.testing.PrometheusText.sampleOrZero;
import static io.hookgateway.testing.Requests.get;
import static io.hookgateway.testing.Requests.head;
import static io.hookgateway.testing.Requests.seedPost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.Tools;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The metrics port, against the default configuration after some traffic: what {@code /metrics} counts and under which
 * labels, content negotiation between the Prometheus text format and OpenMetrics, {@code /healthz}, {@code /readyz},
 * the separation of the two ports, and a scrape that the real {@code promtool check metrics} accepts.
 */
class MetricsEndToEndTest {

    private static final int SEED_POSTS = 5;
    private static final String UNMATCHED_PATH = "/no-such-hook-7f3a";

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static int connectionsMade;

    /** Started before the {@code @BeforeAll} method below sends its traffic. */
    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.defaults();

    @BeforeAll
    static void sendTraffic() throws Exception {
        try (RawHttp keepAlive = RawHttp.connect(gateway.port())) {
            for (int i = 0; i < SEED_POSTS; i++) {
                assertThat(keepAlive.send(seedPost()).read().bodyText()).isEqualTo("SUCCESS");
            }
            assertThat(keepAlive.send(get(UNMATCHED_PATH)).read().status()).isEqualTo(404);
            assertThat(keepAlive.send(get("/post")).read().status()).isEqualTo(405);
        }
        try (RawHttp malformed = RawHttp.connect(gateway.port())) {
            assertThat(malformed.send("GET /hello/x HTTP/1.1\nHost: a\n\n").read().status()).isEqualTo(400);
        }
        connectionsMade = 2;
    }

    @Test
    void countsAnsweredRequestsByHookNameMethodAndStatus() throws Exception {
        String scrape = scrape();

        assertThat(value(scrape, "hook_gateway_requests_seconds_count{hook=\"post\",method=\"POST\",status=\"200\"}"))
                .isGreaterThanOrEqualTo(SEED_POSTS);
        assertThat(value(scrape, "hook_gateway_requests_seconds_count{hook=\"post\",method=\"GET\",status=\"405\"}"))
                .as("a 405 counts under the hook that owns the path").isEqualTo(1.0);
        assertThat(scrape).contains("# TYPE hook_gateway_requests_seconds histogram");
        assertThat(value(scrape, "hook_gateway_request_body_bytes_count{hook=\"post\"}"))
                .isGreaterThanOrEqualTo(SEED_POSTS);
        assertThat(value(scrape, "hook_gateway_hooks")).isEqualTo(3.0);
    }

    @Test
    void countsAPathNoHookHasAsUnmatchedAndNeverUnderTheRawPath() throws Exception {
        String scrape = scrape();

        assertThat(value(scrape,
                "hook_gateway_requests_seconds_count{hook=\"unmatched\",method=\"GET\",status=\"404\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(scrape).doesNotContain(UNMATCHED_PATH.substring(1));
    }

    @Test
    void countsDecodeErrorsByReasonWithEveryReasonPresentFromTheStart() throws Exception {
        String scrape = scrape();

        assertThat(value(scrape, "hook_gateway_decode_errors_total{reason=\"bad_line_ending\"}"))
                .isGreaterThanOrEqualTo(1);
        // Pre-registered at zero, so that rate() works from the first occurrence.
        assertThat(sample(scrape, "hook_gateway_decode_errors_total{reason=\"obs_fold\"}")).isPresent();
    }

    @Test
    void exposesTheAccessLinesDroppedFromTheStart() throws Exception {
        // The writer keeps up with this traffic: a dropped line would be a fault.
        assertThat(sample(scrape(), "hook_gateway_access_log_dropped_total")).hasValue(0.0);
    }

    @Test
    void countsAcceptedAndOpenConnections() throws Exception {
        String scrape = scrape();

        assertThat(sampleOrZero(scrape, "hook_gateway_connections_total")).isGreaterThanOrEqualTo(connectionsMade);
        assertThat(sample(scrape, "hook_gateway_connections_open")).isPresent();
        assertThat(scrape).contains("# TYPE hook_gateway_connections_total counter");
    }

    @Test
    void doesNotCountItsOwnEndpointsAsHookTraffic() throws Exception {
        scrape();
        get200("/healthz");
        String scrape = scrape();

        assertThat(scrape).doesNotContain("hook=\"metrics\"").doesNotContain("hook=\"healthz\"");
    }

    @Test
    void servesThePrometheusTextFormatByDefault() throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(gateway.metricsUri("/metrics"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).doesNotContain("# EOF");
    }

    @Test
    void servesOpenMetricsWhenAcceptAsksForIt() throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(gateway.metricsUri("/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/openmetrics-text; version=1.0.0"));
        // OpenMetrics 1.0: the exposition MUST end with "# EOF".
        assertThat(response.body()).endsWith("# EOF\n");
        assertThat(response.body())
                .contains("hook_gateway_requests_seconds_count{hook=\"post\",method=\"POST\",status=\"200\"}");
    }

    @Test
    void answersHeadOnMetricsWithHeadersAndNoBody() throws Exception {
        try (RawHttp admin = RawHttp.connect(gateway.metricsPort())) {
            RawHttp.Response head = admin.send(head("/metrics")).readHead();

            assertThat(head.status()).isEqualTo(200);
            assertThat(Long.parseLong(head.header("Content-Length"))).isPositive();
            assertThat(head.header("Content-Type")).startsWith("text/plain");
            // No body bytes followed: the next answer on the connection starts cleanly.
            RawHttp.Response next = admin.send(get("/healthz")).read();
            assertThat(next.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(next.bodyText()).isEqualTo("ok\n");
        }
    }

    @Test
    void answersHealthzAndReadyzWith200WhileRunning() throws Exception {
        assertThat(get200("/healthz")).isEqualTo("ok\n");
        assertThat(get200("/readyz")).isEqualTo("ready\n");
    }

    @Test
    void neverAnswersHooksOnTheMetricsPortNorMetricsOnTheHookPort() throws Exception {
        try (RawHttp admin = RawHttp.connect(gateway.metricsPort())) {
            assertThat(admin.send(get("/post")).read().status()).isEqualTo(404);
            assertThat(admin.send(seedPost()).read().status()).isEqualTo(404);
            assertThat(admin.send(get("/hello/world")).read().status()).isEqualTo(404);
        }
        try (RawHttp hooks = RawHttp.connect(gateway.port())) {
            assertThat(hooks.send(get("/metrics")).read().status()).isEqualTo(404);
            assertThat(hooks.send(get("/healthz")).read().status()).isEqualTo(404);
            assertThat(hooks.send(get("/readyz")).read().status()).isEqualTo(404);
        }
    }

    @Test
    void answersOtherMethodsOnMetricsWith405() throws Exception {
        try (RawHttp admin = RawHttp.connect(gateway.metricsPort())) {
            RawHttp.Response response = admin.send(
                    "POST /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        }
    }

    @Test
    void producesAScrapeThatPromtoolAcceptsWithoutProblems() throws Exception {
        Path promtool = Tools.require("promtool", "prometheus");
        String scrape = scrape();

        Process process = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<unreadable: " + e + ">";
            }
        });
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(scrape.getBytes(StandardCharsets.UTF_8));
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("promtool check metrics did not finish within 30 s");
        }
        String problems = output.get(5, TimeUnit.SECONDS);

        assertThat(problems).as("promtool check metrics output").isBlank();
        assertThat(process.exitValue()).as("promtool exit status; output:\n" + problems).isZero();
    }

    /** The sample's value; fails, showing the scrape's lines of that metric, when the series is missing. */
    private static double value(String scrape, String series) {
        String metric = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
        return sample(scrape, series).orElseThrow(() -> new AssertionError("no series " + series + " in the scrape; "
                + "its " + metric + " lines:\n" + scrape.lines().filter(l -> l.startsWith(metric))
                .reduce("", (a, b) -> a + b + "\n")));
    }

    private static String get200(String path) throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(gateway.metricsUri(path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private static String scrape() throws Exception {
        return get200("/metrics");
    }
}
