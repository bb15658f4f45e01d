package io.hookgateway.http;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * Writes answers as bytes. Status lines are encoded once per status; the answers that never change (100 Continue,
 * each {@link RequestFailure}) are encoded once and sent as duplicates of one read-only buffer.
 *
 * <p>Every answer carries {@code Content-Length} (RFC 9112 §6.3), except 204 which must not (RFC 9110 §8.6), and the
 * request's id in {@code X-Request-Id} ({@link RequestIds}) right after the status line; a processor's own
 * {@code X-Request-Id} is dropped, so the id a client reads is the one the log shows.
 *
 * <p>No {@code Date} is sent, a deliberate deviation from RFC 9110 §6.6.1 (an origin server with a clock MUST send
 * one): the seed's answer, {@code HTTP/1.1 200 OK}, {@code Content-Length: 7}, {@code SUCCESS}, is reproduced byte
 * for byte, and webhook senders do not read the date.
 */
public final class HttpResponses {

    /** How the answer ends the exchange, which decides the {@code Connection} field. */
    public enum Connection {
        /** HTTP/1.1 persistent: no field needed (RFC 9112 §9.3). */
        KEEP_ALIVE_DEFAULT,
        /** HTTP/1.0 asked for keep-alive and gets it: {@code Connection: keep-alive}. */
        KEEP_ALIVE_EXPLICIT,
        /** {@code Connection: close}, and the gateway closes after writing. */
        CLOSE
    }

