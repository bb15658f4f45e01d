package io.hookgateway.processors.forward;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.hookgateway.testing.Await;
import io.hookgateway.testing.PrometheusText;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.Requests;
import io.hookgateway.testing.TestGateway;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code forward} relaying to real local HTTP servers: what the downstream receives (templated method, URL, header
 * fields and body, or the body's bytes unchanged), what comes back (status, Content-Type, body, or the configured
 * replacement), and kept-alive connections reused across requests and hooks.
 */
class ForwardEndToEndTest {

    @Test
    void relaysTemplatedMethodUrlHeadersAndBodyAndPassesTheAnswerBack() throws Exception {
        try (Downstream downstream = Downstream.start(Downstream.answering(201, "text/plain; charset=utf-8", "done"));
             TestGateway gateway = ForwardHooks.start("""
                     url: "%s/devices/${path.device}?state=${json:/value1}&via=${hook.name}"
                     method: PUT
                     headers:
                       X-Device: "${path.device}"
                       Content-Type: application/json
                     body: '{"on": "${json:/value1}"}'
                     """.formatted(downstream.url()))) {
            String body = "{\"value1\": \"on & off\"}";
            RawHttp.Response response = gateway.exchange("POST /relay/lamp HTTP/1.1\r\n"
                    + "Host: gateway.test\r\nContent-Type: text/plain\r\nAuthorization: Bearer secret\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body);

            assertThat(response.status()).isEqualTo(201);
            assertThat(response.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(response.bodyText()).isEqualTo("done");
            Downstream.Received received = downstream.received().get(0);
            assertThat(received.method()).isEqualTo("PUT");
            assertThat(received.target()).isEqualTo("/devices/lamp?state=on%20%26%20off&via=relay");
            assertThat(received.header("Host")).isEqualTo("127.0.0.1:" + downstream.port());
            assertThat(received.header("X-Device")).isEqualTo("lamp");
            assertThat(received.header("Content-Type")).as("headers replace a passed field")
                    .isEqualTo("application/json");
            assertThat(received.header("Authorization")).as("not passed on by default").isNull();
            assertThat(received.header("User-Agent")).isEqualTo("hook-gateway");
            assertThat(received.bodyText()).isEqualTo("{\"on\": \"on & off\"}");
        }
    }

    @Test
    void passesTheBodysBytesAndContentTypeUnchangedByDefault() throws Exception {
        try (Downstream downstream = Downstream.start(Downstream.answering(200, null, ""));
             TestGateway gateway = ForwardHooks.start("url: " + downstream.url() + "/in")) {
            // "café" in Latin-1: not UTF-8, so any decoding and re-encoding would change it.
            String latin1 = "caf\u00e9";
            gateway.exchange("POST /relay/x HTTP/1.1\r\nHost: gateway.test\r\n"
                    + "Content-Type: text/plain; charset=iso-8859-1\r\nX-Other: 1\r\nContent-Length: 4\r\n\r\n"
                    + latin1);

            Downstream.Received received = downstream.received().get(0);
            assertThat(received.method()).as("the request's method").isEqualTo("POST");
            assertThat(received.body()).isEqualTo(latin1.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(received.header("Content-Type")).isEqualTo("text/plain; charset=iso-8859-1");
            assertThat(received.header("X-Other")).isNull();
        }
    }

    @Test
    void passHeadersChoosesTheRequestFieldsPassedOn() throws Exception {
        try (Downstream downstream = Downstream.start(Downstream.answering(200, null, ""));
             TestGateway gateway = ForwardHooks.forwardingTo(downstream, "pass-headers: [X-Signature]")) {
            gateway.exchange("POST /relay/x HTTP/1.1\r\nHost: gateway.test\r\n"
                    + "Content-Type: text/plain\r\nx-signature: sha256=abc\r\nContent-Length: 0\r\n\r\n");

            Downstream.Received received = downstream.received().get(0);
            assertThat(received.header("X-Signature")).isEqualTo("sha256=abc");
            assertThat(received.header("Content-Type")).isNull();
            assertThat(received.header("Content-Length")).as("POST says its length, even 0").isEqualTo("0");
        }
    }

    @Test
    void aConfiguredFieldReplacesTheGatewaysOwnWhateverItsCase() throws Exception {
        try (Downstream downstream = Downstream.start(Downstream.answering(200, null, ""));
             TestGateway gateway = ForwardHooks.forwardingTo(downstream, "headers: {host: ha.lan, USER-AGENT: esp}\n"
                     + "pass-headers: [content-type]")) {
            gateway.exchange("POST /relay/x HTTP/1.1\r\nHost: gateway.test\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 0\r\n\r\n");

            Downstream.Received received = downstream.received().get(0);
            assertThat(received.headers()).extracting(field -> field[0].toLowerCase(Locale.ROOT))
                    .containsOnlyOnce("host", "user-agent", "content-type");
            assertThat(received.header("Host")).isEqualTo("ha.lan");
            assertThat(received.header("User-Agent")).isEqualTo("esp");
            assertThat(received.header("Content-Type")).isEqualTo("text/plain");
        }
    }

    @Test
    void replacesASuccessfulAnswerButPassesAFailureBack() throws Exception {
        Downstream.Behaviour behaviour = (request, n, reply) -> {
            if (request.target().equals("/broken")) {
                reply.answer(500, "text/plain", "relay stuck");
            } else {
                reply.answer(200, "application/json", "{\"internal\": true}");
            }
        };
        try (Downstream downstream = Downstream.start(behaviour);
             TestGateway gateway = ForwardHooks.start("""
                     url: "%s/${path.device}"
                     response:
                       status: 202
                       content-type: text/plain
                       body: "queued ${path.device}"
                     """.formatted(downstream.url()))) {
            RawHttp.Response replaced = gateway.exchange(Requests.post("/relay/lamp", "x"));
            RawHttp.Response failure = gateway.exchange(Requests.post("/relay/broken", "x"));

            assertThat(replaced.status()).isEqualTo(202);
            assertThat(replaced.header("Content-Type")).isEqualTo("text/plain");
            assertThat(replaced.bodyText()).isEqualTo("queued lamp");
            assertThat(failure.status()).isEqualTo(500);
            assertThat(failure.bodyText()).isEqualTo("relay stuck");
        }
    }

    @Test
    void sequentialForwardsReuseOneKeptAliveConnection() throws Exception {
        try (Downstream downstream = Downstream.start(Downstream.answering(200, "text/plain", "ok"));
             TestGateway gateway = ForwardHooks.forwardingTo(downstream, "")) {
            for (int i = 0; i < 3; i++) {
                RawHttp.Response response = gateway.exchange(Requests.post("/relay/x", "n" + i));
                assertThat(response.bodyText()).isEqualTo("ok");
            }

            assertThat(downstream.connectionsAccepted()).isEqualTo(1);
            assertThat(downstream.received()).extracting(Downstream.Received::connection).containsExactly(0, 0, 0);
        }
    }

    @Test
    void stoppingTheGatewayClosesItsKeptAliveConnections() throws Exception {
        try (Downstream downstream = Downstream.start(Downstream.answering(200, "text/plain", "ok"))) {
            TestGateway gateway = ForwardHooks.forwardingTo(downstream, "");
            try {
                assertThat(ForwardHooks.post(gateway).bodyText()).isEqualTo("ok");
                assertThat(downstream.connectionsClosedByClient()).as("kept alive").isZero();
            } finally {
                gateway.close();
            }

            Await.until(Duration.ofSeconds(3), "the downstream sees its connection closed",
                    () -> downstream.connectionsClosedByClient() == 1);
        }
    }

    @Test
    void twoHooksForwardingToOneDownstreamShareItsConnections() throws Exception {
        try (Downstream downstream = Downstream.start(Downstream.answering(200, "text/plain", "ok"));
             TestGateway gateway = TestGateway.start("""
                     server: {access-log: false}
                     hooks:
                       - name: lamp-on
                         path: /on
                         processor: {type: forward, url: "%1$s/on"}
                       - name: lamp-off
                         path: /off
                         processor: {type: forward, url: "%1$s/off"}
                     """.formatted(downstream.url()))) {
            gateway.exchange(Requests.post("/on", ""));
            gateway.exchange(Requests.post("/off", ""));

            assertThat(downstream.received()).extracting(Downstream.Received::target).containsExactly("/on", "/off");
            assertThat(downstream.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void aHeadAnswerHasNoBodyAndTheConnectionStaysInStep() throws Exception {
        Downstream.Behaviour behaviour = (request, n, reply) -> {
            if (request.method().equals("HEAD")) {
                reply.raw("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n");
            } else {
                reply.answer(200, "text/plain", "after head");
            }
        };
        try (Downstream downstream = Downstream.start(behaviour);
             TestGateway gateway = ForwardHooks.forwardingTo(downstream, "max-response-size: 1KiB")) {
            try (RawHttp client = RawHttp.connect(gateway.port())) {
                RawHttp.Response head = client.send(Requests.head("/relay/x")).readHead();
                RawHttp.Response get = client.send(Requests.get("/relay/x")).read();

                assertThat(head.status()).as("a HEAD answer's length is not its size").isEqualTo(200);
                assertThat(get.bodyText()).isEqualTo("after head");
            }
            assertThat(downstream.received()).extracting(Downstream.Received::method).containsExactly("HEAD", "GET");
            assertThat(downstream.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void passesAChunkedAnswerFromTheJdksHttpServer() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            // Length 0: the JDK server sends the body chunked.
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("{\"part\": 1, ".getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write("\"part\": 2}".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
        try (TestGateway gateway = ForwardHooks.start("url: http://127.0.0.1:" + server.getAddress().getPort())) {
            RawHttp.Response response = ForwardHooks.post(gateway);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Type")).isEqualTo("application/json");
            assertThat(response.bodyText()).isEqualTo("{\"part\": 1, \"part\": 2}");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void maxConnectionsBoundsTheConnectionsToOneDownstream() throws Exception {
        CountDownLatch firstAnswer = new CountDownLatch(1);
        try (Downstream downstream = Downstream.start((request, n, reply) -> {
            if (n == 0) {
                // The one connection stays busy until all three requests are at the forward: the others must wait.
                await(firstAnswer);
            }
            reply.answer(200, "text/plain", "ok");
        });
             TestGateway gateway = ForwardHooks.forwardingTo(downstream, "max-connections: 1")) {
            List<RawHttp> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    clients.add(RawHttp.connect(gateway.port()).send(Requests.post("/relay/x", "n" + i)));
                }
                Await.until(Duration.ofSeconds(3), "all three requests are being forwarded",
                        () -> gateway.gauge("hook.gateway.hook.active", "hook", "relay") == 3);
                firstAnswer.countDown();
                for (RawHttp client : clients) {
                    assertThat(client.read().bodyText()).isEqualTo("ok");
                }
            } finally {
                firstAnswer.countDown();
                for (RawHttp client : clients) {
                    client.close();
                }
            }

            assertThat(downstream.received()).hasSize(3);
            assertThat(downstream.connectionsAccepted()).as("the others waited for the one").isEqualTo(1);
        }
    }

    @Test
    void looksUpAHostName() throws Exception {
        try (Downstream downstream = Downstream.start(Downstream.answering(200, "text/plain", "found"));
             TestGateway gateway = ForwardHooks.start("url: http://localhost:" + downstream.port())) {
            RawHttp.Response response = gateway.exchange(Requests.post("/relay/x", ""));

            assertThat(response.bodyText()).isEqualTo("found");
            assertThat(downstream.received().get(0).header("Host")).isEqualTo("localhost:" + downstream.port());
        }
    }

    /** Waits for {@code latch} on a downstream thread, at most 10 s, so that a failed test cannot leave it stuck. */
    private static void await(CountDownLatch latch) throws IOException {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("stopped while holding an answer");
        }
    }

    @Test
    void countsAttemptsByOutcomeForTheHook() throws Exception {
        try (Downstream downstream = Downstream.start(Downstream.answering(204, null, ""));
             TestGateway gateway = ForwardHooks.forwardingTo(downstream, "")) {
            for (String request : List.of(Requests.post("/relay/a", ""), Requests.post("/relay/b", ""))) {
                assertThat(gateway.exchange(request).status()).isEqualTo(204);
            }

            assertThat(ForwardHooks.attempts(gateway, "2xx")).isEqualTo(2);
            assertThat(ForwardHooks.retries(gateway)).isZero();
            String scrape = RawHttp.exchange(gateway.metricsPort(), Requests.get("/metrics")).bodyText();
            assertThat(PrometheusText.sample(scrape,
                    "hook_gateway_forward_attempts_seconds_count{hook=\"relay\",outcome=\"2xx\"}")).hasValue(2);
            assertThat(PrometheusText.sample(scrape, "hook_gateway_forward_retries_total{hook=\"relay\"}")).hasValue(0);
            assertThat(scrape).as("never a URL or host in a label").doesNotContain("127.0.0.1");
        }
    }
}
