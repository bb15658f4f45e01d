package io.hookgateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.GatewayPipeline.ConnectionTracker;
import io.hookgateway.GatewayPipeline.ConnectionTracker.Overflow;
import io.hookgateway.hooks.HookResponse;
import io.hookgateway.http.BodyBudget;
import io.hookgateway.http.HttpLimits;
import io.hookgateway.routing.Hook;
import io.hookgateway.routing.HookRouter;
import io.hookgateway.routing.PathPattern;
import io.hookgateway.routing.RequestObserver;
import io.hookgateway.routing.RouteTable;
import io.hookgateway.testing.TrackedBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ConnectionTracker}'s budget, on connections built by the real {@link GatewayPipeline}: the hook port refuses
 * a connection beyond it; the metrics port closes the connection idle the longest instead, whatever that one sends,
 * and never one whose processor is at work.
 */
class ConnectionTrackerTest {

    private static final HookRouter.Settings SETTINGS =
            new HookRouter.Settings(RequestObserver.NONE, false, () -> false, Duration.ofSeconds(60), true);

    private final ChannelGroup group = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<CompletableFuture<HookResponse>> pending = new ArrayList<>();
    private final List<EmbeddedChannel> opened = new ArrayList<>();
    private GatewayPipeline pipeline;

    @AfterEach
    void closeAll() {
        for (EmbeddedChannel channel : opened) {
            pending.forEach(p -> p.complete(HookResponse.empty(204)));
            channel.runPendingTasks();
            for (Object out; (out = channel.readOutbound()) != null; ) {
                ((ByteBuf) out).release();
            }
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void refusesANewConnectionBeyondTheBudgetOfTheHookPort() {
        budget(2, Overflow.REFUSE_NEW);
        EmbeddedChannel first = connect();
        EmbeddedChannel second = connect();

        EmbeddedChannel third = connect();

        assertThat(third.isOpen()).isFalse();
        assertThat(first.isOpen()).isTrue();
        assertThat(second.isOpen()).isTrue();
        first.close();
        assertThat(connect().isOpen()).as("room again once one has closed").isTrue();
    }

    @Test
    void closesTheConnectionIdleTheLongestToLetANewOneIn() {
        budget(3, Overflow.CLOSE_LONGEST_IDLE);
        EmbeddedChannel oldest = connect();
        EmbeddedChannel middle = connect();
        EmbeddedChannel newest = connect();

        EmbeddedChannel arriving = connect();

        assertThat(oldest.isOpen()).isFalse();
        assertThat(List.of(middle, newest, arriving)).allMatch(EmbeddedChannel::isOpen);
        connect();
        assertThat(middle.isOpen()).isFalse();
        assertThat(group.size()).isEqualTo(3);
    }

    @Test
    void countsAConnectionDrippingARequestAsIdleSinceItWasLastAnswered() {
        budget(3, Overflow.CLOSE_LONGEST_IDLE);
        EmbeddedChannel dripping = connect();
        EmbeddedChannel answered = connect();
        EmbeddedChannel quiet = connect();
        // The oldest keeps sending, a byte at a time; the second had an answer a moment ago.
        for (char c : "GET /hea".toCharArray()) {
            dripping.writeInbound(bytes(String.valueOf(c)));
        }
        answered.writeInbound(bytes("GET /later HTTP/1.1\r\nHost: h\r\n\r\n"));
        pending.get(0).complete(HookResponse.text(200, "done"));
        release(answered.readOutbound());
        answered.runPendingTasks();

        connect();
        assertThat(dripping.isOpen()).as("dripping since it opened").isFalse();
        connect();
        assertThat(quiet.isOpen()).as("idle since it opened").isFalse();
        connect();
        assertThat(answered.isOpen()).as("idle since its answer").isFalse();
    }

    /**
     * Answers to pipelined requests do not make a connection look fresh: a client that sends its requests at once
     * and never reads the answers is idle since the answer to the first, however many follow.
     */
    @Test
    void countsAConnectionWhoseAnswersSitUnreadAsIdleSinceItsFirstAnswer() {
        budget(2, Overflow.CLOSE_LONGEST_IDLE);
        EmbeddedChannel pipelining = connect();
        pipelining.writeInbound(bytes("GET /later HTTP/1.1\r\nHost: h\r\n\r\n".repeat(3)));
        pending.get(0).complete(HookResponse.text(200, "first"));
        pipelining.runPendingTasks();
        EmbeddedChannel quiet = connect();
        // Answered after the quiet one opened, and never read.
        pending.get(1).complete(HookResponse.text(200, "second"));
        pipelining.runPendingTasks();
        pending.get(2).complete(HookResponse.text(200, "third"));
        pipelining.runPendingTasks();

        EmbeddedChannel arriving = connect();

        assertThat(pipelining.isOpen()).as("idle since its first answer").isFalse();
        assertThat(List.of(quiet, arriving)).allMatch(EmbeddedChannel::isOpen);
    }

    @Test
    void neverClosesAConnectionWhoseProcessorIsAtWork() {
        budget(2, Overflow.CLOSE_LONGEST_IDLE);
        EmbeddedChannel working = connect();
        working.writeInbound(bytes("GET /later HTTP/1.1\r\nHost: h\r\n\r\n"));
        EmbeddedChannel idle = connect();

        EmbeddedChannel arriving = connect();
        assertThat(idle.isOpen()).isFalse();
        assertThat(working.isOpen()).isTrue();

        arriving.writeInbound(bytes("GET /later HTTP/1.1\r\nHost: h\r\n\r\n"));
        EmbeddedChannel refused = connect();
        assertThat(refused.isOpen()).as("every connection has a processor at work").isFalse();
        assertThat(List.of(working, arriving)).allMatch(EmbeddedChannel::isOpen);
    }

    private void budget(int maxConnections, Overflow overflow) {
        Hook later = new Hook("later", PathPattern.parse("/later"), Set.of("GET"), request -> {
            CompletableFuture<HookResponse> answer = new CompletableFuture<>();
            pending.add(answer);
            return answer;
        }, 1024, false, RequestObserver.HookObserver.NONE);
        pipeline = new GatewayPipeline(HttpLimits.defaults(), RouteTable.of(List.of(later), 1024), SETTINGS,
                new ConnectionTracker(group, null, maxConnections, overflow), BodyBudget.unlimited());
    }

    /** A new connection through the pipeline; it counts itself in as it becomes active. */
    private EmbeddedChannel connect() {
        // An id of its own: embedded channels share one by default, and a group holds one channel per id.
        EmbeddedChannel channel = new EmbeddedChannel(DefaultChannelId.newInstance(), pipeline);
        opened.add(channel);
        return channel;
    }

    private static ByteBuf bytes(String s) {
        return TrackedBuffers.latin1(s);
    }

    private static void release(Object message) {
        assertThat(message).isInstanceOf(ByteBuf.class);
        ((ByteBuf) message).release();
    }
}
