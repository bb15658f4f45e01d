package io.hookgateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.http.ConnectionDeadlines.Kind;
import io.hookgateway.testing.TrackedBuffers;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The one lazily checked timer of a connection ({@link ConnectionDeadlines}): moving a deadline schedules nothing, the
 * timer looks again for what is left when the deadline moved, it fires for the deadline set last, and it stops while
 * none is set. Time is the {@link EmbeddedChannel}'s frozen clock, advanced by hand.
 */
class ConnectionDeadlinesTest {

    private static final Duration HEAD = Duration.ofSeconds(10);
    private static final Duration BODY = Duration.ofSeconds(30);
    private static final Duration IDLE = Duration.ofSeconds(60);
    private static final HttpLimits LIMITS = new HttpLimits(1024, 1024, 10, 1024, HEAD, BODY, IDLE);

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final List<String> expired = new ArrayList<>();
    private final ConnectionDeadlines deadlines = new ConnectionDeadlines(LIMITS, kind -> expired.add(at() + " " + kind));
    private final long start;

    ConnectionDeadlinesTest() {
        channel.freezeTime();
        deadlines.start(channel.pipeline().firstContext());
        start = channel.eventLoop().ticker().nanoTime();
    }

    @Test
    void firesAtTheDeadlineOfTheKindSet() {
        deadlines.set(Kind.HEAD);
        advanceTo(9);
        assertThat(expired).isEmpty();
        advanceTo(10);
        assertThat(expired).containsExactly("10 HEAD");
        assertThat(deadlines.kind()).isEqualTo(Kind.NONE);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void looksAgainForWhatIsLeftWhenTheDeadlineMoved() {
        deadlines.set(Kind.HEAD);
        advanceTo(6);
        deadlines.set(Kind.HEAD);
        advanceTo(10);
        assertThat(expired).as("the first wake-up finds the deadline moved on").isEmpty();
        assertThat(nextTimerInSeconds()).isEqualTo(6);
        advanceTo(16);
        assertThat(expired).containsExactly("16 HEAD");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void firesForTheKindSetLastNotTheOneTheTimerWasStartedFor() {
        deadlines.set(Kind.IDLE);
        advanceTo(3);
        deadlines.set(Kind.HEAD);
        advanceTo(8);
        deadlines.set(Kind.BODY);
        advanceTo(37);
        assertThat(expired).isEmpty();
        advanceTo(38);
        assertThat(expired).containsExactly("38 BODY");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void neverWaitsLongerThanTheShortestTimeoutSoAShorterDeadlineSetLaterIsMet() {
        deadlines.set(Kind.IDLE);
        assertThat(nextTimerInSeconds()).as("an idle wait of 60 s sleeps at most 10 s at a time").isEqualTo(10);
        advanceTo(1);
        deadlines.set(Kind.HEAD);
        advanceTo(11);
        assertThat(expired).containsExactly("11 HEAD");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void setsNoTimerPerChangeAndStopsWhileNoDeadlineIsSet() {
        deadlines.set(Kind.IDLE);
        long first = nextTimerInSeconds();
        for (int i = 0; i < 100; i++) {
            deadlines.set(Kind.HEAD);
            deadlines.set(Kind.BODY);
            deadlines.set(Kind.NONE);
            deadlines.set(Kind.IDLE);
        }
        assertThat(nextTimerInSeconds()).isEqualTo(first);
        deadlines.set(Kind.NONE);
        advanceTo(10);
        assertThat(channel.runScheduledPendingTasks()).as("no timer while no deadline is set").isEqualTo(-1);

        deadlines.set(Kind.BODY);
        assertThat(nextTimerInSeconds()).isEqualTo(10);
        advanceTo(40);
        assertThat(expired).containsExactly("40 BODY");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void neverFiresOnceStopped() {
        deadlines.set(Kind.HEAD);
        deadlines.stop();
        deadlines.set(Kind.HEAD);
        advanceTo(100);
        assertThat(expired).isEmpty();
        assertThat(channel.runScheduledPendingTasks()).isEqualTo(-1);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void decoderAnswersTheHeadDeadlineCountedFromTheRequestsFirstByteNotFromTheIdleWait() {
        EmbeddedChannel decoding = new EmbeddedChannel();
        decoding.freezeTime();
        decoding.pipeline().addLast(new HeaderLineDecoder(LIMITS));
        decoding.advanceTimeBy(5, TimeUnit.SECONDS);
        decoding.runScheduledPendingTasks();
        decoding.writeInbound(TrackedBuffers.latin1("GET / HTTP/1.1\r\n"));
        decoding.advanceTimeBy(5, TimeUnit.SECONDS);
        decoding.runScheduledPendingTasks();
        assertThat((Object) decoding.readInbound()).as("10 s after the idle wait began, 5 s into the head").isNull();
        decoding.advanceTimeBy(5, TimeUnit.SECONDS);
        decoding.runScheduledPendingTasks();
        RequestHead head = decoding.readInbound();
        assertThat(head.failure()).isEqualTo(RequestFailure.HEAD_TIMEOUT);
        assertThat(decoding.finishAndReleaseAll()).isFalse();
    }

    @Test
    void decoderRunsNoDeadlineWhileTheRouterHasTheRequestAndWaitsIdleAfterTheAnswer() {
        HeaderLineDecoder decoder = new HeaderLineDecoder(LIMITS);
        EmbeddedChannel decoding = new EmbeddedChannel();
        decoding.freezeTime();
        decoding.pipeline().addLast(decoder);
        decoding.writeInbound(TrackedBuffers.latin1("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat((Object) decoding.readInbound()).isInstanceOf(RequestHead.class);
        assertThat((Object) decoding.readInbound()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        decoding.advanceTimeBy(300, TimeUnit.SECONDS);
        decoding.runScheduledPendingTasks();
        assertThat(decoding.isOpen()).as("no deadline while the request is answered").isTrue();

        decoder.resume();
        decoding.runPendingTasks();
        decoding.advanceTimeBy(59, TimeUnit.SECONDS);
        decoding.runScheduledPendingTasks();
        assertThat(decoding.isOpen()).isTrue();
        decoding.advanceTimeBy(1, TimeUnit.SECONDS);
        decoding.runScheduledPendingTasks();
        assertThat(decoding.isOpen()).as("closed quietly after the idle timeout").isFalse();
        assertThat(decoding.finishAndReleaseAll()).isFalse();
    }

    private void advanceTo(long seconds) {
        long now = elapsedSeconds();
        for (long s = now; s < seconds; s++) {
            channel.advanceTimeBy(1, TimeUnit.SECONDS);
            channel.runScheduledPendingTasks();
        }
    }

    private long nextTimerInSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(channel.runScheduledPendingTasks() + 999_999);
    }

    private long elapsedSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(channel.eventLoop().ticker().nanoTime() - start);
    }

    private String at() {
        return String.valueOf(elapsedSeconds());
    }
}