    private static final byte[] CRLF = ascii("\r\n");
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] REQUEST_ID = ascii(RequestIds.HEADER + ": ");
    private static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    private static final byte[][] STATUS_LINES = new byte[600][];

    private static final byte[] TRANSFER_ENCODING_CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
    private static final ByteBuf CONTINUE = constant(ascii("HTTP/1.1 100 Continue\r\n\r\n"));
    private static final ByteBuf LAST_CHUNK = constant(ascii("0\r\n\r\n"));
    private static final Map<RequestFailure, ByteBuf> FAILURES = new EnumMap<>(RequestFailure.class);
    private static final Map<RequestFailure, ByteBuf> FAILURES_WITHOUT_BODY = new EnumMap<>(RequestFailure.class);

    /** A 503 says when to try again (RFC 9110 §10.2.3): a second is long enough for bodies in flight to finish. */
    private static final HeaderFields RETRY_FIELDS =
            HeaderFields.of("Content-Type", HookResponse.TEXT_PLAIN, "Retry-After", "1");

    static {
        for (int code = 100; code < 600; code++) {
            STATUS_LINES[code] = ascii("HTTP/1.1 " + code + " " + reasonPhrase(code) + "\r\n");
        }
        for (RequestFailure failure : RequestFailure.values()) {
            byte[] body = (failure.message() + "\n").getBytes(StandardCharsets.UTF_8);
            FAILURES.put(failure, refusal(failure.status(), body, false));
            FAILURES_WITHOUT_BODY.put(failure, refusal(failure.status(), body, true));
        }
    }

    /** A refusal answer, plain text and {@code Connection: close}, encoded once into a constant buffer. */
    private static ByteBuf refusal(int status, byte[] body, boolean omitBody) {
        ByteBuf encoded = encode(Unpooled.buffer(), status, null,
                status == 503 ? RETRY_FIELDS : HookResponse.TEXT_FIELDS, body, Connection.CLOSE, omitBody);
        try {
            return constant(ByteBufUtil.getBytes(encoded));
        } finally {
            encoded.release();
        }
    }

    private HttpResponses() {
    }

    /** {@code HTTP/1.1 100 Continue}, ready to write. */
    public static ByteBuf continueResponse() {
        return CONTINUE.retainedDuplicate();
    }

    /**
     * The answer to a refused request, with {@code Connection: close}; without its body for HEAD. The constant answer
     * is copied with the request's id put in after its status line.
     */
    public static ByteBuf failure(ByteBufAllocator alloc, RequestFailure failure, boolean head, String requestId) {
        ByteBuf constant = (head ? FAILURES_WITHOUT_BODY : FAILURES).get(failure);
        int statusLine = statusLine(failure.status()).length;
        ByteBuf out = alloc.buffer(constant.readableBytes() + REQUEST_ID.length + requestId.length() + 2);
        out.writeBytes(constant, constant.readerIndex(), statusLine);
        writeRequestId(out, requestId);
        out.writeBytes(constant, constant.readerIndex() + statusLine, constant.readableBytes() - statusLine);
        return out;
    }

    /**
     * Encodes an answer into one buffer from {@code alloc}. Framing fields a processor may have set
     * ({@code Content-Length}, {@code Transfer-Encoding}, {@code Connection}) are replaced by the gateway's own.
     *
     * @param omitBody true for HEAD: the length is still that of {@code body}, but no body bytes are written
     * @param requestId the request's id, for {@code X-Request-Id}; {@code null} for none
     */
    public static ByteBuf encode(ByteBufAllocator alloc, int status, HeaderFields headers, byte[] body,
                                 Connection connection, boolean omitBody, String requestId) {
        int size = 64 + (requestId == null ? 0 : requestId.length()) + (omitBody ? 0 : body.length);
        for (int i = 0; i < headers.size(); i++) {
            size += headers.name(i).length() + headers.value(i).length() + 4;
        }
        return encode(alloc.buffer(size), status, requestId, headers, body, connection, omitBody);
    }

    /**
     * Encodes the head of a streamed answer: with {@code Transfer-Encoding: chunked} when {@code chunked} (HTTP/1.1),
     * else without any length, the body ending when the connection closes (HTTP/1.0, RFC 9112 §6.3 rule 8).
     */
    public static ByteBuf encodeStreamingHead(ByteBufAllocator alloc, int status, HeaderFields headers,
                                              Connection connection, boolean chunked, String requestId) {
        ByteBuf out = alloc.buffer(256);
        writeStatusAndFields(out, status, requestId, headers);
        if (chunked) {
            out.writeBytes(TRANSFER_ENCODING_CHUNKED);
        }
        writeConnection(out, connection);
        out.writeBytes(CRLF);
        return out;
    }

    /** One chunk (RFC 9112 §7.1): its size in hex, CRLF, the data, CRLF; the data must not be empty. */
    public static ByteBuf encodeChunk(ByteBufAllocator alloc, ByteBuffer data) {
        int size = data.remaining();
        String hex = Integer.toHexString(size);
        ByteBuf out = alloc.buffer(hex.length() + size + 4);
        out.writeCharSequence(hex, StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
        out.writeBytes(data);
        out.writeBytes(CRLF);
        return out;
    }

    /** The last chunk and the end of a chunked body, without trailers. */
    public static ByteBuf lastChunk() {
        return LAST_CHUNK.retainedDuplicate();
    }

    /** The status line, the request's id when there is one, and the processor's fields but those the gateway writes. */
    private static void writeStatusAndFields(ByteBuf out, int status, String requestId, HeaderFields headers) {
        out.writeBytes(statusLine(status));
        if (requestId != null) {
            writeRequestId(out, requestId);
        }
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (HeaderFields.isFramingName(name) || name.equalsIgnoreCase(RequestIds.HEADER)) {
                continue;
            }
            out.writeCharSequence(name, StandardCharsets.US_ASCII);
            out.writeByte(':').writeByte(' ');
            out.writeCharSequence(headers.value(i), StandardCharsets.ISO_8859_1);
            out.writeBytes(CRLF);
        }
    }

    private static void writeRequestId(ByteBuf out, String requestId) {
        out.writeBytes(REQUEST_ID);
        out.writeCharSequence(requestId, StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
    }

    private static void writeConnection(ByteBuf out, Connection connection) {
        if (connection == Connection.CLOSE) {
            out.writeBytes(CONNECTION_CLOSE);
        } else if (connection == Connection.KEEP_ALIVE_EXPLICIT) {
            out.writeBytes(CONNECTION_KEEP_ALIVE);
        }
    }

    private static ByteBuf encode(ByteBuf out, int status, String requestId, HeaderFields headers, byte[] body,
                                  Connection connection, boolean omitBody) {
        writeStatusAndFields(out, status, requestId, headers);
        boolean bodyAllowed = status != 204 && status != 304;
        if (bodyAllowed) {
            out.writeBytes(CONTENT_LENGTH);
            writeDecimal(out, body.length);
            out.writeBytes(CRLF);
        }
        writeConnection(out, connection);
        out.writeBytes(CRLF);
        if (bodyAllowed && !omitBody) {
            out.writeBytes(body);
        }
        return out;
    }

    /** RFC 9110 §15 renamed a few reason phrases that Netty still spells the RFC 2616 way. */
    private static String reasonPhrase(int code) {
        return switch (code) {
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 416 -> "Range Not Satisfiable";
            case 422 -> "Unprocessable Content";
            default -> HttpResponseStatus.valueOf(code).reasonPhrase();
        };
    }

    private static byte[] statusLine(int status) {
        if (status >= 100 && status < 600) {
            return STATUS_LINES[status];
        }
        return ascii("HTTP/1.1 " + status + " Unknown\r\n");
    }

    private static void writeDecimal(ByteBuf out, int value) {
        if (value < 10) {
            out.writeByte('0' + value);
        } else {
            out.writeCharSequence(Integer.toString(value), StandardCharsets.US_ASCII);
        }
    }

    private static ByteBuf constant(byte[] bytes) {
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes).asReadOnly());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
