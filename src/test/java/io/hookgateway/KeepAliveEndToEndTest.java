package io.hookgateway;

import static io.hookgateway.testing.Requests.get;
import static io.hookgateway.testing.Requests.head;
import static io.hookgateway.testing.Requests.post;
import static io.hookgateway.testing.Requests.seedPost;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.Await;
import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestProcessors;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connection management over real sockets: persistence (RFC 9112 §9.3), pipelining (§9.3.2), HTTP/1.0, HEAD
 * (RFC 9110 §9.3.2), half-close and tear-down (RFC 9112 §9.6), and the idle timeout.
 */
class KeepAliveEndToEndTest {

    private static final String CONFIG = """
            server:
              access-log: false
            hooks:
              - name: post
                path: /post
                methods: [POST]
                processor: {type: respond, body: SUCCESS}
              - name: hello
                path: /hello/{name}
                methods: [GET]
                processor:
                  type: respond
                  content-type: text/plain; charset=utf-8
                  body: "Hello, ${path.name}!\\n"
              - name: echo
                path: /echo
                methods: [POST]
                processor: {type: test-echo}
              - name: slow
                path: /slow
                methods: [POST]
                processor: {type: test-slow, delay: 300ms}
              - name: latch
                path: /latch
                methods: [POST]
                processor: {type: test-latch, gate: keep-alive}
            """;

    /** The same hooks with a one-second idle timeout (the smallest the configuration allows). */
    private static final String IDLE_CONFIG =
            CONFIG.replace("access-log: false", "access-log: false\n  idle-timeout: 1s");

    /** Also resets the test processors (call counts, gates) before and after each test. */
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(CONFIG);

    @Test
    void servesThreeRequestsOnOneHttp11ConnectionWithoutConnectionClose() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            RawHttp.Response first = client.send(seedPost()).read();
            RawHttp.Response second = client.send(get("/hello/again")).read();
            RawHttp.Response third = client.send(seedPost()).read();

