package io.hookgateway.conformance;

import static io.hookgateway.conformance.Answer.echo;
import static io.hookgateway.conformance.Answer.refused;
import static io.hookgateway.conformance.Conformance.lines;
import static io.hookgateway.conformance.ConformanceCase.of;

import java.util.stream.Stream;

/**
 * How the length of a request's content is found (RFC 9112 §6): Content-Length (RFC 9110 §8.6), Transfer-Encoding
 * (RFC 9112 §6.1), their combinations, and Expect: 100-continue (RFC 9110 §10.1.1).
 */
class FramingConformanceTest extends ConformanceSuite {

    /** A whole request, sent as content. */
    private static final String SMUGGLED = lines("GET /get HTTP/1.1", "Host: gw", "");

    private static String post(String... fields) {
        String[] all = new String[fields.length + 3];
        all[0] = "POST /echo HTTP/1.1";
        all[1] = "Host: gw";
        System.arraycopy(fields, 0, all, 2, fields.length);
        all[all.length - 1] = "";
        return lines(all);
    }

    static Stream<ConformanceCase> cases() {
        return Conformance.table(
                // ----- Content-Length (RFC 9110 §8.6, RFC 9112 §6.3)
                of("FR-01", "RFC 9112 §6.3", "Content-Length gives the length of the content",
                        post("Content-Length: 5") + "hello",
                        echo().receivedBody("hello")),
                of("FR-02", "RFC 9110 §8.6", "Content-Length: 0 is an empty body",
                        post("Content-Length: 0"),
                        echo().receivedBody("")),
                of("FR-03", "RFC 9112 §6.3", "a request with neither Content-Length nor Transfer-Encoding has no "
                                + "content",
                        post(),
                        echo().receivedBody("")),
                of("FR-04", "RFC 9110 §8.6", "leading zeros are still 1*DIGIT: 005 is 5",
                        post("Content-Length: 005") + "hello",
                        echo().receivedBody("hello")),
                of("FR-05", "RFC 9112 §5.1", "OWS around the Content-Length value",
                        post("Content-Length: \t5 \t") + "hello",
                        echo().receivedBody("hello")),
                of("FR-06", "RFC 9110 §8.6", "a list of identical values MAY be taken as that value (the gateway "
                                + "does): 5, 5",
                        post("Content-Length: 5, 5") + "hello",
                        echo().receivedBody("hello")),
                of("FR-07", "RFC 9110 §8.6", "two Content-Length lines with the identical value MAY be taken as one "
                                + "(the gateway does)",
                        post("Content-Length: 5", "Content-Length: 5") + "hello",
                        echo().receivedBody("hello")),
                of("FR-08", "RFC 9112 §6.3", "a list of differing values is invalid framing: 400",
                        post("Content-Length: 5, 6") + "hello",
                        refused(400)),
                of("FR-09", "RFC 9112 §6.3", "two Content-Length lines with differing values: 400",
                        post("Content-Length: 5", "Content-Length: 6") + "hello!",
                        refused(400)),
                of("FR-10", "RFC 9110 §8.6", "a sign is not a DIGIT: +5 is 400",
                        post("Content-Length: +5") + "hello",
                        refused(400)),
                of("FR-11", "RFC 9110 §8.6", "a negative length: -1 is 400",
                        post("Content-Length: -1"),
                        refused(400)),
                of("FR-12", "RFC 9110 §8.6", "a decimal point: 5.0 is 400",
                        post("Content-Length: 5.0") + "hello",
                        refused(400)),
                of("FR-13", "RFC 9110 §8.6", "hexadecimal: 0x5 is 400",
                        post("Content-Length: 0x5") + "hello",
                        refused(400)),
                of("FR-14", "RFC 9110 §8.6", "SP inside the number: 1 0 is 400",
                        post("Content-Length: 1 0") + "0123456789",
                        refused(400)),
                of("FR-15", "RFC 9110 §8.6", "an empty value: 400",
                        post("Content-Length:"),
                        refused(400)),
                of("FR-16", "RFC 9110 §8.6", "a number that overflows 64 bits (20 digits) MUST NOT be misparsed: 400",
                        post("Content-Length: 99999999999999999999") + "hello",
                        refused(400)),
                of("FR-17", "RFC 9110 §8.6", "letters after digits: 5a is 400",
                        post("Content-Length: 5a") + "hello",
                        refused(400)),
                of("FR-18", "RFC 9110 §8.6", "a list ending in an empty element (5,) is not a valid length: 400",
                        post("Content-Length: 5,") + "hello",
                        refused(400)),
                of("FR-19", "RFC 9112 §6.3", "Content-Length on a GET frames its content too",
                        lines("GET /echo HTTP/1.1", "Host: gw", "Content-Length: 4", "") + "abcd",
                        echo().receivedMethod("GET").receivedBody("abcd")),
                of("FR-20", "RFC 9112 §6.3", "content that looks like a request is only content",
                        post("Content-Length: " + SMUGGLED.length()) + SMUGGLED,
                        echo().receivedBody(SMUGGLED)),

                // ----- Transfer-Encoding (RFC 9112 §6.1, §6.3, §7)
                of("FR-21", "RFC 9112 §6.1", "Transfer-Encoding: chunked frames the content",
                        post("Transfer-Encoding: chunked") + lines("5", "hello", "0", ""),
                        echo().receivedBody("hello")),
                of("FR-22", "RFC 9112 §7", "transfer-coding names are case-insensitive: Chunked",
                        post("Transfer-Encoding: Chunked") + lines("5", "hello", "0", ""),
                        echo().receivedBody("hello")),
                of("FR-23", "RFC 9112 §7", "transfer-coding names are case-insensitive: CHUNKED",
                        post("Transfer-Encoding: CHUNKED") + lines("5", "hello", "0", ""),
                        echo().receivedBody("hello")),
                of("FR-24", "RFC 9110 §5.6.1", "an empty list element is ignored: \"chunked,\"",
                        post("Transfer-Encoding: chunked,") + lines("5", "hello", "0", ""),
                        echo().receivedBody("hello")),
                of("FR-25", "RFC 9110 §5.6.1", "an empty list element is ignored: \", chunked\"",
                        post("Transfer-Encoding: , chunked") + lines("5", "hello", "0", ""),
                        echo().receivedBody("hello")),
                of("FR-26", "RFC 9112 §6.1", "a coding the server does not understand before chunked SHOULD get 501: "
                                + "gzip, chunked",
                        post("Transfer-Encoding: gzip, chunked") + lines("0", ""),
                        refused(501)),
                of("FR-27", "RFC 9110 §5.3", "codings over two field lines are one list: gzip then chunked is 501",
                        post("Transfer-Encoding: gzip", "Transfer-Encoding: chunked") + lines("0", ""),
                        refused(501)),
                of("FR-28", "RFC 9112 §6.1", "deflate before chunked: 501",
                        post("Transfer-Encoding: deflate, chunked") + lines("0", ""),
                        refused(501)),
                of("FR-29", "RFC 9112 §6.3", "chunked not last: the length cannot be known, MUST get 400 and close",
                        post("Transfer-Encoding: chunked, gzip") + lines("0", ""),
                        refused(400)),
                of("FR-30", "RFC 9112 §6.3", "a single non-chunked coding (gzip): MUST get 400 and close",
                        post("Transfer-Encoding: gzip") + "hello",
                        refused(400)),
                of("FR-31", "RFC 9112 §6.3", "identity (no longer a coding) is not chunked: 400",
                        post("Transfer-Encoding: identity") + "hello",
                        refused(400)),
                of("FR-32", "RFC 9112 §7", "chunked applied twice (MUST NOT): 400",
                        post("Transfer-Encoding: chunked, chunked") + lines("0", ""),
                        refused(400)),
                of("FR-33", "RFC 9112 §7", "chunked twice over two field lines: 400",
                        post("Transfer-Encoding: chunked", "Transfer-Encoding: chunked") + lines("0", ""),
                        refused(400)),
                of("FR-34", "RFC 9112 §6.3", "an empty Transfer-Encoding has no final chunked: 400",
                        post("Transfer-Encoding:") + lines("0", ""),
                        refused(400)),
                of("FR-35", "RFC 9112 §6.3", "a coding name that only contains chunked (xchunked): 400",
                        post("Transfer-Encoding: xchunked") + lines("0", ""),
                        refused(400)),
                of("FR-36", "RFC 9112 §6.3", "a quoted \"chunked\" is not the chunked coding: 400",
                        post("Transfer-Encoding: \"chunked\"") + lines("0", ""),
                        refused(400)),
                of("FR-37", "RFC 9112 §6.1", "Transfer-Encoding with Content-Length MAY be rejected (the gateway "
                                + "does) and MUST close",
                        post("Transfer-Encoding: chunked", "Content-Length: 5") + lines("5", "hello", "0", ""),
                        refused(400)),
                of("FR-38", "RFC 9112 §6.1", "Content-Length before Transfer-Encoding: 400 and close",
                        post("Content-Length: 5", "Transfer-Encoding: chunked") + lines("5", "hello", "0", ""),
                        refused(400)),
                of("FR-39", "RFC 9112 §6.1", "Transfer-Encoding with Content-Length: 0 (CL.TE smuggling shape): 400",
                        post("Content-Length: 0", "Transfer-Encoding: chunked") + lines("5", "hello", "0", ""),
                        refused(400)),
                of("FR-40", "RFC 9112 §6.1", "Transfer-Encoding with a malformed Content-Length: 400",
                        post("Transfer-Encoding: chunked", "Content-Length: x") + lines("0", ""),
                        refused(400)),
                of("FR-41", "RFC 9112 §6.1", "Transfer-Encoding in an HTTP/1.0 request means faulty framing: 400, "
                                + "close",
                        lines("POST /echo HTTP/1.0", "Transfer-Encoding: chunked", "") + lines("5", "hello", "0", ""),
                        refused(400)),
                of("FR-42", "RFC 9112 §6.3", "chunked content on a GET is read and given to the processor",
                        lines("GET /echo HTTP/1.1", "Host: gw", "Transfer-Encoding: chunked", "")
                                + lines("3", "abc", "0", ""),
                        echo().receivedMethod("GET").receivedBody("abc")),

                // ----- Expect (RFC 9110 §10.1.1)
                of("FR-43", "RFC 9110 §10.1.1", "Expect: 100-continue with the head alone gets 100 Continue, then "
                                + "the content gets the final answer",
                        post("Expect: 100-continue", "Content-Length: 5"),
                        Answer.continueOnly())
                        .then("hello", echo().receivedBody("hello")),
                of("FR-44", "RFC 9110 §10.1.1", "100-continue with the content sent at once: 100, then the answer",
                        post("Expect: 100-continue", "Content-Length: 5") + "hello",
                        echo().afterContinue().receivedBody("hello")),
                of("FR-45", "RFC 9110 §10.1.1", "the expectation is case-insensitive: 100-Continue",
                        post("Expect: 100-Continue", "Content-Length: 5") + "hello",
                        echo().afterContinue().receivedBody("hello")),
                of("FR-46", "RFC 9110 §10.1.1", "100-continue with chunked content: 100, then the answer",
                        post("Expect: 100-continue", "Transfer-Encoding: chunked") + lines("5", "hello", "0", ""),
                        echo().afterContinue().receivedBody("hello")),
                of("FR-47", "RFC 9110 §10.1.1", "100-continue when the framing says there is no content: the "
                                + "100 MAY be omitted (it is), only the final answer",
                        post("Expect: 100-continue", "Content-Length: 0"),
                        echo().receivedBody("")),
                of("FR-48", "RFC 9110 §10.1.1", "an expectation other than 100-continue MAY get 417 (it does)",
                        post("Expect: coffee", "Content-Length: 5") + "hello",
                        refused(417)),
                of("FR-49", "RFC 9110 §10.1.1", "a list with a member other than 100-continue MAY get 417 (it does)",
                        post("Expect: 100-continue, x-other", "Content-Length: 5") + "hello",
                        refused(417)),
                of("FR-50", "RFC 9110 §10.1.1", "100-continue in an HTTP/1.0 request MUST be ignored: no 100",
                        lines("POST /echo HTTP/1.0", "Expect: 100-continue", "Content-Length: 5", "") + "hello",
                        echo().closes().receivedBody("hello").receivedVersion("HTTP/1.0")));
    }
}
