package io.hookgateway.conformance;

import static io.hookgateway.conformance.Answer.echo;
import static io.hookgateway.conformance.Answer.got;
import static io.hookgateway.conformance.Answer.refused;
import static io.hookgateway.conformance.Conformance.lines;
import static io.hookgateway.conformance.ConformanceCase.of;

import java.util.stream.Stream;

/**
 * Header field lines (RFC 9112 §5, RFC 9110 §5): names, values, whitespace, obs-fold, control octets, repeated
 * fields, and the Host rules of RFC 9112 §3.2.
 */
class FieldSyntaxConformanceTest extends ConformanceSuite {

    static Stream<ConformanceCase> cases() {
        return Conformance.table(
                // ----- what the processor receives
                of("FS-01", "RFC 9112 §5", "field lines reach the processor as name and value, in order",
                        lines("GET /echo HTTP/1.1", "Host: gw", "X-One: 1", "X-Two: 2", ""),
                        echo().receivedFields("Host", "gw", "X-One", "1", "X-Two", "2")),
                of("FS-02", "RFC 9112 §5.1", "OWS (SP) before and after the value is not part of it",
                        lines("GET /echo HTTP/1.1", "Host: gw", "X-A:    v   ", ""),
                        echo().receivedField("X-A", "v")),
                of("FS-03", "RFC 9112 §5.1", "OWS (HTAB) before and after the value is not part of it",
                        lines("GET /echo HTTP/1.1", "Host: gw", "X-A:\t\tv\t", ""),
                        echo().receivedField("X-A", "v")),
                of("FS-04", "RFC 9112 §5.1", "no OWS after the colon at all",
                        lines("GET /echo HTTP/1.1", "Host: gw", "X-A:v", ""),
                        echo().receivedField("X-A", "v")),
                of("FS-05", "RFC 9110 §5.5", "whitespace inside a value is kept as sent",
                        lines("GET /echo HTTP/1.1", "Host: gw", "X-A: a  b\tc", ""),
                        echo().receivedField("X-A", "a  b\tc")),
                of("FS-06", "RFC 9110 §5.5", "an empty value is allowed",
                        lines("GET /echo HTTP/1.1", "Host: gw", "X-Empty:", ""),
                        echo().receivedField("X-Empty", "")),
                of("FS-07", "RFC 9110 §5.5", "a value of only whitespace is empty",
                        lines("GET /echo HTTP/1.1", "Host: gw", "X-Empty:  \t ", ""),
                        echo().receivedField("X-Empty", "")),
                of("FS-08", "RFC 9110 §5.3", "repeated field lines are all kept, in order",
                        lines("GET /echo HTTP/1.1", "Host: gw", "X-A: 1", "X-B: b", "X-A: 2", ""),
                        echo().receivedField("X-A", "1", "2")),
                of("FS-09", "RFC 9110 §5.1", "field names are case-insensitive: a lower-case content-length frames "
                                + "the body, and the name reaches the processor as sent",
                        lines("POST /echo HTTP/1.1", "host: gw", "content-length: 3", "") + "abc",
                        echo().receivedBody("abc").receivedFields("host", "gw", "content-length", "3")),
                of("FS-10", "RFC 9110 §5.5", "obs-text (0x80-0xFF) in a value is allowed and kept as ISO-8859-1",
                        lines("GET /echo HTTP/1.1", "Host: gw", "X-A: caf\u00e9 \u00ff\u0080", ""),
                        echo().receivedField("X-A", "caf\u00e9 \u00ff\u0080")),
                of("FS-11", "RFC 9110 §5.5", "a colon inside a value is part of the value",
                        lines("GET /echo HTTP/1.1", "Host: gw", "X-Url: http://a:1/b", ""),
                        echo().receivedField("X-Url", "http://a:1/b")),
                of("FS-12", "RFC 9110 §5.6.2", "every tchar is allowed in a field name",
                        lines("GET /echo HTTP/1.1", "Host: gw", "!#$%&'*+-.^_`|~09azAZ: v", ""),
                        echo().receivedField("!#$%&'*+-.^_`|~09azAZ", "v")),
                of("FS-13", "RFC 9110 §5.5", "quotes and commas in a value are not split or unquoted",
                        lines("GET /echo HTTP/1.1", "Host: gw", "X-List: \"a, b\", c", ""),
                        echo().receivedField("X-List", "\"a, b\", c")),
                of("FS-14", "RFC 9110 §5.5", "visible ASCII punctuation in a value is kept",
                        lines("GET /echo HTTP/1.1", "Host: gw", "X-P: ()<>@,;:\\\"/[]?={}", ""),
                        echo().receivedField("X-P", "()<>@,;:\\\"/[]?={}")),

                // ----- malformed names and lines
                of("FS-15", "RFC 9112 §5.1", "SP between field name and colon MUST be rejected: 400",
                        lines("GET /get HTTP/1.1", "Host: gw", "X-A : v", ""),
                        refused(400)),
                of("FS-16", "RFC 9112 §5.1", "HTAB between field name and colon MUST be rejected: 400",
                        lines("GET /get HTTP/1.1", "Host: gw", "X-A\t: v", ""),
                        refused(400)),
                of("FS-17", "RFC 9112 §5.1", "SP between name and colon in Host: 400",
                        lines("GET /get HTTP/1.1", "Host : gw", ""),
                        refused(400)),
                of("FS-18", "RFC 9112 §5", "an empty field name: 400",
                        lines("GET /get HTTP/1.1", "Host: gw", ": v", ""),
                        refused(400)),
                of("FS-19", "RFC 9112 §5", "a field line without a colon: 400",
                        lines("GET /get HTTP/1.1", "Host: gw", "X-A v", ""),
                        refused(400)),
                of("FS-20", "RFC 9110 §5.1", "SP inside a field name: 400",
                        lines("GET /get HTTP/1.1", "Host: gw", "X A: v", ""),
                        refused(400)),
                of("FS-21", "RFC 9110 §5.1", "a delimiter ('(') in a field name: 400",
                        lines("GET /get HTTP/1.1", "Host: gw", "X(A): v", ""),
                        refused(400)),
                of("FS-22", "RFC 9110 §5.1", "a non-ASCII octet in a field name: 400",
                        lines("GET /get HTTP/1.1", "Host: gw", "X-\u00c4: v", ""),
                        refused(400)),
                of("FS-23", "RFC 9110 §5.1", "a control octet in a field name: 400",
                        lines("GET /get HTTP/1.1", "Host: gw", "X-\u0001: v", ""),
                        refused(400)),

                // ----- obs-fold and whitespace at the start of a line
                of("FS-24", "RFC 9112 §5.2", "obs-fold (a line starting with SP) is rejected with 400",
                        lines("GET /get HTTP/1.1", "Host: gw", "X-Long: one", " two", ""),
                        refused(400)),
                of("FS-25", "RFC 9112 §5.2", "obs-fold with HTAB: 400",
                        lines("GET /get HTTP/1.1", "Host: gw", "X-Long: one", "\ttwo", ""),
                        refused(400)),
                of("FS-26", "RFC 9112 §5.2", "obs-fold of an empty continuation (SP only): 400",
                        lines("GET /get HTTP/1.1", "Host: gw", "X-Long: one", " ", ""),
                        refused(400)),
                of("FS-27", "RFC 9112 §2.2", "whitespace between the request line and the first field line: 400",
                        lines("GET /get HTTP/1.1", " Host: gw", ""),
                        refused(400)),

                // ----- octets a value never contains
                of("FS-28", "RFC 9110 §5.5", "NUL in a value MUST be rejected or replaced: 400",
                        lines("GET /get HTTP/1.1", "Host: gw", "X-A: a\u0000b", ""),
                        refused(400)),
                of("FS-29", "RFC 9110 §5.5", "a bare CR in a value MUST be rejected or replaced: 400",
                        lines("GET /get HTTP/1.1", "Host: gw", "X-A: a\rb", ""),
                        refused(400)),
                of("FS-30", "RFC 9110 §5.5", "another control octet (0x01) is not field-vchar: 400",
                        lines("GET /get HTTP/1.1", "Host: gw", "X-A: a\u0001b", ""),
                        refused(400)),
                of("FS-31", "RFC 9110 §5.5", "DEL (0x7F) is not field-vchar: 400",
                        lines("GET /get HTTP/1.1", "Host: gw", "X-A: a\u007fb", ""),
                        refused(400)),
                of("FS-32", "RFC 9110 §5.5", "ESC (0x1B) in a value: 400",
                        lines("GET /get HTTP/1.1", "Host: gw", "X-A: \u001b[31m", ""),
                        refused(400)),

                // ----- line endings (RFC 9112 §2.2)
                of("FS-33", "RFC 9112 §2.2", "a field line ending in a bare LF: 400 (documented)",
                        "GET /get HTTP/1.1\r\nHost: gw\nX-A: 1\r\n\r\n",
                        refused(400)),
                of("FS-34", "RFC 9112 §2.2", "a head ending in a bare LF empty line: 400 (documented)",
                        "GET /get HTTP/1.1\r\nHost: gw\r\n\n",
                        refused(400)),
                of("FS-35", "RFC 9112 §2.2", "a bare CR ending a field line: 400",
                        "GET /get HTTP/1.1\r\nHost: gw\rX-A: 1\r\n\r\n",
                        refused(400)),

                // ----- Host (RFC 9112 §3.2, §3.3)
                of("FS-36", "RFC 9112 §3.2", "HTTP/1.1 without Host MUST get 400",
                        lines("GET /get HTTP/1.1", ""),
                        refused(400)),
                of("FS-37", "RFC 9112 §3.2", "two Host field lines MUST get 400",
                        lines("GET /get HTTP/1.1", "Host: a", "Host: b", ""),
                        refused(400)),
                of("FS-38", "RFC 9112 §3.2", "two Host field lines with the same value still MUST get 400",
                        lines("GET /get HTTP/1.1", "Host: gw", "Host: gw", ""),
                        refused(400)),
                of("FS-39", "RFC 9112 §3.2", "two Host lines differing in name case are still two: 400",
                        lines("GET /get HTTP/1.1", "Host: gw", "HOST: gw", ""),
                        refused(400)),
                of("FS-40", "RFC 9110 §5.1", "Host in lower case is Host",
                        lines("GET /get HTTP/1.1", "host: gw", ""),
                        got()),
                of("FS-41", "RFC 9110 §7.2", "Host with a port",
                        lines("GET /echo HTTP/1.1", "Host: gw.example:8080", ""),
                        echo().receivedField("Host", "gw.example:8080")),
                of("FS-42", "RFC 9110 §7.2", "Host with an IPv6 literal and port",
                        lines("GET /get HTTP/1.1", "Host: [::1]:8080", ""),
                        got()),
                of("FS-43", "RFC 9112 §3.3", "an empty Host is valid; the server uses its default authority",
                        lines("GET /get HTTP/1.1", "Host:", ""),
                        got()),
                of("FS-44", "RFC 9112 §3.2", "Host after other fields counts the same",
                        lines("GET /get HTTP/1.1", "X-A: 1", "Accept: */*", "Host: gw", ""),
                        got()));
    }
}
