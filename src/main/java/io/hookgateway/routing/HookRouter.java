package io.hookgateway.routing;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookResponse;
import io.hookgateway.http.Destination;
import io.hookgateway.http.FullRequest;
import io.hookgateway.http.HeaderLineDecoder;
import io.hookgateway.http.HttpResponses;
import io.hookgateway.http.HttpResponses.Connection;
import io.hookgateway.http.RequestFailure;
import io.hookgateway.http.RequestHead;
import io.hookgateway.http.RequestIds;
import io.hookgateway.logging.AccessLine;
import io.hookgateway.logging.AccessLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage of the hook pipeline: answers each {@link FullRequest}, one at a time and in order.
 *
 * <ul>
 *   <li>A failed request gets its {@link RequestFailure} status and {@code Connection: close}.</li>
 *   <li>A path no hook has gets 404 (counted as hook {@value RequestObserver#UNMATCHED}); a method the path does not
 *       take gets 405 with {@code Allow}; {@code OPTIONS} gets 204 with {@code Allow}.</li>
 *   <li>A request its hook refused from the head (a guard that reads no body) gets that refusal, as a processor's
 *       {@link HookException} would be answered.</li>
 *   <li>Otherwise the hook's processor runs: on the event loop when it does not block and the body is small, else on
 *       the bounded worker pool ({@link HookDispatcher}). Its answer (or its failure: a {@link HookException}'s
 *       status, else 500 with an error id that is also in the log) is written back on the event loop.</li>
 * </ul>
 *
 * <p>Once the answer is written, the connection closes or the decoder {@linkplain HeaderLineDecoder#resume() resumes}
 * with the next request. A failure of any kind while answering (an {@link Error} too, such as an
 * {@link OutOfMemoryError} while building the answer or logging it) closes the connection: while a request is with the
 * router, the decoder reads nothing and has no deadline running, so a connection left open then would have nobody to
 * finish it. One router serves one connection.
 *
 * <p>Draining: on {@link #DRAIN} answers close their connection and an idle connection closes; on {@link #CUT_OFF}
 * (the drain timeout has passed) a request whose processor has not answered yet gets 503 with
 * {@code Connection: close}, and so does a request still arriving (its head or body partly received, or its body
 * awaited after {@code 100 Continue}: see {@link ArrivingRequest}); a streamed answer is cut (and logged), and a
 * connection with no request begun is closed.
 */
public final class HookRouter extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HookRouter.class);
    /** Access lines are written apart from logback, in batches, to cost a request little. */
    private static final AccessLog ACCESS_LOG = AccessLog.stdout();

    private static final HeaderFields TEXT = HookResponse.TEXT_FIELDS;
    private static final byte[] NOT_FOUND = bytes(HookException.NOT_FOUND.getMessage() + "\n");
    private static final byte[] NO_BODY = new byte[0];
    /** Netty's own bound on listeners notified from within one another (DefaultPromise). */
    private static final int MAX_NESTED_COMPLETIONS = 8;
    /** After an error answer, how long to keep reading (and discarding) so the client sees the answer, not a reset. */
    public static final long LINGER_MILLIS = 2000;

    /**
     * What every router of one port shares.
     *
     * @param observer where requests are counted
     * @param accessLog whether requests that reach no hook are logged (a hook's own setting covers its requests)
     * @param draining true once the gateway is shutting down: answers then close their connection
     * @param writeTimeout how long a client may take to accept an answer before the connection is closed
     * @param trackIdle whether each router keeps {@link #idleSinceNanos()} up to date, for a port that closes its
     *                  longest-idle connection when full (the metrics port); a clock read and a volatile write per
     *                  change, which the hook port need not pay
     */
    public record Settings(RequestObserver observer, boolean accessLog, BooleanSupplier draining,
                           Duration writeTimeout, boolean trackIdle) {
        public Settings {
            Objects.requireNonNull(observer, "observer");
            Objects.requireNonNull(draining, "draining");
            Objects.requireNonNull(writeTimeout, "writeTimeout");
        }

        /** Settings of a port that does not track how long its connections have been idle. */
        public Settings(RequestObserver observer, boolean accessLog, BooleanSupplier draining, Duration writeTimeout) {
            this(observer, accessLog, draining, writeTimeout, false);
        }
    }

    /** Fired on every connection when the gateway begins to drain. */
    public static final Object DRAIN = new Object() {
        @Override
        public String toString() {
            return "DRAIN";
        }
    };

    /** Fired on every connection still open when the drain timeout has passed. */
    public static final Object CUT_OFF = new Object() {
        @Override
        public String toString() {
            return "CUT_OFF";
        }
    };

    /** {@link #idleSinceNanos()} while a processor works for the connection. */
    public static final long BUSY = Long.MAX_VALUE;

    private static final byte[] SHUTTING_DOWN = bytes("the gateway is shutting down; this request was not completed\n");

    private final Settings settings;
    private final HeaderLineDecoder decoder;
    /** The request still arriving, for the cut-off; {@code null} when this router is not told of it. */
    private final ArrivingRequest arriving;
    private boolean inFlight;
    private boolean closeAfterResponse;
    private boolean lingerAfterAnswer;
    /** The connection's last answer is written and its output shut down: it closes by itself soon (see close). */
    private boolean lingering;
    /** The drain timeout has passed: nothing more runs for this connection. */
    private boolean cutOff;
    /** The processor's answer while it is awaited: set from dispatch until the answer begins. */
    private CompletableFuture<HookResponse> pending;
    /** The request whose answer is {@link #pending}. */
    private Exchange pendingExchange;
    private StreamWriter streamWriter;
    private Exchange streamExchange;
    /** See {@link #idleSinceNanos()}; written on the event loop, read by any thread. */
    private volatile long idleSinceNanos = System.nanoTime();
    /** {@link #idleSinceNanos} from before the request at work made it {@link #BUSY}. */
    private long idleBeforeBusy;
    /** Whether {@link #watchInput()} tells this router when the client sends. */
    private boolean watchingInput;
    /** Whether the client has sent anything since its last answer was written. */
    private boolean sentSinceAnswer = true;
    /** Whether the current request was sent before the answer to the one ahead of it was written. */
    private boolean pipelined;
    /** Completions of written answers run from within one another (see write). */
    private int nestedCompletions;

    public HookRouter(Settings settings, HeaderLineDecoder decoder) {
        this(settings, decoder, null);
    }

    /** @param arriving the connection's {@link ArrivingRequest}, for the cut-off to answer a request still arriving */
    public HookRouter(Settings settings, HeaderLineDecoder decoder, ArrivingRequest arriving) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.arriving = arriving;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (arriving != null) {
            arriving.clear();
        }
        if (inFlight) {
            // The decoder holds back the next request until resume(); getting one here is a bug. Fail safe.
            request.release();
            log.warn("request arrived while another was in flight; closing {}", ctx.channel());
            ctx.close();
            return;
        }
        inFlight = true;
        pipelined = watchingInput && !sentSinceAnswer;
        if (cutOff) {
            // Read whole only after the drain timeout (from what the client had sent before): it runs nothing now.
            decoder.discardRest();
            answerShuttingDown(ctx, answeredHere(request, (RouteMatch) request.destination()));
            return;
        }
        if (request.bodyUnread()) {
            // Answered before its body, which will not follow: nothing more is read as a request, and the connection
            // closes after the answer, lingering for a client that sends the body anyway.
            decoder.discardRest();
            closeAfterResponse = true;
            lingerAfterAnswer = true;
        }
        RequestFailure failure = request.failure();
        RouteMatch match = (RouteMatch) request.destination();
        if (failure != null) {
            refuse(ctx, request, match, failure);
        } else if (request.refusal() != null) {
            // The hook refused it from the head (its guard): answered as the processor's refusal would be.
            answer(ctx, answeredHere(request, match), null, request.refusal());
        } else if (match == null || match.isUnknownPath()) {
            if ("*".equals(request.path())) {
                // RFC 9110 §9.3.7: OPTIONS * asks about the server as a whole.
                answerDirectly(ctx, request, null, 204, HeaderFields.empty(), NO_BODY);
            } else {
                // A hidden hook's path, asked without credentials, is logged under its hook, but answered as one
                // without a hook is.
                answerDirectly(ctx, request, match, 404, TEXT, NOT_FOUND);
            }
        } else if (match.hook() == null) {
            if (HttpMethod.OPTIONS.equals(request.head().method())) {
                answerDirectly(ctx, request, match, 204, HeaderFields.of("Allow", match.allow()), NO_BODY);
            } else {
                HeaderFields allow = HeaderFields.of("Allow", match.allow(), "Content-Type", HookResponse.TEXT_PLAIN);
                answerDirectly(ctx, request, match, 405, allow,
                        bytes("method " + request.method() + " not allowed; use " + match.allow() + "\n"));
            }
        } else {
            dispatch(ctx, request, match.hook());
        }
    }

    private void refuse(ChannelHandlerContext ctx, FullRequest request, RouteMatch match, RequestFailure failure) {
        // Nothing more is read from this connection as a request, whatever arrives.
        decoder.discardRest();
        settings.observer().decodeFailure(failure);
        Exchange exchange = answeredHere(request, match);
        ByteBuf answer = HttpResponses.failure(ctx.alloc(), failure, isHead(exchange.head), exchange.requestId);
        write(ctx, exchange, failure.status(), answer, Connection.CLOSE, true);
    }

    private void answerDirectly(ChannelHandlerContext ctx, FullRequest request, RouteMatch match, int status,
                                HeaderFields headers, byte[] body) {
        respond(ctx, answeredHere(request, match), status, headers, body);
    }

    /** Releases a request the router answers itself (no processor runs), keeping what the answer is counted by. */
    private Exchange answeredHere(FullRequest request, RouteMatch match) {
        Exchange exchange = new Exchange(request.head(), loggedPath(request.head(), match), observerFor(match),
                hookName(match), accessLogFor(match), request.bytesReceived(), request.clientAddress(),
                request.requestId());
        request.release();
        return exchange;
    }

    private void dispatch(ChannelHandlerContext ctx, FullRequest request, Hook hook) {
        Exchange exchange = new Exchange(request.head(), loggedPath(request.head(), request.destination()),
                hook.observer(), hook.name(), hook.accessLog(), request.bytesReceived(), request.clientAddress(),
                request.requestId());
        if (settings.trackIdle()) {
            idleBeforeBusy = idleSinceNanos;
            idleSinceNanos = BUSY;
        }
        // The dispatcher owns the request from here and releases it when the processor is done with it.
        CompletableFuture<HookResponse> result = hook.dispatcher().submit(request, ctx.executor());
        pending = result;
        pendingExchange = exchange;
        if (result.isDone() && !result.isCompletedExceptionally()) {
            // Answered on this thread (respond and the like): nothing to wait for, and no callback to allocate.
            processed(ctx, result, exchange, result.getNow(null), null);
            return;
        }
        result.whenComplete((response, error) -> {
            if (ctx.executor().inEventLoop()) {
                processed(ctx, result, exchange, response, error);
            } else {
                ctx.executor().execute(() -> processed(ctx, result, exchange, response, error));
            }
        });
    }

    private void processed(ChannelHandlerContext ctx, CompletableFuture<HookResponse> result, Exchange exchange,
                           HookResponse response, Throwable error) {
        if (pending != result) {
            // Answered already, with a 503 at the drain timeout: this late answer has no one to go to.
            cancelStream(response);
            return;
        }
        pending = null;
        pendingExchange = null;
        markIdle();
        if (!ctx.channel().isActive()) {
            // The client went away (its leaving cancelled the answer); there is no one to answer.
            inFlight = false;
            cancelStream(response);
            return;
        }
        try {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            answer(ctx, exchange, response, cause);
        } catch (Throwable t) {
            abandon(ctx, exchange, t);
        }
    }

    private static void cancelStream(HookResponse response) {
        if (response != null && response.isStreaming()) {
            response.stream().subscribe(CANCEL_AT_ONCE);
        }
    }

    /**
     * Answering failed, in any way at all: close, so the connection cannot stay open with its next request held back
     * and no deadline running. The close comes first; the log line after it may fail as well, when memory has run out.
     */
    private void abandon(ChannelHandlerContext ctx, Exchange exchange, Throwable cause) {
        inFlight = false;
        markIdle();
        ctx.close();
        logSafely(() -> log.error("could not answer {} {} of hook '{}'; closed the connection",
                exchange.head.method(), exchange.path, exchange.hookName, cause));
    }

    /**
     * Writes a log line where the connection is already closed: a failure to log (out of memory, most likely) is lost
     * with the memory it needed, and must not undo what came before.
     */
    private static void logSafely(Runnable line) {
        try {
            line.run();
        } catch (Throwable logging) {
            // See above.
        }
    }

    private void answer(ChannelHandlerContext ctx, Exchange exchange, HookResponse response, Throwable error) {
        Throwable cause = error;
        if (cause == null && response == null) {
            cause = new NullPointerException("processor completed without a response");
        }
        if (cause == null && response.isStreaming()) {
            respondStreaming(ctx, exchange, response);
        } else if (cause == null) {
            respond(ctx, exchange, response.status(), response.headers(), response.body());
        } else if (cause instanceof HookException failure) {
            HeaderFields headers = failure.headers().isEmpty() ? TEXT : withText(failure.headers());
            String message = failure.getMessage();
            if (failure.logDetail() != null) {
                // The client learns what happened in general terms; the log says where, under the same id.
                String errorId = newErrorId();
                log.warn("hook '{}' answered {} on {} {} (error id {}): {}", exchange.hookName, failure.status(),
                        exchange.head.method(), exchange.path, errorId, failure.logDetail());
                message = message + " (error id " + errorId + ")";
            }
            respond(ctx, exchange, failure.status(), headers, bytes(message + "\n"));
        } else {
            String errorId = newErrorId();
            exchange.observer.processorFailed("exception");
            log.error("hook '{}' failed on {} {} (error id {})", exchange.hookName, exchange.head.method(),
                    exchange.path, errorId, cause);
            respond(ctx, exchange, 500, TEXT, bytes("internal error (error id " + errorId + ")\n"));
        }
    }

    private void respond(ChannelHandlerContext ctx, Exchange exchange, int status, HeaderFields headers, byte[] body) {
        Connection connection = connectionFor(exchange.head);
        ByteBuf answer = HttpResponses.encode(ctx.alloc(), status, headers, body, connection, isHead(exchange.head),
                exchange.requestId);
        write(ctx, exchange, status, answer, connection, false);
    }

    private void write(ChannelHandlerContext ctx, Exchange exchange, int status, ByteBuf answer,
                       Connection connection, boolean linger) {
        int answerBytes = answer.readableBytes();
        ChannelFuture written = TimedWrite.writeAndFlush(ctx, answer, settings.writeTimeout());
        if (written.isDone() && nestedCompletions < MAX_NESTED_COMPLETIONS) {
            // Taken by the socket at once, as a small answer mostly is: what a listener would do, without one. Nested
            // no deeper than Netty nests listeners, should the next request be answered from within this completion.
            nestedCompletions++;
            try {
                completed(ctx, exchange, status, answerBytes, connection, written.isSuccess(), linger);
            } finally {
                nestedCompletions--;
            }
        } else {
            written.addListener((ChannelFuture future) ->
                    completed(ctx, exchange, status, answerBytes, connection, future.isSuccess(), linger));
        }
    }

    /**
     * The answer is written (or could not be): count it, then close or read the next request. Runs as a listener of the
     * write, where Netty would only log a failure, so it catches every one itself.
     */
    private void completed(ChannelHandlerContext ctx, Exchange exchange, int status, long answerBytes,
                           Connection connection, boolean written, boolean linger) {
        try {
            inFlight = false;
            markIdle();
            exchange.completed(status, answerBytes);
            if (!written) {
                ctx.close();
            } else if (connection == Connection.CLOSE) {
                close(ctx, linger || lingerAfterAnswer);
            } else {
                sentSinceAnswer = false;
                decoder.resume();
            }
        } catch (Throwable t) {
            abandon(ctx, exchange, t);
        }
    }

    /**
     * Writes a streamed answer: the head now, then the body as it is published. An HTTP/1.0 client cannot take a
     * chunked body, so its body runs to the end of the connection. A HEAD request gets the head only.
     */
    private void respondStreaming(ChannelHandlerContext ctx, Exchange exchange, HookResponse response) {
        boolean http10 = exchange.head.version() == HttpVersion.HTTP_1_0;
        Connection connection = http10 ? Connection.CLOSE : connectionFor(exchange.head);
        boolean head = isHead(exchange.head);
        ByteBuf answerHead = HttpResponses.encodeStreamingHead(ctx.alloc(), response.status(), response.headers(),
                connection, !http10, exchange.requestId);
        int status = response.status();
        TimedWrite.writeAndFlush(ctx, answerHead, settings.writeTimeout()).addListener((ChannelFuture f) -> {
            try {
                if (!f.isSuccess() || head) {
                    response.stream().subscribe(CANCEL_AT_ONCE);
                    completed(ctx, exchange, status, 0, connection, f.isSuccess(), false);
                    return;
                }
                streamExchange = exchange;
                streamWriter = new StreamWriter(ctx, !http10, settings.writeTimeout(), (ok, bytes) -> {
                    streamWriter = null;
                    streamExchange = null;
                    completed(ctx, exchange, status, bytes, connection, ok, false);
                });
                response.stream().subscribe(streamWriter);
            } catch (Throwable t) {
                abandon(ctx, exchange, t);
            }
        });
    }

    /** Cancels a stream nobody will read, so its publisher stops and the dispatcher learns the answer is over. */
    static final Flow.Subscriber<ByteBuffer> CANCEL_AT_ONCE = new Flow.Subscriber<>() {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
        }

        @Override
        public void onNext(ByteBuffer item) {
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    };

    /**
     * Closes after an answer. After an error the client may still be sending (a body we refused), and closing a socket
     * with unread input makes the kernel send a reset that can destroy the answer before the client reads it. So we
     * shut down our side only, keep discarding what arrives, and close when the client does or after
     * {@link #LINGER_MILLIS} (RFC 9112 §9.6). Over TLS our side ends with a close_notify first (RFC 8446 §6.1), so the
     * client can tell the end of the connection from a cut.
     */
    private void close(ChannelHandlerContext ctx, boolean linger) {
        if (!linger || !(ctx.channel() instanceof DuplexChannel duplex) || !duplex.isActive()) {
            ctx.close();
            return;
        }
        lingering = true;
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        ChannelFuture closeNotify = tls == null ? ctx.newSucceededFuture() : tls.closeOutbound();
        closeNotify.addListener(notified -> duplex.shutdownOutput().addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
                return;
            }
            ctx.channel().config().setAutoRead(true);
            ctx.executor().schedule((Runnable) ctx::close, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        }));
    }

    private Connection connectionFor(RequestHead head) {
        if (!head.isKeepAlive() || closeAfterResponse || settings.draining().getAsBoolean()) {
            return Connection.CLOSE;
        }
        return head.version() == HttpVersion.HTTP_1_0 ? Connection.KEEP_ALIVE_EXPLICIT : Connection.KEEP_ALIVE_DEFAULT;
    }

    private RequestObserver.HookObserver observerFor(RouteMatch match) {
        if (match != null && match.hook() != null) {
            return match.hook().observer();
        }
        return settings.observer().hook(match == null ? RequestObserver.UNMATCHED : match.hookName());
    }

    private static String hookName(RouteMatch match) {
        return match == null ? RequestObserver.UNMATCHED : match.hookName();
    }

    private boolean accessLogFor(RouteMatch match) {
        return match != null && match.hook() != null ? match.hook().accessLog() : settings.accessLog();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent && streamWriter != null) {
            // A streamed answer is for a client that watches it; one that has stopped sending has most likely gone
            // (a half-close cannot be told from a close without writing), so the stream, and its program, stop.
            streamWriter.connectionClosed();
            ctx.close();
            return;
        }
        if (evt == CUT_OFF) {
            cutOff(ctx);
            return;
        }
        if (evt == DRAIN) {
            closeAfterResponse = true;
            if (!inFlight) {
                // Look again after tasks already queued: an answer just written leaves the decoder's resume() pending,
                // and the connection is idle only once that has run.
                ctx.executor().execute(() -> {
                    if (!inFlight && decoder.isIdle()) {
                        ctx.close();
                    }
                });
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    /**
     * The drain timeout has passed. A request whose processor has not answered, or that is still arriving, is told so
     * (RFC 9110 §15.6.4: 503, the server cannot handle it now; RFC 9112 §9.6: and closes); an answer being written to
     * a client that does not take it, and a connection with no request begun, are closed.
     */
    private void cutOff(ChannelHandlerContext ctx) {
        closeAfterResponse = true;
        cutOff = true;
        CompletableFuture<HookResponse> p = pending;
        if (p != null) {
            Exchange exchange = pendingExchange;
            pending = null;
            pendingExchange = null;
            // Withdraws it if it still waits for a slot; a processor at work finishes unheard (see processed).
            p.cancel(false);
            try {
                respond(ctx, exchange, 503, TEXT, SHUTTING_DOWN);
            } catch (Throwable t) {
                abandon(ctx, exchange, t);
            }
            return;
        }
        if (streamWriter != null) {
            Exchange exchange = streamExchange;
            streamWriter.connectionClosed();
            ctx.close();
            logSafely(() -> log.warn("drain timeout: cut off the streamed answer of hook '{}' to {} {}",
                    exchange.hookName, exchange.head.method(), exchange.path));
            return;
        }
        if (lingering) {
            // Answered already; the client is reading it, and the connection closes by itself.
            return;
        }
        if (inFlight) {
            ctx.close();
            return;
        }
        // Looked at after tasks already queued: the decoder's resume() after the last answer may still find a request
        // the client sent (answered 503 in channelRead), and the connection is idle only once it has run.
        ctx.executor().execute(() -> cutOffArrival(ctx));
    }

    /**
     * A request that has begun to arrive (its head or body partly received, its body awaited after
     * {@code 100 Continue}) gets 503 and the connection lingers, as after any refusal, so that a client still sending
     * reads it; a connection with nothing begun closes quietly.
     */
    private void cutOffArrival(ChannelHandlerContext ctx) {
        if (inFlight || lingering || !ctx.channel().isActive()) {
            return;
        }
        RequestHead head = arriving == null ? null : arriving.head();
        if (head == null && decoder.isIdle()) {
            ctx.close();
            return;
        }
        // No more of it is read as a request: what the client still sends is dropped while the answer lingers.
        decoder.discardRest();
        RouteMatch match = head == null ? null : arriving.match();
        Exchange exchange = new Exchange(head, loggedPath(head, match), observerFor(match), hookName(match),
                accessLogFor(match),
                head == null ? 0 : arriving.bodyBytes(), null,
                head == null ? RequestIds.generate() : RequestIds.of(head.headers()));
        inFlight = true;
        answerShuttingDown(ctx, exchange);
    }

    /** 503 with {@code Connection: close}, then a lingering close: the gateway stops before it could serve this. */
    private void answerShuttingDown(ChannelHandlerContext ctx, Exchange exchange) {
        try {
            ByteBuf answer = HttpResponses.encode(ctx.alloc(), 503, TEXT, SHUTTING_DOWN, Connection.CLOSE,
                    exchange.head != null && isHead(exchange.head), exchange.requestId);
            write(ctx, exchange, 503, answer, Connection.CLOSE, true);
        } catch (Throwable t) {
            abandon(ctx, exchange, t);
        }
    }

    /**
     * Since when ({@link System#nanoTime()}) this connection has had nothing of the gateway's running for it: since it
     * opened, or since its last processor answered or its last answer was written; {@link #BUSY} while a processor
     * works for it. A connection that waits for its client (to send a request, to finish a slow one, to take an
     * answer) is idle by this measure, however many bytes it drips meanwhile. Any thread may read it.
     *
     * <p>With {@link #watchInput()} in place, answers to pipelined requests (read from what the client sent before the
     * answer ahead of them was written) do not count: such answers may sit unread for good, so a client that sends
     * fifty requests at once and never reads looks idle since its first answer, not fresh after each of the other
     * forty-nine.
     */
    public long idleSinceNanos() {
        return idleSinceNanos;
    }

    private void markIdle() {
        if (!settings.trackIdle()) {
            return;
        }
        if (!pipelined) {
            idleSinceNanos = System.nanoTime();
        } else if (idleSinceNanos == BUSY) {
            idleSinceNanos = idleBeforeBusy;
        }
    }

    /**
     * A handler to place before the decoder, on a port that tracks idleness: it tells this router when the client sends
     * anything, so that {@link #idleSinceNanos()} can tell a pipelined request (sent before the answer ahead of it was
     * written) from one sent after it.
     */
    public ChannelHandler watchInput() {
        watchingInput = true;
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                sentSinceAnswer = true;
                ctx.fireChannelRead(msg);
            }
        };
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        CompletableFuture<HookResponse> p = pending;
        if (p != null) {
            // Withdraws the request if it is still waiting for a slot; started work is left to finish.
            p.cancel(false);
        }
        if (streamWriter != null) {
            streamWriter.connectionClosed();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (streamWriter != null) {
            streamWriter.writabilityChanged();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Close first: the log line can fail too (an OutOfMemoryError is the likely cause of both), and a connection
        // not closed here has no owner and no deadline.
        ctx.close();
        if (!(cause instanceof IOException)) {
            // A reset connection is not news; anything else is a bug worth a stack trace.
            logSafely(() -> log.warn("closed {} after an unexpected error", ctx.channel(), cause));
        }
    }

    /** A short id that ties an answer to its log line. */
    private static String newErrorId() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    }

    private static boolean isHead(RequestHead head) {
        return HttpMethod.HEAD.equals(head.method());
    }

    private static HeaderFields withText(HeaderFields extra) {
        HeaderFields.Builder b = HeaderFields.builder(extra.size() + 1);
        b.add("Content-Type", HookResponse.TEXT_PLAIN);
        extra.forEach(b::add);
        return b.build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The path of a request as logs show it: a segment of a hook's secret path variable is hidden
     * ({@link Destination#loggedPath}); a path no hook takes is shown as {@link RouteTable#loggedUnmatchedPath} says,
     * since it may be a secret's near miss.
     */
    private String loggedPath(RequestHead head, Destination destination) {
        if (head == null || head.path() == null) {
            return "-";
        }
        if (destination != null) {
            return destination.loggedPath(head.path());
        }
        return arriving != null ? arriving.loggedUnmatchedPath(head.path())
                : RouteTable.loggedUnmatchedPath(head.path(), 0);
    }

    /**
     * What is remembered of a request until its answer is written: enough for the metrics and the access log. The head
     * is {@code null} for a request cut off before its head was read; the client, for one cut off before it was whole
     * (who it came from is told as the whole head reaches the aggregator).
     */
    private static final class Exchange {
        final RequestHead head;
        /** The path as logs show it ({@link HookRouter#loggedPath}). */
        final String path;
        final RequestObserver.HookObserver observer;
        final String hookName;
        final boolean accessLog;
        final long bodyBytes;
        /** The client's address as {@code ${client.ip}} shows it, or {@code null}. */
        final String client;
        /** The request's id ({@link RequestIds}): in the answer and the access log. */
        final String requestId;
        /** When the request began to arrive; for a head not yet read (the router never saw it), when it was cut off. */
        final long startNanos;

        Exchange(RequestHead head, String path, RequestObserver.HookObserver observer, String hookName,
                 boolean accessLog, long bodyBytes, String client, String requestId) {
            this.head = head;
            this.client = client;
            this.requestId = requestId;
            this.path = path;
            this.observer = observer;
            this.hookName = hookName;
            this.accessLog = accessLog;
            this.bodyBytes = bodyBytes;
            this.startNanos = head != null ? head.startNanos() : System.nanoTime();
        }

        void completed(int status, long answerBytes) {
            long nanos = System.nanoTime() - startNanos;
            String method = head == null || head.method() == null ? "-" : head.method().name();
            observer.completed(method, status, nanos, bodyBytes);
            if (accessLog) {
                ACCESS_LOG.write(new AccessLine(requestId, method, path, hookName, status, bodyBytes, answerBytes,
                        nanos, client));
            }
        }
    }
}
