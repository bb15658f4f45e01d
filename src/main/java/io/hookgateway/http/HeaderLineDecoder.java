package io.hookgateway.http;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.http.ConnectionDeadlines.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.internal.ObjectUtil;
import java.util.List;

/**
 * The first stage of the hook pipeline: reads CRLF-terminated lines, as the seed's {@code readline()} did, into a
 * {@link RequestHead}, and then frames the body that follows it (RFC 9112 §6.3) so that the next request is found
 * where it starts.
 *
 * <p>It emits, per request: one {@link RequestHead}; then the body as {@link io.netty.handler.codec.http.HttpContent}
 * slices of the input (never copies), ending with a {@link LastHttpContent} (an empty one when there is no body). A
 * request that cannot be read becomes a failed {@link RequestHead}, or a {@link RequestFailure} message once the head
 * has gone; after either, every further byte is discarded until the connection closes.
 *
 * <p>This class is the state machine; each of its stages reads in its own class: {@link CrlfLines} finds lines,
 * {@link RequestLine} parses the request line, {@link FieldLines} reads the field lines of the head and the trailers,
 * {@link HeadFraming} reads what the fields say about the body and the connection, {@link ChunkedBody} reads the
 * chunks of a chunked body, {@link ConnectionDeadlines} keeps the deadline, {@link PipelineHoldBack} bounds what a
 * pipelining client makes it buffer and {@link HeadMemory} what a slow head holds of the memory all connections share.
 *
 * <p>After a complete request it decodes nothing more until the router has written the answer and calls
 * {@link #resume()}: bytes of a pipelined request stay buffered, so answers go out in request order. The channel keeps
 * reading meanwhile; only a client that sends more than {@value PipelineHoldBack#DEFAULT_MAX_HELD_BYTES} bytes ahead
 * of its answers makes it stop ({@link PipelineHoldBack}), so such a client makes the gateway buffer at most that
 * and one read.
 *
 * <h2>Limits</h2>
 * The request line, header and deadline limits of {@link HttpLimits} (its table lists each with its default and
 * answer), plus {@value #MAX_LEADING_EMPTY_LINES} empty lines before a request line and
 * {@value ChunkedBody#MAX_CHUNK_LINE_BYTES} bytes of chunk-size line, each answered 400.
 * The body limit is the aggregator's, because it depends on the hook.
 *
 * <h2>Deadlines</h2>
 * One deadline per connection follows the request ({@link ConnectionDeadlines}, one lazily checked timer):
 * {@link HttpLimits#idleTimeout()} while waiting for the first byte of a request (then the connection is closed
 * quietly), {@link HttpLimits#headTimeout()} from that byte to the end of the head, and
 * {@link HttpLimits#bodyTimeout()} for the body; either of the last two answers 408 and closes. A client that drips a
 * byte a second therefore holds a connection for the head timeout, not forever. No deadline runs while a request is
 * with the router.
 *
 * <h2>Line endings</h2>
 * Every line (request line, field lines, chunk-size lines, trailers, the CRLF after chunk data) must end with CRLF. A
 * bare LF is refused with 400 rather than accepted as RFC 9112 §2.2 would permit: a gateway that splits lines
 * differently from a proxy in front of it is open to request smuggling, and every real client sends CRLF.
 */
public final class HeaderLineDecoder extends ByteToMessageDecoder {

    public static final int DEFAULT_MAX_REQUEST_LINE_BYTES = 8 * 1024;
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
    public static final int DEFAULT_MAX_HEADER_FIELDS = 100;
    /** RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line; we allow a few. */
    public static final int MAX_LEADING_EMPTY_LINES = 8;
    /**
     * After a refusal, input is read and dropped (so the client sees the answer, not a reset) up to this many bytes;
     * then the connection is closed.
     */
    public static final int MAX_DISCARDED_BYTES = 1024 * 1024;

    /** Trailers of a fixed-length body: none, shared, so that no request allocates an empty map for them. */
    private static final HttpHeaders NO_TRAILERS = EmptyHttpHeaders.INSTANCE;

    private enum State {
        REQUEST_LINE, HEADER_FIELDS, FIXED_BODY, CHUNKED_BODY, TRAILER_FIELDS,
        /** A complete request went up; nothing more is read until {@link #resume()}. */
        AWAIT_RESPONSE,
        /** Keep discarding until disconnection. */
        BAD_MESSAGE
    }

