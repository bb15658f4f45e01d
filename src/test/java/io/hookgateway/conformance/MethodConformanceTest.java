package io.hookgateway.conformance;

import static io.hookgateway.conformance.Answer.echo;
import static io.hookgateway.conformance.Answer.got;
import static io.hookgateway.conformance.Answer.notAllowed;
import static io.hookgateway.conformance.Answer.notFound;
import static io.hookgateway.conformance.Answer.refused;
import static io.hookgateway.conformance.Answer.status;
import static io.hookgateway.conformance.Conformance.lines;
import static io.hookgateway.conformance.ConformanceCase.of;

import java.util.stream.Stream;

/**
 * Methods and the answers of routing (RFC 9110 §9): HEAD (§9.3.2), OPTIONS (§9.3.7) and 204 (§15.3.5), 404
 * (§15.5.5), 405 with Allow (§15.5.6, §10.2.1).
 */
class MethodConformanceTest extends ConformanceSuite {

    private static String request(String method, String target) {
        return lines(method + " " + target + " HTTP/1.1", "Host: gw", "");
    }

    static Stream<ConformanceCase> cases() {
        return Conformance.table(
                of("ME-01", "RFC 9110 §9.3.1", "GET is served",
                        request("GET", "/get"),
                        got()),
                of("ME-02", "RFC 9110 §9.3.1", "GET reaches the processor as GET, with no content",
                        request("GET", "/echo"),
                        echo().receivedMethod("GET").receivedBody("")),
                of("ME-03", "RFC 9110 §9.3.2", "HEAD is answered like GET without content: same Content-Length",
                        request("HEAD", "/get"),
                        got().body(null).head().field("Content-Length", "4")),
                of("ME-04", "RFC 9110 §9.3.2", "HEAD to a GET hook runs its processor; its content is not sent",
                        request("HEAD", "/echo"),
                        status(200).head().invokesProcessor().field("Content-Type", "application/json")),
                of("ME-05", "RFC 9110 §9.3.2", "HEAD to a path without a hook: 404 without content",
                        request("HEAD", "/nowhere"),
                        notFound().head()),
                of("ME-06", "RFC 9110 §15.5.6", "HEAD to a path that takes only POST: 405 with Allow, no content",
                        request("HEAD", "/small"),
                        notAllowed("OPTIONS, POST").head()),
                of("ME-07", "RFC 9110 §9.3.2", "a refused HEAD request: 400 without content, close",
                        lines("HEAD /get HTTP/1.1", "Host: gw", "X-A : 1", ""),
                        refused(400).head()),
                of("ME-08", "RFC 9110 §9.3.7", "OPTIONS on a path: 204 with Allow, no Content-Length",
                        request("OPTIONS", "/get"),
                        status(204).field("Allow", "GET, HEAD, OPTIONS")),
                of("ME-09", "RFC 9110 §10.2.1", "Allow lists every method of the path, HEAD with GET",
                        request("OPTIONS", "/echo"),
                        status(204).field("Allow", "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT")),
                of("ME-10", "RFC 9110 §10.2.1", "Allow of a path with a variable",
                        request("OPTIONS", "/items/42"),
                        status(204).field("Allow", "GET, HEAD, OPTIONS, POST")),
                of("ME-11", "RFC 9110 §10.2.1", "Allow of a POST-only path",
                        request("OPTIONS", "/small"),
                        status(204).field("Allow", "OPTIONS, POST")),
                of("ME-12", "RFC 9110 §9.3.7", "OPTIONS * is about the server: 204",
                        request("OPTIONS", "*"),
                        status(204)),
                of("ME-13", "RFC 9110 §15.5.5", "OPTIONS on a path without a hook: 404",
                        request("OPTIONS", "/nowhere"),
                        notFound()),
                of("ME-14", "RFC 9110 §15.5.5", "GET on a path without a hook: 404",
                        request("GET", "/nowhere"),
                        notFound().body("no hook is configured at this path\n")),
                of("ME-15", "RFC 9110 §15.5.6", "DELETE on a GET-only path: 405 with Allow",
                        request("DELETE", "/get"),
                        notAllowed("GET, HEAD, OPTIONS")),
                of("ME-16", "RFC 9110 §15.5.6", "POST with content on a GET-only path: 405, content read through",
                        lines("POST /get HTTP/1.1", "Host: gw", "Content-Length: 5", "") + "hello",
                        notAllowed("GET, HEAD, OPTIONS")),
                of("ME-17", "RFC 9110 §15.5.6", "GET on a POST-only path: 405 with Allow",
                        request("GET", "/small"),
                        notAllowed("OPTIONS, POST")),
                of("ME-18", "RFC 9110 §15.5.6", "PUT on a path with a variable that takes GET and POST: 405",
                        lines("PUT /items/7 HTTP/1.1", "Host: gw", "Content-Length: 1", "") + "x",
                        notAllowed("GET, HEAD, OPTIONS, POST")),
                of("ME-19", "RFC 9110 §9.3.3", "POST to a path with a variable",
                        lines("POST /items/7 HTTP/1.1", "Host: gw", "Content-Length: 1", "") + "x",
                        echo().receivedMethod("POST").receivedVariable("id", "7").receivedBody("x")));
    }
}
