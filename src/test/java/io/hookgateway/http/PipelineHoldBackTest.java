package io.hookgateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.TrackedBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How {@link HeaderLineDecoder} holds pipelined requests back ({@link PipelineHoldBack}): it keeps reading while what
 * it holds stays within the bound, stops reading (and asks for no read of its own) beyond it, and reads again once the
 * router has answered everything held; answers go out in request order throughout.
 */
class PipelineHoldBackTest {

    private static final int BOUND = PipelineHoldBack.DEFAULT_MAX_HELD_BYTES;

    private final HeaderLineDecoder decoder = new HeaderLineDecoder();
    private final ReadCounter reads = new ReadCounter();
    private final EmbeddedChannel channel = new EmbeddedChannel(reads, decoder);

    @Test
    void keepsReadingWhenNothingFurtherIsBuffered() {
        for (int i = 0; i < 3; i++) {
            channel.writeInbound(get("/" + i));
            assertThat(paths()).containsExactly("/" + i);
            assertThat(channel.config().isAutoRead()).isTrue();
            answer();
            assertThat(channel.config().isAutoRead()).isTrue();
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void keepsReadingWhilePipelinedInputStaysWithinTheBound() {
        channel.writeInbound(TrackedBuffers.latin1(request("/1") + request("/2")));
        assertThat(paths()).containsExactly("/1");
        channel.writeInbound(get("/3"));
        assertThat(paths()).isEmpty();
        assertThat(channel.config().isAutoRead()).isTrue();

        answer();
        assertThat(paths()).containsExactly("/2");
        answer();
        assertThat(paths()).containsExactly("/3");
        answer();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(decoder.isIdle()).isTrue();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void stopsReadingOnceHeldInputExceedsTheBoundAndAsksForNoFurtherRead() {
        channel.writeInbound(get("/first"));
        assertThat(paths()).containsExactly("/first");
        List<String> sent = new ArrayList<>();
        int held = 0;
        int n = 0;
        while (held <= BOUND) {
            String path = "/" + n++;
            byte[] request = requestBytes(path);
            sent.add(path);
            held += request.length;
            channel.writeInbound(TrackedBuffers.copy(request, 0, request.length));
            assertThat(channel.config().isAutoRead()).isEqualTo(held <= BOUND);
        }
        assertThat(paths()).isEmpty();
        // A further read arriving anyway (one already under way) decodes nothing and asks for no other.
        channel.writeInbound(get("/late"));
        sent.add("/late");
        assertThat(reads.count).isZero();

        List<String> answered = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            answer();
            answered.addAll(paths());
            assertThat(channel.config().isAutoRead()).as("after answer %d", i).isFalse();
        }
        assertThat(answered).isEqualTo(sent);
        answer();
        assertThat(channel.config().isAutoRead()).as("reads again once nothing is held").isTrue();
        assertThat(decoder.isIdle()).isTrue();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void stopsReadingWhenOneReadBringsMoreThanTheBoundBehindARequest() {
        StringBuilder burst = new StringBuilder();
        int count = 0;
        while (burst.length() <= BOUND + 64) {
            burst.append("GET /").append(count++).append(" HTTP/1.1\r\nHost: h\r\n\r\n");
        }
        channel.writeInbound(TrackedBuffers.latin1(burst.toString()));
        assertThat(paths()).containsExactly("/0");
        assertThat(channel.config().isAutoRead()).isFalse();
        for (int i = 1; i < count; i++) {
            answer();
            assertThat(paths()).containsExactly("/" + i);
        }
        answer();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void readsAgainWhenTheRouterRefusesTheRestOfAStoppedConnection() {
        channel.writeInbound(TrackedBuffers.latin1("GET /a HTTP/1.1\r\nHost: h\r\n\r\n" + "x".repeat(BOUND + 1)));
        assertThat(paths()).containsExactly("/a");
        assertThat(channel.config().isAutoRead()).isFalse();
        decoder.discardRest();
        assertThat(channel.config().isAutoRead()).as("the rest is read and dropped").isTrue();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    /** The router's part: the answer is written, and the decoder resumes on a later task. */
    private void answer() {
        decoder.resume();
        channel.runPendingTasks();
    }

    /** The paths of the requests decoded since the last call; their bodies are released. */
    private List<String> paths() {
        List<String> paths = new ArrayList<>();
        Object message;
        while ((message = channel.readInbound()) != null) {
            if (message instanceof RequestHead head) {
                paths.add(head.path());
            } else {
                assertThat(message).isInstanceOf(LastHttpContent.class);
                ReferenceCountUtil.release(message);
            }
        }
        return paths;
    }

    private static ByteBuf get(String path) {
        byte[] request = requestBytes(path);
        return TrackedBuffers.copy(request, 0, request.length);
    }

    private static byte[] requestBytes(String path) {
        return request(path).getBytes(StandardCharsets.US_ASCII);
    }

    private static String request(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n";
    }

    /** Counts the reads asked for while auto-read is off: those the decoder asks for itself. */
    private static final class ReadCounter extends ChannelOutboundHandlerAdapter {
        int count;

        @Override
        public void read(ChannelHandlerContext ctx) {
            if (!ctx.channel().config().isAutoRead()) {
                count++;
            }
            ctx.read();
        }
    }
}