    private final int maxRequestLineBytes;
    private final ConnectionDeadlines deadlines;
    private final HeadMemory headMemory;

    private final CrlfLines lines = new CrlfLines();
    private final FieldLines fieldLines;
    private final RequestLine line = new RequestLine();
    private final HeadFraming framing = new HeadFraming();
    private final ChunkedBody chunks = new ChunkedBody(lines);
    private final PipelineHoldBack holdBack = new PipelineHoldBack(PipelineHoldBack.DEFAULT_MAX_HELD_BYTES);
    /** Made once: {@link #resume()} runs after every answer. */
    private final Runnable resumeTask = this::resumeNow;

    private ChannelHandlerContext ctx;
    private State state = State.REQUEST_LINE;
    private int emptyLines;
    private long startNanos;
    private long remaining;
    private boolean inputShutdown;
    private long discarded;

    public HeaderLineDecoder() {
        this(DEFAULT_MAX_REQUEST_LINE_BYTES, DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_HEADER_FIELDS);
    }

    /** A decoder with these size limits and the default deadlines. */
    public HeaderLineDecoder(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderFields) {
        this(new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderFields,
                FixedLengthBodyAggregator.DEFAULT_MAX_BODY_BYTES, HttpLimits.DEFAULT_HEAD_TIMEOUT,
                HttpLimits.DEFAULT_BODY_TIMEOUT, HttpLimits.DEFAULT_IDLE_TIMEOUT));
    }

    public HeaderLineDecoder(HttpLimits limits) {
        this(limits, MemoryBudget.unlimited());
    }

    /**
     * @param heads the memory that heads arriving over several reads, of all connections, may hold together: a head
     *              that arrives whole holds nothing; one left unfinished counts its parsed lines and its unread rest
     *              until it is complete, and one that would go over fails with 503
     */
    public HeaderLineDecoder(HttpLimits limits, MemoryBudget heads) {
        ObjectUtil.checkNotNull(limits, "limits");
        this.headMemory = new HeadMemory(heads);
        this.maxRequestLineBytes = limits.maxRequestLineBytes();
        this.fieldLines = new FieldLines(lines, limits.maxHeaderBytes(), limits.maxHeaderFields());
        this.deadlines = new ConnectionDeadlines(limits, this::expired);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        deadlines.start(ctx);
        super.handlerAdded(ctx);
        if (ctx.channel().isActive()) {
            deadlines.set(Kind.IDLE);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        deadlines.set(Kind.IDLE);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        deadlines.stop();
        headMemory.release();
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        deadlines.stop();
        headMemory.release();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decodeAll(in, out);
        if (state == State.HEADER_FIELDS || state == State.REQUEST_LINE && in.isReadable()) {
            holdHead(in, out);
        } else if (state == State.AWAIT_RESPONSE) {
            holdBack.holding(ctx, in.readableBytes());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (holdBack.stoppedReading()) {
            // ByteToMessageDecoder would ask for one more read after a read that decoded nothing, since auto-read is
            // off; read by read, a client that never takes its answers would fill our memory instead of its socket.
            discardSomeReadBytes();
            ctx.fireChannelReadComplete();
            return;
        }
        super.channelReadComplete(ctx);
    }

    /**
     * A head is left unfinished until the next read: what it holds now, its parsed lines and the unread rest, is
     * counted against the heads of all connections; one that would go over fails with 503.
     */
    private void holdHead(ByteBuf in, List<Object> out) {
        long now = fieldLines.heldBytes() + (line.rawTarget() == null ? 0 : line.rawTarget().length()) + in.readableBytes();
        if (!headMemory.hold(now)) {
            failHead(in, out, RequestFailure.HEAD_MEMORY_FULL);
        }
    }

    private void decodeAll(ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            switch (state) {
                case REQUEST_LINE:
                    if (!readRequestLine(in, out)) {
                        return;
                    }
                    break;
                case HEADER_FIELDS:
                case TRAILER_FIELDS:
                    if (!readFields(in, out)) {
                        return;
                    }
                    break;
                case FIXED_BODY:
                    readFixedBody(in, out);
                    break;
                case CHUNKED_BODY:
                    if (!readChunks(in, out)) {
                        return;
                    }
                    break;
                case AWAIT_RESPONSE:
                    return;
                case BAD_MESSAGE:
                    discarded += in.readableBytes();
                    in.skipBytes(in.readableBytes());
                    if (discarded > MAX_DISCARDED_BYTES) {
                        ctx.close();
                    }
                    return;
                default:
                    throw new IllegalStateException("unexpected state " + state);
            }
        }
    }

    /** Returns false when more bytes are needed or the message is done. */
    private boolean readRequestLine(ByteBuf in, List<Object> out) {
        if (startNanos == 0) {
            startNanos = System.nanoTime();
            deadlines.set(Kind.HEAD);
        }
        int lf = lines.findEnd(in, maxRequestLineBytes);
        if (lf == CrlfLines.NEED_MORE) {
            return false;
        }
        if (lf == CrlfLines.TOO_LONG) {
            failHead(in, out, RequestFailure.REQUEST_LINE_TOO_LONG);
            return false;
        }
        int start = in.readerIndex();
        if (!CrlfLines.endsWithCrlf(in, start, lf)) {
            failHead(in, out, RequestFailure.BAD_LINE_ENDING);
            return false;
        }
        int end = lf - 1;
        if (end == start) {
            // RFC 9112 §2.2: ignore empty lines before the request line, within a bound.
            in.readerIndex(lf + 1);
            if (++emptyLines > MAX_LEADING_EMPTY_LINES) {
                failHead(in, out, RequestFailure.BAD_REQUEST_LINE);
                return false;
            }
            return true;
        }
        RequestFailure failure = line.parse(in, start, end);
        in.readerIndex(lf + 1);
        if (failure != null) {
            failHead(in, out, failure);
            return false;
        }
        fieldLines.startHead();
        state = State.HEADER_FIELDS;
        return true;
    }

    /** Reads header or trailer field lines; at the empty line, finishes the head or the message. */
    private boolean readFields(ByteBuf in, List<Object> out) {
        boolean trailers = state == State.TRAILER_FIELDS;
        RequestFailure failure = fieldLines.read(in);
        if (failure != null) {
            fail(in, out, failure, trailers);
            return false;
        }
        if (!fieldLines.ended()) {
            return false;
        }
        if (trailers) {
            finishMessage(out, LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            finishHead(in, out);
        }
        return state != State.AWAIT_RESPONSE && state != State.BAD_MESSAGE;
    }

    /** The head is complete: decide the body's framing (RFC 9112 §6) and hand the head on. */
    private void finishHead(ByteBuf in, List<Object> out) {
        // The head's lines now belong to the request, which the body budget and the hook's limits bound.
        headMemory.release();
        HeaderFields headers = fieldLines.build();
        RequestFailure failure = framing.read(headers, line.version());
        if (failure != null) {
            failHead(in, out, failure);
            return;
        }
        out.add(RequestHead.of(line.method(), line.rawTarget(), line.path(), line.rawQuery(), line.version(), headers,
                framing.contentLength(), framing.chunked(), framing.keepAlive(), framing.expectContinue(), startNanos));
        if (framing.chunked()) {
            fieldLines.startTrailers();
            chunks.start();
            state = State.CHUNKED_BODY;
            deadlines.set(Kind.BODY);
        } else if (framing.contentLength() > 0) {
            remaining = framing.contentLength();
            state = State.FIXED_BODY;
            deadlines.set(Kind.BODY);
        } else {
            // RFC 9112 §6.3: neither Content-Length nor Transfer-Encoding means no body.
            finishMessage(out, LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    private void readFixedBody(ByteBuf in, List<Object> out) {
        int toRead = (int) Math.min(in.readableBytes(), remaining);
        ByteBuf slice = in.readRetainedSlice(toRead);
        remaining -= toRead;
        if (remaining > 0) {
            out.add(new DefaultHttpContent(slice));
        } else {
            finishMessage(out, new DefaultLastHttpContent(slice, NO_TRAILERS));
        }
    }

    /** Reads chunks up to the last one, then the trailers come; returns false when more bytes are needed. */
    private boolean readChunks(ByteBuf in, List<Object> out) {
        RequestFailure failure = chunks.read(in, out);
        if (failure != null) {
            failBody(in, out, failure);
            return false;
        }
        if (chunks.done()) {
            state = State.TRAILER_FIELDS;
        }
        return chunks.done();
    }

    private void finishMessage(List<Object> out, LastHttpContent last) {
        out.add(last);
        state = State.AWAIT_RESPONSE;
        deadlines.set(Kind.NONE);
        resetRequest();
    }

    private void resetRequest() {
        headMemory.release();
        lines.reset();
        emptyLines = 0;
        startNanos = 0;
        line.reset();
        fieldLines.reset();
        remaining = 0;
    }

    private void fail(ByteBuf in, List<Object> out, RequestFailure failure, boolean inBody) {
        if (inBody) {
            failBody(in, out, failure);
        } else {
            failHead(in, out, failure);
        }
    }

    private void failHead(ByteBuf in, List<Object> out, RequestFailure failure) {
        out.add(failedHead(failure));
        discard(in);
    }

    /** A failed head keeping what was read of the request, timed from its first byte when one came. */
    private RequestHead failedHead(RequestFailure failure) {
        long startedNanos = startNanos == 0 ? System.nanoTime() : startNanos;
        return RequestHead.failed(failure, line.method(), line.rawTarget(), line.version(), startedNanos);
    }

    private void failBody(ByteBuf in, List<Object> out, RequestFailure failure) {
        out.add(failure);
        discard(in);
    }

    private void discard(ByteBuf in) {
        stopFraming();
        in.skipBytes(in.readableBytes());
    }

    /** No request will be read from this connection again: what comes is dropped until it closes. */
    private void stopFraming() {
        state = State.BAD_MESSAGE;
        deadlines.set(Kind.NONE);
        resetRequest();
    }

    /**
     * Called by the router when it refuses the current request: the rest of the connection's input is dropped (within
     * {@link #MAX_DISCARDED_BYTES}) rather than framed, since no request will be read from it again.
     */
    public void discardRest() {
        if (state != State.BAD_MESSAGE) {
            stopFraming();
            holdBack.release(ctx);
        }
    }

    /** A deadline has passed: the idle one closes quietly; the others answer 408 (by the router) and close. */
    private void expired(Kind which) {
        if (ctx.isRemoved()) {
            return;
        }
        switch (which) {
            case IDLE -> ctx.close();
            case HEAD -> {
                if (state == State.REQUEST_LINE || state == State.HEADER_FIELDS) {
                    RequestHead failed = failedHead(RequestFailure.HEAD_TIMEOUT);
                    discard(internalBuffer());
                    ctx.fireChannelRead(failed);
                    ctx.fireChannelReadComplete();
                }
            }
            case BODY -> {
                if (state == State.FIXED_BODY || state == State.CHUNKED_BODY || state == State.TRAILER_FIELDS) {
                    discard(internalBuffer());
                    ctx.fireChannelRead(RequestFailure.BODY_TIMEOUT);
                    ctx.fireChannelReadComplete();
                }
            }
            default -> {
            }
        }
    }

    /**
     * Called by the router once the answer to the current request is written and the connection stays open: decodes
     * any pipelined request already buffered, then reads again. Always runs as a later task on the event loop, so it
     * never re-enters a decode that is still on the stack.
     */
    public void resume() {
        ctx.executor().execute(resumeTask);
    }

    private void resumeNow() {
        ChannelHandlerContext c = ctx;
        if (state != State.AWAIT_RESPONSE || c.isRemoved() || !c.channel().isActive()) {
            return;
        }
        state = State.REQUEST_LINE;
        if (internalBuffer().isReadable()) {
            try {
                channelRead(c, Unpooled.EMPTY_BUFFER);
                channelReadComplete(c);
            } catch (Throwable t) {
                // Nothing is decoded and no deadline runs until this resume succeeds: whatever failed (an Error
                // too), the connection is closed, so that it cannot be left open with nobody to finish it.
                c.close();
                c.fireExceptionCaught(t);
                return;
            }
        }
        if (state == State.AWAIT_RESPONSE) {
            return;
        }
        if (inputShutdown) {
            // The client has finished sending and no complete request is left: we are done.
            c.close();
            return;
        }
        if (deadlines.kind() == Kind.NONE) {
            deadlines.set(Kind.IDLE);
        }
        holdBack.release(c);
    }

    /** Whether no request is in progress: nothing buffered and nothing awaiting an answer. */
    public boolean isIdle() {
        return state == State.REQUEST_LINE && !internalBuffer().isReadable();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            // The client half-closed: answer what is complete, then close. A partial request can never finish.
            inputShutdown = true;
            if (state != State.AWAIT_RESPONSE) {
                ctx.close();
            } else {
                // The router decides: a plain answer still goes out; a streamed one has lost its watcher.
                ctx.fireUserEventTriggered(evt);
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }
}
