package io.hookgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.Rule;
import io.hookgateway.hooks.Gate;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.HookResponse;
import io.hookgateway.http.FixedLengthBodyAggregator;
import io.hookgateway.http.FullRequest;
import io.hookgateway.http.HeaderLineDecoder;
import io.hookgateway.http.MemoryBudget;
import io.hookgateway.http.HttpResponses;
import io.hookgateway.http.RequestFailure;
import io.hookgateway.testing.LogCapture;
import io.hookgateway.testing.TestProcessors.NoMemoryLeft;
import io.hookgateway.testing.TestProcessors.Unloggable;
import io.hookgateway.testing.TrackedBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tests of {@link HookRouter} behind the real decoder and aggregator in an {@link EmbeddedChannel}, driven by raw
 * request bytes and checked on the exact answer bytes: processor answers, 404, 405 with Allow, OPTIONS, HEAD, processor
 * failures (500 with an error id, {@link HookException} statuses, a full worker pool), refused requests (their status,
 * {@code Connection: close} and the close), persistence for HTTP/1.0 and 1.1, pipelined requests answered in order,
 * and draining.
 */
class HookRouterTest {

    private static final HookRouter.Settings SETTINGS =
            new HookRouter.Settings(RequestObserver.NONE, false, () -> false, Duration.ofSeconds(60));
    private static final long DEFAULT_LIMIT = 64;
    private static final String TEXT = "Content-Type: text/plain; charset=utf-8\r\n";
    private static final String NOT_FOUND_BODY = "no hook is configured at this path\n";
    private static final String SHUTTING_DOWN = "HTTP/1.1 503 Service Unavailable\r\n" + TEXT
            + "Content-Length: 61\r\nConnection: close\r\n\r\n"
            + "the gateway is shutting down; this request was not completed\n";

    private static final HookProcessor ECHO =
            request -> CompletableFuture.completedFuture(HookResponse.text(200, request.bodyText()));
    private static final HookProcessor DESCRIBE = request -> CompletableFuture.completedFuture(
            HookResponse.text(200, request.method() + " " + request.path() + " " + request.pathVariables() + " "
                    + request.queryParameters() + " " + request.protocolVersion() + " " + request.hookName()));
    private static final HookProcessor STATUS = request -> CompletableFuture.completedFuture(
            HookResponse.of(200, HeaderFields.of("Content-Type", "text/plain", "X-Status", "ok"), "up"));
    private static final HookProcessor THROWS = request -> {
        throw new IllegalStateException("processor bug");
    };
    private static final HookProcessor FAILS =
            request -> CompletableFuture.failedFuture(new IllegalStateException("downstream broke"));
    private static final HookProcessor NO_STAGE = request -> null;
    private static final HookProcessor BAD_JSON =
            request -> CompletableFuture.failedFuture(new HookException(400, "body is not JSON"));
    private static final HookProcessor THROWS_HOOK_EXCEPTION = request -> {
        throw new HookException(422, "missing field 'value1'");
    };
    private static final HookProcessor THROTTLED = request -> CompletableFuture.failedFuture(
            new HookException(429, "slow down", HeaderFields.of("Retry-After", "30"), null));

    private static List<Hook> standardHooks() {
        return List.of(
                hook("echo", "/echo", ECHO, "POST"),
                hook("device", "/hooks/{device}/on", DESCRIBE, "GET", "POST"),
                hook("status", "/status", STATUS, "GET"),
                hook("throws", "/throws", THROWS, "POST"),
                hook("fails", "/fails", FAILS, "POST"),
                hook("no-stage", "/no-stage", NO_STAGE, "POST"),
                hook("bad-json", "/bad-json", BAD_JSON, "POST"),
                hook("unprocessable", "/unprocessable", THROWS_HOOK_EXCEPTION, "POST"),
                hook("throttled", "/throttled", THROTTLED, "POST"),
                new Hook("small", PathPattern.parse("/small"), Set.of("POST"), ECHO, 4, false,
                        RequestObserver.HookObserver.NONE));
    }

    // ---------------------------------------------------------------------------------------------------- answers

    @Test
    void answersWithTheProcessorResponse() {
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"));
        assertThat(answer(channel)).isEqualTo("HTTP/1.1 200 OK\r\n" + TEXT + "Content-Length: 5\r\n\r\nhello");
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertNoMoreAnswers(channel);
    }

