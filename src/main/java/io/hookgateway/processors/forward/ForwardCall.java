package io.hookgateway.processors.forward;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookResponse;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request being forwarded: its attempts, the waits between them, and the answer. Each attempt takes a connection
 * from the pool within {@code connect-timeout} and runs one {@link Exchange} on it; a failure or a 5xx may be followed
 * by another attempt after a backoff that doubles each time (see {@link #retryDelay}).
 *
 * <p>The hook's timeout cancels {@link #result()}: then the wait for a connection is withdrawn, a pending retry is
 * dropped and an exchange under way is cut off by closing its connection, so the downstream sees the request end.
 *
 * <p>Callbacks arrive on event loops (of the connection, or of the timers); the few fields they share are guarded by
 * {@code this}, and no other object is called while it is held: giving a connection back can start another forward's
 * exchange, which must never wait for this one.
 */
final class ForwardCall implements Exchange.Listener {

    private static final Logger log = LoggerFactory.getLogger(ForwardCall.class);
    /** The longest wait between two attempts, however many came before. */
    static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(10);

    private final ForwardProcessor processor;
    private final ForwardProcessor.Outgoing out;
    private final CompletableFuture<HookResponse> result = new CompletableFuture<>();

    private int attempts;
    private int retries;
    private boolean staleRetried;
    private long attemptStartNanos;
    private CompletableFuture<Channel> acquiring;
    private Exchange exchange;
    private Future<?> pendingRetry;

    ForwardCall(ForwardProcessor processor, ForwardProcessor.Outgoing out) {
        this.processor = processor;
        this.out = out;
    }

    CompletableFuture<HookResponse> result() {
        return result;
    }

    /** Makes the first attempt; the result completes from the attempts' callbacks. */
    ForwardCall start() {
        result.whenComplete((response, error) -> {
            if (result.isCancelled()) {
                abort();
            }
        });
        attempt(false);
        return this;
    }

    private void attempt(boolean fresh) {
        ForwardProcessorType.Options options = processor.options();
        Duration connectTimeout = options.connectTimeout();
        synchronized (this) {
            if (result.isDone()) {
                return;
            }
            attempts++;
            attemptStartNanos = System.nanoTime();
            exchange = null;
        }
        CompletableFuture<Channel> acquire = processor.client().acquire(out.poolKey(), connectTimeout, fresh);
        synchronized (this) {
            acquiring = acquire;
        }
        if (result.isCancelled()) {
            // Cancelled while the connection was asked for: abort() may not have seen it.
            acquire.cancel(false);
        }
        Future<?> connectTimer = connectTimer(acquire, connectTimeout);
        acquire.whenComplete((channel, error) -> {
            if (connectTimer != null) {
                connectTimer.cancel(false);
            }
            if (error != null) {
                if (!(error instanceof CancellationException)) {
                    failed(null, DownstreamFailure.ofConnect(error, connectTimeout));
                }
                return;
            }
            Exchange next = new Exchange(out.method(), out.target().requestTarget(), out.headers(), out.body(),
                    options.responseTimeout(), options.maxResponseBytes(), this);
            boolean tooLate;
            synchronized (this) {
                tooLate = result.isDone();
                if (!tooLate) {
                    exchange = next;
                }
            }
            if (tooLate) {
                // Out of the lock: giving the connection back may start another forward's exchange.
                processor.client().release(channel, true);
            } else {
                ExchangeHandler.start(channel, next);
            }
        });
    }

    /** Fails {@code acquire} if no connection is ready within the connect timeout; {@code null} if one is already. */
    private Future<?> connectTimer(CompletableFuture<Channel> acquire, Duration connectTimeout) {
        if (acquire.isDone()) {
            return null;
        }
        try {
            return processor.client().timers().schedule(
                    () -> acquire.completeExceptionally(DownstreamFailure.connectTimeout(connectTimeout)),
                    connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            acquire.completeExceptionally(DownstreamFailure.stopping());
            return null;
        }
    }

    @Override
    public void answered(Exchange done, Exchange.Answer answer) {
        processor.meters().answered(answer.status(), elapsedNanos());
        if (answer.status() >= 500 && out.retryOn().contains(RetryOn.STATUS_5XX) && takeRetry()) {
            retryLater("answered " + answer.status(), null);
            return;
        }
        if (out.replacement() != null && answer.status() < 400) {
            result.complete(out.replacement());
            return;
        }
        HeaderFields headers = answer.contentType() == null ? HeaderFields.empty()
                : HeaderFields.of("Content-Type", HeaderFields.safeValue(answer.contentType()));
        result.complete(HookResponse.of(answer.status(), headers, answer.body()));
    }

    @Override
    public void failed(Exchange done, DownstreamFailure failure) {
        processor.meters().failed(failure.kind(), elapsedNanos());
        if (failure.kind() == DownstreamFailure.Kind.CANCELLED || result.isDone()) {
            return;
        }
        if (failure.kind() == DownstreamFailure.Kind.STALE && takeStaleRetry()) {
            log.debug("hook {}: downstream {} {}; trying a new connection", processor.hookName(),
                    out.target().hostPort(), failure.getMessage());
            processor.meters().retried();
            attempt(true);
            return;
        }
        RetryOn kind = failure.kind().retryOn;
        if (kind != null && out.retryOn().contains(kind) && takeRetry()) {
            retryLater(failure.getMessage(), failure);
            return;
        }
        finish(failure);
    }

    /** Fails the forward; the router logs the failure's detail (downstream, reason, attempts) under its error id. */
    private void finish(DownstreamFailure failure) {
        int made;
        synchronized (this) {
            made = attempts;
        }
        result.completeExceptionally(failure.toHookException(out.target().hostPort(), made));
    }

    private synchronized boolean takeRetry() {
        if (result.isDone() || retries >= processor.options().retries()) {
            return false;
        }
        retries++;
        return true;
    }

    private synchronized boolean takeStaleRetry() {
        if (result.isDone() || staleRetried) {
            return false;
        }
        staleRetried = true;
        return true;
    }

    /** Schedules the next attempt; {@code failure} is the answer if it cannot be scheduled (the gateway stops). */
    private void retryLater(String why, DownstreamFailure failure) {
        Duration delay;
        synchronized (this) {
            delay = retryDelay(processor.options().retryBackoff(), retries);
        }
        log.debug("hook {}: downstream {} {}; retry {} in {} ms", processor.hookName(), out.target().hostPort(), why,
                retries, delay.toMillis());
        processor.meters().retried();
        try {
            Future<?> retry = processor.client().timers().schedule(() -> attempt(false), delay.toNanos(),
                    TimeUnit.NANOSECONDS);
            synchronized (this) {
                pendingRetry = retry;
            }
            if (result.isCancelled()) {
                retry.cancel(false);
            }
        } catch (RejectedExecutionException e) {
            finish(failure != null ? failure : DownstreamFailure.stopping());
        }
    }

    /** The wait before retry {@code n} (1 for the first): {@code backoff}, doubled for each retry before, capped. */
    static Duration retryDelay(Duration backoff, int n) {
        int doublings = Math.min(n - 1, 30);
        long nanos = backoff.toNanos();
        long cap = MAX_RETRY_BACKOFF.toNanos();
        return Duration.ofNanos(nanos > cap >> doublings ? cap : Math.min(cap, nanos << doublings));
    }

    private synchronized long elapsedNanos() {
        return System.nanoTime() - attemptStartNanos;
    }

    /** The hook's timeout cancelled the result: stop whatever is under way. */
    private void abort() {
        CompletableFuture<Channel> waiting;
        Exchange running;
        Future<?> retry;
        synchronized (this) {
            waiting = acquiring;
            running = exchange;
            retry = pendingRetry;
        }
        if (retry != null) {
            retry.cancel(false);
        }
        if (waiting != null) {
            waiting.cancel(false);
        }
        if (running != null) {
            running.cancel();
        }
    }
}
