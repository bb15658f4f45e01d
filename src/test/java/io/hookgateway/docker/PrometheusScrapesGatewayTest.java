package io.hookgateway.docker;

import static io.hookgateway.testing.Requests.get;
import static io.hookgateway.testing.Requests.post;
import static io.hookgateway.testing.Requests.postWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookgateway.testing.Await;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Prometheus (Debian package {@code prometheus}) on docker/prometheus.yml, its target pointed at a running
 * gateway (hooks of every processor type, and requests refused every way), the way docker/compose.yaml runs it: the
 * target is up, a hook's request counter comes back through the HTTP API, and every PromQL query of the Grafana
 * dashboard and of the alert rules returns data, so that none names a metric or a label value the gateway does not
 * publish.
 *
 * <p>An alert's expression is {@code <query> <comparison> <number>} (see {@link DockerFiles#alertQueries()}); its
 * query is evaluated without the comparison, which rightly filters everything out while all is well. The dashboard's
 * {@code $__rate_interval} becomes {@code 1m} and {@code $hook} its "All" value.
 */
class PrometheusScrapesGatewayTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int POSTS = 5;

    @TempDir
    static Path directory;

    private static TestGateway gateway;
    private static PrometheusServer prometheus;

    @BeforeAll
    static void startGatewayTrafficAndPrometheus() throws Exception {
        int closedPort = PrometheusServer.freePort();
        gateway = TestGateway.start("""
                hooks:
                  - {name: post, path: /post, methods: [POST], max-body-size: 1KiB,
                     processor: {type: respond, body: SUCCESS}}
                  - {name: secret, path: /secret, auth: {bearer: {token: s3cret}},
                     processor: {type: respond, body: ok}}
                  - {name: limited, path: /limited, rate-limit: {per-client: {requests: 1, per: 1m}},
                     processor: {type: respond, body: ok}}
                  - {name: push, path: /push, rules: {equals: {value: "${header.X-GitHub-Event}", to: push}},
                     processor: {type: respond, body: pushed}}
                  - {name: echo, path: /echo, processor: {type: command, command: [/bin/echo, hi], output: stdout}}
                  - {name: fail, path: /fail, processor: {type: command, command: [/bin/false]}}
                  - {name: slow, path: /slow, timeout: 300ms, processor: {type: command, command: [/bin/sleep, "5"]}}
                  - {name: relay, path: /relay,
                     processor: {type: forward, url: "http://127.0.0.1:%1$d/relay", retries: 0}}
                  - name: lamp
                    path: /lamp
                    processors:
                      - {type: mqtt, host: 127.0.0.1, port: %1$d, topic: home/lamp/set}
                      - {type: respond, body: done}
                """.formatted(closedPort));
        sendTraffic();
        // The JVM's GC pause timer appears with the first collection after the gateway bound its meters.
        System.gc();

        ObjectNode config = (ObjectNode) DockerFiles.yaml(DockerFiles.PROMETHEUS);
        ObjectNode global = (ObjectNode) config.path("global");
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        config.putArray("rule_files").add(DockerFiles.ALERTS.toAbsolutePath().toString());
        ArrayNode targets = (ArrayNode) ComposeFilesTest.scrapeJob(config).path("static_configs").get(0)
                .path("targets");
        targets.removeAll().add("127.0.0.1:" + gateway.metricsPort());
        prometheus = PrometheusServer.start(directory, DockerFiles.toYaml(config));
    }

    /** One request on a connection of its own, and the status it must get. */
    private record Exchange(String request, int status) {
    }

    private static void sendTraffic() throws Exception {
        List<Exchange> exchanges = new ArrayList<>();
        for (int i = 0; i < POSTS; i++) {
            exchanges.add(new Exchange(post("/post", "hi"), 200));
        }
        exchanges.addAll(List.of(
                new Exchange(get("/no-such-hook"), 404),
                new Exchange(postWith("/secret"), 401),
                new Exchange(postWith("/secret", "Authorization: Bearer wrong"), 403),
                new Exchange(postWith("/secret", "Authorization: Bearer s3cret"), 200),
                new Exchange(postWith("/limited"), 200),
                new Exchange(postWith("/limited"), 429),
                new Exchange(post("/post", "x".repeat(2048)), 413),
                new Exchange(postWith("/post", "X-Big: " + "a".repeat(20_000)), 431),
                new Exchange("POST /post HTTP/1.1\nHost: a\nContent-Length: 0\n\n", 400),
                // Per-hook series appear with the hook's traffic: the mismatch panel needs one.
                new Exchange(postWith("/push", "X-GitHub-Event: ping"), 200),
                new Exchange(postWith("/echo"), 200),
                new Exchange(postWith("/fail"), 500),
                new Exchange(postWith("/slow"), 504),
                new Exchange(postWith("/relay"), 502),
                new Exchange(postWith("/lamp"), 503)));
        for (Exchange exchange : exchanges) {
            try (RawHttp client = RawHttp.connect(gateway.port())) {
                client.setTimeoutMillis(10_000);
                assertThat(client.send(exchange.request()).read().status())
                        .as(exchange.request().lines().findFirst().orElseThrow()).isEqualTo(exchange.status());
            }
        }
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void reportsTheGatewayUp() throws Exception {
        Await.until(DEADLINE, () -> "the target up; targets: " + targets(), () -> {
            for (JsonNode target : prometheus.activeTargets()) {
                if (target.path("labels").path("job").asText().equals(DockerFiles.JOB)
                        && target.path("health").asText().equals("up")) {
                    return true;
                }
            }
            return false;
        });
        assertThat(prometheus.value("up{job=\"" + DockerFiles.JOB + "\"}")).isEqualTo(1);
    }

    @Test
    void returnsAHooksRequestCounter() throws Exception {
        String counter = "hook_gateway_requests_seconds_count{job=\"" + DockerFiles.JOB
                + "\", hook=\"post\", method=\"POST\", status=\"200\"}";

        Await.until(DEADLINE, () -> counter + " = " + POSTS + "; Prometheus' log:\n" + prometheus.log(),
                () -> prometheus.value(counter) == POSTS);
    }

    @Test
    void everyQueryOfTheDashboardAndTheAlertRulesReturnsData() throws Exception {
        // Rates need two samples of every series after the traffic: wait for a few scrapes.
        Await.until(DEADLINE, "three scrapes", () -> prometheus.value(
                "count_over_time(up{job=\"" + DockerFiles.JOB + "\"}[1m])") >= 3);
        List<DockerFiles.Query> queries = new ArrayList<>(DockerFiles.dashboardQueries());
        int dashboard = queries.size();
        queries.addAll(DockerFiles.alertQueries());
        long started = System.nanoTime();

        List<String> problems = new ArrayList<>();
        for (DockerFiles.Query query : queries) {
            assertThat(query.promql()).as(query.source() + ": a placeholder left").doesNotContain("$");
            List<String> absent = new ArrayList<>();
            for (String metric : query.metricNames()) {
                if (!prometheus.hasData(metric)) {
                    absent.add(metric);
                }
            }
            if (!absent.isEmpty()) {
                problems.add(query + "\n    names metrics the gateway does not publish: " + absent);
            } else if (!prometheus.hasData(query.promql())) {
                problems.add(query + "\n    returns nothing");
            }
        }
        System.out.printf("PrometheusScrapesGatewayTest: %d queries (%d dashboard, %d alert) evaluated in %d ms%n",
                queries.size(), dashboard, queries.size() - dashboard, (System.nanoTime() - started) / 1_000_000);

        assertThat(queries).hasSizeGreaterThan(DockerFiles.alertExpressions().size());
        assertThat(problems).as("queries that return no data from a real gateway").isEmpty();
    }

    private static String targets() {
        try {
            return prometheus.activeTargets().toString();
        } catch (Exception e) {
            return "(unreadable: " + e + ")";
        }
    }
}
