package io.hookgateway.conformance;

import static io.hookgateway.conformance.Answer.echo;
import static io.hookgateway.conformance.Answer.got;
import static io.hookgateway.conformance.Answer.notFound;
import static io.hookgateway.conformance.Answer.refused;
import static io.hookgateway.conformance.Conformance.fill;
import static io.hookgateway.conformance.Conformance.lines;
import static io.hookgateway.conformance.ConformanceCase.of;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every limit at its boundary and one octet past it, with small limits configured so the requests stay small: the
 * request line (414, RFC 9112 §3, RFC 9110 §15.5.15), the field lines and their trailers (RFC 9110 §5.4: an
 * appropriate 4xx, here 431 of RFC 6585 §5), the field count, the body (413, RFC 9110 §15.5.14), the empty lines
 * before a request (RFC 9112 §2.2), the chunk-size line (RFC 9112 §7.1.1), and the head, body and idle timeouts (408,
 * RFC 9110 §15.5.9; RFC 9112 §9.5).
 */
class LimitsConformanceTest extends ConformanceSuite {

    static final int REQUEST_LINE = 256;
    static final int HEADER_BYTES = 1024;
    static final int HEADER_FIELDS = 10;
    static final int BODY = 64;
    /** The gateway's fixed limits (HeaderLineDecoder): empty lines before a request, octets of a chunk-size line. */
    static final int EMPTY_LINES = 8;
    static final int CHUNK_LINE = 1024;

    LimitsConformanceTest() {
        super("max-request-line-size: " + REQUEST_LINE,
                "max-header-size: " + HEADER_BYTES,
                "max-header-count: " + HEADER_FIELDS,
                "max-body-size: " + BODY,
                "request-head-timeout: 400ms",
                "request-body-timeout: 400ms",
                "idle-timeout: 400ms");
    }

    /** {@code GET /get?qqq... HTTP/1.1}, exactly {@code length} octets without its CRLF. */
    private static String requestLine(int length) {
        String start = "GET /get?";
        String end = " HTTP/1.1";
        return start + fill('q', length - start.length() - end.length()) + end;
    }

    /** A GET whose field lines hold {@code total} octets together (CRLFs not counted): Host and one filler. */
    private static String getWithFieldBytes(int total) {
        String host = "Host: gw";
        String filler = "X-Fill: ";
        return lines("GET /get HTTP/1.1", host, filler + fill('f', total - host.length() - filler.length()), "");
    }

    /** Nine field lines: Host and eight of {@code each} octets, the last {@code extra} octets longer. */
    private static String getWithNineFields(int each, int extra) {
        List<String> l = new ArrayList<>(List.of("GET /get HTTP/1.1", "Host: gw"));
        for (int i = 1; i <= 8; i++) {
            String name = "X-F" + i + ": ";
            l.add(name + fill('v', each - name.length() + (i == 8 ? extra : 0)));
        }
        l.add("");
        return lines(l.toArray(String[]::new));
    }

    /** A GET with Host and {@code more} fields. */
    private static String getWithFields(int more) {
        List<String> l = new ArrayList<>(List.of("GET /get HTTP/1.1", "Host: gw"));
        for (int i = 1; i <= more; i++) {
            l.add("X-" + i + ": " + i);
        }
        l.add("");
        return lines(l.toArray(String[]::new));
    }

    /** A chunked POST to /echo with "hello" and a trailer section of {@code count} small fields. */
    private static String chunkedWithTrailers(int count) {
        List<String> l = new ArrayList<>(List.of("POST /echo HTTP/1.1", "Host: gw", "Transfer-Encoding: chunked", "",
                "5", "hello", "0"));
        for (int i = 1; i <= count; i++) {
            l.add("X-T" + i + ": " + i);
        }
        l.add("");
        return lines(l.toArray(String[]::new));
    }

    /**
     * A chunked POST to /echo with one trailer field so long that head and trailer fields together hold
     * {@code total} octets.
     */
    private static String chunkedWithTrailerBytes(int total) {
        String host = "Host: gw";
        String te = "Transfer-Encoding: chunked";
        String name = "X-T: ";
        return lines("POST /echo HTTP/1.1", host, te, "", "5", "hello", "0",
                name + fill('t', total - host.length() - te.length() - name.length()), "");
    }

    private static String post(String path, String... fields) {
        List<String> l = new ArrayList<>(List.of("POST " + path + " HTTP/1.1", "Host: gw"));
        l.addAll(List.of(fields));
        l.add("");
        return lines(l.toArray(String[]::new));
    }

