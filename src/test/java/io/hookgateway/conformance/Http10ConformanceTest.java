package io.hookgateway.conformance;

import static io.hookgateway.conformance.Answer.echo;
import static io.hookgateway.conformance.Answer.got;
import static io.hookgateway.conformance.Answer.notFound;
import static io.hookgateway.conformance.Answer.refused;
import static io.hookgateway.conformance.Conformance.lines;
import static io.hookgateway.conformance.ConformanceCase.of;

import java.util.stream.Stream;

/**
 * HTTP/1.0 requests: no Host needed, the connection closes unless the client asks for keep-alive (RFC 9112 §9.3), no
 * Transfer-Encoding (RFC 9112 §6.1), 100-continue ignored (RFC 9110 §10.1.1), and the answer carries the server's own
 * version, HTTP/1.1 (RFC 9110 §2.5).
 */
class Http10ConformanceTest extends ConformanceSuite {

    static Stream<ConformanceCase> cases() {
        return Conformance.table(
                of("H10-01", "RFC 9112 §9.3", "HTTP/1.0 without keep-alive: the answer says close and the server "
                                + "closes",
                        lines("GET /get HTTP/1.0", ""),
                        got().closes()),
                of("H10-02", "RFC 9112 §3.2", "HTTP/1.0 needs no Host",
                        lines("GET /echo HTTP/1.0", ""),
                        echo().closes().receivedVersion("HTTP/1.0").receivedFields()),
                of("H10-03", "RFC 9112 §3.2", "HTTP/1.0 with one Host is fine too",
                        lines("GET /get HTTP/1.0", "Host: gw", ""),
                        got().closes()),
                of("H10-04", "RFC 9112 §3.2", "HTTP/1.0 with two Host lines MUST get 400 like any request",
                        lines("GET /get HTTP/1.0", "Host: a", "Host: b", ""),
                        refused(400)),
                of("H10-05", "RFC 9110 §2.5", "the answer to HTTP/1.0 is sent as HTTP/1.1 (checked on every status "
                                + "line), the processor sees HTTP/1.0",
                        lines("POST /echo HTTP/1.0", "Content-Length: 3", "") + "abc",
                        echo().closes().receivedVersion("HTTP/1.0").receivedBody("abc")),
                of("H10-06", "RFC 9112 §6.3", "HTTP/1.0 POST without Content-Length has no content",
                        lines("POST /echo HTTP/1.0", ""),
                        echo().closes().receivedBody("")),
                of("H10-07", "RFC 9112 §9.3", "Connection: keep-alive is honoured and the answer says so",
                        lines("GET /get HTTP/1.0", "Connection: keep-alive", ""),
                        got().keepAlive()),
                of("H10-08", "RFC 9110 §7.6.1", "the keep-alive option is case-insensitive: Keep-Alive",
                        lines("GET /get HTTP/1.0", "Connection: Keep-Alive", ""),
                        got().keepAlive()),
                of("H10-09", "RFC 9112 §9.3", "keep-alive then a plain HTTP/1.0 request: keep-alive, then "
                                + "close",
                        lines("GET /get HTTP/1.0", "Connection: keep-alive", "") + lines("GET /get HTTP/1.0", ""),
                        got().keepAlive(), got().closes()),
                of("H10-10", "RFC 9112 §9.3", "keep-alive with close in the same field: close wins",
                        lines("GET /get HTTP/1.0", "Connection: keep-alive, close", ""),
                        got().closes()),
                of("H10-11", "RFC 9112 §9.3", "an HTTP/1.0 request with keep-alive then an HTTP/1.1 one on the same "
                                + "connection",
                        lines("POST /echo HTTP/1.0", "Connection: keep-alive", "Content-Length: 1", "") + "a"
                                + lines("POST /echo HTTP/1.1", "Host: gw", "Content-Length: 1", "") + "b",
                        echo().keepAlive().receivedVersion("HTTP/1.0").receivedBody("a"),
                        echo().receivedVersion("HTTP/1.1").receivedBody("b")),
                of("H10-12", "RFC 9112 §6.1", "Transfer-Encoding in HTTP/1.0 is faulty framing: 400 and close",
                        lines("POST /echo HTTP/1.0", "Transfer-Encoding: chunked", "", "5", "hello", "0", ""),
                        refused(400)),
                of("H10-13", "RFC 9112 §6.1", "Transfer-Encoding in HTTP/1.0 even with Content-Length: 400 and close",
                        lines("POST /echo HTTP/1.0", "Transfer-Encoding: chunked", "Content-Length: 5", "") + "hello",
                        refused(400)),
                of("H10-14", "RFC 9110 §10.1.1", "100-continue in HTTP/1.0 MUST be ignored: no 100, the final answer",
                        lines("POST /echo HTTP/1.0", "Expect: 100-continue", "Content-Length: 2", "") + "ok",
                        echo().closes().receivedBody("ok")),
                of("H10-15", "RFC 9110 §9.3.2", "HEAD over HTTP/1.0: fields of the GET answer, no content, close",
                        lines("HEAD /get HTTP/1.0", ""),
                        got().body(null).head().field("Content-Length", "4").closes()),
                of("H10-16", "RFC 9112 §9.3", "a 404 to HTTP/1.0 closes too",
                        lines("GET /nowhere HTTP/1.0", ""),
                        notFound().closes()),
                of("H10-17", "RFC 9112 §9.3", "a 404 to HTTP/1.0 with keep-alive keeps the connection",
                        lines("GET /nowhere HTTP/1.0", "Connection: keep-alive", ""),
                        notFound().keepAlive()),
                of("H10-18", "RFC 9112 §5.2", "obs-fold in HTTP/1.0: 400 and close",
                        lines("GET /get HTTP/1.0", "X-A: 1", " 2", ""),
                        refused(400)),
                of("H10-19", "RFC 9112 §6.3", "HTTP/1.0 with differing Content-Length values: 400 and close",
                        lines("POST /echo HTTP/1.0", "Content-Length: 1", "Content-Length: 2", "") + "ab",
                        refused(400)),
                of("H10-20", "RFC 9112 §9.3", "HTTP/1.0 pipelined without keep-alive: the second is never answered",
                        lines("GET /get HTTP/1.0", "") + lines("GET /get HTTP/1.0", ""),
                        got().closes()),
                of("H10-21", "RFC 9112 §3.2.2", "absolute-form in HTTP/1.0",
                        lines("GET http://gw/get HTTP/1.0", ""),
                        got().closes()));
    }
}
