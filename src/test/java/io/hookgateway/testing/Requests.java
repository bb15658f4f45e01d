package io.hookgateway.testing;

import java.nio.charset.StandardCharsets;

/**
 * Request texts for {@link RawHttp}: well-formed HTTP/1.1 requests with CRLF line endings and a Host field, so that a
 * test writes only what it is about. Anything unusual is spelt out in the test itself.
 */
public final class Requests {

    private Requests() {
    }

    /** {@code GET path HTTP/1.1} with no body. */
    public static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: gateway.test\r\n\r\n";
    }

    /** {@code HEAD path HTTP/1.1}. */
    public static String head(String target) {
        return "HEAD " + target + " HTTP/1.1\r\nHost: gateway.test\r\n\r\n";
    }

    /** {@code POST path HTTP/1.1} with a UTF-8 body and its Content-Length. */
    public static String post(String target, String body) {
        int length = body.getBytes(StandardCharsets.UTF_8).length;
        return "POST " + target + " HTTP/1.1\r\nHost: gateway.test\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + length + "\r\n\r\n" + new String(body.getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1);
    }

    /** The seed request: what IFTTT sends to {@code POST /post}. */
    public static String seedPost() {
        return "POST /post HTTP/1.1\r\nHost: gateway.test\r\nContent-Type: application/json\r\n"
                + "Content-Length: 14\r\n\r\n{\"value1\":\"x\"}";
    }
}
