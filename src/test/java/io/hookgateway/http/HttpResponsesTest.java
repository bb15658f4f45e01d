package io.hookgateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.http.HttpResponses.Connection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exact bytes of {@link HttpResponses}: the three {@link Connection} choices, HEAD (length without body), 204 (no
 * length), framing fields from a processor replaced by the gateway's own, the canned failure answers and
 * {@code 100 Continue}.
 */
class HttpResponsesTest {

    /** No request id: the shapes below are those of the answers without one. */
    private static final String ID = null;

    private static final HeaderFields TEXT = HeaderFields.of("Content-Type", "text/plain");

    @Test
    void encodesTheSeedAnswerByteForByte() {
        assertThat(encode(200, HeaderFields.empty(), "SUCCESS", Connection.KEEP_ALIVE_DEFAULT, false))
                .isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nSUCCESS");
    }

    @Test
    void sendsNoConnectionFieldForHttp11KeepAlive() {
        // RFC 9112 §9.3: HTTP/1.1 connections persist by default.
        assertThat(encode(200, TEXT, "hello, world", Connection.KEEP_ALIVE_DEFAULT, false))
                .isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nhello, world");
    }

    @Test
    void sendsConnectionKeepAliveWhenExplicit() {
        // RFC 9112 §C.2.2 / §9.3: an HTTP/1.0 client only keeps the connection when told "keep-alive".
        assertThat(encode(200, TEXT, "hi", Connection.KEEP_ALIVE_EXPLICIT, false))
                .isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
                        + "Connection: keep-alive\r\n\r\nhi");
    }

    @Test
    void sendsConnectionCloseWhenClosing() {
        // RFC 9112 §9.6: a server that closes after the response sends "close".
        assertThat(encode(404, TEXT, "gone", Connection.CLOSE, false))
                .isEqualTo("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n"
                        + "Connection: close\r\n\r\ngone");
    }

    @Test
    void keepsContentLengthButOmitsBodyForHead() {
        // RFC 9110 §9.3.2 / §8.6: the answer to HEAD has no content but may carry GET's Content-Length.
        assertThat(encode(200, TEXT, "hello", Connection.KEEP_ALIVE_DEFAULT, true))
                .isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n");
    }

    @Test
    void sendsNoContentLengthAndNoBodyWith204() {
        // RFC 9110 §8.6: a server MUST NOT send Content-Length in a 204 response.
        assertThat(encode(204, HeaderFields.of("Allow", "GET, OPTIONS"), "ignored", Connection.KEEP_ALIVE_DEFAULT,
                false)).isEqualTo("HTTP/1.1 204 No Content\r\nAllow: GET, OPTIONS\r\n\r\n");
        assertThat(encode(204, HeaderFields.empty(), "", Connection.CLOSE, false))
                .isEqualTo("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
    }

    @Test
    void sendsNoBodyWith304() {
        // RFC 9110 §15.4.5: a 304 response cannot contain content.
        assertThat(encode(304, HeaderFields.of("ETag", "\"x\""), "ignored", Connection.KEEP_ALIVE_DEFAULT, false))
                .isEqualTo("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n");
    }

    @Test
    void sendsContentLengthZeroForEmptyBody() {
        assertThat(encode(200, HeaderFields.empty(), "", Connection.KEEP_ALIVE_DEFAULT, false))
                .isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    }

    @Test
    void replacesFramingFieldsFromTheProcessor() {
        HeaderFields headers = HeaderFields.of(
                "Content-Length", "999",
                "X-Before", "1",
                "transfer-encoding", "chunked",
                "CONNECTION", "keep-alive",
                "X-After", "2");
        assertThat(encode(201, headers, "abc", Connection.CLOSE, false))
                .isEqualTo("HTTP/1.1 201 Created\r\nX-Before: 1\r\nX-After: 2\r\nContent-Length: 3\r\n"
                        + "Connection: close\r\n\r\nabc");
    }

    @Test
    void keepsRepeatedFieldsInOrder() {
        HeaderFields headers = HeaderFields.of("Set-Cookie", "a=1", "X", "y", "Set-Cookie", "b=2");
        assertThat(encode(200, headers, "", Connection.KEEP_ALIVE_DEFAULT, false))
                .isEqualTo("HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nX: y\r\nSet-Cookie: b=2\r\nContent-Length: 0\r\n\r\n");
    }

    @Test
    void writesFieldValuesAsLatin1AndBodyAsGiven() {
        byte[] body = "\u00e9t\u00e9".getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = HttpResponses.encode(ByteBufAllocator.DEFAULT, 200, HeaderFields.of("X-Name", "caf\u00e9"),
                body, Connection.KEEP_ALIVE_DEFAULT, false, "r1");
        try {
            byte[] bytes = ByteBufUtil.getBytes(buf);
            assertThat(new String(bytes, StandardCharsets.ISO_8859_1))
                    .startsWith("HTTP/1.1 200 OK\r\nX-Request-Id: r1\r\nX-Name: caf\u00e9\r\nContent-Length: 5\r\n\r\n");
            byte[] tail = new byte[body.length];
            System.arraycopy(bytes, bytes.length - body.length, tail, 0, body.length);
            assertThat(tail).isEqualTo(body);
        } finally {
            buf.release();
        }
    }

    @Test
    void writesTheRequestIdAfterTheStatusLineAndDropsAProcessorsOwn() {
        ByteBuf buf = HttpResponses.encode(ByteBufAllocator.DEFAULT, 200,
                HeaderFields.of("X-Request-Id", "forged", "X-A", "1", "x-request-id", "again"),
                "ok".getBytes(StandardCharsets.UTF_8), Connection.KEEP_ALIVE_DEFAULT, false, "abc-1");
        assertThat(read(buf)).isEqualTo("HTTP/1.1 200 OK\r\nX-Request-Id: abc-1\r\nX-A: 1\r\nContent-Length: 2\r\n\r\nok");
        ByteBuf head = HttpResponses.encodeStreamingHead(ByteBufAllocator.DEFAULT, 200,
                HeaderFields.of("X-Request-Id", "forged"), Connection.KEEP_ALIVE_DEFAULT, true, "abc-2");
        assertThat(read(head)).isEqualTo("HTTP/1.1 200 OK\r\nX-Request-Id: abc-2\r\nTransfer-Encoding: chunked\r\n\r\n");
    }

    @Test
    void usesTheStatusReasonPhrase() {
        assertThat(encode(500, HeaderFields.empty(), "", Connection.CLOSE, false))
                .startsWith("HTTP/1.1 500 Internal Server Error\r\n");
        assertThat(encode(503, HeaderFields.empty(), "", Connection.CLOSE, false))
                .startsWith("HTTP/1.1 503 Service Unavailable\r\n");
    }

    @Test
    void encodesBadRequestLineFailureExactly() {
        assertThat(read(HttpResponses.failure(ByteBufAllocator.DEFAULT, RequestFailure.BAD_REQUEST_LINE, false, "r1")))
                .isEqualTo("HTTP/1.1 400 Bad Request\r\nX-Request-Id: r1\r\nContent-Type: text/plain; charset=utf-8\r\n"
                        + "Content-Length: 23\r\nConnection: close\r\n\r\nmalformed request line\n");
    }

    @Test
    void encodesHeadFailureWithoutBody() {
        assertThat(read(HttpResponses.failure(ByteBufAllocator.DEFAULT, RequestFailure.BAD_HOST, true, "r1")))
                .isEqualTo("HTTP/1.1 400 Bad Request\r\nX-Request-Id: r1\r\nContent-Type: text/plain; charset=utf-8\r\n"
                        + "Content-Length: 36\r\nConnection: close\r\n\r\n");
    }

    @ParameterizedTest
    @EnumSource(RequestFailure.class)
    void encodesEveryFailureWithItsStatusMessageAndClose(RequestFailure failure) {
        String body = failure.message() + "\n";
        String expectedHead = "HTTP/1.1 " + failure.status() + " ";
        // A 503 says when to try again (RFC 9110 §10.2.3).
        String fields = "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + (failure.status() == 503 ? "Retry-After: 1\r\n" : "") + "Content-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n";
        String full = read(HttpResponses.failure(ByteBufAllocator.DEFAULT, failure, false, "r1"));
        assertThat(full).startsWith(expectedHead).contains(" \r\nX-Request-Id: r1\r\nContent-Type".substring(1))
                .contains(fields).endsWith(fields + body);
        assertThat(read(HttpResponses.failure(ByteBufAllocator.DEFAULT, failure, true, "r1"))).startsWith(expectedHead).endsWith(fields);
    }

    @Test
    void failureAnswersAreIndependentCopies() {
        ByteBuf first = HttpResponses.failure(ByteBufAllocator.DEFAULT, RequestFailure.BAD_CHUNK, false, "r1");
        String whole = first.toString(StandardCharsets.US_ASCII);
        first.skipBytes(first.readableBytes());
        first.release();
        ByteBuf second = HttpResponses.failure(ByteBufAllocator.DEFAULT, RequestFailure.BAD_CHUNK, false, "r1");
        assertThat(read(second)).isEqualTo(whole);
    }

    @Test
    void encodesContinue() {
        // RFC 9110 §15.2.1: the interim 100 response has no content.
        assertThat(read(HttpResponses.continueResponse())).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        assertThat(read(HttpResponses.continueResponse())).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
    }

    private static String encode(int status, HeaderFields headers, String body, Connection connection,
                                 boolean omitBody) {
        return read(HttpResponses.encode(ByteBufAllocator.DEFAULT, status, headers,
                body.getBytes(StandardCharsets.UTF_8), connection, omitBody, ID));
    }

    private static String read(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
    }
}
