package io.hookgateway.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgateway.testing.Await;
import io.hookgateway.testing.Tools;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian package {@code prometheus}) for tests: started on a free port of 127.0.0.1 with a
 * configuration and a storage directory of its own, asked through its HTTP API, and killed by {@link #close()}.
 */
final class PrometheusServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    private final Process process;
    private final Path log;
    private final int port;

    private PrometheusServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts Prometheus on {@code config} (YAML text), keeping its files in {@code directory}, and waits until ready. */
    static PrometheusServer start(Path directory, String config) throws Exception {
        Path prometheus = Tools.require("prometheus", "prometheus");
        Path configFile = directory.resolve("prometheus.yml");
        Files.writeString(configFile, config);
        Path log = directory.resolve("prometheus.log");
        int port = freePort();
        Process process = new ProcessBuilder(prometheus.toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + directory.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PrometheusServer server = new PrometheusServer(process, log, port);
        try {
            Await.until(START_TIMEOUT, () -> "Prometheus ready on port " + port + "; its log:\n" + server.log(), () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("prometheus exited with " + process.exitValue() + ":\n" + server.log());
                }
                return server.get("/-/ready").statusCode() == 200;
            });
        } catch (Throwable e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** An instant query's result (the {@code data} of the answer); fails when Prometheus refuses the query. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        JsonNode answer = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(answer.path("status").asText())) {
            throw new AssertionError("Prometheus refused " + promql + ": " + response.body());
        }
        return answer.path("data");
    }

    /** Whether a query returns anything: a sample, or a series of a vector. */
    boolean hasData(String promql) throws IOException, InterruptedException {
        JsonNode data = query(promql);
        return data.path("resultType").asText().equals("scalar") || !data.path("result").isEmpty();
    }

    /** The value of a query that returns one sample, or NaN when it returns none. */
    double value(String promql) throws IOException, InterruptedException {
        JsonNode result = query(promql).path("result");
        return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    /** The targets Prometheus scrapes now ({@code /api/v1/targets}, {@code data.activeTargets}). */
    JsonNode activeTargets() throws IOException, InterruptedException {
        return JSON.readTree(get("/api/v1/targets?state=active").body()).path("data").path("activeTargets");
    }

    /** The last lines Prometheus logged, for failure messages. */
    String log() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(REQUEST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Kills Prometheus (SIGTERM, then SIGKILL if it lingers) and waits for it to exit. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A port of 127.0.0.1 that is free now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