    static Stream<ConformanceCase> cases() {
        return Conformance.table(
                // ----- request line: max-request-line-size 256
                of("LM-01", "RFC 9112 §3", "a request line of exactly the limit (256 octets) is served",
                        lines(requestLine(REQUEST_LINE), "Host: gw", ""),
                        got()),
                of("LM-02", "RFC 9112 §3", "a request line one octet over the limit: 414",
                        lines(requestLine(REQUEST_LINE + 1), "Host: gw", ""),
                        refused(414)),
                of("LM-03", "RFC 9112 §3", "a request line far over the limit: 414",
                        lines(requestLine(REQUEST_LINE * 4), "Host: gw", ""),
                        refused(414)),
                of("LM-04", "RFC 9112 §3", "an over-long request line is refused before its end arrives: 414",
                        "GET /get?" + fill('q', REQUEST_LINE * 2),
                        refused(414)),

                // ----- header section: max-header-size 1024 (field lines without their CRLF)
                of("LM-05", "RFC 9110 §5.4", "field lines of exactly the limit (1024 octets) are served",
                        getWithFieldBytes(HEADER_BYTES),
                        got()),
                of("LM-06", "RFC 9110 §5.4", "field lines one octet over the limit: 431",
                        getWithFieldBytes(HEADER_BYTES + 1),
                        refused(431)),
                of("LM-07", "RFC 9110 §5.4", "one field line longer than the whole limit: 431",
                        getWithFieldBytes(HEADER_BYTES * 2),
                        refused(431)),
                of("LM-08", "RFC 9110 §5.4", "nine field lines totalling exactly the limit are served",
                        getWithNineFields(127, 0),
                        got()),
                of("LM-09", "RFC 9110 §5.4", "nine field lines totalling one octet over the limit: 431",
                        getWithNineFields(127, 1),
                        refused(431)),

                // ----- field count: max-header-count 10
                of("LM-10", "RFC 9110 §5.4", "exactly the limit of fields (10, Host included) is served",
                        getWithFields(HEADER_FIELDS - 1),
                        got()),
                of("LM-11", "RFC 9110 §5.4", "one field over the limit: 431",
                        getWithFields(HEADER_FIELDS),
                        refused(431)),
                of("LM-12", "RFC 9110 §5.4", "fields over the limit count even when empty: 431",
                        lines("GET /get HTTP/1.1", "Host: gw", "A:", "B:", "C:", "D:", "E:", "F:", "G:", "H:", "I:",
                                "J:", ""),
                        refused(431)),

                // ----- trailers: they share the header budget, and have a field count of their own
                of("LM-13", "RFC 9112 §7.1.2", "header and trailer fields together at exactly the limit are served",
                        chunkedWithTrailerBytes(HEADER_BYTES),
                        echo().receivedBody("hello")),
                of("LM-14", "RFC 9112 §7.1.2", "header and trailer fields one octet over the limit: 431",
                        chunkedWithTrailerBytes(HEADER_BYTES + 1),
                        refused(431)),
                of("LM-15", "RFC 9112 §7.1.2", "a trailer section of exactly the field limit is served",
                        chunkedWithTrailers(HEADER_FIELDS),
                        echo().receivedBody("hello")),
                of("LM-16", "RFC 9112 §7.1.2", "a trailer section of one field over the limit: 431",
                        chunkedWithTrailers(HEADER_FIELDS + 1),
                        refused(431)),

                // ----- body: /small 16, /empty 0, everything else the server's 64
                of("LM-17", "RFC 9110 §15.5.14", "Content-Length at the hook's limit (16) is served",
                        post("/small", "Content-Length: 16") + fill('b', 16),
                        echo().receivedBody(fill('b', 16))),
                of("LM-18", "RFC 9110 §15.5.14", "Content-Length one over the hook's limit: 413",
                        post("/small", "Content-Length: 17") + fill('b', 17),
                        refused(413)),
                of("LM-19", "RFC 9110 §15.5.14", "a declared length over the limit is refused before any content is "
                                + "sent: 413 to the head alone",
                        post("/small", "Content-Length: 17"),
                        refused(413)),
                of("LM-20", "RFC 9110 §15.5.14", "chunked content at the hook's limit (10 + 6) is served",
                        post("/small", "Transfer-Encoding: chunked") + lines("a", fill('b', 10), "6", fill('c', 6), "0",
                                ""),
                        echo().receivedBody(fill('b', 10) + fill('c', 6))),
                of("LM-21", "RFC 9110 §15.5.14", "chunked content one over the hook's limit (10 + 7): 413",
                        post("/small", "Transfer-Encoding: chunked") + lines("a", fill('b', 10), "7", fill('c', 7), "0",
                                ""),
                        refused(413)),
                of("LM-22", "RFC 9110 §15.5.14", "one chunk larger than the limit: 413 as its data arrives",
                        post("/small", "Transfer-Encoding: chunked") + lines("20", fill('b', 32), "0", ""),
                        refused(413)),
                of("LM-23", "RFC 9110 §15.5.14", "a hook with limit 0 takes Content-Length: 0",
                        post("/empty", "Content-Length: 0"),
                        echo().receivedBody("")),
                of("LM-24", "RFC 9110 §15.5.14", "a hook with limit 0 refuses one octet: 413",
                        post("/empty", "Content-Length: 1") + "x",
                        refused(413)),
                of("LM-25", "RFC 9110 §15.5.14", "a hook with limit 0 takes an empty chunked body",
                        post("/empty", "Transfer-Encoding: chunked") + lines("0", ""),
                        echo().receivedBody("")),
                of("LM-26", "RFC 9110 §15.5.14", "a hook with limit 0 refuses a one-octet chunk: 413",
                        post("/empty", "Transfer-Encoding: chunked") + lines("1", "x", "0", ""),
                        refused(413)),
                of("LM-27", "RFC 9110 §15.5.14", "the server's limit (64) applies to a hook without its own",
                        post("/echo", "Content-Length: 64") + fill('b', 64),
                        echo().receivedBody(fill('b', 64))),
                of("LM-28", "RFC 9110 §15.5.14", "one over the server's limit: 413",
                        post("/echo", "Content-Length: 65") + fill('b', 65),
                        refused(413)),
                of("LM-29", "RFC 9110 §15.5.14", "a path without a hook reads up to the server's limit, then 404",
                        post("/nowhere", "Content-Length: 64") + fill('b', 64),
                        notFound()),
                of("LM-30", "RFC 9110 §15.5.5", "a path without a hook: a body over the server's limit is not "
                                + "read through; the answer is still the 404, and the connection closes",
                        post("/nowhere", "Content-Length: 65") + fill('b', 65),
                        notFound().closes()),
                of("LM-31", "RFC 9110 §15.5.14", "a twelve-digit Content-Length is a number, and too large: 413",
                        post("/echo", "Content-Length: 999999999999"),
                        refused(413)),
                of("LM-32", "RFC 9110 §10.1.1", "100-continue with a length over the limit gets the final 413 instead "
                                + "of 100",
                        post("/small", "Expect: 100-continue", "Content-Length: 17"),
                        refused(413)),
                of("LM-33", "RFC 9110 §10.1.1", "100-continue within the limit: 100, then the content is read",
                        post("/small", "Expect: 100-continue", "Content-Length: 16"),
                        Answer.continueOnly())
                        .then(fill('b', 16), echo().receivedBody(fill('b', 16))),

                // ----- empty lines before the request line: the gateway ignores up to 8
                of("LM-34", "RFC 9112 §2.2", "eight empty lines before the request line are ignored",
                        "\r\n".repeat(EMPTY_LINES) + lines("GET /get HTTP/1.1", "Host: gw", ""),
                        got()),
                of("LM-35", "RFC 9112 §2.2", "nine empty lines before the request line: 400",
                        "\r\n".repeat(EMPTY_LINES + 1) + lines("GET /get HTTP/1.1", "Host: gw", ""),
                        refused(400)),

                // ----- chunk-size line with extensions: 1024 octets
                of("LM-36", "RFC 9112 §7.1.1", "a chunk-size line of exactly 1024 octets (size and extension) is read",
                        post("/echo", "Transfer-Encoding: chunked")
                                + lines("5;" + fill('x', CHUNK_LINE - 2), "hello", "0", ""),
                        echo().receivedBody("hello")),
                of("LM-37", "RFC 9112 §7.1.1", "a chunk-size line of 1025 octets: the server limits extensions: 400",
                        post("/echo", "Transfer-Encoding: chunked")
                                + lines("5;" + fill('x', CHUNK_LINE - 1), "hello", "0", ""),
                        refused(400)),

                // ----- timeouts: head and body 400ms, idle 400ms
                of("LM-38", "RFC 9110 §15.5.9", "a head that never ends: 408 and close",
                        lines("GET /get HTTP/1.1", "Host: gw"),
                        refused(408)),
                of("LM-39", "RFC 9110 §15.5.9", "a request line that never ends: 408 and close",
                        "GET /ge",
                        refused(408)),
                of("LM-40", "RFC 9110 §15.5.9", "content shorter than its Content-Length: 408 and close",
                        post("/echo", "Content-Length: 5") + "he",
                        refused(408)),
                of("LM-41", "RFC 9110 §15.5.9", "chunked content that stops inside a chunk: 408 and close",
                        post("/echo", "Transfer-Encoding: chunked") + "5\r\nhe",
                        refused(408)),
                of("LM-42", "RFC 9112 §9.5", "a connection that sends nothing is closed when idle, without an answer",
                        ""));
    }
}
