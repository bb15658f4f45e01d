package io.hookgateway.hooks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * The answer a processor gives: a status, header fields and a body.
 *
 * <p>The gateway adds {@code Content-Length} and {@code Connection} itself; a processor's own values for those, or for
 * {@code Transfer-Encoding}, are dropped. Header names must be tokens and values must not contain CR, LF or other
 * control characters (RFC 9110 §5.5); a response that breaks this is refused here, so that no request value can ever
 * split a response.
 *
 * <p>A body is either fixed ({@link #body()}) or streamed ({@link #stream()}): a {@link Flow.Publisher} whose buffers
 * are written as they come, with backpressure, as a chunked body (RFC 9112 §7.1), or to the end of the connection for
 * an HTTP/1.0 client. A streamed answer is for long jobs whose output the client watches; its status and headers
 * are sent before the first buffer, so it cannot change them later.
 */
public final class HookResponse {

    /** The media type of the gateway's own plain-text answers. */
    public static final String TEXT_PLAIN = "text/plain; charset=utf-8";
    /** {@code Content-Type: text/plain; charset=utf-8}, and nothing else. */
    public static final HeaderFields TEXT_FIELDS = HeaderFields.of("Content-Type", TEXT_PLAIN);

    private static final byte[] NO_BODY = new byte[0];

    private final int status;
    private final HeaderFields headers;
    private final byte[] body;
    private final Flow.Publisher<ByteBuffer> stream;

    private HookResponse(int status, HeaderFields headers, byte[] body) {
        this(status, headers, body, null);
    }

    private HookResponse(int status, HeaderFields headers, byte[] body, Flow.Publisher<ByteBuffer> stream) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200..599: " + status);
        }
        this.status = status;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = Objects.requireNonNull(body, "body");
        this.stream = stream;
        for (int i = 0; i < headers.size(); i++) {
            checkField(headers.name(i), headers.value(i));
        }
    }

    public static HookResponse of(int status, HeaderFields headers, byte[] body) {
        return new HookResponse(status, headers, body);
    }

    public static HookResponse of(int status, HeaderFields headers, String body) {
        return new HookResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A plain-text answer: {@code text/plain; charset=utf-8}. */
    public static HookResponse text(int status, String body) {
        return of(status, TEXT_FIELDS, body);
    }

    public static HookResponse empty(int status) {
        return new HookResponse(status, HeaderFields.empty(), NO_BODY);
    }

    /** An answer whose body is streamed from {@code body} as it is published. */
    public static HookResponse streaming(int status, HeaderFields headers, Flow.Publisher<ByteBuffer> body) {
        return new HookResponse(status, headers, NO_BODY, Objects.requireNonNull(body, "body"));
    }

    public int status() {
        return status;
    }

    public HeaderFields headers() {
        return headers;
    }

    /** Whether the body is streamed rather than fixed. */
    public boolean isStreaming() {
        return stream != null;
    }

    /** The streamed body, or {@code null} for a fixed one. */
    public Flow.Publisher<ByteBuffer> stream() {
        return stream;
    }

    /** Returns this answer with its stream replaced (the gateway wraps streams to learn when they end). */
    public HookResponse withStream(Flow.Publisher<ByteBuffer> newStream) {
        return new HookResponse(status, headers, body, Objects.requireNonNull(newStream, "newStream"));
    }

    /** The body bytes, empty for a streamed answer. The array is shared, not copied: callers must not change it. */
    public byte[] body() {
        return body;
    }

    @Override
    public String toString() {
        return "HookResponse[" + status + ", " + headers + ", " + (stream != null ? "streamed" : body.length + " bytes")
                + "]";
    }

    private static void checkField(String name, String value) {
        if (!HeaderFields.isValidName(name)) {
            throw new IllegalArgumentException(name.isEmpty() ? "empty header name"
                    : "header name is not a token: " + name);
        }
        for (int i = 0; i < value.length(); i++) {
            if (!HttpChars.isFieldChar(value.charAt(i))) {
                throw new IllegalArgumentException("header " + name + " has a character not allowed in a field value");
            }
        }
    }
}
