package io.hookgateway.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

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
        return post(target, "text/plain; charset=utf-8", body);
    }

    /**
     * {@code POST path HTTP/1.1} with a JSON body, its Content-Length, and any further header fields, each written
     * {@code "Name: value"}.
     */
    public static String postJson(String target, String json, String... fields) {
        return post(target, "application/json", json, fields);
    }

    /**
     * {@code POST path HTTP/1.1} with a UTF-8 body of {@code contentType}, its Content-Length, and any further header
     * fields, each written {@code "Name: value"}.
     */
    public static String post(String target, String contentType, String body, String... fields) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder("POST " + target + " HTTP/1.1\r\nHost: gateway.test\r\n"
                + "Content-Type: " + contentType + "\r\nContent-Length: " + bytes.length + "\r\n");
        for (String field : fields) {
            request.append(field).append("\r\n");
        }
        return request.append("\r\n").append(new String(bytes, StandardCharsets.ISO_8859_1)).toString();
    }

    /** {@code POST path HTTP/1.1} with a short text body and the header fields given, each {@code "Name: value"}. */
    public static String postWith(String target, String... fields) {
        return post(target, "text/plain; charset=utf-8", "hi", fields);
    }

    /** The field {@code Authorization: Basic <credentials>} for {@code user:password} (RFC 7617), UTF-8. */
    public static String basicAuthorization(String userPass) {
        return "Authorization: Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    /** The seed request: what IFTTT sends to {@code POST /post}. */
    public static String seedPost() {
        return "POST /post HTTP/1.1\r\nHost: gateway.test\r\nContent-Type: application/json\r\n"
                + "Content-Length: 14\r\n\r\n{\"value1\":\"x\"}";
    }
}
