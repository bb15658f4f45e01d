package io.hookgateway.http;

import java.util.Locale;

/**
 * Why a request was refused before it reached a hook. The decoder and the aggregator emit these as messages, never as
 * exceptions; the router answers each with its status, a one-line explanation and {@code Connection: close}, and
 * counts it by {@link #reason()}.
 *
 * <p>The set is closed, so the {@code reason} tag of the decode-error metric stays bounded.
 */
public enum RequestFailure {
    /** RFC 9112 §3: the request line is not {@code method SP request-target SP HTTP-version}. */
    BAD_REQUEST_LINE(400, "malformed request line"),
    /** RFC 9112 §3: the method is not a token. */
    BAD_METHOD(400, "malformed method"),
    /** RFC 9110 §9.1: a method the gateway does not implement (methods are case-sensitive). */
    METHOD_NOT_IMPLEMENTED(501, "method not implemented"),
    /** RFC 9112 §3: longer than the request-line limit. */
    REQUEST_LINE_TOO_LONG(414, "request line too long"),
    /** RFC 9112 §2.3: a well-formed version other than HTTP/1.0 and HTTP/1.1. */
    UNSUPPORTED_VERSION(505, "HTTP version not supported; use HTTP/1.1"),
    /** RFC 9112 §3.2: not origin-form, absolute-form, or asterisk-form with OPTIONS. */
    BAD_TARGET(400, "malformed request target"),
    /** A path with a bad percent escape, an encoded '/', a dot segment or a control character. */
    BAD_PATH(400, "malformed path"),
    /** RFC 9112 §2.2: a line that does not end with CRLF. */
    BAD_LINE_ENDING(400, "lines must end with CRLF"),
    /** RFC 9112 §5.1 / RFC 9110 §5.5: a field line that is not {@code name: value}. */
    BAD_HEADER(400, "malformed header field"),
    /** RFC 9112 §5.1: whitespace between a field name and its colon. */
    WHITESPACE_BEFORE_COLON(400, "whitespace between header name and colon"),
    /** RFC 9112 §5.2: a field line continued on the next line (obs-fold). */
    OBS_FOLD(400, "folded header lines are not accepted"),
    /** The head, arriving slowly, does not fit what the heads of all connections may hold together. */
    HEAD_MEMORY_FULL(503, "the gateway is receiving too many requests; try again shortly"),
    /** RFC 9112 §5: all header bytes over the limit. */
    HEADERS_TOO_LARGE(431, "request header fields too large"),
    /** More header fields than the limit. */
    TOO_MANY_HEADERS(431, "too many request header fields"),
    /** RFC 9112 §3.2: HTTP/1.1 needs exactly one Host. */
    BAD_HOST(400, "exactly one Host header is required"),
    /** RFC 9112 §3.2: a Host value that is not uri-host [ ":" port ]. */
    INVALID_HOST(400, "invalid Host header value"),
    /** RFC 9112 §6.3: a Content-Length that is not one non-negative decimal number. */
    BAD_CONTENT_LENGTH(400, "malformed Content-Length"),
    /** RFC 9112 §6.1: Transfer-Encoding with Content-Length, or on HTTP/1.0. */
    AMBIGUOUS_FRAMING(400, "Transfer-Encoding cannot be combined with Content-Length or HTTP/1.0"),
    /** RFC 9112 §6.3: a request's Transfer-Encoding must end with chunked, applied once. */
    BAD_TRANSFER_ENCODING(400, "Transfer-Encoding must end with chunked, applied once"),
    /** RFC 9112 §6.1: a transfer coding other than a final chunked. */
    UNSUPPORTED_TRANSFER_ENCODING(501, "only Transfer-Encoding: chunked is supported"),
    /** RFC 9112 §7.1: malformed chunk size, extension or framing. */
    BAD_CHUNK(400, "malformed chunked body"),
    /** The body is larger than the hook's limit. */
    BODY_TOO_LARGE(413, "request body too large"),
    /** The body does not fit the memory all bodies together may hold now ({@link BodyBudget}). */
    BODY_MEMORY_FULL(503, "the gateway is receiving too many large requests; try again shortly"),
    /** The request head did not arrive within the head timeout (RFC 9110 §15.5.9). */
    HEAD_TIMEOUT(408, "request head not received in time"),
    /** The body did not arrive within the body timeout. */
    BODY_TIMEOUT(408, "request body not received in time"),
    /** RFC 9110 §10.1.1: an expectation other than 100-continue. */
    UNSUPPORTED_EXPECTATION(417, "only Expect: 100-continue is supported");

    private final int status;
    private final String message;
    private final String reason;

    RequestFailure(int status, String message) {
        this.status = status;
        this.message = message;
        this.reason = name().toLowerCase(Locale.ROOT);
    }

    /** The HTTP status this failure is answered with. */
    public int status() {
        return status;
    }

    /** The one-line explanation sent as the answer's body. */
    public String message() {
        return message;
    }

    /** The metric tag value, e.g. {@code bad_header}. */
    public String reason() {
        return reason;
    }
}
