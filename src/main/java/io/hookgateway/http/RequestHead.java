package io.hookgateway.http;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.UrlEncoded;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Map;

/**
 * The request line and header fields of one request, as {@link HeaderLineDecoder} read them; or, when they could not
 * be read, the {@link RequestFailure} that says why. Immutable, except that the query is parsed on first use.
 */
public final class RequestHead {

    /** {@link #contentLength()} when the request has no Content-Length. */
    public static final long NO_CONTENT_LENGTH = -1;

    private final HttpMethod method;
    private final String rawTarget;
    private final String path;
    private final String rawQuery;
    private final HttpVersion version;
    private final HeaderFields headers;
    private final long contentLength;
    private final boolean chunked;
    private final boolean keepAlive;
    private final boolean expectContinue;
    private final RequestFailure failure;
    private final long startNanos;
    private Map<String, List<String>> query;

    private RequestHead(HttpMethod method, String rawTarget, String path, String rawQuery, HttpVersion version,
                        HeaderFields headers, long contentLength, boolean chunked, boolean keepAlive,
                        boolean expectContinue, RequestFailure failure, long startNanos) {
        this.method = method;
        this.rawTarget = rawTarget;
        this.path = path;
        this.rawQuery = rawQuery;
        this.version = version;
        this.headers = headers;
        this.contentLength = contentLength;
        this.chunked = chunked;
        this.keepAlive = keepAlive;
        this.expectContinue = expectContinue;
        this.failure = failure;
        this.startNanos = startNanos;
    }

    static RequestHead of(HttpMethod method, String rawTarget, String path, String rawQuery, HttpVersion version,
                          HeaderFields headers, long contentLength, boolean chunked, boolean keepAlive,
                          boolean expectContinue, long startNanos) {
        return new RequestHead(method, rawTarget, path, rawQuery, version, headers, contentLength, chunked,
                keepAlive, expectContinue, null, startNanos);
    }

    /**
     * A head that could not be read. What was read before the failure (method, target) is kept when known, for the
     * access log; the connection is closed after the answer, so nothing else matters.
     */
    static RequestHead failed(RequestFailure failure, HttpMethod method, String rawTarget, HttpVersion version,
                              long startNanos) {
        return new RequestHead(method, rawTarget, null, null, version == null ? HttpVersion.HTTP_1_1 : version,
                HeaderFields.empty(), NO_CONTENT_LENGTH, false, false, false, failure, startNanos);
    }

    /** The method, or {@code null} when the head failed before it was read. */
    public HttpMethod method() {
        return method;
    }

    /** The request-target as sent, or {@code null} when the head failed before it was read. */
    public String rawTarget() {
        return rawTarget;
    }

    /** The canonical, decoded path ({@link RequestPath}); {@code "*"} for {@code OPTIONS *}; null when failed. */
    public String path() {
        return path;
    }

    /** The query as sent, without '?', or {@code null}. */
    public String rawQuery() {
        return rawQuery;
    }

    /** The query parameters, decoded on first use. */
    public Map<String, List<String>> queryParameters() {
        Map<String, List<String>> q = query;
        if (q == null) {
            q = rawQuery == null ? Map.of() : UrlEncoded.parse(rawQuery);
            query = q;
        }
        return q;
    }

    public HttpVersion version() {
        return version;
    }

    public HeaderFields headers() {
        return headers;
    }

    /** The declared body length, or {@link #NO_CONTENT_LENGTH}. */
    public long contentLength() {
        return contentLength;
    }

    public boolean isChunked() {
        return chunked;
    }

    /** Whether a body follows the head (RFC 9112 §6.3). */
    public boolean hasBody() {
        return chunked || contentLength > 0;
    }

    /** Whether the client wants the connection kept open after the answer (RFC 9112 §9.3). */
    public boolean isKeepAlive() {
        return keepAlive;
    }

    /** Whether the client waits for {@code 100 Continue} before it sends the body (RFC 9110 §10.1.1). */
    public boolean expectsContinue() {
        return expectContinue;
    }

    public boolean isFailed() {
        return failure != null;
    }

    /** Why the head was refused, or {@code null}. */
    public RequestFailure failure() {
        return failure;
    }

    /** {@link System#nanoTime()} when the request began to arrive, for latency. */
    public long startNanos() {
        return startNanos;
    }

    @Override
    public String toString() {
        if (failure != null) {
            return "RequestHead[failed: " + failure + "]";
        }
        return "RequestHead[" + method + " " + rawTarget + " " + version + ", " + headers.size() + " fields]";
    }
}
