package io.hookgateway.bench;

import io.hookgateway.hooks.HookResponse;
import io.hookgateway.routing.Hook;
import io.hookgateway.routing.PathPattern;
import io.hookgateway.routing.RequestObserver;
import io.hookgateway.routing.RouteTable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The requests the benchmarks send, shaped as their senders send them, and the one hook they go to. */
final class Requests {

    static final int MAX_BODY_BYTES = 1024 * 1024;

    private Requests() {
    }

    static String of(String shape) {
        return switch (shape) {
            case "ifttt" -> post("""
                    Host: hooks.example.net\r
                    User-Agent: Mozilla/5.0 (compatible; IFTTT-Webhooks/1.0)\r
                    Content-Type: application/json\r
                    Accept-Encoding: gzip\r
                    """, json(150));
            case "alexa" -> post("""
                    Host: hooks.example.net\r
                    Content-Type: application/json; charset=utf-8\r
                    Accept: application/json\r
                    Accept-Charset: utf-8\r
                    Signature-256: %s\r
                    SignatureCertChainUrl: https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem\r
                    User-Agent: Apache-HttpClient/UNAVAILABLE (Java/1.8.0_412)\r
                    """.formatted("A".repeat(344)), json(2048));
            case "large" -> post("""
                    Host: hooks.example.net\r
                    Content-Type: application/json\r
                    User-Agent: curl/8.5.0\r
                    """, json(64 * 1024));
            default -> throw new IllegalArgumentException(shape);
        };
    }

    private static String post(String fields, String body) {
        return "POST /post HTTP/1.1\r\n" + fields + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** A JSON object of exactly {@code length} bytes: IFTTT's value fields, padded. */
    static String json(int length) {
        String start = "{\"value1\":\"on\",\"value2\":\"kitchen\",\"value3\":\"";
        String end = "\"}";
        return start + "x".repeat(length - start.length() - end.length()) + end;
    }

    static RouteTable routes() {
        Hook post = new Hook("post", PathPattern.parse("/post"), Set.of("POST"),
                request -> CompletableFuture.completedFuture(HookResponse.text(200, "SUCCESS")), MAX_BODY_BYTES,
                false, RequestObserver.HookObserver.NONE);
        return RouteTable.of(List.of(post), MAX_BODY_BYTES);
    }
}
