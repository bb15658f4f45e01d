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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The answers that are not a hook's success: 404, 405 and OPTIONS from routing (RFC 9110 §15.5.5, §15.5.6, §9.3.7),
 * processor failures (500 with an error id, or a {@code HookException}'s own status), a full worker pool (503 with
 * {@code Retry-After}, RFC 9110 §15.6.4), and requests that cannot be parsed (400 family, then the connection closes
 * and nothing after the bad request is processed).
 */
class ErrorAnswersEndToEndTest {

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
                processor: {type: respond, body: hello}
              - name: echo
                path: /echo
                methods: [POST]
                processor: {type: test-echo}
              - name: fail-throw
                path: /fail/throw
                methods: [POST]
                processor: {type: test-fail, mode: throw, message: secret detail}
              - name: fail-failed-stage
                path: /fail/failed-stage
                methods: [POST]
                processor: {type: test-fail, mode: failed-stage, message: secret detail}
              - name: fail-null-stage
                path: /fail/null-stage
                methods: [POST]
                processor: {type: test-fail, mode: null-stage}
              - name: fail-null-response
                path: /fail/null-response
                methods: [POST]
                processor: {type: test-fail, mode: null-response}
              - name: refuse
                path: /refuse
                methods: [POST]
                processor:
                  type: test-fail-status
                  status: 429
                  message: slow down
                  headers: {Retry-After: "7"}
              - name: refuse-async
                path: /refuse-async
                methods: [POST]
                processor: {type: test-fail-status, status: 422, message: not this one, async: true}
            """;

    /** Also resets the test processors (call counts, gates) before and after each test. */
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(CONFIG);

    @Test
    void answersAPathNoHookHasWith404AndKeepsTheConnection() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            RawHttp.Response missing = client.send(post("/no/such/hook", "x")).read();
            RawHttp.Response missingHead = client.send(head("/no/such/hook")).readHead();
            RawHttp.Response next = client.send(seedPost()).read();

            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.bodyText()).isEqualTo("no hook is configured at this path\n");
            assertThat(missing.header("Connection")).isNull();
            assertThat(missingHead.status()).isEqualTo(404);
            assertThat(missingHead.header("Content-Length")).isEqualTo(String.valueOf(missing.body().length));
            assertThat(next.bodyText()).isEqualTo("SUCCESS");
        }
    }

    @Test
    void answersAMethodThePathDoesNotTakeWith405AndAllow() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            RawHttp.Response getPost = client.send(get("/post")).read();
            RawHttp.Response deleteHello = client.send("DELETE /hello/x HTTP/1.1\r\nHost: gateway.test\r\n\r\n").read();
            RawHttp.Response headPost = client.send(head("/post")).readHead();
            RawHttp.Response next = client.send(seedPost()).read();

            // RFC 9110 §15.5.6: a 405 MUST carry Allow with the methods the target supports.
            assertThat(getPost.status()).isEqualTo(405);
            assertThat(getPost.header("Allow")).isEqualTo("OPTIONS, POST");
            assertThat(getPost.bodyText()).contains("GET").contains("OPTIONS, POST");
            // A GET hook also takes HEAD (RFC 9110 §9.3.2).
            assertThat(deleteHello.status()).isEqualTo(405);
            assertThat(deleteHello.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
            assertThat(headPost.status()).isEqualTo(405);
            assertThat(headPost.body()).isEmpty();
            assertThat(next.bodyText()).isEqualTo("SUCCESS");
        }
    }

    @Test
    void answersOptionsWith204AndAllowAndOptionsStarWith204() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            RawHttp.Response onPath = client.send("OPTIONS /hello/x HTTP/1.1\r\nHost: gateway.test\r\n\r\n").read();
            RawHttp.Response star = client.send("OPTIONS * HTTP/1.1\r\nHost: gateway.test\r\n\r\n").read();
            RawHttp.Response next = client.send(seedPost()).read();

            assertThat(onPath.status()).isEqualTo(204);
            assertThat(onPath.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
            // RFC 9110 §8.6: no Content-Length in a 204.
            assertThat(onPath.header("Content-Length")).isNull();
            // RFC 9110 §9.3.7: OPTIONS * asks about the server as a whole.
            assertThat(star.status()).isEqualTo(204);
            assertThat(next.bodyText()).isEqualTo("SUCCESS");
        }
    }

    @Test
    void answersEveryKindOfProcessorFailureWith500AndAnErrorIdAndKeepsTheConnection() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            for (String mode : new String[] {"throw", "failed-stage", "null-stage", "null-response"}) {
                RawHttp.Response response = client.send(post("/fail/" + mode, "{}")).read();

                assertThat(response.status()).as(mode).isEqualTo(500);
                assertThat(response.bodyText()).as(mode).matches("internal error \\(error id [0-9a-f]+\\)\n");
                assertThat(response.bodyText()).as("no internals leak").doesNotContain("secret");
                assertThat(response.header("Connection")).as(mode).isNull();
                assertThat(TestProcessors.invocations("fail-" + mode)).isEqualTo(1);
                assertThat(processorFailures("fail-" + mode, "exception")).as(mode).isEqualTo(1.0);
            }
            assertThat(client.send(seedPost()).read().bodyText()).isEqualTo("SUCCESS");
        }
    }

    @Test
    void passesAHookExceptionsStatusMessageAndHeadersThrough() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            RawHttp.Response thrown = client.send(post("/refuse", "x")).read();
            RawHttp.Response failedStage = client.send(post("/refuse-async", "x")).read();
            RawHttp.Response next = client.send(seedPost()).read();

            assertThat(thrown.status()).isEqualTo(429);
            assertThat(thrown.statusLine()).isEqualTo("HTTP/1.1 429 Too Many Requests");
            assertThat(thrown.header("Retry-After")).isEqualTo("7");
            assertThat(thrown.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(thrown.bodyText()).isEqualTo("slow down\n");
            assertThat(failedStage.status()).isEqualTo(422);
            assertThat(failedStage.bodyText()).isEqualTo("not this one\n");
            assertThat(next.bodyText()).isEqualTo("SUCCESS");
        }
    }

    @Test
    void answers503WithRetryAfterWhenTheWorkerPoolIsFull() throws Exception {
        String config = """
                server:
                  worker-threads: 1
                  worker-queue: 0
                  access-log: false
                hooks:
                  - name: latch
                    path: /latch
                    methods: [POST]
                    processor: {type: test-latch, gate: pool}
                """;
        try (TestGateway busy = TestGateway.start(config);
             RawHttp first = RawHttp.connect(busy.port());
             RawHttp second = RawHttp.connect(busy.port())) {
            TestProcessors.Gate gate = TestProcessors.gate("pool");
            first.send(post("/latch", "occupies the only worker"));
            assertThat(gate.awaitArrivals(1, Duration.ofSeconds(5))).isTrue();

            RawHttp.Response refused = second.send(post("/latch", "finds no worker")).read();

            // RFC 9110 §15.6.4: 503 with Retry-After tells the sender when to try again.
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(refused.bodyText()).isEqualTo("the gateway is busy; try again shortly\n");
            assertThat(TestProcessors.invocations("latch")).as("refused request never ran").isEqualTo(1);
            assertThat(busy.counter("hook.gateway.processor.failures", "hook", "latch", "cause", "rejected"))
                    .isEqualTo(1.0);

            gate.release(1);
            assertThat(first.read().bodyText()).isEqualTo("passed pool\n");
            gate.release(1);
            Await.until(Duration.ofSeconds(5), "the retried request is accepted by the freed worker",
                    () -> second.send(post("/latch", "retry")).read().status() == 200);
        }
    }

    /** A malformed request, the status it must get, and the RFC rule it breaks. */
    static Stream<Arguments> malformedRequests() {
        return Stream.of(
                // RFC 9112 §2.2: bare LF line endings are refused (stricter than "MAY accept", against smuggling).
                Arguments.of("bare LF after request line", "POST /echo HTTP/1.1\nHost: a\r\nContent-Length: 0\r\n\r\n",
                        400, "bad_line_ending"),
                Arguments.of("bare LF after a field", "POST /echo HTTP/1.1\r\nHost: a\nContent-Length: 0\r\n\r\n",
                        400, "bad_line_ending"),
                Arguments.of("bare CR inside a field",
                        "POST /echo HTTP/1.1\r\nHost: a\rX: y\r\nContent-Length: 0\r\n\r\n", 400, "bad_line_ending"),
                // RFC 9112 §5.2: obs-fold is refused with 400.
                Arguments.of("obs-fold",
                        "POST /echo HTTP/1.1\r\nHost: a\r\nX-Long: one\r\n  two\r\nContent-Length: 0\r\n\r\n",
                        400, "obs_fold"),
                // RFC 9112 §5.1: whitespace between field name and colon MUST be rejected with 400.
                Arguments.of("space before colon", "POST /echo HTTP/1.1\r\nHost : a\r\nContent-Length: 0\r\n\r\n",
                        400, "whitespace_before_colon"),
                // RFC 9112 §3.2: an HTTP/1.1 request without Host, or with two, MUST get 400.
                Arguments.of("no Host", "POST /echo HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 400, "bad_host"),
                Arguments.of("two Hosts", "POST /echo HTTP/1.1\r\nHost: a\r\nHost: b\r\nContent-Length: 0\r\n\r\n",
                        400, "bad_host"),
                // RFC 9112 §6.1 / §6.3: Transfer-Encoding with Content-Length is a framing conflict.
                Arguments.of("TE and CL", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                        + "Content-Length: 5\r\n\r\n0\r\n\r\n", 400, "ambiguous_framing"),
                // RFC 9112 §6.3: differing Content-Length values are unrecoverable.
                Arguments.of("two different CLs", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n"
                        + "Content-Length: 2\r\n\r\nxx", 400, "bad_content_length"),
                Arguments.of("signed CL", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\nx",
                        400, "bad_content_length"),
                // RFC 9112 §6.1: a transfer coding the server does not understand is 501.
                Arguments.of("gzip TE", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                        + "0\r\n\r\n", 501, "unsupported_transfer_encoding"),
                // RFC 9112 §7.1: a chunk-size that is not hex.
                Arguments.of("bad chunk size", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "zz\r\nhello\r\n0\r\n\r\n", 400, "bad_chunk"),
                // RFC 9110 §15.6.6: a major version the server does not support.
                Arguments.of("HTTP/2.0 request line", "POST /echo HTTP/2.0\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
                        505, "unsupported_version"),
                // RFC 9110 §10.1.1: an expectation other than 100-continue gets 417.
                Arguments.of("unknown expectation", "POST /echo HTTP/1.1\r\nHost: a\r\nExpect: coffee\r\n"
                        + "Content-Length: 0\r\n\r\n", 417, "unsupported_expectation"),
                // RFC 9112 §3: exactly one SP between the parts of the request line.
                Arguments.of("two spaces in request line",
                        "POST  /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", 400, "bad_request_line"),
                // RFC 9112 §3 / RFC 9110 §15.5.15: a request line over the limit gets 414.
                Arguments.of("request line over 8 KiB", "POST /echo?" + "q".repeat(9000) + " HTTP/1.1\r\nHost: a\r\n"
                        + "Content-Length: 0\r\n\r\n", 414, "request_line_too_long"),
                // RFC 6585 §5: header fields over the limit get 431.
                Arguments.of("headers over 16 KiB", "POST /echo HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(17_000)
                        + "\r\nContent-Length: 0\r\n\r\n", 431, "headers_too_large"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("malformedRequests")
    void refusesAMalformedRequestClosesAndProcessesNothingAfterIt(String what, String malformed, int status,
                                                                 String reason) throws Exception {
        double errorsBefore = decodeErrors(reason);
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            // The bad request and a good one behind it, in one write: the good one must never reach its hook.
            client.send(malformed + post("/echo", "smuggled?"));

            RawHttp.Response refused = client.read();
            byte[] rest = client.readUntilClosed();

            assertThat(refused.status()).isEqualTo(status);
            assertThat(refused.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(refused.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(rest).as("nothing after the refusal; the socket is closed").isEmpty();
        }
        assertThat(TestProcessors.invocations("echo")).isZero();
        assertThat(decodeErrors(reason)).isEqualTo(errorsBefore + 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%2e%2e/post", "/post/%2fetc", "/a%zz"})
    void refusesAPathThatCannotBeCanonicalisedWith400(String target) throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            RawHttp.Response refused = client.send(post(target, "x")).read();

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    private static double processorFailures(String hook, String cause) {
        return gateway.counter("hook.gateway.processor.failures", "hook", hook, "cause", cause);
    }

    private static double decodeErrors(String reason) {
        return gateway.counter("hook.gateway.decode.errors", "reason", reason);
    }
}
