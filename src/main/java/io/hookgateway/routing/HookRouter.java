package io.hookgateway.routing;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.HookResponse;
import io.hookgateway.http.FullRequest;
import io.hookgateway.http.HeaderLineDecoder;
import io.hookgateway.http.HttpResponses;
import io.hookgateway.http.HttpResponses.Connection;
import io.hookgateway.http.RequestFailure;
import io.hookgateway.http.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
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
 *   <li>Otherwise the hook's processor runs: on the event loop when it does not block, else on the bounded worker
 *       pool. Its answer (or its failure: a {@link HookException}'s status, else 500 with an error id that is also in
 *       the log) is written back on the event loop.</li>
 * </ul>
 *
 * <p>Once the answer is written, the connection closes or the decoder {@linkplain HeaderLineDecoder#resume() resumes}
 * with the next request. One router serves one connection.
 */
public final class HookRouter extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HookRouter.class);
    /** Access log lines go to their own logger, so they can be routed or silenced apart from the rest. */
    private static final Logger accessLog = LoggerFactory.getLogger("io.hookgateway.access");

    private static final HeaderFields TEXT = HeaderFields.of("Content-Type", "text/plain; charset=utf-8");
    private static final byte[] NOT_FOUND = bytes("no hook is configured at this path\n");
    private static final byte[] NO_BODY = new byte[0];
    private static final HookException BUSY = new HookException(503, "the gateway is busy; try again shortly",
            HeaderFields.of("Retry-After", "1"), null);

    /**
     * What every router of one port shares.
     *
     * @param workers the bounded pool blocking processors run on
     * @param observer where requests are counted
     * @param accessLog whether requests that reach no hook are logged (a hook's own setting covers its requests)
     * @param draining true once the gateway is shutting down: answers then close their connection
     */
    public record Settings(Executor workers, RequestObserver observer, boolean accessLog, BooleanSupplier draining) {
        public Settings {
            Objects.requireNonNull(workers, "workers");
            Objects.requireNonNull(observer, "observer");
            Objects.requireNonNull(draining, "draining");
        }
    }

    /** Fired on every connection when the gateway begins to drain. */
    public static final Object DRAIN = new Object() {
        @Override
        public String toString() {
            return "DRAIN";
        }
    };

    private final Settings settings;
    private final HeaderLineDecoder decoder;
    private boolean inFlight;
    private boolean closeAfterResponse;

    public HookRouter(Settings settings, HeaderLineDecoder decoder) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (inFlight) {
            // The decoder holds back the next request until resume(); getting one here is a bug. Fail safe.
            request.release();
            log.warn("request arrived while another was in flight; closing {}", ctx.channel());
            ctx.close();
            return;
        }
        inFlight = true;
        RequestFailure failure = request.failure();
        RouteMatch match = (RouteMatch) request.destination();
        if (failure != null) {
            refuse(ctx, request, match, failure);
        } else if (match == null) {
            if ("*".equals(request.path())) {
                // RFC 9110 §9.3.7: OPTIONS * asks about the server as a whole.
                answerDirectly(ctx, request, null, 204, HeaderFields.empty(), NO_BODY);
            } else {
                answerDirectly(ctx, request, null, 404, TEXT, NOT_FOUND);
            }
        } else if (match.hook() == null) {
            HeaderFields allow = HeaderFields.of("Allow", match.allow(), "Content-Type", "text/plain; charset=utf-8");
            if (HttpMethod.OPTIONS.equals(request.head().method())) {
                answerDirectly(ctx, request, match, 204, HeaderFields.of("Allow", match.allow()), NO_BODY);
            } else {
                answerDirectly(ctx, request, match, 405, allow,
                        bytes("method " + request.method() + " not allowed; use " + match.allow() + "\n"));
            }
        } else {
            dispatch(ctx, request, match.hook());
        }
    }

    private void refuse(ChannelHandlerContext ctx, FullRequest request, RouteMatch match, RequestFailure failure) {
        settings.observer().decodeFailure(failure);
        RequestHead head = request.head();
        long bodyBytes = request.bodyLength();
        request.release();
        Exchange exchange = new Exchange(head, observerFor(match), hookName(match), accessLogFor(match), bodyBytes);
        ByteBuf answer = HttpResponses.failure(failure, isHead(head));
        write(ctx, exchange, failure.status(), answer, Connection.CLOSE);
    }

    private void answerDirectly(ChannelHandlerContext ctx, FullRequest request, RouteMatch match, int status,
                                HeaderFields headers, byte[] body) {
        RequestHead head = request.head();
        long bodyBytes = request.bodyLength();
        request.release();
        Exchange exchange = new Exchange(head, observerFor(match), hookName(match), accessLogFor(match), bodyBytes);
        respond(ctx, exchange, status, headers, body);
    }

    private void dispatch(ChannelHandlerContext ctx, FullRequest request, Hook hook) {
        HookProcessor processor = hook.processor();
        CompletionStage<HookResponse> stage;
        if (processor.blocking()) {
            stage = runOnWorkers(processor, request);
        } else {
            try {
                stage = processor.process(request);
            } catch (Throwable t) {
                stage = CompletableFuture.failedFuture(t);
            }
        }
        if (stage == null) {
            stage = CompletableFuture.failedFuture(new NullPointerException("processor returned no stage"));
        }
        Exchange exchange = new Exchange(request.head(), hook.observer(), hook.name(), hook.accessLog(),
                request.bodyLength());
        stage.whenComplete((response, error) -> {
            if (ctx.executor().inEventLoop()) {
                processed(ctx, request, exchange, response, error);
            } else {
                ctx.executor().execute(() -> processed(ctx, request, exchange, response, error));
            }
        });
    }

    private CompletionStage<HookResponse> runOnWorkers(HookProcessor processor, FullRequest request) {
        CompletableFuture<HookResponse> result = new CompletableFuture<>();
        try {
            settings.workers().execute(() -> {
                try {
                    processor.process(request).whenComplete((response, error) -> {
                        if (error != null) {
                            result.completeExceptionally(error);
                        } else {
                            result.complete(response);
                        }
                    });
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(BUSY);
        }
        return result;
    }

    private void processed(ChannelHandlerContext ctx, FullRequest request, Exchange exchange,
                           HookResponse response, Throwable error) {
        // The body is no longer needed once the processor is done: release it before the answer is written.
        request.release();
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause == null && response == null) {
            cause = new NullPointerException("processor completed without a response");
        }
        if (cause == null) {
            respond(ctx, exchange, response.status(), response.headers(), response.body());
        } else if (cause instanceof HookException failure) {
            if (failure == BUSY) {
                exchange.observer.processorFailed("rejected");
            }
            HeaderFields headers = failure.headers().isEmpty() ? TEXT : withText(failure.headers());
            respond(ctx, exchange, failure.status(), headers, bytes(failure.getMessage() + "\n"));
        } else {
            String errorId = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
            exchange.observer.processorFailed("exception");
            log.error("hook '{}' failed on {} {} (error id {})", exchange.hookName, exchange.head.method(),
                    exchange.head.path(), errorId, cause);
            respond(ctx, exchange, 500, TEXT, bytes("internal error (error id " + errorId + ")\n"));
        }
    }

    private void respond(ChannelHandlerContext ctx, Exchange exchange, int status, HeaderFields headers, byte[] body) {
        Connection connection = connectionFor(exchange.head);
        ByteBuf answer = HttpResponses.encode(ctx.alloc(), status, headers, body, connection, isHead(exchange.head));
        write(ctx, exchange, status, answer, connection);
    }

    private void write(ChannelHandlerContext ctx, Exchange exchange, int status, ByteBuf answer,
                       Connection connection) {
        int answerBytes = answer.readableBytes();
        ctx.writeAndFlush(answer).addListener((ChannelFuture future) -> {
            inFlight = false;
            exchange.completed(status, answerBytes);
            if (!future.isSuccess() || connection == Connection.CLOSE) {
                ctx.close();
            } else {
                decoder.resume();
            }
        });
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
        if (evt instanceof IdleStateEvent) {
            // No bytes either way for the idle timeout, and no processor running: close quietly.
            if (!inFlight) {
                ctx.close();
            }
            return;
        }
        if (evt == DRAIN) {
            if (!inFlight && decoder.isIdle()) {
                ctx.close();
            } else {
                closeAfterResponse = true;
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            // A reset connection is not news; anything else is a bug worth a stack trace.
            log.warn("closing {} after an unexpected error", ctx.channel(), cause);
        }
        ctx.close();
    }

    private static boolean isHead(RequestHead head) {
        return HttpMethod.HEAD.equals(head.method());
    }

    private static HeaderFields withText(HeaderFields extra) {
        HeaderFields.Builder b = HeaderFields.builder(extra.size() + 1);
        b.add("Content-Type", "text/plain; charset=utf-8");
        extra.forEach(b::add);
        return b.build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** What is remembered of a request until its answer is written: enough for the metrics and the access log. */
    private static final class Exchange {
        final RequestHead head;
        final RequestObserver.HookObserver observer;
        final String hookName;
        final boolean accessLog;
        final long bodyBytes;

        Exchange(RequestHead head, RequestObserver.HookObserver observer, String hookName, boolean accessLog,
                 long bodyBytes) {
            this.head = head;
            this.observer = observer;
            this.hookName = hookName;
            this.accessLog = accessLog;
            this.bodyBytes = bodyBytes;
        }

        void completed(int status, int answerBytes) {
            long nanos = System.nanoTime() - head.startNanos();
            String method = head.method() == null ? "-" : head.method().name();
            observer.completed(method, status, nanos, bodyBytes);
            if (accessLog && accessLog().isInfoEnabled()) {
                accessLog().info("{} {} hook={} status={} in={}B out={}B time={}ms", method,
                        head.path() == null ? "-" : head.path(), hookName, status, bodyBytes, answerBytes,
                        String.format("%.2f", nanos / 1e6));
            }
        }

        private static Logger accessLog() {
            return HookRouter.accessLog;
        }
    }
}
