package io.hookgateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hookgateway.hooks.HookResponse;
import io.hookgateway.routing.Hook;
import io.hookgateway.routing.HookRouter;
import io.hookgateway.routing.PathPattern;
import io.hookgateway.routing.RequestObserver;
import io.hookgateway.routing.RouteTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Coverage-guided fuzzing of the whole hook pipeline (decoder, aggregator, router) with any bytes, cut into pieces at
 * points derived from the input. For every input: no exception escapes the pipeline, every buffer is released (the
 * allocator's count returns to zero), and what goes out is a sequence of well-formed answers, each a 1xx, a hook's
 * answer, or a 4xx/5xx, with nothing after a {@code Connection: close}.
 *
 * <p>{@code ./mvnw test} replays the inputs under {@code src/test/resources/.../HttpPipelineFuzzTestInputs}. To fuzz:
 * {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=HttpPipelineFuzzTest} (see README, "Fuzzing").
 */
class HttpPipelineFuzzTest {

    /** Small limits, so the fuzzer reaches every boundary with short inputs. */
    private static final HttpLimits LIMITS = new HttpLimits(128, 512, 8, 256,
            Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10));

    private static final RouteTable ROUTES = RouteTable.of(List.of(
            hook("post", "/post", "POST"),
            hook("get", "/h/{x}", "GET"),
            hook("small", "/small", "POST", 16)), LIMITS.defaultMaxBodyBytes());

    @FuzzTest(maxDuration = "10m")
    void decodesOrRefusesAnyInput(byte[] input) {
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
        HeaderLineDecoder decoder = new HeaderLineDecoder(LIMITS);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(decoder, new FixedLengthBodyAggregator(ROUTES, LIMITS.defaultMaxBodyBytes()),
                new HookRouter(new HookRouter.Settings(RequestObserver.NONE, false, () -> false,
                        Duration.ofSeconds(10)), decoder));
        StringBuilder out = new StringBuilder();
        for (byte[] piece : pieces(input)) {
            if (!channel.isOpen()) {
                break;
            }
            channel.writeInbound(alloc.heapBuffer(piece.length).writeBytes(piece));
            channel.runPendingTasks();
            drain(channel, out);
        }
        channel.runPendingTasks();
        drain(channel, out);
        channel.finishAndReleaseAll();
        assertThat(alloc.metric().usedHeapMemory()).as("heap bytes still allocated").isZero();
        assertThat(alloc.metric().usedDirectMemory()).as("direct bytes still allocated").isZero();
        checkAnswers(out.toString());
    }

    /** Cuts the input at up to four points chosen by a generator seeded from the input itself. */
    private static List<byte[]> pieces(byte[] input) {
        SplittableRandom random = new SplittableRandom(Arrays.hashCode(input));
        int cuts = input.length < 2 ? 0 : random.nextInt(5);
        int[] points = new int[cuts + 2];
        points[cuts + 1] = input.length;
        for (int i = 1; i <= cuts; i++) {
            points[i] = random.nextInt(input.length + 1);
        }
        Arrays.sort(points);
        java.util.ArrayList<byte[]> pieces = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < points.length; i++) {
            if (points[i + 1] > points[i]) {
                pieces.add(Arrays.copyOfRange(input, points[i], points[i + 1]));
            }
        }
        return pieces;
    }

    private static void drain(EmbeddedChannel channel, StringBuilder out) {
        for (Object msg = channel.readOutbound(); msg != null; msg = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                out.append(buf.toString(StandardCharsets.ISO_8859_1));
            } finally {
                buf.release();
            }
        }
    }

    /** Parses the output as consecutive answers and checks each. */
    private static void checkAnswers(String out) {
        int at = 0;
        boolean closed = false;
        while (at < out.length()) {
            assertThat(closed).as("bytes after an answer with Connection: close:\n%s", out).isFalse();
            int headEnd = out.indexOf("\r\n\r\n", at);
            assertThat(headEnd).as("an answer without an end of head:\n%s", out).isPositive();
            String[] lines = out.substring(at, headEnd).split("\r\n");
            assertThat(lines[0]).matches("HTTP/1\\.1 [1-5]\\d\\d .*");
            int status = Integer.parseInt(lines[0].substring(9, 12));
            assertThat(status).isIn(100, 200, 204, 400, 404, 405, 408, 413, 414, 417, 431, 500, 501, 503, 504, 505);
            long length = 0;
            boolean hasLength = false;
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                if (line.regionMatches(true, 0, "Content-Length: ", 0, 16)) {
                    length = Long.parseLong(line.substring(16));
                    hasLength = true;
                } else if (line.equalsIgnoreCase("Connection: close")) {
                    closed = true;
                }
            }
            if (status >= 200 && status != 204) {
                assertThat(hasLength).as("answer without Content-Length: %s", lines[0]).isTrue();
            }
            if (status >= 400 && status != 404 && status != 405 && status != 503 && status != 504 && status != 500) {
                assertThat(closed).as("a refusal must close: %s", lines[0]).isTrue();
            }
            at = headEnd + 4;
            // A HEAD answer carries a length but no body; the fuzzer's hooks answer HEAD only on /h/{x}.
            int next = out.indexOf("HTTP/1.1 ", at);
            long bodyEnd = Math.min(at + length, out.length());
            at = next >= 0 && next < bodyEnd ? next : (int) bodyEnd;
        }
    }

    private static Hook hook(String name, String path, String method) {
        return hook(name, path, method, LIMITS.defaultMaxBodyBytes());
    }

    private static Hook hook(String name, String path, String method, long maxBody) {
        return new Hook(name, PathPattern.parse(path), Set.of(method),
                request -> CompletableFuture.completedFuture(HookResponse.text(200,
                        request.method() + " " + request.path() + " " + request.bodyLength() + " "
                                + request.pathVariables())),
                maxBody, false, RequestObserver.HookObserver.NONE);
    }
}
