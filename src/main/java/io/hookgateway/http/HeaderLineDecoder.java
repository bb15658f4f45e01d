package io.hookgateway.http;

import static io.hookgateway.http.HttpChars.CR;
import static io.hookgateway.http.HttpChars.LF;
import static io.hookgateway.http.HttpChars.SP;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.template.UrlEncoded;
import io.hookgateway.http.ConnectionDeadlines.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.internal.ObjectUtil;
import java.nio.charset.StandardCharsets;
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
 * <p>After a complete request it decodes nothing more until the router has written the answer and calls
 * {@link #resume()}: bytes of a pipelined request stay buffered, so answers go out in request order. The channel keeps
 * reading meanwhile; only a client that sends more than {@value PipelineHoldBack#DEFAULT_MAX_HELD_BYTES} bytes ahead
 * of its answers makes it stop ({@link PipelineHoldBack}), so such a client makes the gateway buffer at most that
 * and one read.
 *
 * <h2>Limits</h2>
 * The request line, header and deadline limits of {@link HttpLimits} (its table lists each with its default and
 * answer), plus {@value #MAX_LEADING_EMPTY_LINES} empty lines before a request line and
 * {@value #MAX_CHUNK_LINE_BYTES} bytes of chunk-size line, each answered 400.
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
    /** The longest chunk-size line, extensions included (RFC 9112 §7.1.1). */
    public static final int MAX_CHUNK_LINE_BYTES = 1024;
    /**
     * After a refusal, input is read and dropped (so the client sees the answer, not a reset) up to this many bytes;
     * then the connection is closed.
     */
    public static final int MAX_DISCARDED_BYTES = 1024 * 1024;
    /** Sixteen hex digits would overflow a signed long; fifteen cannot. */
    private static final int MAX_CHUNK_SIZE_DIGITS = 15;

    private static final int NEED_MORE = -1;
    private static final int TOO_LONG = -2;

    private enum State {
        REQUEST_LINE, HEADER_FIELDS, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILER_FIELDS,
        /** A complete request went up; nothing more is read until {@link #resume()}. */
        AWAIT_RESPONSE,
        /** Keep discarding until disconnection. */
        BAD_MESSAGE
    }

    private final int maxRequestLineBytes;
    private final int maxHeaderBytes;
    private final int maxHeaderFields;
    private final ConnectionDeadlines deadlines;
    private final MemoryBudget heads;
    /** What this connection's head in progress holds of {@link #heads}; only a head that spans reads holds any. */
    private long headHeld;

    private ChannelHandlerContext ctx;
    private State state = State.REQUEST_LINE;
    /** Bytes after the reader index already searched for LF, so a line arriving in pieces is scanned once. */
    private int scanned;
    private int emptyLines;
    private long startNanos;
    private HttpMethod method;
    private String rawTarget;
    private String path;
    private String rawQuery;
    private HttpVersion version;
    private HeaderFields.Builder fields;
    /** Field lines read so far: of the head, then afresh of the trailers. */
    private int fieldCount;
    private int headerBytes;
    private long remaining;
    private boolean inputShutdown;
    private long discarded;
    private final PipelineHoldBack holdBack = new PipelineHoldBack(PipelineHoldBack.DEFAULT_MAX_HELD_BYTES);
    /** Made once: {@link #resume()} runs after every answer. */
    private final Runnable resumeTask = this::resumeNow;

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
        this.heads = ObjectUtil.checkNotNull(heads, "heads");
        this.maxRequestLineBytes = limits.maxRequestLineBytes();
        this.maxHeaderBytes = limits.maxHeaderBytes();
        this.maxHeaderFields = limits.maxHeaderFields();
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
        releaseHead();
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        deadlines.stop();
        releaseHead();
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
        long now = headerBytes + (rawTarget == null ? 0 : rawTarget.length()) + in.readableBytes();
        if (now <= headHeld) {
            return;
        }
        if (heads.tryTake(now - headHeld)) {
            headHeld = now;
        } else {
            failHead(in, out, RequestFailure.HEAD_MEMORY_FULL);
        }
    }

    private void releaseHead() {
        if (headHeld > 0) {
            heads.giveBack(headHeld);
            headHeld = 0;
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
                    if (!readFieldLine(in, out)) {
                        return;
                    }
                    break;
                case FIXED_BODY:
                case CHUNK_DATA:
                    readBody(in, out);
                    break;
                case CHUNK_SIZE:
                    if (!readChunkSize(in, out)) {
                        return;
                    }
                    break;
                case CHUNK_DATA_END:
                    if (!readChunkDataEnd(in, out)) {
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
        int lf = findLineEnd(in, maxRequestLineBytes);
        if (lf == NEED_MORE) {
            return false;
        }
        if (lf == TOO_LONG) {
            failHead(in, out, RequestFailure.REQUEST_LINE_TOO_LONG);
            return false;
        }
        int start = in.readerIndex();
        if (!endsWithCrlf(in, start, lf)) {
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
        RequestFailure failure = parseRequestLine(in, start, end);
        in.readerIndex(lf + 1);
        if (failure != null) {
            failHead(in, out, failure);
            return false;
        }
        fields = HeaderFields.builder(16);
        fieldCount = 0;
        headerBytes = 0;
        state = State.HEADER_FIELDS;
        return true;
    }

    /** RFC 9112 §3: request-line = method SP request-target SP HTTP-version, exactly one SP between parts. */
    private RequestFailure parseRequestLine(ByteBuf in, int start, int end) {
        int sp1 = in.indexOf(start, end, SP);
        if (sp1 <= start) {
            return RequestFailure.BAD_REQUEST_LINE;
        }
        for (int i = start; i < sp1; i++) {
            if (!HttpChars.isTchar(in.getByte(i))) {
                return RequestFailure.BAD_METHOD;
            }
        }
        int sp2 = in.indexOf(sp1 + 1, end, SP);
        if (sp2 < 0 || sp2 == sp1 + 1 || in.indexOf(sp2 + 1, end, SP) >= 0) {
            return RequestFailure.BAD_REQUEST_LINE;
        }
        method = HttpMethod.valueOf(in.toString(start, sp1 - start, StandardCharsets.US_ASCII));
        if (!HookMethods.isHookMethod(method.name())) {
            // RFC 9110 §9.1: 501 for a method we do not implement; CONNECT and TRACE included.
            return RequestFailure.METHOD_NOT_IMPLEMENTED;
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            if (!HttpChars.isTargetChar(in.getByte(i))) {
                return RequestFailure.BAD_TARGET;
            }
        }
        rawTarget = in.toString(sp1 + 1, sp2 - sp1 - 1, StandardCharsets.US_ASCII);
        RequestFailure versionFailure = parseVersion(in, sp2 + 1, end);
        if (versionFailure != null) {
            return versionFailure;
        }
        return parseTarget();
    }

    /** RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT; we speak 1.0 and 1.1. */
    private RequestFailure parseVersion(ByteBuf in, int start, int end) {
        if (end - start != 8 || in.getByte(start) != 'H' || in.getByte(start + 1) != 'T'
                || in.getByte(start + 2) != 'T' || in.getByte(start + 3) != 'P' || in.getByte(start + 4) != '/'
                || !isDigit(in.getByte(start + 5)) || in.getByte(start + 6) != '.' || !isDigit(in.getByte(start + 7))) {
            return RequestFailure.BAD_REQUEST_LINE;
        }
        byte major = in.getByte(start + 5);
        byte minor = in.getByte(start + 7);
        if (major == '1' && minor == '0') {
            version = HttpVersion.HTTP_1_0;
        } else if (major == '1') {
            // RFC 9110 §2.5: a higher minor version of a major version we speak is processed as the highest we know.
            version = HttpVersion.HTTP_1_1;
        } else {
            return RequestFailure.UNSUPPORTED_VERSION;
        }
        return null;
    }

    /** RFC 9112 §3.2: origin-form, absolute-form (reduced to its path), or asterisk-form for OPTIONS only. */
    private RequestFailure parseTarget() {
        String target = rawTarget;
        int pathStart;
        if (target.charAt(0) == '/') {
            pathStart = 0;
        } else if (target.equals("*")) {
            if (!HttpMethod.OPTIONS.equals(method)) {
                return RequestFailure.BAD_TARGET;
            }
            path = "*";
            return null;
        } else {
            int authority = schemeEnd(target);
            if (authority < 0) {
                return RequestFailure.BAD_TARGET;
            }
            int slash = authority;
            while (slash < target.length() && target.charAt(slash) != '/' && target.charAt(slash) != '?') {
                slash++;
            }
            if (slash == authority || target.lastIndexOf('@', slash) >= authority
                    || !isValidHost(target.substring(authority, slash))) {
                // RFC 9110 §4.2.4: userinfo in an http(s) URI is to be treated as an error; and the authority
                // must be a host with an optional numeric port, like Host.
                return RequestFailure.BAD_TARGET;
            }
            pathStart = slash;
        }
        int question = target.indexOf('?', pathStart);
        String rawPath = question < 0 ? target.substring(pathStart) : target.substring(pathStart, question);
        rawQuery = question < 0 ? null : target.substring(question + 1);
        if (rawPath.isEmpty()) {
            rawPath = "/";
        }
        path = RequestPath.canonicalize(rawPath);
        return path == null ? RequestFailure.BAD_PATH : null;
    }

    /** The index after {@code http://} or {@code https://} (any case), or -1. */
    private static int schemeEnd(String target) {
        if (target.regionMatches(true, 0, "http://", 0, 7)) {
            return 7;
        }
        if (target.regionMatches(true, 0, "https://", 0, 8)) {
            return 8;
        }
        return -1;
    }

    /** Reads one header or trailer field line; at the empty line, finishes the head or the message. */
    private boolean readFieldLine(ByteBuf in, List<Object> out) {
        boolean trailers = state == State.TRAILER_FIELDS;
        int budget = maxHeaderBytes - headerBytes;
        int lf = findLineEnd(in, budget);
        if (lf == NEED_MORE) {
            return false;
        }
        if (lf == TOO_LONG) {
            fail(in, out, RequestFailure.HEADERS_TOO_LARGE, trailers);
            return false;
        }
        int start = in.readerIndex();
        if (!endsWithCrlf(in, start, lf)) {
            fail(in, out, RequestFailure.BAD_LINE_ENDING, trailers);
            return false;
        }
        int end = lf - 1;
        in.readerIndex(lf + 1);
        if (end == start) {
            if (trailers) {
                finishMessage(out, LastHttpContent.EMPTY_LAST_CONTENT);
            } else {
                finishHead(in, out);
            }
            return state != State.AWAIT_RESPONSE && state != State.BAD_MESSAGE;
        }
        headerBytes += end - start;
        if (fieldCount >= maxHeaderFields) {
            fail(in, out, RequestFailure.TOO_MANY_HEADERS, trailers);
            return false;
        }
        RequestFailure failure = parseField(in, start, end, trailers);
        if (failure != null) {
            fail(in, out, failure, trailers);
            return false;
        }
        return true;
    }

    /** RFC 9112 §5: field-line = field-name ":" OWS field-value OWS. */
    private RequestFailure parseField(ByteBuf in, int start, int end, boolean trailer) {
        byte first = in.getByte(start);
        if (HttpChars.isWhitespace(first)) {
            // RFC 9112 §5.2 obs-fold; and §2.2 whitespace before the first field line. Both are refused.
            return RequestFailure.OBS_FOLD;
        }
        int colon = in.indexOf(start, end, (byte) ':');
        if (colon <= start) {
            return RequestFailure.BAD_HEADER;
        }
        if (HttpChars.isWhitespace(in.getByte(colon - 1))) {
            // RFC 9112 §5.1: a server MUST reject whitespace between the field name and the colon.
            return RequestFailure.WHITESPACE_BEFORE_COLON;
        }
        for (int i = start; i < colon; i++) {
            if (!HttpChars.isTchar(in.getByte(i))) {
                return RequestFailure.BAD_HEADER;
            }
        }
        int valueStart = colon + 1;
        while (valueStart < end && HttpChars.isWhitespace(in.getByte(valueStart))) {
            valueStart++;
        }
        int valueEnd = end;
        while (valueEnd > valueStart && HttpChars.isWhitespace(in.getByte(valueEnd - 1))) {
            valueEnd--;
        }
        for (int i = valueStart; i < valueEnd; i++) {
            // RFC 9110 §5.5: CR, LF, NUL and other controls are never part of a value.
            if (!HttpChars.isFieldChar(in.getByte(i))) {
                return RequestFailure.BAD_HEADER;
            }
        }
        fieldCount++;
        // Trailers are checked and counted against the header budget, then dropped: no hook reads them.
        if (!trailer) {
            fields.add(in.toString(start, colon - start, StandardCharsets.US_ASCII),
                    in.toString(valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1));
        }
        return null;
    }

    /** The head is complete: decide the body's framing (RFC 9112 §6) and hand the head on. */
    private void finishHead(ByteBuf in, List<Object> out) {
        // The head's lines now belong to the request, which the body budget and the hook's limits bound.
        releaseHead();
        HeaderFields headers = fields.build();
        int hosts = headers.count("host");
        if (hosts > 1 || (hosts == 0 && version == HttpVersion.HTTP_1_1)) {
            // RFC 9112 §3.2: 400 to an HTTP/1.1 request without exactly one Host...
            failHead(in, out, RequestFailure.BAD_HOST);
            return;
        }
        if (hosts == 1 && !isValidHost(headers.get("host"))) {
            // ...or with an invalid one.
            failHead(in, out, RequestFailure.INVALID_HOST);
            return;
        }
        List<String> transferEncodings = headers.getAll("transfer-encoding");
        List<String> contentLengths = headers.getAll("content-length");
        long contentLength = RequestHead.NO_CONTENT_LENGTH;
        boolean chunked = false;
        if (!transferEncodings.isEmpty()) {
            if (!contentLengths.isEmpty() || version == HttpVersion.HTTP_1_0) {
                // RFC 9112 §6.1: both framings at once is a smuggling attempt; TE on HTTP/1.0 is faulty framing.
                failHead(in, out, RequestFailure.AMBIGUOUS_FRAMING);
                return;
            }
            RequestFailure failure = checkTransferEncoding(transferEncodings);
            if (failure != null) {
                failHead(in, out, failure);
                return;
            }
            chunked = true;
        } else if (!contentLengths.isEmpty()) {
            contentLength = parseContentLength(contentLengths);
            if (contentLength < 0) {
                failHead(in, out, RequestFailure.BAD_CONTENT_LENGTH);
                return;
            }
        }
        boolean expectContinue = false;
        if (version == HttpVersion.HTTP_1_1) {
            // RFC 9110 §10.1.1: an HTTP/1.0 client cannot mean it, so the expectation is ignored there. Every member
            // of every Expect field must be 100-continue; empty list members are ignored (RFC 9110 §5.6.1.2).
            for (String expect : headers.getAll("expect")) {
                for (String member : expect.split(",")) {
                    String m = member.trim();
                    if (m.isEmpty()) {
                        continue;
                    }
                    if (!m.equalsIgnoreCase("100-continue")) {
                        failHead(in, out, RequestFailure.UNSUPPORTED_EXPECTATION);
                        return;
                    }
                    expectContinue = true;
                }
            }
        }
        out.add(RequestHead.of(method, rawTarget, path, rawQuery, version, headers, contentLength, chunked,
                isKeepAlive(headers), expectContinue, startNanos));
        fields = null;
        if (chunked) {
            // Trailers share what is left of the header budget, but start a fresh field count.
            fieldCount = 0;
            state = State.CHUNK_SIZE;
            deadlines.set(Kind.BODY);
        } else if (contentLength > 0) {
            remaining = contentLength;
            state = State.FIXED_BODY;
            deadlines.set(Kind.BODY);
        } else {
            // RFC 9112 §6.3: neither Content-Length nor Transfer-Encoding means no body.
            finishMessage(out, LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    /**
     * RFC 9110 §7.2: Host = uri-host [ ":" port ], where uri-host is a reg-name (unreserved, pct-encoded and
     * sub-delims), an IPv4 address, or an IP-literal in brackets. An empty value is allowed.
     */
    static boolean isValidHost(String host) {
        int end = host.length();
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && host.indexOf(']') < colon) {
            for (int i = colon + 1; i < end; i++) {
                if (host.charAt(i) < '0' || host.charAt(i) > '9') {
                    return false;
                }
            }
            end = colon;
        }
        if (end > 0 && host.charAt(0) == '[') {
            if (host.charAt(end - 1) != ']') {
                return false;
            }
            for (int i = 1; i < end - 1; i++) {
                char c = host.charAt(i);
                if (!(UrlEncoded.hexValue(c) >= 0 || c == ':' || c == '.' || c == 'v' || c == 'V')) {
                    return false;
                }
            }
            return end > 2;
        }
        for (int i = 0; i < end; i++) {
            char c = host.charAt(i);
            boolean unreserved = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (!unreserved && "!$&'()*+,;=%".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9112 §6.1 and §7: chunked must be the final coding, once; we apply no other coding, so refuse them. */
    private static RequestFailure checkTransferEncoding(List<String> values) {
        int codings = 0;
        boolean chunkedLast = false;
        boolean other = false;
        for (String value : values) {
            for (String element : value.split(",", -1)) {
                String coding = element.trim();
                if (coding.isEmpty()) {
                    continue;
                }
                if (chunkedLast) {
                    // Something after chunked, including a second chunked (§7: MUST NOT apply chunked twice).
                    return RequestFailure.BAD_TRANSFER_ENCODING;
                }
                codings++;
                if (coding.equalsIgnoreCase("chunked")) {
                    chunkedLast = true;
                } else {
                    other = true;
                }
            }
        }
        if (codings == 0 || !chunkedLast) {
            // §6.3: without a final chunked the length of a request cannot be known: 400, then close.
            return RequestFailure.BAD_TRANSFER_ENCODING;
        }
        return other ? RequestFailure.UNSUPPORTED_TRANSFER_ENCODING : null;
    }

    /**
     * RFC 9110 §8.6 / RFC 9112 §6.3: Content-Length = 1*DIGIT. Repeated fields or a list are accepted only when every
     * value is written identically (RFC 9110 §8.6 allows merging identical values, and "05" is not "5"); a sign, a
     * space inside, an empty list member or an overflow is refused (returns -1).
     */
    static long parseContentLength(List<String> values) {
        String first = null;
        for (String value : values) {
            for (String member : value.split(",", -1)) {
                String m = member.strip();
                if (first == null) {
                    first = m;
                } else if (!first.equals(m)) {
                    return -1;
                }
            }
        }
        return first == null ? -1 : parseDecimal(first, 0, first.length());
    }

    private static long parseDecimal(CharSequence s, int start, int end) {
        int i = start;
        if (i == end) {
            return -1;
        }
        // Leading zeros add nothing; eighteen significant digits cannot overflow a long, and no body anywhere near
        // that size is accepted anyway.
        while (i < end - 1 && s.charAt(i) == '0') {
            i++;
        }
        if (end - i > 18) {
            return -1;
        }
        long result = 0;
        for (int k = start; k < end; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (k >= i) {
                result = result * 10 + (c - '0');
            }
        }
        return result;
    }

    /** RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive". */
    private boolean isKeepAlive(HeaderFields headers) {
        boolean close = false;
        boolean keepAlive = false;
        for (int i = 0; i < headers.size(); i++) {
            if (!headers.name(i).equalsIgnoreCase("connection")) {
                continue;
            }
            for (String option : headers.value(i).split(",")) {
                String o = option.trim();
                if (o.equalsIgnoreCase("close")) {
                    close = true;
                } else if (o.equalsIgnoreCase("keep-alive")) {
                    keepAlive = true;
                }
            }
        }
        if (close) {
            return false;
        }
        return version == HttpVersion.HTTP_1_1 || keepAlive;
    }

    private void readBody(ByteBuf in, List<Object> out) {
        int toRead = (int) Math.min(in.readableBytes(), remaining);
        ByteBuf slice = in.readRetainedSlice(toRead);
        remaining -= toRead;
        if (remaining > 0) {
            out.add(new DefaultHttpContent(slice));
        } else if (state == State.FIXED_BODY) {
            finishMessage(out, new DefaultLastHttpContent(slice));
        } else {
            out.add(new DefaultHttpContent(slice));
            state = State.CHUNK_DATA_END;
        }
    }

    /** RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF; last-chunk = 1*"0" [ chunk-ext ] CRLF. */
    private boolean readChunkSize(ByteBuf in, List<Object> out) {
        int lf = findLineEnd(in, MAX_CHUNK_LINE_BYTES);
        if (lf == NEED_MORE) {
            return false;
        }
        int start = in.readerIndex();
        if (lf == TOO_LONG || !endsWithCrlf(in, start, lf)) {
            failBody(in, out, lf == TOO_LONG ? RequestFailure.BAD_CHUNK : RequestFailure.BAD_LINE_ENDING);
            return false;
        }
        int end = lf - 1;
        in.readerIndex(lf + 1);
        long size = 0;
        int i = start;
        int significant = 0;
        int digit;
        while (i < end && (digit = UrlEncoded.hexValue(in.getByte(i))) >= 0) {
            // Leading zeros add nothing; only significant digits can overflow.
            if ((significant > 0 || digit != 0) && ++significant > MAX_CHUNK_SIZE_DIGITS) {
                failBody(in, out, RequestFailure.BAD_CHUNK);
                return false;
            }
            size = size << 4 | digit;
            i++;
        }
        if (i == start || !isValidChunkExtension(in, i, end)) {
            failBody(in, out, RequestFailure.BAD_CHUNK);
            return false;
        }
        if (size == 0) {
            state = State.TRAILER_FIELDS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
            out.add(new DeclaredChunk(size));
        }
        return true;
    }

    /**
     * RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ), where a name is a
     * token and a value a token or a quoted-string. Nothing we use, but checked to the letter: a gateway that reads a
     * chunk-size line more loosely than a proxy in front of it can be made to see a different body.
     */
    private static boolean isValidChunkExtension(ByteBuf in, int start, int end) {
        int i = start;
        while (i < end) {
            i = skipWhitespace(in, i, end);
            if (i == end || in.getByte(i) != ';') {
                return false;
            }
            i = skipWhitespace(in, i + 1, end);
            int name = i;
            while (i < end && HttpChars.isTchar(in.getByte(i))) {
                i++;
            }
            if (i == name) {
                return false;
            }
            int afterName = skipWhitespace(in, i, end);
            if (afterName < end && in.getByte(afterName) == '=') {
                i = skipWhitespace(in, afterName + 1, end);
                i = skipExtensionValue(in, i, end);
                if (i < 0) {
                    return false;
                }
            }
            // Whitespace may only come before a ';' or '=': none may end the line.
            if (i < end && skipWhitespace(in, i, end) == end) {
                return false;
            }
        }
        return true;
    }

    /** Skips a token or a quoted-string; returns where it ends, or -1 if there is none. */
    private static int skipExtensionValue(ByteBuf in, int i, int end) {
        if (i < end && in.getByte(i) == '"') {
            for (i++; i < end; i++) {
                byte b = in.getByte(i);
                if (b == '"') {
                    return i + 1;
                }
                if (b == '\\') {
                    i++;
                } else if (!HttpChars.isFieldChar(b)) {
                    return -1;
                }
            }
            return -1;
        }
        int value = i;
        while (i < end && HttpChars.isTchar(in.getByte(i))) {
            i++;
        }
        return i == value ? -1 : i;
    }

    private static int skipWhitespace(ByteBuf in, int i, int end) {
        while (i < end && HttpChars.isWhitespace(in.getByte(i))) {
            i++;
        }
        return i;
    }

    private boolean readChunkDataEnd(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 2) {
            if (in.getByte(in.readerIndex()) != CR) {
                failBody(in, out, RequestFailure.BAD_CHUNK);
            }
            return false;
        }
        int i = in.readerIndex();
        if (in.getByte(i) != CR || in.getByte(i + 1) != LF) {
            // RFC 9112 §7.1: chunk-data is followed by CRLF; anything else means the framing is lost.
            failBody(in, out, RequestFailure.BAD_CHUNK);
            return false;
        }
        in.skipBytes(2);
        state = State.CHUNK_SIZE;
        return true;
    }

    private void finishMessage(List<Object> out, LastHttpContent last) {
        out.add(last);
        state = State.AWAIT_RESPONSE;
        deadlines.set(Kind.NONE);
        resetRequest();
    }

    private void resetRequest() {
        releaseHead();
        scanned = 0;
        emptyLines = 0;
        startNanos = 0;
        method = null;
        rawTarget = null;
        path = null;
        rawQuery = null;
        version = null;
        fields = null;
        fieldCount = 0;
        headerBytes = 0;
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
        return RequestHead.failed(failure, method, rawTarget, version, startedNanos);
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
                if (state == State.FIXED_BODY || state == State.CHUNK_SIZE || state == State.CHUNK_DATA
                        || state == State.CHUNK_DATA_END || state == State.TRAILER_FIELDS) {
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
     * Finds the LF that ends the line at the reader index, searching at most {@code limit} content bytes plus CRLF,
     * and never the same byte twice. Returns its index, {@link #NEED_MORE} or {@link #TOO_LONG}.
     */
    private int findLineEnd(ByteBuf in, int limit) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        long window = Math.min((long) readable, (long) limit + 2);
        if (scanned < window) {
            int lf = in.indexOf(start + scanned, start + (int) window, LF);
            if (lf >= 0) {
                scanned = 0;
                return lf;
            }
            scanned = (int) window;
        }
        return readable >= (long) limit + 2 ? TOO_LONG : NEED_MORE;
    }

    private static boolean endsWithCrlf(ByteBuf in, int start, int lf) {
        if (lf == start || in.getByte(lf - 1) != CR) {
            return false;
        }
        // A CR anywhere else in the line is a bare CR (RFC 9112 §2.2): refused with the line.
        return in.indexOf(start, lf - 1, CR) < 0;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
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
