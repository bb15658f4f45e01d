package io.hookgateway.conformance;

import static io.hookgateway.conformance.Answer.echo;
import static io.hookgateway.conformance.Answer.got;
import static io.hookgateway.conformance.Answer.notFound;
import static io.hookgateway.conformance.Answer.refused;
import static io.hookgateway.conformance.Answer.status;
import static io.hookgateway.conformance.Conformance.lines;
import static io.hookgateway.conformance.ConformanceCase.of;

import io.hookgateway.testing.TestGateway;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request line (RFC 9112 §3): method, request-target forms (§3.2), HTTP-version (§2.3), the single SP between
 * them, and line endings before it (§2.2).
 */
class RequestLineConformanceTest {

    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = Conformance.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static Stream<ConformanceCase> cases() {
        return Conformance.table(
                // ----- method (RFC 9112 §3.1, RFC 9110 §9.1)
                of("RL-01", "RFC 9112 §3", "origin-form GET is routed by its path",
                        lines("GET /get HTTP/1.1", "Host: gw", ""),
                        got()),
                of("RL-02", "RFC 9110 §9.3.3", "POST reaches the processor with its method, path and body",
                        lines("POST /echo HTTP/1.1", "Host: gw", "Content-Length: 5", "") + "hello",
                        echo().receivedMethod("POST").receivedPath("/echo").receivedBody("hello")),
                of("RL-03", "RFC 9110 §9.3.4", "PUT is a method token the processor sees as sent",
                        lines("PUT /echo HTTP/1.1", "Host: gw", "Content-Length: 2", "") + "hi",
                        echo().receivedMethod("PUT").receivedBody("hi")),
                of("RL-04", "RFC 9110 §9.3.5", "DELETE without content",
                        lines("DELETE /echo HTTP/1.1", "Host: gw", ""),
                        echo().receivedMethod("DELETE").receivedBody("")),
                of("RL-05", "RFC 9110 §9.1", "PATCH (a registered method, RFC 5789) is a token like any other",
                        lines("PATCH /echo HTTP/1.1", "Host: gw", "Content-Length: 3", "") + "a=1",
                        echo().receivedMethod("PATCH").receivedBody("a=1")),
                of("RL-06", "RFC 9112 §3.1", "a method with '(' is not a token: 400",
                        lines("GE(T /get HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-07", "RFC 9112 §3.1", "a method with '@' is not a token: 400",
                        lines("G@T /get HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-08", "RFC 9112 §3.1", "a method with a non-ASCII octet (0xC9) is not a token: 400",
                        lines("G\u00c9T /get HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-09", "RFC 9112 §3.1", "a method with a control octet (0x01) is not a token: 400",
                        lines("GE\u0001T /get HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-10", "RFC 9112 §3.1", "a method with DEL (0x7F) is not a token: 400",
                        lines("GET\u007f /get HTTP/1.1", "Host: gw", ""),
                        refused(400)),

                // ----- separators (RFC 9112 §3: exactly one SP; the MAY of whitespace-splitting is not taken)
                of("RL-11", "RFC 9112 §3", "a leading SP before the method: 400",
                        lines(" GET /get HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-12", "RFC 9112 §3", "two SP between method and target: 400",
                        lines("GET  /get HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-13", "RFC 9112 §3", "two SP between target and version: 400",
                        lines("GET /get  HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-14", "RFC 9112 §3", "a trailing SP after the version: 400",
                        lines("GET /get HTTP/1.1 ", "Host: gw", ""),
                        refused(400)),
                of("RL-15", "RFC 9112 §3", "HTAB instead of SP (the gateway does not take the MAY of "
                                + "splitting on any whitespace): 400",
                        lines("GET\t/get\tHTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-16", "RFC 9112 §3", "HTAB between method and target only: 400",
                        lines("GET\t/get HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-17", "RFC 9112 §3", "no version (an HTTP/0.9-style line): 400",
                        lines("GET /get", "Host: gw", ""),
                        refused(400)),
                of("RL-18", "RFC 9112 §3", "no target: 400",
                        lines("GET HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-19", "RFC 9112 §3", "only a method: 400",
                        lines("GET", "Host: gw", ""),
                        refused(400)),
                of("RL-20", "RFC 9112 §3.2", "SP inside the target (three parts become four): 400, no autocorrection",
                        lines("GET /get /x HTTP/1.1", "Host: gw", ""),
                        refused(400)),

                // ----- version (RFC 9112 §2.3, RFC 9110 §2.5, §15.6.6)
                of("RL-21", "RFC 9112 §2.3", "HTTP-name is case-sensitive: http/1.1 is 400",
                        lines("GET /get http/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-22", "RFC 9112 §2.3", "HTTP/1 (no minor digit): 400",
                        lines("GET /get HTTP/1", "Host: gw", ""),
                        refused(400)),
                of("RL-23", "RFC 9112 §2.3", "HTTP/1.10 (two minor digits): 400",
                        lines("GET /get HTTP/1.10", "Host: gw", ""),
                        refused(400)),
                of("RL-24", "RFC 9112 §2.3", "HTTP/11 (no dot): 400",
                        lines("GET /get HTTP/11", "Host: gw", ""),
                        refused(400)),
                of("RL-25", "RFC 9112 §2.3", "HTTP/1.a (minor not a digit): 400",
                        lines("GET /get HTTP/1.a", "Host: gw", ""),
                        refused(400)),
                of("RL-26", "RFC 9112 §2.3", "HTTP/ with a non-ASCII digit-like octet: 400",
                        lines("GET /get HTTP/\u00b9.1", "Host: gw", ""),
                        refused(400)),
                of("RL-27", "RFC 9110 §15.6.6", "major version 2 on an HTTP/1 connection: 505",
                        lines("GET /get HTTP/2.0", "Host: gw", ""),
                        refused(505)),
                of("RL-28", "RFC 9110 §15.6.6", "major version 3: 505",
                        lines("GET /get HTTP/3.0", "Host: gw", ""),
                        refused(505)),
                of("RL-29", "RFC 9110 §15.6.6", "major version 0 (HTTP/0.9 as a version): 505",
                        lines("GET /get HTTP/0.9", "Host: gw", ""),
                        refused(505)),
                of("RL-30", "RFC 9110 §2.5", "the answer to HTTP/1.1 is HTTP/1.1, and the processor sees HTTP/1.1",
                        lines("GET /echo HTTP/1.1", "Host: gw", ""),
                        echo().receivedVersion("HTTP/1.1")),

                // ----- request-target forms (RFC 9112 §3.2)
                of("RL-31", "RFC 9112 §3.2.1", "origin-form with a query: the processor sees the target as sent",
                        lines("GET /echo?a=1&b=two HTTP/1.1", "Host: gw", ""),
                        echo().receivedPath("/echo").receivedTarget("/echo?a=1&b=two")
                                .receivedQuery("a", "1").receivedQuery("b", "two")),
                of("RL-32", "RFC 9112 §3.2", "a target that is not origin-, absolute- or asterisk-form: 400",
                        lines("GET get HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-33", "RFC 9112 §3.2.2", "absolute-form http: routed by the path of the URI",
                        lines("GET http://gw/get HTTP/1.1", "Host: gw", ""),
                        got()),
                of("RL-34", "RFC 9112 §3.2.2", "absolute-form https: routed by the path of the URI",
                        lines("GET https://gw:8443/get HTTP/1.1", "Host: gw:8443", ""),
                        got()),
                of("RL-35", "RFC 3986 §3.1", "the scheme is case-insensitive: HTTP://GW/get",
                        lines("GET HTTP://GW/get HTTP/1.1", "Host: gw", ""),
                        got()),
                of("RL-36", "RFC 9112 §3.2.2", "absolute-form: the Host field is ignored for routing, the processor "
                                + "sees path and query of the URI",
                        lines("POST http://gw/echo?x=1 HTTP/1.1", "Host: other.example", "Content-Length: 1", "") + "z",
                        echo().receivedPath("/echo").receivedTarget("http://gw/echo?x=1").receivedQuery("x", "1")
                                .receivedBody("z")),
                of("RL-37", "RFC 9112 §3.2", "absolute-form still needs Host in HTTP/1.1: without it, 400",
                        lines("GET http://gw/get HTTP/1.1", ""),
                        refused(400)),
                of("RL-38", "RFC 9110 §4.2.3", "absolute-form with an empty path means \"/\" (no hook there: 404)",
                        lines("GET http://gw HTTP/1.1", "Host: gw", ""),
                        notFound()),
                of("RL-39", "RFC 9110 §4.2.1", "an http URI with an empty host MUST be rejected: 400",
                        lines("GET http:///get HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-40", "RFC 9112 §3.2.2", "absolute-form of a scheme the gateway does not serve (ftp): 400",
                        lines("GET ftp://gw/get HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-41", "RFC 9112 §3.2.3", "authority-form is only for CONNECT: with GET it is 400",
                        lines("GET gw:443 HTTP/1.1", "Host: gw:443", ""),
                        refused(400)),
                of("RL-42", "RFC 9110 §9.3.7", "asterisk-form with OPTIONS asks about the server: 204",
                        lines("OPTIONS * HTTP/1.1", "Host: gw", ""),
                        status(204)),
                of("RL-43", "RFC 9112 §3.2.4", "asterisk-form is only for OPTIONS: GET * is 400",
                        lines("GET * HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-44", "RFC 9112 §3.2", "a fragment is never part of the request-target: '#' is 400",
                        lines("GET /get#top HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-45", "RFC 9112 §3.2", "a control octet (0x01) in the target: 400",
                        lines("GET /get\u0001 HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-46", "RFC 9112 §3.2", "a non-ASCII octet (0xE9) in the target: 400",
                        lines("GET /caf\u00e9 HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-47", "RFC 9112 §3.2", "DEL (0x7F) in the target: 400",
                        lines("GET /get\u007f HTTP/1.1", "Host: gw", ""),
                        refused(400)),

                // ----- line endings around the request line (RFC 9112 §2.2)
                of("RL-48", "RFC 9112 §2.2", "one empty line (CRLF) before the request line is ignored",
                        "\r\n" + lines("GET /get HTTP/1.1", "Host: gw", ""),
                        got()),
                of("RL-49", "RFC 9112 §2.2", "a request line ending in a bare LF is refused (documented: no bare "
                                + "LF anywhere, against smuggling): 400",
                        "GET /get HTTP/1.1\n" + lines("Host: gw", ""),
                        refused(400)),
                of("RL-50", "RFC 9112 §2.2", "an empty line of a bare LF before the request line: 400 (documented)",
                        "\n" + lines("GET /get HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-51", "RFC 9112 §2.2", "a bare CR inside the request line MUST be invalid or replaced: 400",
                        lines("GET /get\rX HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-52", "RFC 9112 §2.2", "a bare CR ending the request line (no LF before the next line): 400",
                        "GET /get HTTP/1.1\r" + lines("Host: gw", ""),
                        refused(400)),
                of("RL-53", "RFC 9110 §2.5", "HTTP/1.2 is processed as HTTP/1.1, the highest 1.x we speak",
                        lines("GET /get HTTP/1.2", "Host: gw", ""),
                        got()),
                of("RL-54", "RFC 9110 §9.1", "an unknown method is not implemented: 501",
                        lines("FOO /get HTTP/1.1", "Host: gw", ""),
                        refused(501)),
                of("RL-55", "RFC 9110 §9.1", "methods are case-sensitive: 'get' is an unknown method, 501",
                        lines("get /get HTTP/1.1", "Host: gw", ""),
                        refused(501)),
                of("RL-56", "RFC 9110 §9.3.6", "CONNECT (authority-form) is not implemented: 501",
                        lines("CONNECT gw:443 HTTP/1.1", "Host: gw:443", ""),
                        refused(501)),
                of("RL-57", "RFC 3986 §2 / RFC 9112 §3", "'<' cannot appear unencoded in a request-target: 400",
                        lines("GET /items/a<b HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-58", "RFC 3986 §2 / RFC 9112 §3", "'{' cannot appear unencoded in a request-target: 400",
                        lines("GET /items/{id} HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-59", "RFC 9110 §4.2.4", "userinfo in an absolute-form target is an error: 400",
                        lines("GET http://user@gw/get HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-60", "RFC 3986 §3.2.3", "a port that is not digits makes the absolute-form target invalid: 400",
                        lines("GET http://gw:abc/get HTTP/1.1", "Host: gw", ""),
                        refused(400)),
                of("RL-61", "RFC 9112 §3.2", "a Host with a space is invalid: 400",
                        lines("GET /get HTTP/1.1", "Host: a b", ""),
                        refused(400)),
                of("RL-62", "RFC 9112 §3.2", "a Host with userinfo is invalid: 400",
                        lines("GET /get HTTP/1.1", "Host: a@b", ""),
                        refused(400)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conforms(ConformanceCase c) throws Exception {
        Conformance.verify(gateway, c);
    }
}