    @Test
    void givesTheProcessorPathVariablesQueryAndHookName() {
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("GET /hooks/lamp/on?level=5&level=6 HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(body(answer(channel)))
                .isEqualTo("GET /hooks/lamp/on {device=lamp} {level=[5, 6]} HTTP/1.1 device");
        assertNoMoreAnswers(channel);
    }

    @Test
    void releasesTheRequestOnceAnswered() {
        List<FullRequest> seen = new ArrayList<>();
        HookProcessor capturing = request -> {
            seen.add((FullRequest) request);
            return CompletableFuture.completedFuture(HookResponse.empty(204));
        };
        EmbeddedChannel channel = gateway(SETTINGS, List.of(hook("capture", "/c", capturing, "POST")));
        channel.writeInbound(bytes("POST /c HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"));
        assertThat(answer(channel)).isEqualTo("HTTP/1.1 204 No Content\r\n\r\n");
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).refCnt()).isZero();
        assertNoMoreAnswers(channel);
    }

    @Test
    void answers404ForAPathWithoutHook() {
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("POST /nowhere HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"));
        assertThat(answer(channel)).isEqualTo("HTTP/1.1 404 Not Found\r\n" + TEXT + "Content-Length: "
                + NOT_FOUND_BODY.length() + "\r\n\r\n" + NOT_FOUND_BODY);
        assertThat(channel.isOpen()).isTrue();
        assertNoMoreAnswers(channel);
    }

    @Test
    void answers405WithAllowForAMethodThePathDoesNotTake() {
        // RFC 9110 §15.5.6: the origin server MUST generate an Allow header field in a 405 response.
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("DELETE /echo HTTP/1.1\r\nHost: h\r\n\r\n"));
        String body = "method DELETE not allowed; use OPTIONS, POST\n";
        assertThat(answer(channel)).isEqualTo("HTTP/1.1 405 Method Not Allowed\r\nAllow: OPTIONS, POST\r\n" + TEXT
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        assertThat(channel.isOpen()).isTrue();
        assertNoMoreAnswers(channel);
    }

    @Test
    void answersOptionsWith204AndAllow() {
        // RFC 9110 §9.3.7: OPTIONS describes the communication options of the target resource.
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("OPTIONS /hooks/lamp/on HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(answer(channel)).isEqualTo("HTTP/1.1 204 No Content\r\nAllow: GET, HEAD, OPTIONS, POST\r\n\r\n");
        assertNoMoreAnswers(channel);
    }

    @Test
    void answersServerWideOptionsWith204() {
        // RFC 9110 §9.3.7: OPTIONS * asks about the server in general.
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(answer(channel)).isEqualTo("HTTP/1.1 204 No Content\r\n\r\n");
        assertNoMoreAnswers(channel);
    }

    @Test
    void answersOptionsForUnknownPathWith404() {
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("OPTIONS /nowhere HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(answer(channel)).startsWith("HTTP/1.1 404 Not Found\r\n");
        assertNoMoreAnswers(channel);
    }

    @Test
    void answersHeadWithTheGetHeadersButNoBody() {
        // RFC 9110 §9.3.2: the server SHOULD send the same header fields as for GET, but no content.
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("HEAD /status HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(answer(channel)).isEqualTo(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Status: ok\r\nContent-Length: 2\r\n\r\n");
        // The next answer starts right after the head: no stray body bytes in between.
        channel.writeInbound(bytes("GET /status HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(answer(channel)).isEqualTo(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Status: ok\r\nContent-Length: 2\r\n\r\nup");
        assertNoMoreAnswers(channel);
    }

    @Test
    void answersHeadToMissingPathWithout404Body() {
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("HEAD /nowhere HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(answer(channel)).isEqualTo("HTTP/1.1 404 Not Found\r\n" + TEXT + "Content-Length: "
                + NOT_FOUND_BODY.length() + "\r\n\r\n");
        assertNoMoreAnswers(channel);
    }

    // ---------------------------------------------------------------------------------------------------- processor failures

    @Test
    void answers500WithErrorIdWhenProcessorThrowsAndKeepsTheConnection() {
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("POST /throws HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nx"));
        String answer = answer(channel);
        assertThat(answer).startsWith("HTTP/1.1 500 Internal Server Error\r\n" + TEXT + "Content-Length: ")
                .doesNotContain("Connection:")
                .doesNotContain("processor bug");
        assertThat(body(answer)).matches("internal error \\(error id [0-9a-f]{1,8}\\)\n");
        assertThat(channel.isOpen()).isTrue();

        channel.runPendingTasks();
        channel.writeInbound(bytes("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok"));
        assertThat(body(answer(channel))).isEqualTo("ok");
        assertNoMoreAnswers(channel);
    }

    @Test
    void answers500WhenProcessorStageFails() {
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("POST /fails HTTP/1.1\r\nHost: h\r\n\r\n"));
        String answer = answer(channel);
        assertThat(answer).startsWith("HTTP/1.1 500 Internal Server Error\r\n").doesNotContain("downstream broke");
        assertThat(body(answer)).matches("internal error \\(error id [0-9a-f]+\\)\n");
        assertThat(channel.isOpen()).isTrue();
        assertNoMoreAnswers(channel);
    }

    @Test
    void answers500WhenProcessorReturnsNoStage() {
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("POST /no-stage HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(answer(channel)).startsWith("HTTP/1.1 500 Internal Server Error\r\n");
        assertNoMoreAnswers(channel);
    }

    @Test
    void answersWithHookExceptionStatusAndMessage() {
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("POST /bad-json HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\n{"));
        String body = "body is not JSON\n";
        assertThat(answer(channel)).isEqualTo("HTTP/1.1 400 Bad Request\r\n" + TEXT + "Content-Length: "
                + body.length() + "\r\n\r\n" + body);
        assertThat(channel.isOpen()).isTrue();
        assertNoMoreAnswers(channel);
    }

    @Test
    void answersWithStatusOfHookExceptionThrownDirectly() {
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("POST /unprocessable HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(answer(channel)).startsWith("HTTP/1.1 422 Unprocessable Content\r\n")
                .endsWith("\r\n\r\nmissing field 'value1'\n");
        assertNoMoreAnswers(channel);
    }

    @Test
    void answersAHookExceptionWithoutHeadersAndKeepsServingThePipeline() {
        HookProcessor busy = request -> CompletableFuture.failedFuture(new HookException(503, "busy", null, null));
        EmbeddedChannel channel = gateway(SETTINGS, List.of(hook("busy", "/busy", busy, "GET"),
                hook("status", "/status", STATUS, "GET")));
        channel.writeInbound(bytes("GET /busy HTTP/1.1\r\nHost: h\r\n\r\nGET /status HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(answer(channel)).startsWith("HTTP/1.1 503 Service Unavailable\r\n").endsWith("\r\n\r\nbusy\n");
        channel.runPendingTasks();
        assertThat(answer(channel)).startsWith("HTTP/1.1 200 OK\r\n");
        assertNoMoreAnswers(channel);
    }

    @Test
    void answersAFailureWithLogDetailWithItsPublicMessageAndAnErrorIdOnly() {
        HookProcessor unreachable = request -> CompletableFuture.failedFuture(HookException.withLogDetail(502,
                "the downstream is unreachable", HeaderFields.empty(), "downstream 10.0.0.7:8123 refused"));
        EmbeddedChannel channel = gateway(SETTINGS, List.of(hook("relay", "/relay", unreachable, "POST")));
        channel.writeInbound(bytes("POST /relay HTTP/1.1\r\nHost: h\r\n\r\n"));
        String answer = answer(channel);
        assertThat(answer).startsWith("HTTP/1.1 502 Bad Gateway\r\n")
                .containsPattern("\r\n\r\nthe downstream is unreachable \\(error id [0-9a-f]+\\)\n$")
                .doesNotContain("10.0.0.7").doesNotContain("8123");
        assertNoMoreAnswers(channel);
    }

    @Test
    void addsHookExceptionHeadersAfterContentType() {
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("POST /throttled HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(answer(channel)).isEqualTo("HTTP/1.1 429 Too Many Requests\r\n" + TEXT + "Retry-After: 30\r\n"
                + "Content-Length: 10\r\n\r\nslow down\n");
        assertNoMoreAnswers(channel);
    }

    @Test
    void runsBlockingProcessorOnTheWorkers() {
        AtomicInteger submitted = new AtomicInteger();
        Executor workers = task -> {
            submitted.incrementAndGet();
            task.run();
        };
        HookProcessor blocking = new HookProcessor() {
            @Override
            public CompletableFuture<HookResponse> process(HookRequest request) {
                return CompletableFuture.completedFuture(HookResponse.text(200, "done"));
            }

            @Override
            public boolean blocking() {
                return true;
            }
        };
        EmbeddedChannel channel = gateway(SETTINGS, List.of(hook("blocking", "/blocking", blocking, workers, "POST"),
                hook("echo", "/echo", ECHO, workers, "POST")));
        channel.writeInbound(bytes("POST /blocking HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(body(answer(channel))).isEqualTo("done");
        assertThat(submitted).hasValue(1);
        // A processor that does not block never goes to the workers.
        channel.writeInbound(bytes("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\ne"));
        assertThat(body(answer(channel))).isEqualTo("e");
        assertThat(submitted).hasValue(1);
        assertNoMoreAnswers(channel);
    }

    @Test
    void runsAProcessorThatDoesNotBlockOnTheWorkersWhenItsBodyIsLarge() {
        AtomicInteger submitted = new AtomicInteger();
        Executor workers = task -> {
            submitted.incrementAndGet();
            task.run();
        };
        int large = (int) HookDispatcher.EVENT_LOOP_MAX_BODY_BYTES + 1;
        EmbeddedChannel channel = gateway(SETTINGS, List.of(new Hook("echo", PathPattern.parse("/echo"), Set.of("POST"),
                ECHO, large, false, RequestObserver.HookObserver.NONE, ExecutionLimits.defaults(), workers)));

        channel.writeInbound(bytes("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: " + (large - 1) + "\r\n\r\n"
                + "a".repeat(large - 1)));
        assertThat(body(answer(channel))).hasSize(large - 1);
        assertThat(submitted).as("at the limit: on the event loop").hasValue(0);
        channel.runPendingTasks();

        channel.writeInbound(bytes("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: " + large + "\r\n\r\n"
                + "b".repeat(large)));
        assertThat(body(answer(channel))).hasSize(large);
        assertThat(submitted).as("over it: on the workers").hasValue(1);
        assertNoMoreAnswers(channel);
    }

    @Test
    void keepsALargeBodyOnTheEventLoopWhenTheProcessorDoesNotReadIt() {
        AtomicInteger submitted = new AtomicInteger();
        Executor workers = task -> {
            submitted.incrementAndGet();
            task.run();
        };
        HookProcessor constant = new HookProcessor() {
            @Override
            public CompletableFuture<HookResponse> process(HookRequest request) {
                return CompletableFuture.completedFuture(HookResponse.text(200, "stored"));
            }

            @Override
            public boolean readsBody() {
                return false;
            }
        };
        int large = (int) HookDispatcher.EVENT_LOOP_MAX_BODY_BYTES + 1;
        EmbeddedChannel channel = gateway(SETTINGS, List.of(new Hook("stored", PathPattern.parse("/stored"),
                Set.of("POST"), constant, large, false, RequestObserver.HookObserver.NONE, ExecutionLimits.defaults(),
                workers)));

        channel.writeInbound(bytes("POST /stored HTTP/1.1\r\nHost: h\r\nContent-Length: " + large + "\r\n\r\n"
                + "c".repeat(large)));

        assertThat(body(answer(channel))).isEqualTo("stored");
        assertThat(submitted).hasValue(0);
        assertNoMoreAnswers(channel);
    }

    @Test
    void answers503WhenLargeBodiesBeingReadHaveTakenTheWorkMemory() {
        int large = (int) HookDispatcher.EVENT_LOOP_MAX_BODY_BYTES + 1;
        List<Runnable> parked = new ArrayList<>();
        Executor workers = parked::add;
        MemoryBudget memory = new MemoryBudget(HookDispatcher.COPIES * (long) large);
        EmbeddedChannel first = gateway(SETTINGS, List.of(new Hook("echo", PathPattern.parse("/echo"),
                Set.of("POST"), ECHO, large, false, RequestObserver.HookObserver.NONE, ExecutionLimits.defaults(),
                workers, Gate.OPEN, memory)));
        EmbeddedChannel second = gateway(SETTINGS, List.of(new Hook("echo", PathPattern.parse("/echo"),
                Set.of("POST"), ECHO, large, false, RequestObserver.HookObserver.NONE, ExecutionLimits.defaults(),
                workers, Gate.OPEN, memory)));
        String request = "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: " + large + "\r\n\r\n" + "e".repeat(large);

        first.writeInbound(bytes(request));
        assertThat(memory.used()).as("taken while the first waits for a worker").isEqualTo(memory.capacity());
        second.writeInbound(bytes(request));

        assertThat(answer(second)).startsWith("HTTP/1.1 503 Service Unavailable\r\n").contains("Retry-After: 1\r\n");
        parked.forEach(Runnable::run);
        assertThat(body(answer(first))).hasSize(large);
        assertThat(memory.used()).as("given back with the request").isZero();
        assertNoMoreAnswers(first);
        assertNoMoreAnswers(second);
    }

    @Test
    void answers504WhenAProcessorHeldItsThreadPastTheHooksTimeout() {
        HookProcessor hogsTheLoop = request -> {
            long until = System.nanoTime() + Duration.ofMillis(60).toNanos();
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            return CompletableFuture.completedFuture(HookResponse.text(200, "late"));
        };
        Hook hook = new Hook("hog", PathPattern.parse("/hog"), Set.of("GET"), hogsTheLoop, 1024, false,
                RequestObserver.HookObserver.NONE, new ExecutionLimits(1, 0, Duration.ofMillis(20)), Runnable::run);
        EmbeddedChannel channel = gateway(SETTINGS, List.of(hook));

        channel.writeInbound(bytes("GET /hog HTTP/1.1\r\nHost: h\r\n\r\n"));

        assertThat(answer(channel)).startsWith("HTTP/1.1 504 Gateway Timeout\r\n");
        assertNoMoreAnswers(channel);
    }

    @Test
    void answers503WhenWorkersAreFull() {
        Executor full = task -> {
            throw new RejectedExecutionException("full");
        };
        HookProcessor blocking = new HookProcessor() {
            @Override
            public CompletableFuture<HookResponse> process(HookRequest request) {
                throw new AssertionError("must not run");
            }

            @Override
            public boolean blocking() {
                return true;
            }
        };
        EmbeddedChannel channel = gateway(SETTINGS, List.of(hook("blocking", "/blocking", blocking, full, "POST")));
        channel.writeInbound(bytes("POST /blocking HTTP/1.1\r\nHost: h\r\n\r\n"));
        String body = "the gateway is busy; try again shortly\n";
        assertThat(answer(channel)).isEqualTo("HTTP/1.1 503 Service Unavailable\r\n" + TEXT + "Retry-After: 1\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        assertThat(channel.isOpen()).isTrue();
        assertNoMoreAnswers(channel);
    }

    // ---------------------------------------------------------------------------------------------------- refusals

    static Stream<Arguments> refusedRequests() {
        return Stream.of(
                Arguments.of("GET / HTTP/1.1\r\n\r\n", RequestFailure.BAD_HOST),
                Arguments.of("GET / HTTP/2.0\r\nHost: h\r\n\r\n", RequestFailure.UNSUPPORTED_VERSION),
                Arguments.of("GET /a%2Fb HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_PATH),
                Arguments.of("GET / HTTP/1.1\nHost: h\r\n\r\n", RequestFailure.BAD_LINE_ENDING),
                Arguments.of("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", RequestFailure.OBS_FOLD),
                Arguments.of("GET /" + "a".repeat(HeaderLineDecoder.DEFAULT_MAX_REQUEST_LINE_BYTES) + " HTTP/1.1\r\n",
                        RequestFailure.REQUEST_LINE_TOO_LONG),
                Arguments.of("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                        RequestFailure.UNSUPPORTED_TRANSFER_ENCODING),
                Arguments.of("POST /echo HTTP/1.1\r\nHost: h\r\nExpect: later\r\n\r\n",
                        RequestFailure.UNSUPPORTED_EXPECTATION),
                Arguments.of("POST /small HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n12345",
                        RequestFailure.BODY_TOO_LARGE),
                Arguments.of("POST /small HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n",
                        RequestFailure.BODY_TOO_LARGE),
                Arguments.of("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxYZ",
                        RequestFailure.BAD_CHUNK));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusedRequests")
    void answersRefusedRequestWithItsStatusAndCloses(String request, RequestFailure failure) {
        // RFC 9112 §9.6: a server that sends Connection: close closes the connection after the response.
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes(request + "GET /status HTTP/1.1\r\nHost: h\r\n\r\n"));
        String answer = answer(channel);
        assertThat(answer).isEqualTo(refusal(failure, false));
        assertThat(answer).startsWith("HTTP/1.1 " + failure.status() + " ").contains("\r\nConnection: close\r\n")
                .endsWith("\r\n\r\n" + failure.message() + "\n");
        assertThat(channel.isOpen()).isFalse();
        // The pipelined request after the refused one is never answered.
        channel.runPendingTasks();
        assertThat(nextOutbound(channel)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void answersRefusedHeadRequestWithoutBody() {
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("HEAD /status HTTP/1.1\r\n\r\n"));
        assertThat(answer(channel)).isEqualTo(refusal(RequestFailure.BAD_HOST, true))
                .endsWith("Connection: close\r\n\r\n");
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void answers413BeforeTheBodyWhenTheClientExpectsContinue() {
        // RFC 9110 §10.1.1: a final status instead of 100 Continue, and the client need not send the body.
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("POST /small HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                + "Content-Length: 5\r\n\r\n"));
        assertThat(answer(channel)).startsWith("HTTP/1.1 413 ").contains("Connection: close");
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void sends100ContinueThenTheAnswer() {
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                + "Content-Length: 2\r\n\r\n"));
        assertThat(answer(channel)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        assertThat(nextOutbound(channel)).isNull();
        channel.writeInbound(bytes("hi"));
        assertThat(body(answer(channel))).isEqualTo("hi");
        assertNoMoreAnswers(channel);
    }

    // ---------------------------------------------------------------------------------------------------- persistence

    @Test
    void closesHttp10ConnectionByDefault() {
        // RFC 9112 §9.3: an HTTP/1.0 connection persists only when the client sent keep-alive.
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("POST /echo HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi"));
        assertThat(answer(channel)).isEqualTo("HTTP/1.1 200 OK\r\n" + TEXT + "Content-Length: 2\r\n"
                + "Connection: close\r\n\r\nhi");
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void keepsHttp10ConnectionWhenAskedAndSaysSo() {
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("POST /echo HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi"));
        assertThat(answer(channel)).isEqualTo("HTTP/1.1 200 OK\r\n" + TEXT + "Content-Length: 2\r\n"
                + "Connection: keep-alive\r\n\r\nhi");
        assertThat(channel.isOpen()).isTrue();
        channel.writeInbound(bytes("GET /nowhere HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        assertThat(answer(channel)).startsWith("HTTP/1.1 404 Not Found\r\n").contains("Connection: keep-alive\r\n");
        assertNoMoreAnswers(channel);
    }

    @Test
    void closesHttp11ConnectionWhenClientSaysClose() {
        // RFC 9112 §9.6: a server that receives "close" initiates a close after the response.
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("GET /status HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
                + "GET /status HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(answer(channel)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Status: ok\r\n"
                + "Content-Length: 2\r\nConnection: close\r\n\r\nup");
        assertThat(channel.isOpen()).isFalse();
        channel.runPendingTasks();
        assertThat(nextOutbound(channel)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void closesAfterAnswerWhileDraining() {
        EmbeddedChannel channel = gateway(new HookRouter.Settings(RequestObserver.NONE, false, () -> true,
                Duration.ofSeconds(60)), standardHooks());
        channel.writeInbound(bytes("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi"));
        assertThat(answer(channel)).isEqualTo("HTTP/1.1 200 OK\r\n" + TEXT + "Content-Length: 2\r\n"
                + "Connection: close\r\n\r\nhi");
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void drainEventClosesAnIdleConnectionAtOnce() {
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("GET /status HTTP/1.1\r\nHost: h\r\n\r\n"));
        answer(channel);
        channel.runPendingTasks();
        channel.pipeline().fireUserEventTriggered(HookRouter.DRAIN);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void drainEventRightAfterAnAnswerClosesOnceTheDecoderHasResumed() {
        // The answer is written, the decoder's resume() still queued: the connection is idle only after it runs.
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("GET /status HTTP/1.1\r\nHost: h\r\n\r\n"));
        answer(channel);
        channel.pipeline().fireUserEventTriggered(HookRouter.DRAIN);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void drainEventDuringARequestClosesAfterItsAnswer() {
        List<CompletableFuture<HookResponse>> pending = new ArrayList<>();
        EmbeddedChannel channel = gateway(SETTINGS, List.of(hook("later", "/later", later(pending, null), "GET")));
        channel.writeInbound(bytes("GET /later HTTP/1.1\r\nHost: h\r\n\r\n"));
        channel.pipeline().fireUserEventTriggered(HookRouter.DRAIN);
        assertThat(channel.isOpen()).isTrue();
        pending.get(0).complete(HookResponse.text(200, "late"));
        assertThat(answer(channel)).contains("Connection: close\r\n").endsWith("late");
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void cutOffAnswers503WithConnectionCloseToARequestItsProcessorHasNotAnswered() {
        List<CompletableFuture<HookResponse>> pending = new ArrayList<>();
        EmbeddedChannel channel = gateway(SETTINGS, List.of(hook("later", "/later", later(pending, null), "GET")));
        channel.writeInbound(bytes("GET /later HTTP/1.1\r\nHost: h\r\n\r\n"));
        channel.pipeline().fireUserEventTriggered(HookRouter.DRAIN);

        channel.pipeline().fireUserEventTriggered(HookRouter.CUT_OFF);

        assertThat(answer(channel)).isEqualTo(SHUTTING_DOWN);
        assertThat(channel.isOpen()).isFalse();
        // The processor answers after all: nobody is left to hear it.
        pending.get(0).complete(HookResponse.text(200, "too late"));
        channel.runPendingTasks();
        assertThat(nextOutbound(channel)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void cutOffClosesQuietlyAConnectionWithNoRequestBegun() {
        EmbeddedChannel unused = gateway();
        // Answered a moment ago: the decoder's resume() is still queued when the cut-off comes.
        EmbeddedChannel answered = gateway();
        answered.writeInbound(bytes("GET /status HTTP/1.1\r\nHost: h\r\n\r\n"));
        answer(answered);
        for (EmbeddedChannel channel : List.of(unused, answered)) {
            channel.pipeline().fireUserEventTriggered(HookRouter.CUT_OFF);
            channel.runPendingTasks();
            assertThat(channel.isOpen()).isFalse();
            assertThat(nextOutbound(channel)).isNull();
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    static Stream<Arguments> requestsStillArriving() {
        String body = "POST /echo HTTP/1.1\r\nHost: h\r\n";
        return Stream.of(
                Arguments.of("its request line", "GET /sta", "- - hook=unmatched status=503 in=0B"),
                Arguments.of("its header fields", body + "Content-Le", "- - hook=unmatched status=503 in=0B"),
                Arguments.of("its body", body + "Content-Length: 9\r\n\r\nabc",
                        "POST /echo hook=echo status=503 in=3B"),
                Arguments.of("its chunked body", body + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\nd",
                        "POST /echo hook=echo status=503 in=4B"),
                Arguments.of("its body, after 100 Continue", body + "Expect: 100-continue\r\nContent-Length: 9\r\n\r\n",
                        "POST /echo hook=echo status=503 in=0B"));
    }

    /**
     * A request that has begun to arrive when the drain timeout passes is told it will not be served, and logged,
     * rather than met with a bare close; nothing more of the connection is read as a request.
     */
    @ParameterizedTest(name = "while receiving {0}")
    @MethodSource("requestsStillArriving")
    void cutOffAnswers503ToARequestStillArrivingAndLogsIt(String what, String partial, String accessLine) {
        HookRouter.Settings logged = new HookRouter.Settings(RequestObserver.NONE, true, () -> true,
                Duration.ofSeconds(60));
        EmbeddedChannel channel = gateway(logged, List.of(
                new Hook("echo", PathPattern.parse("/echo"), Set.of("POST"), ECHO, 1024, true,
                        RequestObserver.HookObserver.NONE),
                hook("status", "/status", STATUS, "GET")));
        channel.writeInbound(bytes(partial));
        String before = written(channel);
        try (LogCapture log = LogCapture.gateway()) {
            channel.pipeline().fireUserEventTriggered(HookRouter.CUT_OFF);
            channel.runPendingTasks();

            assertThat(log.messages()).anyMatch(line -> line.startsWith(accessLine + " out=209B"));
        }
        assertThat(written(channel)).isEqualTo(SHUTTING_DOWN);
        assertThat(channel.isOpen()).isFalse();
        if (what.contains("100 Continue")) {
            assertThat(before).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void cutOffAnswers503ToAPipelinedRequestNotYetRead() {
        List<CompletableFuture<HookResponse>> pending = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        EmbeddedChannel channel = gateway(SETTINGS, List.of(hook("later", "/{name}", later(pending, seen), "POST")));
        channel.writeInbound(bytes("POST /one HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"
                + "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi"));
        pending.get(0).complete(HookResponse.text(200, "one"));
        assertThat(body(answer(channel))).isEqualTo("one");

        // The answer is written; the decoder's resume(), which reads the second request, is still queued.
        channel.pipeline().fireUserEventTriggered(HookRouter.CUT_OFF);
        channel.runPendingTasks();

        assertThat(written(channel)).isEqualTo(SHUTTING_DOWN);
        assertThat(seen).as("nothing runs after the cut-off").containsExactly("/one");
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void cutOffEndsAStreamedAnswerWithoutItsLastChunkAndLogsIt() {
        AtomicInteger cancelled = new AtomicInteger();
        AtomicInteger requested = new AtomicInteger();
        // One chunk, then nothing more for as long as the stream is read: a program that has stopped writing.
        Flow.Publisher<ByteBuffer> stalled = subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (requested.getAndIncrement() == 0) {
                    subscriber.onNext(ByteBuffer.wrap("tick\n".getBytes(StandardCharsets.US_ASCII)));
                }
            }

            @Override
            public void cancel() {
                cancelled.incrementAndGet();
            }
        });
        HookProcessor streams = request -> CompletableFuture.completedFuture(
                HookResponse.streaming(200, HookResponse.TEXT_FIELDS, stalled));
        EmbeddedChannel channel = gateway(SETTINGS, List.of(hook("ticks", "/ticks", streams, "GET")));
        channel.writeInbound(bytes("GET /ticks HTTP/1.1\r\nHost: h\r\n\r\n"));
        channel.runPendingTasks();
        assertThat(answer(channel)).startsWith("HTTP/1.1 200 OK\r\n").contains("Transfer-Encoding: chunked");
        assertThat(answer(channel)).isEqualTo("5\r\ntick\n\r\n");

        try (LogCapture log = LogCapture.of(HookRouter.class)) {
            channel.pipeline().fireUserEventTriggered(HookRouter.CUT_OFF);
            channel.runPendingTasks();

            assertThat(log.messages()).containsExactly(
                    "drain timeout: cut off the streamed answer of hook 'ticks' to GET /ticks");
        }
        assertThat(channel.isOpen()).isFalse();
        assertThat(cancelled).hasValue(1);
        assertThat(written(channel)).doesNotContain("0\r\n\r\n");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    // ---------------------------------------------------------------------------------------- failures while answering

    static Stream<Arguments> failuresWhileAnswering() {
        HookProcessor unloggable = request -> CompletableFuture.failedFuture(new Unloggable("a failure"));
        HookProcessor unanswerable = request -> CompletableFuture.failedFuture(new HookException(503, "busy") {
            @Override
            public HeaderFields headers() {
                throw new NoMemoryLeft("to build the answer");
            }
        });
        HookProcessor brokenStream = request -> CompletableFuture.completedFuture(HookResponse.streaming(200,
                HookResponse.TEXT_FIELDS, subscriber -> {
                    throw new StackOverflowError("test: subscribing to the stream");
                }));
        RequestObserver.HookObserver brokenCount = new RequestObserver.HookObserver() {
            @Override
            public void completed(String method, int status, long durationNanos, long bodyBytes) {
                throw new NoMemoryLeft("to count the answer");
            }

            @Override
            public void processorFailed(String cause) {
            }
        };
        return Stream.of(
                Arguments.of("logging a processor's failure", hook("x", "/x", unloggable, "GET")),
                Arguments.of("building a HookException's answer", hook("x", "/x", unanswerable, "GET")),
                Arguments.of("starting a streamed answer", hook("x", "/x", brokenStream, "GET")),
                Arguments.of("counting and logging the written answer", new Hook("x", PathPattern.parse("/x"),
                        Set.of("GET"), ECHO, 1024, true, brokenCount)));
    }

    /**
     * Whatever fails on the way from a request to its answer, and however (an {@link Error} included), the connection
     * closes: it must not stay open with its request unanswered, the decoder waiting and no deadline running.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("failuresWhileAnswering")
    void closesTheConnectionWhenAnsweringFailsInAnyWay(String where, Hook hook) {
        EmbeddedChannel channel = gateway(SETTINGS, List.of(hook));
        channel.writeInbound(bytes("GET /x HTTP/1.1\r\nHost: h\r\n\r\n"));
        channel.runPendingTasks();

        assertThat(channel.isOpen()).as("closed after a failure %s", where).isFalse();
        for (Object out; (out = nextOutbound(channel)) != null; ) {
            ((ByteBuf) out).release();
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void closesTheConnectionWhenLoggingAnUnexpectedErrorFails() {
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("GET /sta"));
        channel.pipeline().fireExceptionCaught(new Unloggable("a failure"));
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void tellsWhenTheConnectionLastHadNothingRunningForIt() {
        List<CompletableFuture<HookResponse>> pending = new ArrayList<>();
        long opened = System.nanoTime();
        HookRouter.Settings tracking = new HookRouter.Settings(RequestObserver.NONE, false, () -> false,
                Duration.ofSeconds(60), true);
        EmbeddedChannel channel = gateway(tracking, List.of(hook("later", "/later", later(pending, null), "GET")));
        HookRouter router = channel.pipeline().get(HookRouter.class);
        assertThat(router.idleSinceNanos() - opened).isNotNegative();
        // Bytes of a request that has not arrived whole do not make a connection busy.
        channel.writeInbound(bytes("GET /later HTTP/1.1\r\n"));
        long idleSince = router.idleSinceNanos();
        assertThat(idleSince - opened).isNotNegative();

        channel.writeInbound(bytes("Host: h\r\n\r\n"));
        assertThat(router.idleSinceNanos()).isEqualTo(HookRouter.BUSY);

        long beforeAnswer = System.nanoTime();
        pending.get(0).complete(HookResponse.text(200, "done"));
        answer(channel);
        assertThat(router.idleSinceNanos() - beforeAnswer).isNotNegative();
        assertNoMoreAnswers(channel);
    }

    // ---------------------------------------------------------------------------------------------------- pipelining

    @Test
    void answersPipelinedRequestsInOrder() {
        // RFC 9112 §9.3.2: a server MUST send its responses in the order the requests were received.
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nfirst"
                + "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\n\r\nsecond"));
        assertThat(body(answer(channel))).isEqualTo("first");
        channel.runPendingTasks();
        assertThat(body(answer(channel))).isEqualTo("second");
        assertNoMoreAnswers(channel);
    }

    @Test
    void holdsThePipelinedRequestUntilTheFirstAnswerIsWritten() {
        List<CompletableFuture<HookResponse>> pending = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        EmbeddedChannel channel = gateway(SETTINGS, List.of(hook("later", "/{name}", later(pending, seen), "GET")));
        channel.writeInbound(bytes("GET /one HTTP/1.1\r\nHost: h\r\n\r\nGET /two HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(seen).containsExactly("/one");
        assertThat(nextOutbound(channel)).isNull();

        pending.get(0).complete(HookResponse.text(200, "one"));
        assertThat(body(answer(channel))).isEqualTo("one");
        channel.runPendingTasks();
        assertThat(seen).containsExactly("/one", "/two");
        assertThat(nextOutbound(channel)).isNull();

        pending.get(1).complete(HookResponse.text(200, "two"));
        assertThat(body(answer(channel))).isEqualTo("two");
        assertNoMoreAnswers(channel);
    }

    @Test
    void answersPipelinedRequestAfterAProcessorFailure() {
        EmbeddedChannel channel = gateway();
        channel.writeInbound(bytes("POST /throws HTTP/1.1\r\nHost: h\r\n\r\n"
                + "GET /nowhere HTTP/1.1\r\nHost: h\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nlast"));
        assertThat(answer(channel)).startsWith("HTTP/1.1 500 ");
        channel.runPendingTasks();
        assertThat(answer(channel)).startsWith("HTTP/1.1 404 ");
        channel.runPendingTasks();
        assertThat(body(answer(channel))).isEqualTo("last");
        assertNoMoreAnswers(channel);
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private static EmbeddedChannel gateway() {
        return gateway(SETTINGS, standardHooks());
    }

    private static EmbeddedChannel gateway(HookRouter.Settings settings, List<Hook> hooks) {
        HeaderLineDecoder decoder = new HeaderLineDecoder();
        RouteTable routes = RouteTable.of(hooks, DEFAULT_LIMIT);
        ArrivingRequest arriving = new ArrivingRequest(routes);
        return new EmbeddedChannel(decoder, arriving, new FixedLengthBodyAggregator(routes, DEFAULT_LIMIT),
                new HookRouter(settings, decoder, arriving));
    }

    private static Hook hook(String name, String path, HookProcessor processor, String... methods) {
        return new Hook(name, PathPattern.parse(path), Set.of(methods), processor, 1024, false,
                RequestObserver.HookObserver.NONE);
    }

    /** A hook whose blocking processor runs on {@code workers}. */
    private static Hook hook(String name, String path, HookProcessor processor, Executor workers, String... methods) {
        return new Hook(name, PathPattern.parse(path), Set.of(methods), processor, 1024, false,
                RequestObserver.HookObserver.NONE, ExecutionLimits.defaults(), workers);
    }

    /** A processor that answers only when the test completes the stage it returned. */
    private static HookProcessor later(List<CompletableFuture<HookResponse>> pending, List<String> seen) {
        return request -> {
            if (seen != null) {
                seen.add(request.path());
            }
            CompletableFuture<HookResponse> stage = new CompletableFuture<>();
            pending.add(stage);
            return stage;
        };
    }

    private static ByteBuf bytes(String s) {
        return TrackedBuffers.latin1(s);
    }

    /**
     * The next answer written, as text, without its {@code X-Request-Id} field, which every answer must have right
     * after its status line (its value differs from request to request); the buffer is released.
     */
    private static String answer(EmbeddedChannel channel) {
        ByteBuf buf = channel.readOutbound();
        assertThat(buf).as("an answer").isNotNull();
        return withoutRequestId(text(buf));
    }

    private static final Pattern REQUEST_ID_FIELD = Pattern.compile("\r\nX-Request-Id: [A-Za-z0-9._:-]{1,128}\r\n");

    /**
     * The answer without the id field after its status line, which every final answer must have; an interim answer
     * ({@code 100 Continue}) or a chunk of a streamed body is returned as it is.
     */
    static String withoutRequestId(String answer) {
        if (!answer.startsWith("HTTP/1.1 ") || answer.startsWith("HTTP/1.1 1")) {
            return answer;
        }
        Matcher field = REQUEST_ID_FIELD.matcher(answer);
        assertThat(field.find()).as("an X-Request-Id field in %s", answer).isTrue();
        assertThat(answer.indexOf("\r\n")).as("the id right after the status line").isEqualTo(field.start());
        return answer.substring(0, field.start()) + answer.substring(field.end() - 2);
    }

    /** The refusal of {@code failure}, as {@link #answer} shows it. */
    private static String refusal(RequestFailure failure, boolean head) {
        return withoutRequestId(text(HttpResponses.failure(ByteBufAllocator.DEFAULT, failure, head, "id")));
    }

    private static String text(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
    }

    /** Everything written so far, as text; the buffers are released. */
    private static String written(EmbeddedChannel channel) {
        StringBuilder all = new StringBuilder();
        for (Object out; (out = nextOutbound(channel)) != null; ) {
            all.append(withoutRequestId(text((ByteBuf) out)));
        }
        return all.toString();
    }

    private static String body(String answer) {
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }

    private static void assertNoMoreAnswers(EmbeddedChannel channel) {
        channel.runPendingTasks();
        assertThat(nextOutbound(channel)).isNull();
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    /** The next outbound message, whatever its type, or {@code null}. */
    private static Object nextOutbound(EmbeddedChannel channel) {
        return channel.readOutbound();
    }
}
