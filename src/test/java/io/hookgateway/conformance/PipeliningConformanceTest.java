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
 * Persistence and pipelining (RFC 9112 §9.3, §9.3.2): several requests in one write are answered in order; after a
 * request the server cannot frame, nothing that follows is read as a request (RFC 9112 §6.3, §9.6); and the
 * {@code Connection} options of HTTP/1.1 (RFC 9110 §7.6.1).
 */
class PipeliningConformanceTest extends ConformanceSuite {

    private static final String GET = lines("GET /get HTTP/1.1", "Host: gw", "");

    private static String post(String body) {
        return lines("POST /echo HTTP/1.1", "Host: gw", "Content-Length: " + body.length(), "") + body;
    }

    static Stream<ConformanceCase> cases() {
        return Conformance.table(
                // ----- valid requests in one write
                of("PL-01", "RFC 9112 §9.3.2", "two GETs in one write: two answers in order",
                        GET + GET,
                        got(), got()),
                of("PL-02", "RFC 9112 §9.3.2", "three different requests in one write: answers in request order",
                        post("one") + GET + lines("GET /items/three HTTP/1.1", "Host: gw", ""),
                        echo().receivedBody("one"), got(), echo().receivedVariable("id", "three")),
                of("PL-03", "RFC 9112 §9.3.2", "ten requests in one write, each body in its own answer",
                        post("r0") + post("r1") + post("r2") + post("r3") + post("r4") + post("r5") + post("r6")
                                + post("r7") + post("r8") + post("r9"),
                        echo().receivedBody("r0"), echo().receivedBody("r1"), echo().receivedBody("r2"),
                        echo().receivedBody("r3"), echo().receivedBody("r4"), echo().receivedBody("r5"),
                        echo().receivedBody("r6"), echo().receivedBody("r7"), echo().receivedBody("r8"),
                        echo().receivedBody("r9")),
                of("PL-04", "RFC 9112 §6.3", "a chunked request then a Content-Length one: each framed apart",
                        lines("POST /echo HTTP/1.1", "Host: gw", "Transfer-Encoding: chunked", "", "3", "abc", "0", "")
                                + post("defg"),
                        echo().receivedBody("abc"), echo().receivedBody("defg")),
                of("PL-05", "RFC 9110 §9.3.2", "HEAD then GET: the HEAD answer has no content, so the GET answer "
                                + "follows it at once",
                        lines("HEAD /get HTTP/1.1", "Host: gw", "") + GET,
                        got().body(null).head().field("Content-Length", "4"), got()),
                of("PL-06", "RFC 9112 §9.3.2", "a 404 does not end the connection: 404 then 200",
                        lines("GET /nowhere HTTP/1.1", "Host: gw", "") + GET,
                        notFound(), got()),
                of("PL-07", "RFC 9112 §9.3.2", "a 405 does not end the connection: 405 then 200",
                        lines("DELETE /get HTTP/1.1", "Host: gw", "") + GET,
                        notAllowed("GET, HEAD, OPTIONS"), got()),
                of("PL-08", "RFC 9112 §9.3.2", "OPTIONS (204, no content) then GET",
                        lines("OPTIONS /get HTTP/1.1", "Host: gw", "") + GET,
                        status(204).field("Allow", "GET, HEAD, OPTIONS"), got()),
                of("PL-09", "RFC 9112 §9.3.2", "a body to a path without a hook is read through: 404 then 200",
                        lines("POST /nowhere HTTP/1.1", "Host: gw", "Content-Length: 5", "") + "hello" + GET,
                        notFound(), got()),
                of("PL-10", "RFC 9112 §2.2", "an empty line between two requests is ignored",
                        GET + "\r\n" + GET,
                        got(), got()),
                of("PL-11", "RFC 9112 §6.3", "content holding a whole request is content, not a second request",
                        post(GET) + GET,
                        echo().receivedBody(GET), got()),
                of("PL-12", "RFC 9112 §9.3", "the second request is sent after the first answer, on the same "
                                + "connection",
                        GET,
                        got())
                        .then(post("later"), echo().receivedBody("later")),

                // ----- a request that cannot be served, before or after good ones
                of("PL-13", "RFC 9112 §9.6", "a valid then an invalid request: 200, then 400 and close",
                        GET + lines("GET /get HTTP/1.1", "Host : gw", ""),
                        got(), refused(400)),
                of("PL-14", "RFC 9112 §9.6", "an invalid then a valid request: 400 and close; the second is never "
                                + "read",
                        lines("GET /get HTTP/1.1", "Host : gw", "") + post("never"),
                        refused(400)),
                of("PL-15", "RFC 9112 §9.6", "valid, invalid, valid: 200, 400 and close; the third is never read",
                        post("first") + lines("GET /get HTTP/1.2x", "Host: gw", "") + post("third"),
                        echo().receivedBody("first"), refused(400)),
                of("PL-16", "RFC 9112 §6.1", "TE.CL smuggling shape: 400 and close, the hidden request never "
                                + "reaches a processor",
                        lines("POST /echo HTTP/1.1", "Host: gw", "Content-Length: 4", "Transfer-Encoding: chunked", "",
                                "5c") + post("smuggled") + lines("0", ""),
                        refused(400)),
                of("PL-17", "RFC 9112 §6.3", "differing Content-Length values then a request: 400 and close",
                        lines("POST /echo HTTP/1.1", "Host: gw", "Content-Length: 0", "Content-Length: 30", "")
                                + post("hidden"),
                        refused(400)),
                of("PL-18", "RFC 9112 §7.1", "bad chunk framing after a valid request: 200, then 400 and close",
                        GET + lines("POST /echo HTTP/1.1", "Host: gw", "Transfer-Encoding: chunked", "", "zz", "x",
                                "0", "") + GET,
                        got(), refused(400)),
                of("PL-19", "RFC 9110 §15.5.14", "a 413 closes: a request after the refused content is never read",
                        lines("POST /small HTTP/1.1", "Host: gw", "Content-Length: 20", "") + "01234567890123456789"
                                + post("after"),
                        refused(413)),
                of("PL-20", "RFC 9110 §10.1.1", "a 417 closes: nothing after it is read",
                        lines("POST /echo HTTP/1.1", "Host: gw", "Expect: x-unknown", "Content-Length: 0", "")
                                + post("after"),
                        refused(417)),
                of("PL-21", "RFC 9112 §6.1", "a 501 for an unknown coding closes: nothing after it is read",
                        lines("POST /echo HTTP/1.1", "Host: gw", "Transfer-Encoding: gzip, chunked", "", "0", "")
                                + post("after"),
                        refused(501)),

                // ----- Connection options (RFC 9112 §9.3, §9.6; RFC 9110 §7.6.1)
                of("PL-22", "RFC 9112 §9.3", "HTTP/1.1 persists without a Connection field",
                        GET,
                        got()),
                of("PL-23", "RFC 9112 §9.6", "Connection: close is answered with close, and the request after it is "
                                + "never answered",
                        lines("GET /get HTTP/1.1", "Host: gw", "Connection: close", "") + GET,
                        got().closes()),
                of("PL-24", "RFC 9110 §7.6.1", "connection options are case-insensitive: Connection: CLOSE",
                        lines("GET /get HTTP/1.1", "Host: gw", "Connection: CLOSE", ""),
                        got().closes()),
                of("PL-25", "RFC 9110 §7.6.1", "close as one member of a list",
                        lines("GET /get HTTP/1.1", "Host: gw", "Connection: x-opt, close", ""),
                        got().closes()),
                of("PL-26", "RFC 9110 §7.6.1", "close in a second Connection field line",
                        lines("GET /get HTTP/1.1", "Host: gw", "Connection: keep-alive", "Connection: close", ""),
                        got().closes()),
                of("PL-27", "RFC 9112 §9.3", "keep-alive on HTTP/1.1 changes nothing: no Connection field, still open",
                        lines("GET /get HTTP/1.1", "Host: gw", "Connection: keep-alive", ""),
                        got()),
                of("PL-28", "RFC 9112 §9.6", "a POST with Connection: close: its content is read, then close",
                        lines("POST /echo HTTP/1.1", "Host: gw", "Connection: close", "Content-Length: 2", "") + "hi",
                        echo().closes().receivedBody("hi")),
                of("PL-29", "RFC 9112 §9.3.2", "Connection: close in the middle of three: two answers, then close",
                        GET + lines("GET /get HTTP/1.1", "Host: gw", "Connection: close", "") + GET,
                        got(), got().closes()));
    }
}
