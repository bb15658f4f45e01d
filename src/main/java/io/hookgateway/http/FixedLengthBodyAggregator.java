package io.hookgateway.http;

import io.hookgateway.hooks.HookException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.internal.ObjectUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Supplier;

/**
 * The second stage of the hook pipeline: collects exactly the body the head announced, as the seed's
 * {@code read(content_length)} did, and emits one {@link FullRequest}. The body pieces are the decoder's slices, joined
 * without copying.
 *
 * <ul>
 *   <li>The request's {@link Destination} is resolved when the head arrives, so a declared {@code Content-Length} over
 *       the hook's limit is answered 413 before any body byte is read; a chunked body is checked as it arrives.</li>
 *   <li>A body is counted against the {@link BodyBudget} of all connections before it is read: by its declared length
 *       from the head, or as a chunked body arrives. One that does not fit is answered 503 with {@code Retry-After};
 *       a declared chunk that can never fit the hook's limit, 413 at once.</li>
 *   <li>The client is told from the head ({@link ClientAdmission}): the peer, or the address a trusted proxy names.
 *       A client the port does not serve, and one a hook refuses from its head alone (its address rules, its rate
 *       limits, an auth or guard that reads no body), is answered before the body is read
 *       ({@link Destination#refuseAtHead}). A request no hook takes (404, 405) has its body read through and
 *       dropped, never held; or, when the client waits for {@code 100 Continue}, is answered at once.</li>
 *   <li>{@code Expect: 100-continue} is answered {@code 100 Continue} only when the body will be accepted; otherwise
 *       the refusal (403, 413, 503) goes first and the client never sends the body (RFC 9110 §10.1.1).</li>
 *   <li>A failed head, or a {@link RequestFailure} from the decoder mid-body, becomes a failed
 *       {@link FullRequest}.</li>
 * </ul>
 */
public final class FixedLengthBodyAggregator extends ChannelInboundHandlerAdapter {

    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    /**
     * Pieces smaller than this are copied into a tail buffer of {@link #TAIL_BYTES} instead of becoming components of
     * their own: a trickle of one-byte chunks costs one copy per byte, not a component per byte, nor the repeated
     * consolidation (quadratic copying) of a capped composite buffer.
     */
    static final int SMALL_PIECE_BYTES = 1024;
    static final int TAIL_BYTES = 8192;

    /** Where requests go and whom the port serves, read once per request: a reload swaps both at once. */
    private final Supplier<? extends PortRouting> routing;
    private final long defaultMaxBodyBytes;
    private final BodyBudget budget;

    private RequestHead head;
    /** The client of the request in progress, as {@link ClientAdmission#clientOf} told it. */
    private InetSocketAddress client;
    private Destination destination;
    /** The request is answered without its body (no hook takes it): the body is read through and dropped. */
    private boolean dropping;
    private long limit;
    private long received;
    /** What the request in progress holds of the budget; handed to its {@link FullRequest}, which gives it back. */
    private long reserved;
    private ByteBuf body;
    private ByteBuf tail;
    /** The last client told and its address as text: a connection's requests mostly come from one client. */
    private InetSocketAddress lastClient;
    private String lastClientText;

    /**
     * @param resolver finds the hook of a request, which sets its body limit
     * @param defaultMaxBodyBytes the limit of requests that match no hook (they are answered 404 after the body)
     */
    public FixedLengthBodyAggregator(Destination.Resolver resolver, long defaultMaxBodyBytes) {
        this(resolver, defaultMaxBodyBytes, BodyBudget.unlimited());
    }

    /** @param budget the memory all connections' bodies share */
    public FixedLengthBodyAggregator(Destination.Resolver resolver, long defaultMaxBodyBytes, BodyBudget budget) {
        this(resolver, defaultMaxBodyBytes, budget, ClientAdmission.EVERYONE);
    }

    /** @param clients who sent a request, and whether the port serves them */
    public FixedLengthBodyAggregator(Destination.Resolver resolver, long defaultMaxBodyBytes, BodyBudget budget,
                                     ClientAdmission clients) {
        this(PortRouting.fixed(resolver, clients), defaultMaxBodyBytes, budget);
    }

