package io.hookgateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.testing.TrackedBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Unit tests of {@link FixedLengthBodyAggregator}, behind a real {@link HeaderLineDecoder} or alone: the joined body
 * equals what was sent however it was cut, the per-destination and default body limits (413 before the body for a
 * declared length, as it arrives for a chunked one), {@code 100 Continue} only for a body that will be accepted,
 * failures turned into failed {@link FullRequest}s, and no buffer left behind when the connection closes mid-body.
 */
class FixedLengthBodyAggregatorTest {

    private static final long DEFAULT_LIMIT = 32;
    private static final Destination SMALL = new TestDestination("small", 8);

    /**
     * Requests under /small go to a hook with an 8-byte limit, /nowhere to no hook, the rest to a hook named "any"
     * with {@code limit}.
     */
    private static Destination.Resolver hooks(long limit) {
        Destination any = new TestDestination("any", limit);
        return head -> head.path().startsWith("/small") ? SMALL : head.path().startsWith("/nowhere") ? null : any;
    }

    private static final String CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n";

    @Test
    void joinsBodyPiecesIntoOneRequest() {
        EmbeddedChannel channel = pipeline();
        String body = "the quick brown fox jumps";
        channel.writeInbound(bytes("POST /hook HTTP/1.1\r\nHost: h\r\nContent-Length: " + body.length() + "\r\n\r\n"));
        for (int i = 0; i < body.length(); i += 3) {
            assertThat(nextInbound(channel)).isNull();
            channel.writeInbound(bytes(body.substring(i, Math.min(body.length(), i + 3))));
        }
        checkNextRequest(channel, request -> {
            assertThat(request.failure()).isNull();
            assertThat(request.bodyText()).isEqualTo(body);
            assertThat(request.bodyLength()).isEqualTo(body.length());
            assertThat(request.path()).isEqualTo("/hook");
            assertThat(request.hookName()).isEqualTo("any");
        });
        assertThat(nextInbound(channel)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void keepsABodyThatArrivesInOnePieceAsItCame() {
        EmbeddedChannel channel = new EmbeddedChannel(new FixedLengthBodyAggregator(hooks(DEFAULT_LIMIT), DEFAULT_LIMIT));
        ByteBuf piece = TrackedBuffers.latin1("{\"value1\":\"on\"}");
        channel.writeInbound(head("/hook", piece.readableBytes()));
        channel.writeInbound(new DefaultLastHttpContent(piece.retain()));
        FullRequest request = channel.readInbound();
        assertThat(request.bodyText()).isEqualTo("{\"value1\":\"on\"}");
        // Not copied: the request holds the piece itself.
        assertThat(piece.refCnt()).isEqualTo(2);
        request.release();
        assertThat(piece.refCnt()).isEqualTo(1);
        piece.release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void joinsManyTinyPiecesThroughTheTailBuffer() {
        int length = FixedLengthBodyAggregator.TAIL_BYTES * 3 + 7;
        EmbeddedChannel channel = pipeline(length);
        channel.writeInbound(bytes("POST /hook HTTP/1.1\r\nHost: h\r\nContent-Length: " + length + "\r\n\r\n"));
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < length; i++) {
            String piece = String.valueOf((char) ('a' + i % 26));
            sent.append(piece);
            channel.writeInbound(bytes(piece));
        }
        checkNextRequest(channel, request -> {
            assertThat(request.bodyText()).isEqualTo(sent.toString());
            // One-byte pieces were copied into tails of 8 KiB: four components, not one per byte.
            assertThat(((CompositeByteBuf) request.body()).numComponents()).isEqualTo(4);
        });
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void keepsLargePiecesAsSlicesAndSmallOnesInATailInOrder() {
        String large = "L".repeat(FixedLengthBodyAggregator.SMALL_PIECE_BYTES);
        String body = "ab" + large + "cd" + large + "e";
        EmbeddedChannel channel = pipeline(body.length());
        channel.writeInbound(bytes("POST /hook HTTP/1.1\r\nHost: h\r\nContent-Length: " + body.length() + "\r\n\r\n"));
        for (String piece : new String[] {"a", "b", large, "c", "d", large, "e"}) {
            channel.writeInbound(bytes(piece));
        }
        checkNextRequest(channel, request -> assertThat(request.bodyText()).isEqualTo(body));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void joinsChunkedBody() {
        EmbeddedChannel channel = pipeline();
        channel.writeInbound(bytes("POST /hook HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\nabcd\r\n"));
        channel.writeInbound(bytes("3\r\nefg\r\n0\r\n\r\n"));
        checkNextRequest(channel, request -> {
            assertThat(request.failure()).isNull();
            assertThat(request.bodyText()).isEqualTo("abcdefg");
        });
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void emitsRequestWithEmptyBodyWhenThereIsNone() {
        EmbeddedChannel channel = pipeline();
        channel.writeInbound(bytes("GET /small/x?a=1 HTTP/1.1\r\nHost: h\r\n\r\n"));
        checkNextRequest(channel, request -> {
            assertThat(request.failure()).isNull();
            assertThat(request.bodyLength()).isZero();
            assertThat(request.bodyBytes()).isEmpty();
            assertThat(request.destination()).isSameAs(SMALL);
            assertThat(request.hookName()).isEqualTo("small");
            assertThat(request.queryParameters()).containsKey("a");
        });
        assertThat(channel.outboundMessages()).isEmpty();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void answers413BeforeReadingBody() {
        // RFC 9110 §15.5.14: 413 when the content is larger than the server will process.
        EmbeddedChannel channel = pipeline();
        channel.writeInbound(bytes("POST /other HTTP/1.1\r\nHost: h\r\nContent-Length: 33\r\n\r\n"));
        checkNextRequest(channel, request -> {
            assertThat(request.failure()).isEqualTo(RequestFailure.BODY_TOO_LARGE);
            assertThat(request.head().contentLength()).isEqualTo(33);
            assertThat(request.bodyLength()).isZero();
        });
        // The body of the refused request, when it comes anyway, produces nothing.
        channel.writeInbound(bytes("x".repeat(33)));
        assertThat(nextInbound(channel)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void acceptsDeclaredLengthEqualToTheLimit() {
        EmbeddedChannel channel = pipeline();
        channel.writeInbound(bytes("POST /other HTTP/1.1\r\nHost: h\r\nContent-Length: 32\r\n\r\n" + "y".repeat(32)));
        checkNextRequest(channel, request -> {
            assertThat(request.failure()).isNull();
            assertThat(request.bodyLength()).isEqualTo(32);
        });
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void doesNotSend100ContinueForABodyItRefuses() {
        // RFC 9110 §10.1.1: a server that will refuse the content may answer with a final status instead of 100.
        EmbeddedChannel channel = pipeline();
        channel.writeInbound(bytes("POST /small HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                + "Content-Length: 9\r\n\r\n"));
        checkNextRequest(channel, request -> {
            assertThat(request.failure()).isEqualTo(RequestFailure.BODY_TOO_LARGE);
            assertThat(request.destination()).isSameAs(SMALL);
        });
        assertThat(nextOutbound(channel)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void sends100ContinueBeforeReadingAnAcceptedBody() {
        // RFC 9110 §10.1.1: a server that receives 100-continue should send 100 before reading the content.
        EmbeddedChannel channel = pipeline();
        channel.writeInbound(bytes("POST /small HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                + "Content-Length: 8\r\n\r\n"));
        assertThat(readOutbound(channel)).isEqualTo(CONTINUE);
        assertThat(nextInbound(channel)).isNull();
        channel.writeInbound(bytes("12345678"));
        checkNextRequest(channel, request -> {
            assertThat(request.failure()).isNull();
            assertThat(request.bodyText()).isEqualTo("12345678");
        });
        assertThat(nextOutbound(channel)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void sends100ContinueForChunkedBody() {
        EmbeddedChannel channel = pipeline();
        channel.writeInbound(bytes("POST /small HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n"));
        assertThat(readOutbound(channel)).isEqualTo(CONTINUE);
        channel.writeInbound(bytes("1\r\nz\r\n0\r\n\r\n"));
        checkNextRequest(channel, request -> assertThat(request.failure()).isNull());
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void doesNotSend100ContinueWhenThereIsNoBody() {
        EmbeddedChannel channel = pipeline();
        channel.writeInbound(bytes("POST /small HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                + "Content-Length: 0\r\n\r\n"));
        checkNextRequest(channel, request -> assertThat(request.failure()).isNull());
        assertThat(nextOutbound(channel)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void refusesChunkedBodyOnceItPassesTheLimit() {
        EmbeddedChannel channel = pipeline();
        channel.writeInbound(bytes("POST /small HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\n12345\r\n"));
        assertThat(nextInbound(channel)).isNull();
        channel.writeInbound(bytes("4\r\n6789\r\n"));
        checkNextRequest(channel, request -> {
            assertThat(request.failure()).isEqualTo(RequestFailure.BODY_TOO_LARGE);
            assertThat(request.destination()).isSameAs(SMALL);
            assertThat(request.bodyLength()).isZero();
        });
        // The rest of the body is dropped; no second request comes of it.
        channel.writeInbound(bytes("5\r\nabcde\r\n0\r\n\r\n"));
        assertThat(nextInbound(channel)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void acceptsChunkedBodyOfExactlyTheLimit() {
        EmbeddedChannel channel = pipeline();
        channel.writeInbound(bytes("POST /small HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\n12345\r\n3\r\n678\r\n0\r\n\r\n"));
        checkNextRequest(channel, request -> {
            assertThat(request.failure()).isNull();
            assertThat(request.bodyText()).isEqualTo("12345678");
        });
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void appliesTheDestinationLimitInsteadOfTheDefault() {
        EmbeddedChannel small = pipeline();
        small.writeInbound(bytes("POST /small HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\n123456789"));
        checkNextRequest(small, refused -> assertThat(refused.failure()).isEqualTo(RequestFailure.BODY_TOO_LARGE));
        assertThat(small.finishAndReleaseAll()).isFalse();

        EmbeddedChannel other = pipeline();
        other.writeInbound(bytes("POST /other HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\n123456789"));
        checkNextRequest(other, accepted -> {
            assertThat(accepted.failure()).isNull();
            assertThat(accepted.hookName()).isEqualTo("any");
            assertThat(accepted.bodyText()).isEqualTo("123456789");
        });
        assertThat(other.finishAndReleaseAll()).isFalse();
    }

    @Test
    void destinationLimitMayBeLargerThanTheDefault() {
        Destination big = new TestDestination("big", 100);
        EmbeddedChannel channel = pipeline(head -> big, 4);
        channel.writeInbound(bytes("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 50\r\n\r\n" + "b".repeat(50)));
        checkNextRequest(channel, request -> {
            assertThat(request.failure()).isNull();
            assertThat(request.destination()).isSameAs(big);
            assertThat(request.pathVariables()).isEmpty();
        });
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void zeroLimitRefusesAnyBodyButAcceptsNone() {
        Destination none = new TestDestination("none", 0);
        EmbeddedChannel channel = pipeline(head -> none, 0);
        channel.writeInbound(bytes("GET /x HTTP/1.1\r\nHost: h\r\n\r\n"));
        checkNextRequest(channel, empty -> assertThat(empty.failure()).isNull());
        assertThat(channel.finishAndReleaseAll()).isFalse();

        EmbeddedChannel refusing = pipeline(head -> none, 0);
        refusing.writeInbound(bytes("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nx"));
        checkNextRequest(refusing, refused -> assertThat(refused.failure()).isEqualTo(RequestFailure.BODY_TOO_LARGE));
        assertThat(refusing.finishAndReleaseAll()).isFalse();
    }

    @Test
    void turnsFailedHeadIntoFailedRequestWithoutResolving() {
        EmbeddedChannel channel = pipeline(head -> {
            throw new AssertionError("a failed head must not be resolved");
        }, DEFAULT_LIMIT);
        channel.writeInbound(bytes("GET / HTTP/1.1\r\n\r\n"));
        checkNextRequest(channel, request -> {
            assertThat(request.failure()).isEqualTo(RequestFailure.BAD_HOST);
            assertThat(request.head().isFailed()).isTrue();
            assertThat(request.destination()).isNull();
            assertThat(request.bodyLength()).isZero();
        });
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void turnsDecoderFailureMidBodyIntoFailedRequest() {
        EmbeddedChannel channel = pipeline();
        channel.writeInbound(bytes("POST /small HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\nab\r\nzz\r\n"));
        checkNextRequest(channel, request -> {
            assertThat(request.failure()).isEqualTo(RequestFailure.BAD_CHUNK);
            assertThat(request.head().isFailed()).isFalse();
            assertThat(request.head().path()).isEqualTo("/small");
            assertThat(request.destination()).isSameAs(SMALL);
            assertThat(request.bodyLength()).isZero();
        });
        assertThat(nextInbound(channel)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void passesOtherMessagesOn() {
        EmbeddedChannel channel = new EmbeddedChannel(new FixedLengthBodyAggregator(hooks(DEFAULT_LIMIT), DEFAULT_LIMIT));
        channel.writeInbound("not http");
        assertThat(nextInbound(channel)).isEqualTo("not http");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void releasesPartialBodyOnChannelInactive() {
        FixedLengthBodyAggregator aggregator = new FixedLengthBodyAggregator(hooks(LARGE_LIMIT), LARGE_LIMIT);
        EmbeddedChannel channel = new EmbeddedChannel(aggregator);
        // Pieces of at least SMALL_PIECE_BYTES are kept as slices, not copied.
        ByteBuf first = TrackedBuffers.latin1(LARGE_A);
        ByteBuf second = TrackedBuffers.latin1(LARGE_B);
        channel.writeInbound(head("/other", 3L * LARGE_A.length()));
        channel.writeInbound(new DefaultHttpContent(first.retain()));
        channel.writeInbound(new DefaultHttpContent(second.retain()));
        // The aggregator holds one reference to each piece; the test holds the other.
        assertThat(first.refCnt()).isEqualTo(2);
        assertThat(second.refCnt()).isEqualTo(2);
        assertThat(nextInbound(channel)).isNull();

        channel.pipeline().fireChannelInactive();
        assertThat(first.refCnt()).isEqualTo(1);
        assertThat(second.refCnt()).isEqualTo(1);
        first.release();
        second.release();

        // Content arriving after the close (there is no head any more) is released, not kept.
        ByteBuf late = TrackedBuffers.latin1("ghi");
        channel.writeInbound(new DefaultLastHttpContent(late));
        assertThat(late.refCnt()).isZero();
        assertThat(nextInbound(channel)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void releasesPartialBodyWhenTheConnectionCloses() {
        EmbeddedChannel channel = pipeline(LARGE_LIMIT);
        ByteBuf input = TrackedBuffers.latin1("POST /other HTTP/1.1\r\nHost: h\r\nContent-Length: "
                + (2 * LARGE_A.length()) + "\r\n\r\n" + LARGE_A);
        channel.writeInbound(input.retain());
        assertThat(nextInbound(channel)).isNull();
        assertThat(input.refCnt()).isGreaterThan(1);
        channel.close();
        assertThat(input.refCnt()).isEqualTo(1);
        input.release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void releasesContentOfARefusedRequest() {
        EmbeddedChannel channel = new EmbeddedChannel(new FixedLengthBodyAggregator(hooks(DEFAULT_LIMIT), DEFAULT_LIMIT));
        channel.writeInbound(head("/small", 100));
        checkNextRequest(channel, refused -> assertThat(refused.failure()).isEqualTo(RequestFailure.BODY_TOO_LARGE));
        ByteBuf piece = TrackedBuffers.latin1("abc");
        channel.writeInbound(new DefaultHttpContent(piece));
        assertThat(piece.refCnt()).isZero();
        assertThat(nextInbound(channel)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void releasesTheBodyWithTheRequest() {
        EmbeddedChannel channel = new EmbeddedChannel(new FixedLengthBodyAggregator(hooks(LARGE_LIMIT), LARGE_LIMIT));
        ByteBuf first = TrackedBuffers.latin1(LARGE_A);
        ByteBuf second = TrackedBuffers.latin1(LARGE_B);
        channel.writeInbound(head("/other", 2L * LARGE_A.length()));
        channel.writeInbound(new DefaultHttpContent(first));
        channel.writeInbound(new DefaultLastHttpContent(second));
        FullRequest request = channel.readInbound();
        assertThat(request.bodyText()).isEqualTo(LARGE_A + LARGE_B);
        assertThat(first.refCnt()).isEqualTo(1);
        request.release();
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void rejectsBadConstructorArguments() {
        assertThatNullPointerException().isThrownBy(() -> new FixedLengthBodyAggregator(null, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new FixedLengthBodyAggregator(hooks(1), -1));
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private static final long LARGE_LIMIT = 64 * 1024;
    private static final String LARGE_A = "a".repeat(FixedLengthBodyAggregator.SMALL_PIECE_BYTES);
    private static final String LARGE_B = "b".repeat(FixedLengthBodyAggregator.SMALL_PIECE_BYTES);

    // ------------------------------------------------------------------------------------- declared chunks, budget

    @Test
    void refusesADeclaredChunkThatCanNeverFitAtOnceWithoutWaitingForItsData() {
        for (String size : new String[] {"FFFFFFFFFFFFFFF", "21", "9"}) {
            EmbeddedChannel channel = pipeline();
            // The /small hook takes 8 bytes; unmatched requests 32. "9" follows 4 bytes already received: 13 > 8.
            String path = size.equals("9") ? "/small" : "/hook";
            String first = size.equals("9") ? "4\r\nabcd\r\n" : "";
            channel.writeInbound(bytes("POST " + path + " HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + first + size + "\r\n"));
            checkNextRequest(channel, request -> assertThat(request.failure()).isEqualTo(RequestFailure.BODY_TOO_LARGE));
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void acceptsAChunkThatFitsExactly() {
        EmbeddedChannel channel = pipeline();
        channel.writeInbound(bytes("POST /small HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n5\r\ndefgh\r\n0\r\n\r\n"));
        checkNextRequest(channel, request -> assertThat(request.bodyText()).isEqualTo("abcdefgh"));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    private static final long BIG = 64 * 1024;
    private static final long BUDGET = 100 * 1024;

    private static EmbeddedChannel budgeted(BodyBudget budget) {
        return new EmbeddedChannel(new HeaderLineDecoder(), new FixedLengthBodyAggregator(hooks(BIG), BIG, budget));
    }

    private static String head(long contentLength) {
        return "POST /hook HTTP/1.1\r\nHost: h\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    @Test
    void countsADeclaredBodyFromItsHeadAndGivesItBackWhenTheRequestIsReleased() {
        BodyBudget budget = new BodyBudget(BUDGET);
        EmbeddedChannel channel = budgeted(budget);
        channel.writeInbound(bytes(head(BIG)));

        assertThat(budget.used()).isEqualTo(BIG);
        channel.writeInbound(bytes("x".repeat((int) BIG)));
        FullRequest request = channel.readInbound();
        assertThat(budget.used()).as("held while the request is processed").isEqualTo(BIG);
        request.release();
        assertThat(budget.used()).isZero();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void refusesABodyThatDoesNotFitWith503BeforeReadingItOrSayingContinue() {
        BodyBudget budget = new BodyBudget(BUDGET);
        EmbeddedChannel first = budgeted(budget);
        first.writeInbound(bytes(head(BIG)));
        EmbeddedChannel second = budgeted(budget);

        second.writeInbound(bytes("POST /hook HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: " + BIG
                + "\r\n\r\n"));

        checkNextRequest(second, request -> assertThat(request.failure()).isEqualTo(RequestFailure.BODY_MEMORY_FULL));
        assertThat((Object) second.readOutbound()).as("no 100 Continue").isNull();
        assertThat(budget.used()).isEqualTo(BIG);
        assertThat(second.finishAndReleaseAll()).isFalse();
        assertThat(first.finishAndReleaseAll()).isFalse();
        assertThat(budget.used()).as("the first connection closed mid-body gives its share back").isZero();
    }

    @Test
    void keepsTheLastEighthForSmallBodiesSoTheyPassWhenLargeOnesHaveTakenTheirShare() {
        BodyBudget budget = new BodyBudget(8 * BIG);
        List<EmbeddedChannel> large = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            EmbeddedChannel channel = budgeted(budget);
            channel.writeInbound(bytes(head(BIG)));
            large.add(channel);
        }
        assertThat(budget.used()).isEqualTo(7 * BIG);
        EmbeddedChannel eighth = budgeted(budget);
        eighth.writeInbound(bytes(head(BIG)));
        checkNextRequest(eighth, request -> assertThat(request.failure()).isEqualTo(RequestFailure.BODY_MEMORY_FULL));

        EmbeddedChannel small = budgeted(budget);
        String body = "s".repeat((int) BodyBudget.SMALL_BODY_BYTES);
        small.writeInbound(bytes(head(body.length()) + body));
        checkNextRequest(small, request -> assertThat(request.bodyText()).isEqualTo(body));

        assertThat(budget.used()).as("the small body's share given back with it").isEqualTo(7 * BIG);
        for (EmbeddedChannel channel : List.of(eighth, small)) {
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
        for (EmbeddedChannel channel : large) {
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
        assertThat(budget.used()).isZero();
    }

    @Test
    void countsSmallBodiesTooSoManyTricklingOnesCannotHoldMoreThanTheBudget() {
        BodyBudget budget = new BodyBudget(4 * BodyBudget.SMALL_BODY_BYTES);
        List<EmbeddedChannel> trickling = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            EmbeddedChannel channel = budgeted(budget);
            channel.writeInbound(bytes(head(BodyBudget.SMALL_BODY_BYTES) + "x"));
            trickling.add(channel);
        }
        EmbeddedChannel fifth = budgeted(budget);

        fifth.writeInbound(bytes(head(BodyBudget.SMALL_BODY_BYTES)));

        checkNextRequest(fifth, request -> assertThat(request.failure()).isEqualTo(RequestFailure.BODY_MEMORY_FULL));
        assertThat(fifth.finishAndReleaseAll()).isFalse();
        for (EmbeddedChannel channel : trickling) {
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
        assertThat(budget.used()).isZero();
    }

    @Test
    void takesNoMoreMemoryForASmallBodyThanItDeclares() {
        EmbeddedChannel channel = pipeline();
        channel.writeInbound(bytes(head(14) + "{\"value1\":\"x\"}"));
        checkNextRequest(channel, request -> assertThat(request.body().capacity()).isEqualTo(14));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void countsAChunkedBodyAsItsChunksAreDeclaredAndRefusesTheOneThatDoesNotFit() {
        BodyBudget budget = new BodyBudget(BUDGET);
        EmbeddedChannel other = budgeted(budget);
        other.writeInbound(bytes(head(BIG)));
        EmbeddedChannel channel = budgeted(budget);
        String chunk = "c".repeat(16 * 1024);
        String hex = Integer.toHexString(chunk.length());
        channel.writeInbound(bytes("POST /hook HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + hex + "\r\n" + chunk + "\r\n"));
        assertThat(budget.used()).isEqualTo(BIG + chunk.length());

        channel.writeInbound(bytes(hex + "\r\n" + chunk + "\r\n" + hex + "\r\n"));

        checkNextRequest(channel, request -> assertThat(request.failure()).isEqualTo(RequestFailure.BODY_MEMORY_FULL));
        assertThat(budget.used()).as("what the refused body held is given back").isEqualTo(BIG);
        assertThat(channel.finishAndReleaseAll()).isFalse();
        assertThat(other.finishAndReleaseAll()).isFalse();
        assertThat(budget.used()).isZero();
    }

    @Test
    void readsABodyNoHookTakesThroughWithoutHoldingIt() {
        BodyBudget budget = new BodyBudget(BIG);
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder(),
                new FixedLengthBodyAggregator(hooks(BIG), BIG, budget));
        channel.writeInbound(bytes("POST /nowhere HTTP/1.1\r\nHost: h\r\nContent-Length: " + BIG + "\r\n\r\n"));
        assertThat(budget.used()).isZero();
        channel.writeInbound(bytes("n".repeat((int) BIG)));

        checkNextRequest(channel, request -> {
            assertThat(request.failure()).isNull();
            assertThat(request.destination()).isNull();
            assertThat(request.bodyLength()).as("dropped as it came").isZero();
            assertThat(request.bytesReceived()).as("but counted").isEqualTo(BIG);
            assertThat(request.bodyUnread()).isFalse();
        });
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void answersABodyNoHookTakesThatIsOverTheLimitAtOnceInsteadOf413() {
        EmbeddedChannel channel = pipeline();
        channel.writeInbound(bytes("POST /nowhere HTTP/1.1\r\nHost: h\r\nContent-Length: 33\r\n\r\n"));

        checkNextRequest(channel, request -> {
            assertThat(request.failure()).isNull();
            assertThat(request.bodyUnread()).isTrue();
        });
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void answersAClientWaitingToSendABodyNoHookTakesWithoutSayingContinue() {
        EmbeddedChannel channel = pipeline();
        channel.writeInbound(bytes("POST /nowhere HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                + "Content-Length: 5\r\n\r\n"));

        checkNextRequest(channel, request -> {
            assertThat(request.failure()).isNull();
            assertThat(request.bodyUnread()).isTrue();
        });
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    /**
     * A reload swaps the port's routing between two requests: the aggregator reads it once, when a head arrives, so a
     * request whose body is still coming keeps the destination and client rules it was routed with, and the next request
     * on the same connection finds the new ones.
     */
    @Test
    void readsThePortsRoutingOncePerRequestSoASwapAppliesToTheNextOne() {
        Destination before = new TestDestination("before", 100);
        Destination after = new TestDestination("after", 100);
        AtomicReference<Supplier<PortRouting>> current =
                new AtomicReference<>(PortRouting.fixed(head -> before, ClientAdmission.EVERYONE));
        HeaderLineDecoder decoder = new HeaderLineDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder,
                new FixedLengthBodyAggregator(() -> current.get().get(), DEFAULT_LIMIT, BodyBudget.unlimited()));

        channel.writeInbound(bytes("POST /hook HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nab"));
        current.set(PortRouting.fixed(head -> after, ClientAdmission.EVERYONE));
        channel.writeInbound(bytes("cd"));
        checkNextRequest(channel, request -> {
            assertThat(request.destination()).isSameAs(before);
            assertThat(request.bodyText()).isEqualTo("abcd");
        });

        decoder.resume();
        channel.runPendingTasks();
        channel.writeInbound(bytes("POST /hook HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"));
        checkNextRequest(channel, request -> assertThat(request.destination()).isSameAs(after));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    private static EmbeddedChannel pipeline() {
        return pipeline(DEFAULT_LIMIT);
    }

    private static EmbeddedChannel pipeline(long defaultLimit) {
        return pipeline(hooks(defaultLimit), defaultLimit);
    }

    private static EmbeddedChannel pipeline(Destination.Resolver resolver, long defaultLimit) {
        return new EmbeddedChannel(new HeaderLineDecoder(), new FixedLengthBodyAggregator(resolver, defaultLimit));
    }

    /** Reads the next request, which must be there, checks it, and releases it whether or not the check passed. */
    private static void checkNextRequest(EmbeddedChannel channel, Consumer<FullRequest> check) {
        FullRequest request = channel.readInbound();
        assertThat(request).as("a request").isNotNull();
        try {
            check.accept(request);
        } finally {
            request.release();
        }
    }

    /** A valid HTTP/1.1 POST head with a declared length, as the decoder would emit it. */
    private static RequestHead head(String path, long contentLength) {
        return RequestHead.of(HttpMethod.POST, path, path, null, HttpVersion.HTTP_1_1,
                HeaderFields.of("Host", "h", "Content-Length", Long.toString(contentLength)), contentLength, false,
                true, false, System.nanoTime());
    }

    private static ByteBuf bytes(String s) {
        return TrackedBuffers.latin1(s);
    }

    private static String readOutbound(EmbeddedChannel channel) {
        ByteBuf buf = channel.readOutbound();
        assertThat(buf).isNotNull();
        try {
            return buf.toString(StandardCharsets.US_ASCII);
        } finally {
            buf.release();
        }
    }

    private record TestDestination(String hookName, long maxBodyBytes) implements Destination {
        @Override
        public Map<String, String> pathVariables() {
            return Map.of();
        }
    }

    /** The next inbound message, whatever its type, or {@code null}. */
    private static Object nextInbound(EmbeddedChannel channel) {
        return channel.readInbound();
    }

    /** The next outbound message, whatever its type, or {@code null}. */
    private static Object nextOutbound(EmbeddedChannel channel) {
        return channel.readOutbound();
    }
}
