package io.hookgateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.hookgateway.config.MetricsConfig;
import io.hookgateway.testing.TestGateway;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --healthcheck} against a real gateway and against what is not one: 0 and silence when {@code /healthz}
 * answers 200; otherwise 1 (never Docker's reserved 2, even for a bad configuration) and exactly one line on standard
 * error saying why.
 */
@Timeout(60)
class HealthCheckEndToEndTest {

    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = HookGateway.run(args, Map.of(), new ByteArrayInputStream(new byte[0]), o, e);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path config(String metrics) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                server: {bind: 127.0.0.1, port: 0}
                %s
                hooks:
                  - {name: post, path: /post, processor: {type: respond, body: SUCCESS}}
                """.formatted(metrics));
        return file;
    }

    @Test
    void passesSilentlyWhenTheConfiguredMetricsPortAnswers() throws Exception {
        try (TestGateway gateway = TestGateway.startDefault()) {
            Path file = config("metrics: {bind: 127.0.0.1, port: %d}".formatted(gateway.metricsPort()));

            Result result = run("--healthcheck", "--config", file.toString());

            assertThat(result.status()).as(result.err()).isZero();
            assertThat(result.out()).isEmpty();
            assertThat(result.err()).isEmpty();
        }
    }

    /** The image's configuration binds every interface; the check asks the loopback address. */
    @Test
    void asksTheLoopbackAddressWhenTheMetricsPortListensOnEveryInterface() throws Exception {
        try (TestGateway gateway = TestGateway.startDefault()) {
            Path file = config("metrics: {bind: 0.0.0.0, port: %d}".formatted(gateway.metricsPort()));

            assertThat(run("--healthcheck", "--config", file.toString()).status()).isZero();
        }
    }

    @Test
    void takesTheMetricsPortAndBindFromTheCommandLineAsTheGatewayDoes() throws Exception {
        try (TestGateway gateway = TestGateway.startDefault()) {
            Result result = run("--healthcheck", "--metrics-port", String.valueOf(gateway.metricsPort()),
                    "--bind", "127.0.0.1");

            assertThat(result.status()).as(result.err()).isZero();
        }
    }

    @Test
    void failsWithOneLineWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path file = config("metrics: {bind: 127.0.0.1, port: %d}".formatted(port));

        Result result = run("--healthcheck", "--config", file.toString());

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).hasLineCount(1)
                .startsWith("hook-gateway: healthcheck: no answer from http://127.0.0.1:" + port + "/healthz")
                .contains("ConnectException");
    }

    @Test
    void failsWithOneLineWhenTheMetricsPortIsSwitchedOff() throws Exception {
        Path file = config("metrics: {enabled: false}");

        Result result = run("--healthcheck", "--config", file.toString());

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).hasLineCount(1).contains("metrics.enabled: false");
    }

    @Test
    void failsWithOneLineWhenTheMetricsPortIsPickedAtStart() throws Exception {
        Result result = run("--healthcheck", "--config", config("metrics: {port: 0}").toString());

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).hasLineCount(1).contains("metrics.port is 0");
    }

    /** A bad configuration is an unhealthy container (1), not a usage error (2, which Docker reserves). */
    @Test
    void failsWithOneLineNamingTheFileWhenTheConfigurationIsBad() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "server: {prot: 8080}\nhooks: []\n");

        Result result = run("--healthcheck", "--config", file.toString());

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).hasLineCount(1).contains(file.toString()).contains("--check shows the problems");
    }

    @Test
    void failsWhenHealthzAnswersAnotherStatus() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/healthz", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
        try {
            String unhealthy = HealthCheck.probe(
                    new MetricsConfig(true, "127.0.0.1", server.getAddress().getPort()), Duration.ofSeconds(5));

            assertThat(unhealthy).endsWith("/healthz answered 503, not 200");
        } finally {
            server.stop(0);
        }
    }

    /** A port that accepts the connection but never answers: the check gives up at its timeout. */
    @Test
    void failsAtTheTimeoutWhenHealthzNeverAnswers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();

            String unhealthy = HealthCheck.probe(
                    new MetricsConfig(true, "127.0.0.1", silent.getLocalPort()), Duration.ofMillis(300));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(unhealthy).contains("within 300 ms").contains("SocketTimeoutException");
        }
    }
}
