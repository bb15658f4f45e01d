package io.hookgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.HookResponse;
import io.hookgateway.http.FixedLengthBodyAggregator;
import io.hookgateway.http.FullRequest;
import io.hookgateway.http.HeaderLineDecoder;
import io.hookgateway.testing.TrackedBuffers;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Unit tests of {@link HookDispatcher}'s two ways of running a processor on the caller's thread: one that answers
 * within its call is handed back as it is, with its slot and request given back at once; one that answers later is
 * followed until it does.
 */
class HookDispatcherTest {

    private final DefaultEventLoop timer = new DefaultEventLoop();
    private final EmbeddedChannel input = new EmbeddedChannel(new HeaderLineDecoder(),
            new FixedLengthBodyAggregator(head -> null, 1024));

    @AfterEach
    void stop() {
        timer.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        assertThat(input.finishAndReleaseAll()).isFalse();
    }

    @Test
    void handsBackAnAnswerReadyWithinTheCallAndFreesItsSlotAtOnce() {
        CompletableFuture<HookResponse> ready = CompletableFuture.completedFuture(HookResponse.of(200,
                HeaderFields.empty(), new byte[0]));
        HookDispatcher dispatcher = dispatcher(request -> ready, Duration.ofSeconds(30));
        for (int i = 0; i < 3; i++) {
            FullRequest request = request();
            // One slot: each request finds it free again.
            assertThat(dispatcher.submit(request, timer)).isSameAs(ready);
            assertThat(request.refCnt()).isZero();
            assertThat(dispatcher.active()).isZero();
            assertThat(dispatcher.queued()).isZero();
        }
    }

    @Test
    void answers504WhenTheCallItselfOverranTheTimeout() {
        HookDispatcher dispatcher = dispatcher(request -> {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            return CompletableFuture.completedFuture(HookResponse.of(200, HeaderFields.empty(), new byte[0]));
        }, Duration.ofMillis(1));
        FullRequest request = request();
        CompletableFuture<HookResponse> answer = dispatcher.submit(request, timer);
        assertThat(answer).isCompletedExceptionally();
        assertThat(answer.handle((r, e) -> e).join()).isSameAs(HookDispatcher.TIMED_OUT);
        assertThat(request.refCnt()).isZero();
        assertThat(dispatcher.active()).isZero();
    }

    @Test
    void followsAnAnswerStillToComeAndQueuesTheNextRequestMeanwhile() {
        CompletableFuture<HookResponse> later = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        HookDispatcher dispatcher = dispatcher(request -> {
            calls.incrementAndGet();
            return later;
        }, Duration.ofSeconds(30));
        FullRequest first = request();
        FullRequest second = request();
        CompletableFuture<HookResponse> firstAnswer = dispatcher.submit(first, timer);
        CompletableFuture<HookResponse> secondAnswer = dispatcher.submit(second, timer);
        assertThat(firstAnswer).isNotDone();
        assertThat(dispatcher.active()).isEqualTo(1);
        assertThat(dispatcher.queued()).isEqualTo(1);
        assertThat(first.refCnt()).isEqualTo(1);

        HookResponse response = HookResponse.of(200, HeaderFields.empty(), new byte[0]);
        later.complete(response);
        assertThat(firstAnswer.join()).isSameAs(response);
        assertThat(first.refCnt()).isZero();
        // The queued request took the slot and, its stage being complete, was answered too.
        assertThat(secondAnswer.join()).isSameAs(response);
        assertThat(second.refCnt()).isZero();
        assertThat(calls).hasValue(2);
        assertThat(dispatcher.active()).isZero();
        assertThat(dispatcher.queued()).isZero();
    }

    private static HookDispatcher dispatcher(HookProcessor processor, Duration timeout) {
        return new HookDispatcher("test", processor, new ExecutionLimits(1, 1, timeout), Runnable::run,
                RequestObserver.HookObserver.NONE);
    }

    /** A POST as the decoder and aggregator emit it. */
    private FullRequest request() {
        input.writeInbound(TrackedBuffers.latin1("POST /hook HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}"));
        FullRequest request = input.readInbound();
        assertThat(request).isNotNull();
        // The decoder holds the next request back until the answer to this one, as the router would tell it.
        input.pipeline().get(HeaderLineDecoder.class).resume();
        return request;
    }
}