            assertThat(first.bodyText()).isEqualTo("SUCCESS");
            assertThat(second.bodyText()).isEqualTo("Hello, again!\n");
            assertThat(third.bodyText()).isEqualTo("SUCCESS");
            // RFC 9112 §9.3: HTTP/1.1 persists by default, so no Connection field is needed, and none says close.
            for (RawHttp.Response r : new RawHttp.Response[] {first, second, third}) {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("Connection")).isNull();
            }
            assertThat(Await.silentFor(client, Duration.ofMillis(100))).as("connection still open").isTrue();
        }
    }

    @Test
    void answersThreePipelinedRequestsSentInOneWriteInOrder() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            // RFC 9112 §9.3.2: a server MUST send its responses in the same order as the requests were received.
            client.send(get("/hello/one") + get("/hello/two") + get("/hello/three"));

            assertThat(client.read().bodyText()).isEqualTo("Hello, one!\n");
            assertThat(client.read().bodyText()).isEqualTo("Hello, two!\n");
            assertThat(client.read().bodyText()).isEqualTo("Hello, three!\n");
        }
    }

    @Test
    void keepsPipelinedAnswersInOrderWhenTheFirstHookIsSlow() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send(post("/slow", "first") + get("/hello/second") + seedPost());

            assertThat(client.read().bodyText()).isEqualTo("slow\n");
            assertThat(client.read().bodyText()).isEqualTo("Hello, second!\n");
            assertThat(client.read().bodyText()).isEqualTo("SUCCESS");
        }
    }

    @Test
    void holdsBackPipelinedRequestsWhileTheFirstIsStillInItsProcessor() throws Exception {
        TestProcessors.Gate gate = TestProcessors.gate("keep-alive");
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send(post("/latch", "first") + post("/echo", "second") + post("/echo", "third"));
            assertThat(gate.awaitArrivals(1, Duration.ofSeconds(5))).as("first request reached its processor").isTrue();

            assertThat(Await.silentFor(client, Duration.ofMillis(300))).as("no answer before the first").isTrue();
            assertThat(TestProcessors.invocations("echo")).as("later requests not yet processed").isZero();

            gate.release(1);
            RawHttp.Response first = client.read();
            RawHttp.Response second = client.read();
            RawHttp.Response third = client.read();
            assertThat(first.bodyText()).isEqualTo("passed keep-alive\n");
            assertThat(second.bodyText()).contains("\"body\":\"second\"");
            assertThat(third.bodyText()).contains("\"body\":\"third\"");
            assertThat(TestProcessors.invocations("echo")).isEqualTo(2);
        }
    }

    @Test
    void answersHttp10WithConnectionCloseAndCloses() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            RawHttp.Response response = client.send("GET /hello/old HTTP/1.0\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("Hello, old!\n");
            // RFC 9112 §9.3: HTTP/1.0 without keep-alive does not persist.
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void keepsHttp10OpenWhenAskedForKeepAliveAndSaysSo() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            String keepAlive = "GET /hello/%s HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
            RawHttp.Response first = client.send(keepAlive.formatted("a")).read();
            RawHttp.Response second = client.send(keepAlive.formatted("b")).read();
            RawHttp.Response last = client.send("GET /hello/c HTTP/1.0\r\n\r\n").read();

            // RFC 9112 §9.3 / RFC 7230 appendix A.1.2: a 1.0 keep-alive answer must say keep-alive to persist.
            assertThat(first.header("Connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(second.header("Connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(second.bodyText()).isEqualTo("Hello, b!\n");
            assertThat(last.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void honoursConnectionCloseFromAnHttp11Client() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            RawHttp.Response response = client
                    .send("GET /hello/bye HTTP/1.1\r\nHost: gateway.test\r\nConnection: close\r\n\r\n").read();

            // RFC 9112 §9.6: a server that receives "close" MUST close after the response to that request.
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void answersHeadOnAGetHookWithTheGetLengthAndNoBodyBytes() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            RawHttp.Response head = client.send(head("/hello/world")).readHead();

            // RFC 9110 §9.3.2: HEAD gets the same header fields as GET, without content.
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf("Hello, world!\n".length()));
            assertThat(head.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(head.body()).isEmpty();

            // Had any body bytes followed the HEAD answer, they would now be read as the next status line.
            RawHttp.Response next = client.send(get("/hello/next")).read();
            assertThat(next.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(next.bodyText()).isEqualTo("Hello, next!\n");
        }
    }

    @Test
    void keepsServingAfterClientsCloseWithoutSendingOrMidRequest() throws Exception {
        for (int i = 0; i < 10; i++) {
            RawHttp.connect(gateway.port()).close();
        }
        try (RawHttp partial = RawHttp.connect(gateway.port())) {
            partial.send("POST /post HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: 14\r\n\r\n{\"val");
        }
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            assertThat(client.send(seedPost()).read().bodyText()).isEqualTo("SUCCESS");
        }
        Await.until(Duration.ofSeconds(5), "every hook connection counted closed",
                () -> gateway.gauge("hook.gateway.connections.open") == 0);
    }

    @Test
    void answersPipelinedRequestsAfterTheClientHalfClosesThenCloses() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send(get("/hello/before-fin") + post("/slow", "x"));
            // The client has nothing more to send, but still waits for both answers (RFC 9112 §9.6).
            client.shutdownOutput();

            assertThat(client.read().bodyText()).isEqualTo("Hello, before-fin!\n");
            assertThat(client.read().bodyText()).isEqualTo("slow\n");
            assertThat(client.isClosedByServer()).as("closed once every answer is written").isTrue();
        }
    }

    @Test
    void closesAHalfClosedConnectionWhoseRequestIsIncomplete() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send("POST /post HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: 14\r\n\r\n{\"va");
            client.shutdownOutput();

            // The request can never complete: the gateway closes without an answer rather than waiting forever.
            assertThat(client.readUntilClosed()).isEmpty();
        }
    }

    @Test
    void closesKeepAliveAndNeverUsedConnectionsAfterTheIdleTimeout() throws Exception {
        try (TestGateway idle = TestGateway.start(IDLE_CONFIG);
             RawHttp used = RawHttp.connect(idle.port());
             RawHttp unused = RawHttp.connect(idle.port())) {
            assertThat(used.send(seedPost()).read().bodyText()).isEqualTo("SUCCESS");
            long answered = System.nanoTime();

            // A blocking read with a deadline: end of stream within 5 s, and not before the timeout could pass.
            assertThat(used.isClosedByServer()).as("used connection closed").isTrue();
            long idleMillis = (System.nanoTime() - answered) / 1_000_000;
            assertThat(idleMillis).isBetween(700L, 4_000L);
            assertThat(unused.isClosedByServer()).as("connection that never sent a byte closed").isTrue();
        }
    }

    @Test
    void doesNotCloseForIdlenessWhileAProcessorIsStillWorking() throws Exception {
        try (TestGateway idle = TestGateway.start(IDLE_CONFIG);
             RawHttp client = RawHttp.connect(idle.port())) {
            TestProcessors.Gate gate = TestProcessors.gate("keep-alive");
            client.send(post("/latch", "long job"));
            assertThat(gate.awaitArrivals(1, Duration.ofSeconds(5))).isTrue();

            // No traffic either way for longer than the idle timeout, but a request is in flight.
            assertThat(Await.silentFor(client, Duration.ofMillis(1_600))).isTrue();

            gate.release(1);
            RawHttp.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Connection")).isNull();
        }
    }
}
