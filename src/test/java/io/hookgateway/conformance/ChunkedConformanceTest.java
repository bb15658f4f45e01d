package io.hookgateway.conformance;

import static io.hookgateway.conformance.Answer.echo;
import static io.hookgateway.conformance.Answer.notFound;
import static io.hookgateway.conformance.Answer.refused;
import static io.hookgateway.conformance.Conformance.lines;
import static io.hookgateway.conformance.ConformanceCase.of;

import java.util.stream.Stream;

/**
 * The chunked transfer coding (RFC 9112 §7.1): chunk sizes, chunk extensions (§7.1.1), the trailer section (§7.1.2),
 * and the CRLF framing around chunk data.
 */
class ChunkedConformanceTest extends ConformanceSuite {

    /** The head of a chunked POST to /echo. */
    private static final String HEAD = lines("POST /echo HTTP/1.1", "Host: gw", "Transfer-Encoding: chunked", "");

    /** Fifty one-octet chunks spelling the alphabet twice, less two letters, then the last chunk. */
    private static String manyChunks() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            b.append("1\r\n").append((char) ('a' + i % 26)).append("\r\n");
        }
        return b.append("0\r\n\r\n").toString();
    }

    private static String manyChunksBody() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            b.append((char) ('a' + i % 26));
        }
        return b.toString();
    }

    static Stream<ConformanceCase> cases() {
        return Conformance.table(
                // ----- sizes (RFC 9112 §7.1)
                of("CH-01", "RFC 9112 §7.1", "one chunk and the last chunk",
                        HEAD + lines("5", "hello", "0", ""),
                        echo().receivedBody("hello")),
                of("CH-02", "RFC 9112 §7.1", "several chunks are joined in order",
                        HEAD + lines("3", "hel", "2", "lo", "6", " world", "0", ""),
                        echo().receivedBody("hello world")),
                of("CH-03", "RFC 9112 §7.1", "the size is hexadecimal, upper case: A is 10",
                        HEAD + lines("A", "0123456789", "0", ""),
                        echo().receivedBody("0123456789")),
                of("CH-04", "RFC 9112 §7.1", "the size is hexadecimal, lower case: 1a is 26",
                        HEAD + lines("1a", "abcdefghijklmnopqrstuvwxyz", "0", ""),
                        echo().receivedBody("abcdefghijklmnopqrstuvwxyz")),
                of("CH-05", "RFC 9112 §7.1", "leading zeros in a size: 0005 is 5",
                        HEAD + lines("0005", "hello", "0", ""),
                        echo().receivedBody("hello")),
                of("CH-06", "RFC 9112 §7.1", "last-chunk is 1*\"0\": 000 ends the content",
                        HEAD + lines("5", "hello", "000", ""),
                        echo().receivedBody("hello")),
                of("CH-07", "RFC 9112 §7.1", "only the last chunk: empty content",
                        HEAD + lines("0", ""),
                        echo().receivedBody("")),
                of("CH-08", "RFC 9112 §7.1", "chunk data is octets: CR LF inside the data is data",
                        HEAD + lines("6", "\r\n\r\nab", "0", ""),
                        echo().receivedBody("\r\n\r\nab")),
                of("CH-09", "RFC 9112 §7.1", "fifty one-octet chunks",
                        HEAD + manyChunks(),
                        echo().receivedBody(manyChunksBody())),

                // ----- extensions (RFC 9112 §7.1.1: a recipient MUST ignore extensions it does not understand)
                of("CH-10", "RFC 9112 §7.1.1", "an extension name alone is ignored",
                        HEAD + lines("5;ext", "hello", "0", ""),
                        echo().receivedBody("hello")),
                of("CH-11", "RFC 9112 §7.1.1", "an extension with a token value is ignored",
                        HEAD + lines("5;name=value", "hello", "0", ""),
                        echo().receivedBody("hello")),
                of("CH-12", "RFC 9112 §7.1.1", "an extension with a quoted-string value holding ';' and SP",
                        HEAD + lines("5;name=\"a b;c\"", "hello", "0", ""),
                        echo().receivedBody("hello")),
                of("CH-13", "RFC 9112 §7.1.1", "several extensions",
                        HEAD + lines("5;a=1;b=2;c", "hello", "0", ""),
                        echo().receivedBody("hello")),
                of("CH-14", "RFC 9112 §7.1.1", "BWS around ';' and '=' in an extension",
                        HEAD + lines("5 ; a = 1", "hello", "0", ""),
                        echo().receivedBody("hello")),
                of("CH-15", "RFC 9112 §7.1", "the last chunk may carry an extension",
                        HEAD + lines("5", "hello", "0;done", ""),
                        echo().receivedBody("hello")),
                of("CH-16", "RFC 9112 §7.1.1", "obs-text in a quoted extension value",
                        HEAD + lines("5;n=\"caf\u00e9\"", "hello", "0", ""),
                        echo().receivedBody("hello")),

                // ----- trailer section (RFC 9112 §7.1.2)
                of("CH-17", "RFC 9112 §7.1.2", "a trailer field is read; the gateway MAY discard it (it does)",
                        HEAD + lines("5", "hello", "0", "X-Checksum: abc", ""),
                        echo().receivedBody("hello").receivedField("X-Checksum")),
                of("CH-18", "RFC 9112 §7.1.2", "several trailer fields",
                        HEAD + lines("5", "hello", "0", "X-A: 1", "X-B: 2", "X-A: 3", ""),
                        echo().receivedBody("hello").receivedField("X-A").receivedField("X-B")),
                of("CH-19", "RFC 9110 §6.5.1", "a Content-Length trailer cannot reframe the message",
                        HEAD + lines("5", "hello", "0", "Content-Length: 50", ""),
                        echo().receivedBody("hello").receivedField("Content-Length")),
                of("CH-20", "RFC 9112 §7.1.2", "a trailer with obs-fold: 400",
                        HEAD + lines("5", "hello", "0", "X-A: 1", " 2", ""),
                        refused(400)),
                of("CH-21", "RFC 9112 §5.1", "a trailer with whitespace before the colon: 400",
                        HEAD + lines("5", "hello", "0", "X-A : 1", ""),
                        refused(400)),
                of("CH-22", "RFC 9112 §7.1.2", "a trailer line without a colon: 400",
                        HEAD + lines("5", "hello", "0", "X-A", ""),
                        refused(400)),
                of("CH-23", "RFC 9110 §5.5", "a NUL in a trailer value: 400",
                        HEAD + lines("5", "hello", "0", "X-A: a\u0000b", ""),
                        refused(400)),

                // ----- malformed sizes
                of("CH-24", "RFC 9112 §7.1", "a size that is not hex (zz): 400",
                        HEAD + lines("zz", "hello", "0", ""),
                        refused(400)),
                of("CH-25", "RFC 9112 §7.1", "a negative size: 400",
                        HEAD + lines("-5", "hello", "0", ""),
                        refused(400)),
                of("CH-26", "RFC 9112 §7.1", "a 0x prefix is not hex digits: 400",
                        HEAD + lines("0x5", "hello", "0", ""),
                        refused(400)),
                of("CH-27", "RFC 9112 §7.1", "an empty size line: 400",
                        HEAD + lines("", "hello", "0", ""),
                        refused(400)),
                of("CH-28", "RFC 9112 §7.1", "whitespace before the size: 400",
                        HEAD + lines(" 5", "hello", "0", ""),
                        refused(400)),
                of("CH-29", "RFC 9112 §7.1", "a size that overflows 64 bits (16 hex digits) MUST NOT be misparsed: "
                                + "400",
                        HEAD + lines("10000000000000005", "hello", "0", ""),
                        refused(400)),
                of("CH-30", "RFC 9112 §7.1", "sixteen f's (-1 when truncated to a signed long): 400",
                        HEAD + lines("ffffffffffffffff", "hello", "0", ""),
                        refused(400)),
                of("CH-31", "RFC 9112 §7.1.1", "text after the size that is not an extension: 400",
                        HEAD + lines("5 x", "hello", "0", ""),
                        refused(400)),
                of("CH-32", "RFC 9112 §7.1.1", "a control octet in an extension: 400",
                        HEAD + lines("5;a=\u0001", "hello", "0", ""),
                        refused(400)),
                of("CH-33", "RFC 9112 §2.2", "a bare CR inside the size line: 400",
                        HEAD + lines("5;a\rb", "hello", "0", ""),
                        refused(400)),

                // ----- framing around chunk data
                of("CH-34", "RFC 9112 §7.1", "chunk data not followed by CRLF: 400",
                        HEAD + "5\r\nhelloX\r\n0\r\n\r\n",
                        refused(400)),
                of("CH-35", "RFC 9112 §7.1", "more data than the size said: 400",
                        HEAD + lines("3", "hello", "0", ""),
                        refused(400)),
                of("CH-36", "RFC 9112 §7.1", "less data than the size said: the size takes in the CRLF, and \"0\" "
                                + "comes where CRLF must: 400",
                        HEAD + lines("7", "hello", "0", ""),
                        refused(400)),
                of("CH-37", "RFC 9112 §2.2", "a size line ending in a bare LF: 400 (documented)",
                        HEAD + "5\nhello\r\n0\r\n\r\n",
                        refused(400)),
                of("CH-38", "RFC 9112 §2.2", "chunk data followed by a bare LF: 400 (documented)",
                        HEAD + "5\r\nhello\n0\r\n\r\n",
                        refused(400)),
                of("CH-39", "RFC 9112 §2.2", "the last chunk ending in a bare LF: 400 (documented)",
                        HEAD + "5\r\nhello\r\n0\n\r\n",
                        refused(400)),
                of("CH-40", "RFC 9112 §2.2", "the trailer section ending in a bare LF: 400 (documented)",
                        HEAD + "5\r\nhello\r\n0\r\n\n",
                        refused(400)),
                of("CH-41", "RFC 9112 §6.3", "a chunked body to a path with no hook is read through, then 404 and "
                                + "the connection goes on",
                        lines("POST /nowhere HTTP/1.1", "Host: gw", "Transfer-Encoding: chunked", "")
                                + lines("5", "hello", "0", ""),
                        notFound()),
                of("CH-42", "RFC 9112 §7.1.1", "whitespace after the size with no extension is not the grammar: 400",
                        HEAD + lines("5 ", "hello", "0", ""),
                        refused(400)),
                of("CH-43", "RFC 9112 §7.1.1", "an extension without a name is not the grammar: 400",
                        HEAD + lines("5;", "hello", "0", ""),
                        refused(400)),
                of("CH-44", "RFC 9112 §7.1.1", "BWS around ';' and '=' and a quoted value are the grammar",
                        HEAD + lines("5 ; a = \"x;y\"", "hello", "0", ""),
                        echo().receivedBody("hello")));
    }
}