    /** @param routing the port's routing as it is now, asked once for each request head */
    public FixedLengthBodyAggregator(Supplier<? extends PortRouting> routing, long defaultMaxBodyBytes,
                                     BodyBudget budget) {
        this.routing = ObjectUtil.checkNotNull(routing, "routing");
        this.defaultMaxBodyBytes = ObjectUtil.checkPositiveOrZero(defaultMaxBodyBytes, "defaultMaxBodyBytes");
        this.budget = ObjectUtil.checkNotNull(budget, "budget");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof RequestHead requestHead) {
            onHead(ctx, requestHead);
        } else if (msg instanceof HttpContent content) {
            try {
                onContent(ctx, content);
            } finally {
                content.release();
            }
        } else if (msg instanceof DeclaredChunk chunk) {
            onChunk(ctx, chunk.size());
        } else if (msg instanceof RequestFailure failure) {
            onFailure(ctx, failure);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void onHead(ChannelHandlerContext ctx, RequestHead requestHead) {
        abandon();
        InetSocketAddress peer = remoteAddress(ctx);
        client = peer;
        if (requestHead.isFailed()) {
            emit(ctx, FullRequest.failed(requestHead, requestHead.failure(), null, peer));
            // Nothing follows a failed head: the decoder discards the rest of the connection.
            return;
        }
        PortRouting now = routing.get();
        ClientAdmission clients = now.clients();
        InetSocketAddress named = clients.clientOf(requestHead, peer);
        Destination d = now.resolver().resolve(requestHead);
        // Who may call is decided before what they may send: a stranger learns nothing of the body limit, and no byte
        // of a body is read. The port's rules go first, then the hook's own.
        HookException refusal = clients.refusal(named, d);
        if (named != null) {
            client = named;
        }
        if (refusal == null && d != null) {
            refusal = d.refuseAtHead(requestHead, client);
            if (refusal == HookException.NOT_FOUND) {
                // A hidden hook, asked without credentials: from here on, exactly a path without a hook.
                d = d.asUnknownPath();
                refusal = null;
            }
        }
        if (refusal != null) {
            emit(ctx, FullRequest.refused(requestHead, refusal, d, client));
            return;
        }
        long max = d != null ? d.maxBodyBytes() : defaultMaxBodyBytes;
        boolean drop = d == null || d.answersWithoutBody();
        if (drop && requestHead.hasBody() && (requestHead.expectsContinue() || requestHead.contentLength() > max)) {
            // Nothing would read this body: the client waiting for 100 Continue, or one sending more than is worth
            // reading through, gets the 404 or 405 now. The body is not read, so the connection cannot go on
            // (RFC 9110 §10.1.1).
            emit(ctx, FullRequest.withUnreadBody(requestHead, d, client));
            return;
        }
        if (requestHead.contentLength() > max) {
            emit(ctx, FullRequest.failed(requestHead, RequestFailure.BODY_TOO_LARGE, d, client));
            return;
        }
        if (!drop && !reserve(requestHead.contentLength())) {
            emit(ctx, FullRequest.failed(requestHead, RequestFailure.BODY_MEMORY_FULL, d,
                    client));
            return;
        }
        if (requestHead.expectsContinue() && requestHead.hasBody()) {
            ctx.writeAndFlush(HttpResponses.continueResponse());
        }
        head = requestHead;
        destination = d;
        dropping = drop;
        limit = max;
        received = 0;
    }

    /** A chunk is coming: one that can never fit is refused now, not when its data has been waited for. */
    private void onChunk(ChannelHandlerContext ctx, long size) {
        if (head == null) {
            return;
        }
        if (size > limit - received) {
            onFailure(ctx, RequestFailure.BODY_TOO_LARGE);
        } else if (!dropping && !reserve(received + size)) {
            onFailure(ctx, RequestFailure.BODY_MEMORY_FULL);
        }
    }

    /** Makes sure the request holds {@code total} bytes of the budget. */
    private boolean reserve(long total) {
        long more = total - reserved;
        if (more <= 0) {
            return true;
        }
        if (!budget.tryReserve(more, total)) {
            return false;
        }
        reserved += more;
        return true;
    }

    private void giveBackReservation() {
        if (reserved > 0) {
            budget.release(reserved);
            reserved = 0;
        }
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (head == null) {
            // The rest of a refused request; the connection closes after its answer.
            return;
        }
        ByteBuf data = content.content();
        int length = data.readableBytes();
        if (length > 0) {
            if (received > limit - length) {
                onFailure(ctx, RequestFailure.BODY_TOO_LARGE);
                return;
            }
            received += length;
            if (!dropping) {
                append(ctx, data.retain());
            }
        }
        if (last) {
            flushTail(ctx);
            ByteBuf complete = body == null ? Unpooled.EMPTY_BUFFER : body;
            body = null;
            FullRequest request = FullRequest.of(head, complete, destination, client);
            // The request holds its share of the budget until it is released, after its answer.
            request.holdBudget(budget, reserved);
            if (dropping) {
                request.dropped(received);
            }
            reserved = 0;
            head = null;
            destination = null;
            emit(ctx, request);
        }
    }

    /** The request in progress, if any, fails: its answer goes up and what was gathered of its body is dropped. */
    private void onFailure(ChannelHandlerContext ctx, RequestFailure failure) {
        if (head != null) {
            emit(ctx, FullRequest.failed(head, failure, destination, client));
        }
        abandon();
    }

    private void abandon() {
        head = null;
        destination = null;
        releaseBody();
        giveBackReservation();
    }

    /**
     * Takes ownership of {@code data}: large pieces are kept as slices, small ones copied into the tail; a piece that
     * is the whole of a declared body, as a small webhook's body arriving with its head is, is kept as it came.
     */
    private void append(ChannelHandlerContext ctx, ByteBuf data) {
        boolean whole = body == null && tail == null && received == head.contentLength();
        if (whole || data.readableBytes() >= SMALL_PIECE_BYTES) {
            flushTail(ctx);
            addPiece(ctx, data);
            return;
        }
        try {
            if (tail == null || tail.writableBytes() < data.readableBytes()) {
                flushTail(ctx);
                // No larger than what is still to come of a declared body: a 14-byte webhook takes 14 bytes.
                int size = (int) Math.min(TAIL_BYTES, head.contentLength() >= 0
                        ? head.contentLength() - received + data.readableBytes() : TAIL_BYTES);
                tail = ctx.alloc().buffer(size, size);
            }
            tail.writeBytes(data);
        } finally {
            data.release();
        }
    }

    private void flushTail(ChannelHandlerContext ctx) {
        ByteBuf t = tail;
        tail = null;
        if (t != null) {
            addPiece(ctx, t);
        }
    }

    private void addPiece(ChannelHandlerContext ctx, ByteBuf piece) {
        if (body == null) {
            body = piece;
        } else if (body instanceof CompositeByteBuf composite) {
            composite.addComponent(true, piece);
        } else {
            // Unbounded components: pieces are large or tails, so there are at most a few per 8 KiB of body.
            CompositeByteBuf composite = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
            composite.addComponent(true, body);
            composite.addComponent(true, piece);
            body = composite;
        }
    }

    private void releaseBody() {
        if (body != null) {
            body.release();
            body = null;
        }
        if (tail != null) {
            tail.release();
            tail = null;
        }
    }

    /** Passes a request on, with the text of its client's address from the last request when the client is the same. */
    private void emit(ChannelHandlerContext ctx, FullRequest request) {
        InetSocketAddress address = request.remoteAddress();
        if (address != null) {
            if (address != lastClient) {
                lastClient = address;
                lastClientText = request.clientAddress();
            }
            request.clientAddress(lastClientText);
        }
        ctx.fireChannelRead(request);
    }

    private static InetSocketAddress remoteAddress(ChannelHandlerContext ctx) {
        SocketAddress address = ctx.channel().remoteAddress();
        return address instanceof InetSocketAddress inet ? inet : null;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        abandon();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        abandon();
    }
}
