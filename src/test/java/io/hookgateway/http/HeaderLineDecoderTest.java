package io.hookgateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.hookgateway.testing.TrackedBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Unit tests of {@link HeaderLineDecoder} alone in an {@link EmbeddedChannel}: what it emits for well-formed heads and
 * bodies (fixed-length, none, chunked), every {@link RequestFailure} it can produce and the input that triggers it,
 * its limits at and just over their bounds, discarding after a failure, the AWAIT_RESPONSE hold between pipelined
 * requests, and that the decoded result does not depend on how the input is split into reads.
 */
class HeaderLineDecoderTest {

    private static final String CHUNKED_REQUEST = "\r\n"
            + "POST /hooks/%41//lamp/?state=on&x=1&x=2 HTTP/1.1\r\n"
            + "Host: gateway.local\r\n"
            + "Transfer-Encoding: chunked\r\n"
            + "X-Signature:  abc \r\n"
            + "\r\n"
            + "5;name=value\r\n"
            + "hello\r\n"
            + "C ; ext ; q=\"x y\"\r\n"
            + " chunked\r\n\r\n\r\n"
            + "000\r\n"
            + "X-Trailer: done\r\n"
            + "\r\n";

    private static final String CONTENT_LENGTH_REQUEST = "POST /post HTTP/1.1\r\n"
            + "Host: gateway.local\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 16\r\n"
            + "\r\n"
            + "line1\r\n\r\nGET / \n";

    private static final String SIMPLE_GET = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";

    // ---------------------------------------------------------------------------------------------------- heads

    @Test
    void decodesGetHeadWithQueryAndCaseInsensitiveRepeatedHeaders() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("GET /hooks/lamp?x=1&name=a+b&x=2 HTTP/1.1\r\n"
                + "Host: gateway.local\r\n"
                + "X-Multi: one\r\n"
                + "x-multi: two\r\n"
                + "Accept:\t*/*  \r\n"
                + "\r\n"));

        RequestHead head = readHead(channel);
        assertThat(head.isFailed()).isFalse();
        assertThat(head.method()).isEqualTo(HttpMethod.GET);
        assertThat(head.rawTarget()).isEqualTo("/hooks/lamp?x=1&name=a+b&x=2");
        assertThat(head.path()).isEqualTo("/hooks/lamp");
        assertThat(head.rawQuery()).isEqualTo("x=1&name=a+b&x=2");
        assertThat(head.queryParameters()).isEqualTo(Map.of("x", List.of("1", "2"), "name", List.of("a b")));
        assertThat(head.version()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(head.headers().get("HOST")).isEqualTo("gateway.local");
        assertThat(head.headers().getAll("X-MULTI")).containsExactly("one", "two");
        // RFC 9112 §5.1: OWS around the field value is not part of it.
        assertThat(head.headers().get("accept")).isEqualTo("*/*");
        assertThat(head.headers().size()).isEqualTo(4);
        assertThat(head.contentLength()).isEqualTo(RequestHead.NO_CONTENT_LENGTH);
        assertThat(head.isChunked()).isFalse();
        assertThat(head.hasBody()).isFalse();
        assertThat(head.isKeepAlive()).isTrue();
        assertThat(head.expectsContinue()).isFalse();
        assertThat(nextInbound(channel)).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(nextInbound(channel)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void decodesPostHeadAndContentLengthBody() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes(CONTENT_LENGTH_REQUEST));

        RequestHead head = readHead(channel);
        assertThat(head.method()).isEqualTo(HttpMethod.POST);
        assertThat(head.path()).isEqualTo("/post");
        assertThat(head.rawQuery()).isNull();
        assertThat(head.queryParameters()).isEmpty();
        assertThat(head.contentLength()).isEqualTo(16);
        assertThat(head.hasBody()).isTrue();
        assertThat(head.headers().get("content-type")).isEqualTo("text/plain");
        // The body's own CRLFs and LFs are data, not lines.
        assertThat(readBody(channel)).isEqualTo("line1\r\n\r\nGET / \n");
        assertThat(nextInbound(channel)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void emitsBodySlicesAsTheyArriveAndLastContentAtTheDeclaredLength() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc"));
        readHead(channel);
        HttpContent first = next(channel);
        assertThat(first).isNotInstanceOf(LastHttpContent.class);
        assertThat(first.content().toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
        first.release();
        assertThat(nextInbound(channel)).isNull();

        // Bytes after the declared length belong to the next request, not this body.
        channel.writeInbound(bytes("defghijGET"));
        HttpContent last = next(channel);
        assertThat(last).isInstanceOf(LastHttpContent.class);
        assertThat(last.content().toString(StandardCharsets.US_ASCII)).isEqualTo("defghij");
        last.release();
        assertThat(nextInbound(channel)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void treatsRequestWithoutContentLengthOrTransferEncodingAsHavingNoBody() {
        // RFC 9112 §6.3 (7): a request with neither Content-Length nor Transfer-Encoding has a zero-length body.
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("POST /p HTTP/1.1\r\nHost: h\r\n\r\nthis is not a body"));
        RequestHead head = readHead(channel);
        assertThat(head.hasBody()).isFalse();
        assertThat(head.contentLength()).isEqualTo(RequestHead.NO_CONTENT_LENGTH);
        assertThat(nextInbound(channel)).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(nextInbound(channel)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void treatsContentLengthZeroAsNoBody() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"));
        RequestHead head = readHead(channel);
        assertThat(head.contentLength()).isZero();
        assertThat(head.hasBody()).isFalse();
        assertThat(nextInbound(channel)).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void acceptsRepeatedIdenticalContentLength() {
        // RFC 9110 §8.6: a list of identical values (or repeated identical fields) may be taken as that one value.
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\n"
                + "Content-Length: 3\r\n\r\nabc"));
        assertThat(readHead(channel).contentLength()).isEqualTo(3);
        assertThat(readBody(channel)).isEqualTo("abc");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void canonicalizesPathButKeepsRawTarget() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("GET //a/%41//b/?q=%2F HTTP/1.1\r\nHost: h\r\n\r\n"));
        RequestHead head = readHead(channel);
        assertThat(head.rawTarget()).isEqualTo("//a/%41//b/?q=%2F");
        assertThat(head.path()).isEqualTo("/a/A/b");
        assertThat(head.rawQuery()).isEqualTo("q=%2F");
        assertThat(head.queryParameters()).containsEntry("q", List.of("/"));
        nextInbound(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "http://example.com/x/y?z=1,   /x/y, z=1",
            "HTTPS://example.com:8443/x,   /x,",
            "http://example.com,           /,",
            "http://example.com?z=1,       /,    z=1",
    })
    void reducesAbsoluteFormToItsPath(String target, String path, String query) {
        // RFC 9112 §3.2.2: a server MUST accept the absolute-form in requests.
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("GET " + target + " HTTP/1.1\r\nHost: example.com\r\n\r\n"));
        RequestHead head = readHead(channel);
        assertThat(head.isFailed()).isFalse();
        assertThat(head.rawTarget()).isEqualTo(target);
        assertThat(head.path()).isEqualTo(path);
        assertThat(head.rawQuery()).isEqualTo(query);
        nextInbound(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void acceptsAsteriskFormForOptions() {
        // RFC 9112 §3.2.4: asterisk-form is only used for a server-wide OPTIONS request.
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"));
        RequestHead head = readHead(channel);
        assertThat(head.method()).isEqualTo(HttpMethod.OPTIONS);
        assertThat(head.path()).isEqualTo("*");
        assertThat(head.rawTarget()).isEqualTo("*");
        nextInbound(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void acceptsHttp10WithoutHost() {
        // RFC 9112 §3.2: only HTTP/1.1 requests must carry Host.
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("GET /x HTTP/1.0\r\n\r\n"));
        RequestHead head = readHead(channel);
        assertThat(head.isFailed()).isFalse();
        assertThat(head.version()).isEqualTo(HttpVersion.HTTP_1_0);
        nextInbound(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void keepsObsTextInFieldValuesAsLatin1() {
        // RFC 9110 §5.5: field-vchar includes obs-text (%x80-FF).
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("GET / HTTP/1.1\r\nHost: h\r\nX-Name: caf\u00e9\r\n\r\n"));
        assertThat(readHead(channel).headers().get("x-name")).isEqualTo("caf\u00e9");
        nextInbound(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest(name = "{0} Connection: [{1}] -> keepAlive={2}")
    @CsvSource(delimiter = '|', value = {
            "HTTP/1.1 |                       | true",
            "HTTP/1.1 | close                 | false",
            "HTTP/1.1 | Close                 | false",
            "HTTP/1.1 | keep-alive            | true",
            "HTTP/1.1 | upgrade, close        | false",
            "HTTP/1.0 |                       | false",
            "HTTP/1.0 | keep-alive            | true",
            "HTTP/1.0 | Keep-Alive            | true",
            "HTTP/1.0 | keep-alive, close     | false",
    })
    void decidesPersistenceFromVersionAndConnection(String version, String connection, boolean keepAlive) {
        // RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 persists only with "keep-alive".
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("GET / " + version + "\r\nHost: h\r\n"
                + (connection == null ? "" : "Connection: " + connection + "\r\n") + "\r\n"));
        assertThat(readHead(channel).isKeepAlive()).isEqualTo(keepAlive);
        nextInbound(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest(name = "{0} Expect: {1} -> expectsContinue={2}")
    @CsvSource({
            "HTTP/1.1, 100-continue, true",
            "HTTP/1.1, 100-Continue, true",
            "HTTP/1.0, 100-continue, false",
            "HTTP/1.0, something-else, false",
    })
    void readsExpectContinueOnlyFromHttp11(String version, String expect, boolean expected) {
        // RFC 9110 §10.1.1: a server that receives 100-continue in an HTTP/1.0 request MUST ignore it.
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("POST / " + version + "\r\nHost: h\r\nExpect: " + expect
                + "\r\nContent-Length: 1\r\n\r\nx"));
        RequestHead head = readHead(channel);
        assertThat(head.isFailed()).isFalse();
        assertThat(head.expectsContinue()).isEqualTo(expected);
        assertThat(readBody(channel)).isEqualTo("x");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    // ---------------------------------------------------------------------------------------------------- chunked

    @Test
    void decodesChunkedBodyWithExtensionsAndTrailers() {
        // RFC 9112 §7.1: chunk extensions are ignored; §7.1.2: trailers end with an empty line.
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes(CHUNKED_REQUEST));
        RequestHead head = readHead(channel);
        assertThat(head.isChunked()).isTrue();
        assertThat(head.hasBody()).isTrue();
        assertThat(head.contentLength()).isEqualTo(RequestHead.NO_CONTENT_LENGTH);
        assertThat(head.path()).isEqualTo("/hooks/A/lamp");
        assertThat(head.headers().get("x-signature")).isEqualTo("abc");
        assertThat(head.headers().contains("x-trailer")).isFalse();
        assertThat(readBody(channel)).isEqualTo("hello chunked\r\n\r\n");
        assertThat(nextInbound(channel)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void decodesChunkedBodyWithoutTrailers() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\n\r\n"));
        readHead(channel);
        assertThat(readBody(channel)).isEqualTo("abc");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void decodesEmptyChunkedBody() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
        assertThat(readHead(channel).isChunked()).isTrue();
        assertThat(readBody(channel)).isEmpty();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void acceptsFifteenHexDigitChunkSize() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "000000000000003\r\nabc\r\n0\r\n\r\n"));
        readHead(channel);
        assertThat(readBody(channel)).isEqualTo("abc");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void acceptsChunkLineAtItsLimit() {
        String line = "1;" + "a".repeat(ChunkedBody.MAX_CHUNK_LINE_BYTES - 2);
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + line + "\r\nx\r\n0\r\n\r\n"));
        readHead(channel);
        assertThat(readBody(channel)).isEqualTo("x");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    // ---------------------------------------------------------------------------------------------------- splits

    static Stream<Arguments> validInputs() {
        return Stream.of(
                Arguments.of("chunked body", CHUNKED_REQUEST, 1),
                Arguments.of("content-length body", CONTENT_LENGTH_REQUEST, 1),
                Arguments.of("pipelined pair", CONTENT_LENGTH_REQUEST + CHUNKED_REQUEST, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validInputs")
    void decodesTheSameAtEverySplitPoint(String label, String request, int requests) {
        byte[] input = request.getBytes(StandardCharsets.ISO_8859_1);
        List<String> expected = decodeInPieces(input, new int[0]);
        assertThat(expected).filteredOn(s -> s.startsWith("head ")).hasSize(requests);
        assertThat(expected).filteredOn(s -> s.startsWith("body ")).hasSize(requests);
        assertThat(expected).noneMatch(s -> s.contains("failed") || s.startsWith("message "));
        assertThat(expected).endsWith("idle true");
        for (int i = 1; i < input.length; i++) {
            assertThat(decodeInPieces(input, new int[] {i})).as("split at %d", i).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validInputs")
    void decodesTheSameByteByByte(String label, String request, int requests) {
        byte[] input = request.getBytes(StandardCharsets.ISO_8859_1);
        int[] cuts = new int[input.length - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        assertThat(decodeInPieces(input, cuts)).isEqualTo(decodeInPieces(input, new int[0]));
    }

    // ---------------------------------------------------------------------------------------------------- failures

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP/1.2", "HTTP/1.9"})
    void processesAHigherMinorVersionAsHttp11(String version) {
        // RFC 9110 §2.5: a recipient SHOULD process a higher minor version as the highest it conforms to.
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("GET /x " + version + "\r\nHost: h\r\n\r\n"));
        RequestHead head = readHead(channel);
        assertThat(head.isFailed()).isFalse();
        assertThat(head.version()).isEqualTo(HttpVersion.HTTP_1_1);
        nextInbound(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"example.com", "example.com:8080", "192.168.1.50:8080", "[::1]", "[::1]:8080", "",
            "a-b_c~d.e", "%41b"})
    void acceptsValidHostValues(String host) {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("GET /x HTTP/1.1\r\nHost: " + host + "\r\n\r\n"));
        assertThat(readHead(channel).isFailed()).isFalse();
        nextInbound(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void acceptsRepeatedContinueExpectationsAndEmptyListMembers() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("POST /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue, ,100-Continue\r\n"
                + "Content-Length: 1\r\n\r\n"));
        RequestHead head = readHead(channel);
        assertThat(head.isFailed()).isFalse();
        assertThat(head.expectsContinue()).isTrue();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"5;a", "5 ;a", "5; a = b", "5;a=\"quoted ; value\"", "5;a=\"esc\\\"aped\";b=2"})
    void acceptsChunkExtensionsOfTheGrammar(String sizeLine) {
        // RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + sizeLine + "\r\nhello\r\n0\r\n\r\n"));
        readHead(channel);
        assertThat(readBody(channel)).isEqualTo("hello");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void acceptsAContentLengthWithLeadingZerosBeyondEighteenDigits() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 00000000000000000000001\r\n\r\na"));
        assertThat(readHead(channel).contentLength()).isEqualTo(1);
        assertThat(readBody(channel)).isEqualTo("a");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void acceptsAChunkSizeWithLeadingZerosBeyondFifteenDigits() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "00000000000000000001\r\na\r\n0\r\n\r\n"));
        readHead(channel);
        assertThat(readBody(channel)).isEqualTo("a");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    static Stream<Arguments> headFailures() {
        return Stream.of(
                // RFC 9112 §3.2: a Host that is not uri-host [":" port] is answered 400.
                failure("Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", RequestFailure.INVALID_HOST),
                failure("Host with userinfo", "GET / HTTP/1.1\r\nHost: u@h\r\n\r\n", RequestFailure.INVALID_HOST),
                failure("Host with a path", "GET / HTTP/1.1\r\nHost: h/x\r\n\r\n", RequestFailure.INVALID_HOST),
                failure("Host with a bad port", "GET / HTTP/1.1\r\nHost: h:80a\r\n\r\n", RequestFailure.INVALID_HOST),
                // RFC 9110 §4.2.4: userinfo in an http URI is an error.
                failure("userinfo in absolute-form", "GET http://u:p@h/x HTTP/1.1\r\nHost: h\r\n\r\n",
                        RequestFailure.BAD_TARGET),
                // RFC 9110 §10.1.1: any expectation but 100-continue, in any Expect field.
                failure("second Expect field", "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                        + "Expect: foo\r\n\r\n", RequestFailure.UNSUPPORTED_EXPECTATION),
                // RFC 9112 §3: request-line = method SP request-target SP HTTP-version
                failure("no version", "GET /\r\nHost: h\r\n\r\n", RequestFailure.BAD_REQUEST_LINE),
                failure("no target", "GET\r\nHost: h\r\n\r\n", RequestFailure.BAD_REQUEST_LINE),
                failure("two spaces", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_REQUEST_LINE),
                failure("trailing space", "GET / HTTP/1.1 \r\nHost: h\r\n\r\n", RequestFailure.BAD_REQUEST_LINE),
                failure("leading space", " GET / HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_REQUEST_LINE),
                failure("space in target", "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_REQUEST_LINE),
                // RFC 9112 §2.3: HTTP-name is case-sensitive, HTTP-version = HTTP-name "/" DIGIT "." DIGIT
                failure("lower-case version", "GET / http/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_REQUEST_LINE),
                failure("garbage version", "GET / HTTP/x.y\r\nHost: h\r\n\r\n", RequestFailure.BAD_REQUEST_LINE),
                failure("long version", "GET / HTTP/1.10\r\nHost: h\r\n\r\n", RequestFailure.BAD_REQUEST_LINE),
                failure("other protocol", "GET / FTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_REQUEST_LINE),
                failure("HTTP/2.0", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", RequestFailure.UNSUPPORTED_VERSION),
                failure("HTTP/0.9", "GET / HTTP/0.9\r\nHost: h\r\n\r\n", RequestFailure.UNSUPPORTED_VERSION),
                // RFC 9112 §3.1 / RFC 9110 §5.6.2: method = token
                failure("method with @", "GE@T / HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_METHOD),
                failure("method with (", "(GET) / HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_METHOD),
                failure("method with tab", "GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_METHOD),
                // RFC 9112 §3.2: the four forms of request-target
                failure("fragment", "GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_TARGET),
                failure("relative path", "GET a/b HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_TARGET),
                failure("absolute-form without host", "GET http:///a HTTP/1.1\r\nHost: h\r\n\r\n",
                        RequestFailure.BAD_TARGET),
                failure("other scheme", "GET ftp://h/a HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_TARGET),
                // RFC 9110 §9.1: a method the server does not implement gets 501, CONNECT included.
                failure("CONNECT", "CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.METHOD_NOT_IMPLEMENTED),
                failure("unknown method", "FOO / HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.METHOD_NOT_IMPLEMENTED),
                failure("lower-case method", "get / HTTP/1.1\r\nHost: h\r\n\r\n",
                        RequestFailure.METHOD_NOT_IMPLEMENTED),
                // RFC 3986 §2 / RFC 9112 §3: characters a URI cannot hold must be percent-encoded.
                failure("'<' in target", "GET /a<b HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_TARGET),
                failure("'{' in target", "GET /a{b} HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_TARGET),
                failure("'|' in target", "GET /a|b HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_TARGET),
                failure("bad port in absolute-form", "GET http://h:abc/x HTTP/1.1\r\nHost: h\r\n\r\n",
                        RequestFailure.BAD_TARGET),
                failure("asterisk with GET", "GET * HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_TARGET),
                failure("non-ASCII target", "GET /caf\u00e9 HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_TARGET),
                // RequestPath: encoded slash, bad escapes, dot segments, controls
                failure("encoded slash", "GET /a%2Fb HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_PATH),
                failure("bad escape", "GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_PATH),
                failure("dot-dot segment", "GET /a/../b HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_PATH),
                failure("encoded dot-dot", "GET /%2e%2E/b HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_PATH),
                failure("encoded NUL", "GET /a%00 HTTP/1.1\r\nHost: h\r\n\r\n", RequestFailure.BAD_PATH),
                failure("bad path in absolute-form", "GET http://h/a/./b HTTP/1.1\r\nHost: h\r\n\r\n",
                        RequestFailure.BAD_PATH),
                // RFC 9112 §2.2: bare LF and bare CR are refused
                failure("bare LF after request line", "GET / HTTP/1.1\nHost: h\r\n\r\n",
                        RequestFailure.BAD_LINE_ENDING),
                failure("bare LF after field", "GET / HTTP/1.1\r\nHost: h\n\r\n", RequestFailure.BAD_LINE_ENDING),
                failure("bare LF ending the head", "GET / HTTP/1.1\r\nHost: h\r\n\n",
                        RequestFailure.BAD_LINE_ENDING),
                failure("bare LF as first line", "\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
                        RequestFailure.BAD_LINE_ENDING),
                failure("bare CR in request line", "GET /\r HTTP/1.1\r\nHost: h\r\n\r\n",
                        RequestFailure.BAD_LINE_ENDING),
                failure("bare CR in field value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n",
                        RequestFailure.BAD_LINE_ENDING),
                failure("CR CR LF", "GET / HTTP/1.1\r\r\nHost: h\r\n\r\n", RequestFailure.BAD_LINE_ENDING),
                failure("bare CR in field name", "GET / HTTP/1.1\r\nHost: h\r\nX\rY: v\r\n\r\n",
                        RequestFailure.BAD_LINE_ENDING),
                failure("bare CR after colon", "GET / HTTP/1.1\r\nHost: h\r\nX:\r\r\n\r\n",
                        RequestFailure.BAD_LINE_ENDING),
                failure("bare CR ending a value", "GET / HTTP/1.1\r\nHost: h\r\nX: v \r\r\n\r\n",
                        RequestFailure.BAD_LINE_ENDING),
                // RFC 9112 §5 / RFC 9110 §5.1, §5.5: field-line = field-name ":" OWS field-value OWS
                failure("no colon", "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", RequestFailure.BAD_HEADER),
                failure("empty name", "GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n", RequestFailure.BAD_HEADER),
                failure("name not a token", "GET / HTTP/1.1\r\nHost: h\r\nX[1]: v\r\n\r\n",
                        RequestFailure.BAD_HEADER),
                failure("space inside name", "GET / HTTP/1.1\r\nHost: h\r\nX Y: v\r\n\r\n",
                        RequestFailure.BAD_HEADER),
                failure("NUL in value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\u0000b\r\n\r\n",
                        RequestFailure.BAD_HEADER),
                failure("DEL in value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\u007fb\r\n\r\n",
                        RequestFailure.BAD_HEADER),
                // RFC 9112 §5.1: a server MUST reject whitespace between field name and colon with 400
                failure("space before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n",
                        RequestFailure.WHITESPACE_BEFORE_COLON),
                failure("tab before colon", "GET / HTTP/1.1\r\nHost\t: h\r\n\r\n",
                        RequestFailure.WHITESPACE_BEFORE_COLON),
                // RFC 9112 §5.2 obs-fold, and §2.2 whitespace before the first field line
                failure("obs-fold with spaces", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n  b\r\n\r\n",
                        RequestFailure.OBS_FOLD),
                failure("obs-fold with tab", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n\tb\r\n\r\n",
                        RequestFailure.OBS_FOLD),
                failure("whitespace before first field", "GET / HTTP/1.1\r\n Host: h\r\n\r\n",
                        RequestFailure.OBS_FOLD),
                // RFC 9112 §3.2: exactly one Host
                failure("HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", RequestFailure.BAD_HOST),
                failure("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", RequestFailure.BAD_HOST),
                failure("two Host fields on HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
                        RequestFailure.BAD_HOST),
                // RFC 9110 §8.6: Content-Length = 1*DIGIT
                failure("non-numeric length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n",
                        RequestFailure.BAD_CONTENT_LENGTH),
                failure("negative length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n",
                        RequestFailure.BAD_CONTENT_LENGTH),
                failure("signed length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\n",
                        RequestFailure.BAD_CONTENT_LENGTH),
                failure("space inside length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1 0\r\n\r\n",
                        RequestFailure.BAD_CONTENT_LENGTH),
                failure("empty length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n",
                        RequestFailure.BAD_CONTENT_LENGTH),
                failure("differing list", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 6\r\n\r\n",
                        RequestFailure.BAD_CONTENT_LENGTH),
                failure("differing fields",
                        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
                        RequestFailure.BAD_CONTENT_LENGTH),
                // RFC 9110 §8.6: only identical values merge; "03" and "3" are the same number, not the same value.
                failure("equal numbers written differently",
                        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 03\r\nContent-Length: 3\r\n\r\n",
                        RequestFailure.BAD_CONTENT_LENGTH),
                failure("nineteen digits",
                        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1000000000000000000\r\n\r\n",
                        RequestFailure.BAD_CONTENT_LENGTH),
                // RFC 9112 §6.1 / §6.3: Transfer-Encoding with Content-Length, on HTTP/1.0, or not ending in chunked
                failure("CL and TE",
                        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
                        RequestFailure.AMBIGUOUS_FRAMING),
                failure("TE on HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
                        RequestFailure.AMBIGUOUS_FRAMING),
                failure("chunked twice", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
                        RequestFailure.BAD_TRANSFER_ENCODING),
                failure("chunked twice in two fields",
                        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
                        RequestFailure.BAD_TRANSFER_ENCODING),
                failure("chunked not last", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
                        RequestFailure.BAD_TRANSFER_ENCODING),
                failure("gzip alone", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n",
                        RequestFailure.BAD_TRANSFER_ENCODING),
                failure("empty TE", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: ,\r\n\r\n",
                        RequestFailure.BAD_TRANSFER_ENCODING),
                // RFC 9112 §6.1: a transfer coding the server does not understand: 501
                failure("gzip then chunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                        RequestFailure.UNSUPPORTED_TRANSFER_ENCODING),
                failure("gzip and chunked in two fields",
                        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n",
                        RequestFailure.UNSUPPORTED_TRANSFER_ENCODING),
                // RFC 9110 §10.1.1: an unsupported expectation may be answered 417
                failure("unsupported Expect", "POST / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\n\r\n",
                        RequestFailure.UNSUPPORTED_EXPECTATION));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("headFailures")
    void refusesMalformedHeadWithFailedRequestHead(String label, String input, RequestFailure expected) {
        HeaderLineDecoder decoder = new HeaderLineDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.writeInbound(bytes(input));
        RequestHead head = readHead(channel);
        assertThat(head.isFailed()).isTrue();
        assertThat(head.failure()).isEqualTo(expected);
        assertThat(head.isKeepAlive()).isFalse();
        assertThat(head.path()).isNull();
        assertThat(nextInbound(channel)).isNull();
        assertThatLaterBytesAreDiscarded(channel, decoder);
    }

    static Stream<Arguments> bodyFailures() {
        String head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
        return Stream.of(
                // RFC 9112 §7.1: chunk-size = 1*HEXDIG
                failure("non-hex size", head + "zz\r\n", RequestFailure.BAD_CHUNK),
                failure("negative size", head + "-1\r\n", RequestFailure.BAD_CHUNK),
                failure("empty size line", head + "\r\n", RequestFailure.BAD_CHUNK),
                failure("junk after size", head + "5x\r\nhello\r\n0\r\n\r\n", RequestFailure.BAD_CHUNK),
                failure("sixteen hex digits", head + "1000000000000000\r\n", RequestFailure.BAD_CHUNK),
                failure("control char in extension", head + "5;a\u0001\r\nhello\r\n0\r\n\r\n",
                        RequestFailure.BAD_CHUNK),
                // RFC 9112 §7.1.1: BWS only before ';' and '=', an extension always has a name
                failure("whitespace after size", head + "5 \r\nhello\r\n0\r\n\r\n", RequestFailure.BAD_CHUNK),
                failure("empty extension name", head + "5;\r\nhello\r\n0\r\n\r\n", RequestFailure.BAD_CHUNK),
                failure("empty extension value", head + "5;a=\r\nhello\r\n0\r\n\r\n", RequestFailure.BAD_CHUNK),
                failure("unterminated quoted value", head + "5;a=\"x\r\nhello\r\n0\r\n\r\n",
                        RequestFailure.BAD_CHUNK),
                failure("chunk line too long",
                        head + "1;" + "a".repeat(ChunkedBody.MAX_CHUNK_LINE_BYTES - 1) + "\r\nx\r\n",
                        RequestFailure.BAD_CHUNK),
                // RFC 9112 §7.1: chunk-data is followed by CRLF
                failure("no CRLF after data", head + "5\r\nhelloXX0\r\n\r\n", RequestFailure.BAD_CHUNK),
                failure("only LF after data", head + "5\r\nhello\n0\r\n\r\n", RequestFailure.BAD_CHUNK),
                failure("data longer than size", head + "3\r\nhello\r\n0\r\n\r\n", RequestFailure.BAD_CHUNK),
                // RFC 9112 §2.2 inside the body
                failure("bare LF after size", head + "5\nhello\r\n0\r\n\r\n", RequestFailure.BAD_LINE_ENDING),
                failure("bare LF after trailer", head + "0\r\nX-T: v\n\r\n", RequestFailure.BAD_LINE_ENDING),
                failure("bare LF ending trailers", head + "0\r\n\n", RequestFailure.BAD_LINE_ENDING),
                failure("bare CR in trailer", head + "0\r\nX-T: a\rb\r\n\r\n", RequestFailure.BAD_LINE_ENDING),
                failure("sixteen hex digits after zeros", head + "0001000000000000000\r\n", RequestFailure.BAD_CHUNK),
                failure("bare CR in size line", head + "5\r;a\r\nhello\r\n0\r\n\r\n",
                        RequestFailure.BAD_LINE_ENDING),
                // RFC 9112 §7.1.2: trailer fields are field lines too
                failure("trailer without colon", head + "0\r\nnot a field\r\n\r\n", RequestFailure.BAD_HEADER),
                failure("trailer whitespace before colon", head + "0\r\nX-T : v\r\n\r\n",
                        RequestFailure.WHITESPACE_BEFORE_COLON),
                failure("folded trailer", head + "0\r\nX-T: v\r\n w\r\n\r\n", RequestFailure.OBS_FOLD));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("bodyFailures")
    void reportsMalformedBodyAsRequestFailureAfterTheHead(String label, String input, RequestFailure expected) {
        HeaderLineDecoder decoder = new HeaderLineDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.writeInbound(bytes(input));
        assertThat(readHead(channel).isFailed()).isFalse();
        Object message;
        while ((message = nextInbound(channel)) instanceof HttpContent content) {
            // Data before the fault may have gone up already, but never the end of the body.
            assertThat(content).isNotInstanceOf(LastHttpContent.class);
            content.release();
        }
        assertThat(message).isEqualTo(expected);
        assertThat(nextInbound(channel)).isNull();
        assertThatLaterBytesAreDiscarded(channel, decoder);
    }

    static Stream<Arguments> allFailures() {
        return Stream.concat(headFailures(), bodyFailures());
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("allFailures")
    void refusesTheSameAtEverySplitPoint(String label, String input, RequestFailure expected) {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        List<String> whole = decodeInPieces(bytes, new int[0]);
        assertThat(String.join("\n", whole)).contains(expected.name());
        for (int i = 1; i < bytes.length; i++) {
            assertThat(decodeInPieces(bytes, new int[] {i})).as("split at %d", i).isEqualTo(whole);
        }
    }

    @Test
    void failedHeadKeepsWhatWasReadBeforeTheFailure() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("HEAD /x?y HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"));
        RequestHead head = readHead(channel);
        assertThat(head.failure()).isEqualTo(RequestFailure.BAD_HOST);
        assertThat(head.method()).isEqualTo(HttpMethod.HEAD);
        assertThat(head.rawTarget()).isEqualTo("/x?y");
        assertThat(head.version()).isEqualTo(HttpVersion.HTTP_1_0);
        assertThat(head.headers().isEmpty()).isTrue();
        assertThat(head.contentLength()).isEqualTo(RequestHead.NO_CONTENT_LENGTH);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void failedRequestLineHasNoMethod() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("GE@T / HTTP/1.1\r\n"));
        RequestHead head = readHead(channel);
        assertThat(head.failure()).isEqualTo(RequestFailure.BAD_METHOD);
        assertThat(head.method()).isNull();
        assertThat(head.rawTarget()).isNull();
        assertThat(head.version()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void holdsNothingOfTheHeadBudgetForAHeadThatArrivesWhole() {
        MemoryBudget heads = new MemoryBudget(1);
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder(HttpLimits.defaults(), heads));

        channel.writeInbound(bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"));

        assertThat(readHead(channel).isFailed()).isFalse();
        assertThat(heads.used()).isZero();
        assertThat(channel.finishAndReleaseAll()).isTrue();
    }

    @Test
    void holdsTheBytesOfAHeadThatSpansReadsUntilItIsComplete() {
        MemoryBudget heads = new MemoryBudget(1024);
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder(HttpLimits.defaults(), heads));

        channel.writeInbound(bytes("POST /a HTTP/1.1\r\nHost: h\r\nX-A: aaaa"));
        long afterFirst = heads.used();
        assertThat(afterFirst).isPositive();
        channel.writeInbound(bytes("aaaa\r\nX-B: b"));
        assertThat(heads.used()).isGreaterThan(afterFirst);
        channel.writeInbound(bytes("\r\n\r\n"));

        assertThat(readHead(channel).headers().get("x-a")).isEqualTo("aaaaaaaa");
        assertThat(heads.used()).isZero();
        assertThat(channel.finishAndReleaseAll()).isTrue();
    }

    @Test
    void refusesAHeadThatSpansReadsWith503WhenTheHeadsOfAllConnectionsHoldTheBudget() {
        MemoryBudget heads = new MemoryBudget(64);
        EmbeddedChannel first = new EmbeddedChannel(new HeaderLineDecoder(HttpLimits.defaults(), heads));
        first.writeInbound(bytes("POST /a HTTP/1.1\r\nHost: h\r\nX-Pad: " + "p".repeat(30)));
        EmbeddedChannel second = new EmbeddedChannel(new HeaderLineDecoder(HttpLimits.defaults(), heads));

        second.writeInbound(bytes("POST /b HTTP/1.1\r\nHost: h\r\nX-Pad: " + "q".repeat(30)));

        assertThat(readHead(second).failure()).isEqualTo(RequestFailure.HEAD_MEMORY_FULL);
        // A head that arrives whole still passes: it never holds anything.
        EmbeddedChannel third = new EmbeddedChannel(new HeaderLineDecoder(HttpLimits.defaults(), heads));
        third.writeInbound(bytes("GET /c HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(readHead(third).isFailed()).isFalse();
        first.close();
        assertThat(heads.used()).as("given back when the connection closes").isZero();
        assertThat(first.finishAndReleaseAll()).isFalse();
        assertThat(second.finishAndReleaseAll()).isFalse();
        assertThat(third.finishAndReleaseAll()).isTrue();
    }

    @Test
    void givesBackWhatAHeadHeldWhenItFailsOrTimesOut() {
        MemoryBudget heads = new MemoryBudget(1024);
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder(HttpLimits.defaults(), heads));
        channel.writeInbound(bytes("POST /a HTTP/1.1\r\nHost: h\r\nX-A: a"));
        assertThat(heads.used()).isPositive();

        channel.writeInbound(bytes(" b\r\nbad line without colon\r\n"));

        assertThat(readHead(channel).failure()).isEqualTo(RequestFailure.BAD_HEADER);
        assertThat(heads.used()).isZero();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void declaresEachChunksSizeBeforeItsData() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\nFFFFFFFFFFFFFFF\r\n"));
        readHead(channel);

        assertThat((Object) channel.readInbound()).isEqualTo(new DeclaredChunk(3));
        HttpContent data = channel.readInbound();
        data.release();
        assertThat((Object) channel.readInbound()).isEqualTo(new DeclaredChunk(0xFFFFFFFFFFFFFFFL));
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void failsAsSoonAsTheFaultIsSeenWithoutWaitingForTheRest() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX"));
        readHead(channel);
        HttpContent data = next(channel);
        assertThat(data.content().toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
        data.release();
        assertThat(nextInbound(channel)).isEqualTo(RequestFailure.BAD_CHUNK);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    // ---------------------------------------------------------------------------------------------------- limits

    @Test
    void acceptsRequestLineAtItsLimit() {
        // "GET /" + 18 + " HTTP/1.1" is 32 bytes without its CRLF.
        String line = "GET /" + "a".repeat(18) + " HTTP/1.1";
        assertThat(line).hasSize(32);
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder(32, 1024, 10));
        channel.writeInbound(bytes(line + "\r\nHost: h\r\n\r\n"));
        RequestHead head = readHead(channel);
        assertThat(head.isFailed()).isFalse();
        assertThat(head.path()).isEqualTo("/" + "a".repeat(18));
        nextInbound(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void refusesRequestLineOneByteOverItsLimit() {
        // RFC 9112 §3: a server that receives a request-target longer than it wishes to parse MUST respond 414.
        String line = "GET /" + "a".repeat(19) + " HTTP/1.1";
        assertThat(line).hasSize(33);
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder(32, 1024, 10));
        channel.writeInbound(bytes(line + "\r\nHost: h\r\n\r\n"));
        assertThat(readHead(channel).failure()).isEqualTo(RequestFailure.REQUEST_LINE_TOO_LONG);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void refusesOverlongRequestLineBeforeItsEndArrives() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder(32, 1024, 10));
        channel.writeInbound(bytes("GET /" + "a".repeat(28)));
        assertThat(nextInbound(channel)).isNull();
        channel.writeInbound(bytes("a"));
        assertThat(readHead(channel).failure()).isEqualTo(RequestFailure.REQUEST_LINE_TOO_LONG);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void acceptsHeaderBytesAtTheirLimit() {
        // Field lines count without their CRLF: "Host: h" (7) + "X-A: " (5) + 52 = 64.
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder(64, 64, 10));
        channel.writeInbound(bytes("GET / HTTP/1.1\r\nHost: h\r\nX-A: " + "a".repeat(52) + "\r\n\r\n"));
        RequestHead head = readHead(channel);
        assertThat(head.isFailed()).isFalse();
        assertThat(head.headers().get("x-a")).hasSize(52);
        nextInbound(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void refusesHeaderBytesOneOverTheirLimit() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder(64, 64, 10));
        channel.writeInbound(bytes("GET / HTTP/1.1\r\nHost: h\r\nX-A: " + "a".repeat(53) + "\r\n\r\n"));
        assertThat(readHead(channel).failure()).isEqualTo(RequestFailure.HEADERS_TOO_LARGE);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void refusesAnotherFieldOnceTheHeaderBudgetIsSpent() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder(64, 64, 10));
        channel.writeInbound(bytes("GET / HTTP/1.1\r\nHost: h\r\nX-A: " + "a".repeat(52) + "\r\nB: c\r\n\r\n"));
        assertThat(readHead(channel).failure()).isEqualTo(RequestFailure.HEADERS_TOO_LARGE);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void acceptsHeaderFieldsAtTheirCount() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder(64, 1024, 3));
        channel.writeInbound(bytes("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n"));
        assertThat(readHead(channel).headers().size()).isEqualTo(3);
        nextInbound(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void refusesOneHeaderFieldOverTheirCount() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder(64, 1024, 3));
        channel.writeInbound(bytes("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"));
        assertThat(readHead(channel).failure()).isEqualTo(RequestFailure.TOO_MANY_HEADERS);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void refusesABareCrInAFieldLineOverTheCountForItsLineEnding() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder(64, 1024, 2));
        channel.writeInbound(bytes("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: \r2\r\n\r\n"));
        assertThat(readHead(channel).failure()).isEqualTo(RequestFailure.BAD_LINE_ENDING);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void countsTrailerFieldsAfreshButTrailerBytesAgainstTheHeaderBudget() {
        String head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
        // Host (7) + Transfer-Encoding (26) = 33 of 45 bytes and 2 of 3 fields; three
        // trailers of 4 bytes fit exactly, a fourth does not.
        EmbeddedChannel fits = new EmbeddedChannel(new HeaderLineDecoder(64, 45, 3));
        fits.writeInbound(bytes(head + "1\r\nx\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"));
        readHead(fits);
        assertThat(readBody(fits)).isEqualTo("x");
        assertThat(fits.finishAndReleaseAll()).isFalse();

        EmbeddedChannel tooMany = new EmbeddedChannel(new HeaderLineDecoder(64, 1024, 3));
        tooMany.writeInbound(bytes(head + "1\r\nx\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n"));
        readHead(tooMany);
        releaseContentUntil(tooMany, RequestFailure.TOO_MANY_HEADERS);
        assertThat(tooMany.finishAndReleaseAll()).isFalse();

        EmbeddedChannel tooLarge = new EmbeddedChannel(new HeaderLineDecoder(64, 45, 10));
        tooLarge.writeInbound(bytes(head + "1\r\nx\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n"));
        readHead(tooLarge);
        releaseContentUntil(tooLarge, RequestFailure.HEADERS_TOO_LARGE);
        assertThat(tooLarge.finishAndReleaseAll()).isFalse();
    }

    @Test
    void skipsUpToEightEmptyLinesBeforeTheRequestLine() {
        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line received prior to the request-line.
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("\r\n".repeat(HeaderLineDecoder.MAX_LEADING_EMPTY_LINES) + SIMPLE_GET));
        assertThat(readHead(channel).isFailed()).isFalse();
        nextInbound(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void refusesANinthEmptyLineBeforeTheRequestLine() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("\r\n".repeat(HeaderLineDecoder.MAX_LEADING_EMPTY_LINES + 1) + SIMPLE_GET));
        assertThat(readHead(channel).failure()).isEqualTo(RequestFailure.BAD_REQUEST_LINE);
        assertThat(nextInbound(channel)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void countsEmptyLinesAfreshForEachRequest() {
        HeaderLineDecoder decoder = new HeaderLineDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        String eight = "\r\n".repeat(HeaderLineDecoder.MAX_LEADING_EMPTY_LINES);
        channel.writeInbound(bytes(eight + SIMPLE_GET + eight + SIMPLE_GET));
        assertThat(readHead(channel).isFailed()).isFalse();
        nextInbound(channel);
        decoder.resume();
        channel.runPendingTasks();
        assertThat(readHead(channel).isFailed()).isFalse();
        nextInbound(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void rejectsConstructorLimitsThatAreNotPositive() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new HeaderLineDecoder(0, 1, 1));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new HeaderLineDecoder(1, 0, 1));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new HeaderLineDecoder(1, 1, 0));
    }

    // ---------------------------------------------------------------------------------------------------- flow

    @Test
    void holdsPipelinedRequestUntilResumed() {
        HeaderLineDecoder decoder = new HeaderLineDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        assertThat(decoder.isIdle()).isTrue();
        channel.writeInbound(bytes("GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
                + "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"));

        assertThat(readHead(channel).path()).isEqualTo("/one");
        assertThat(nextInbound(channel)).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(nextInbound(channel)).isNull();
        assertThat(channel.config().isAutoRead()).as("pipelined input within the bound keeps reading").isTrue();
        assertThat(decoder.isIdle()).isFalse();

        // More bytes while waiting are kept, not decoded.
        channel.writeInbound(bytes("GET /three HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertThat(nextInbound(channel)).isNull();

        // resume() runs as a later task on the event loop, never inside the caller.
        decoder.resume();
        assertThat(nextInbound(channel)).isNull();
        channel.runPendingTasks();
        RequestHead second = readHead(channel);
        assertThat(second.path()).isEqualTo("/two");
        assertThat(readBody(channel)).isEqualTo("abc");
        assertThat(nextInbound(channel)).isNull();
        assertThat(channel.config().isAutoRead()).as("pipelined input within the bound keeps reading").isTrue();

        decoder.resume();
        channel.runPendingTasks();
        assertThat(readHead(channel).path()).isEqualTo("/three");
        nextInbound(channel);
        assertThat(decoder.isIdle()).isFalse();

        decoder.resume();
        channel.runPendingTasks();
        assertThat(nextInbound(channel)).isNull();
        assertThat(decoder.isIdle()).isTrue();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void resumesIntoAPartialRequestAndFinishesItWhenTheRestArrives() {
        HeaderLineDecoder decoder = new HeaderLineDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.writeInbound(bytes(SIMPLE_GET + "GET /next HTTP/1.1\r\nHo"));
        readHead(channel);
        nextInbound(channel);
        decoder.resume();
        channel.runPendingTasks();
        assertThat(nextInbound(channel)).isNull();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(decoder.isIdle()).isFalse();
        channel.writeInbound(bytes("st: h\r\n\r\n"));
        assertThat(readHead(channel).path()).isEqualTo("/next");
        nextInbound(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void isNotIdleWhileARequestIsPartlyBuffered() {
        HeaderLineDecoder decoder = new HeaderLineDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.writeInbound(bytes("GET / HT"));
        assertThat(decoder.isIdle()).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void resumeOutsideAwaitResponseChangesNothing() {
        HeaderLineDecoder decoder = new HeaderLineDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.writeInbound(bytes("GET / HTTP/1.1\r\n"));
        decoder.resume();
        channel.runPendingTasks();
        channel.writeInbound(bytes("Host: h\r\n\r\n"));
        assertThat(readHead(channel).isFailed()).isFalse();
        nextInbound(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void closesOnInputShutdownWithOnlyAPartialRequest() {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(bytes("GET / HTTP/1.1\r\nHost:"));
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(nextInbound(channel)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void answersBufferedCompleteRequestsBeforeClosingOnInputShutdown() {
        HeaderLineDecoder decoder = new HeaderLineDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.writeInbound(bytes(SIMPLE_GET + SIMPLE_GET));
        readHead(channel);
        nextInbound(channel);
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(channel.isOpen()).isTrue();

        decoder.resume();
        channel.runPendingTasks();
        assertThat(readHead(channel).isFailed()).isFalse();
        nextInbound(channel);
        assertThat(channel.isOpen()).isTrue();

        decoder.resume();
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private static Arguments failure(String label, String input, RequestFailure failure) {
        return Arguments.of(label, input, failure);
    }

    private static ByteBuf bytes(String s) {
        return TrackedBuffers.latin1(s);
    }

    private static RequestHead readHead(EmbeddedChannel channel) {
        Object message = nextInbound(channel);
        assertThat(message).isInstanceOf(RequestHead.class);
        return (RequestHead) message;
    }

    /** Reads and releases content up to and including the last, and returns the body it carried. */
    private static String readBody(EmbeddedChannel channel) {
        StringBuilder body = new StringBuilder();
        while (true) {
            Object message = nextInbound(channel);
            assertThat(message).as("body content").isInstanceOf(HttpContent.class);
            HttpContent content = (HttpContent) message;
            try {
                body.append(content.content().toString(StandardCharsets.ISO_8859_1));
                if (content instanceof LastHttpContent) {
                    return body.toString();
                }
            } finally {
                content.release();
            }
        }
    }

    private static void releaseContentUntil(EmbeddedChannel channel, RequestFailure expected) {
        Object message;
        while ((message = nextInbound(channel)) instanceof HttpContent content) {
            assertThat(content).isNotInstanceOf(LastHttpContent.class);
            content.release();
        }
        assertThat(message).isEqualTo(expected);
    }

    private static void assertThatLaterBytesAreDiscarded(EmbeddedChannel channel, HeaderLineDecoder decoder) {
        channel.writeInbound(bytes(SIMPLE_GET));
        channel.writeInbound(bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nx"));
        assertThat(nextInbound(channel)).isNull();
        decoder.resume();
        channel.runPendingTasks();
        assertThat(nextInbound(channel)).isNull();
        assertThat(decoder.isIdle()).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    /**
     * Writes {@code input} cut at {@code cuts}, then resumes the decoder until the input is used up, and returns what
     * was decoded: heads described field by field, bodies joined whatever the slices, every other message by name.
     */
    private static List<String> decodeInPieces(byte[] input, int[] cuts) {
        HeaderLineDecoder decoder = new HeaderLineDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        int from = 0;
        for (int cut : cuts) {
            channel.writeInbound(TrackedBuffers.copy(input, from, cut - from));
            from = cut;
        }
        channel.writeInbound(TrackedBuffers.copy(input, from, input.length - from));
        List<String> transcript = new ArrayList<>();
        StringBuilder body = null;
        for (int round = 0; round < 4; round++) {
            Object message;
            while ((message = nextInbound(channel)) != null) {
                if (message instanceof RequestHead head) {
                    transcript.add("head " + describe(head));
                    body = new StringBuilder();
                } else if (message instanceof HttpContent content) {
                    try {
                        body.append(content.content().toString(StandardCharsets.ISO_8859_1));
                        if (content instanceof LastHttpContent last) {
                            transcript.add("body " + body);
                            transcript.add("trailing headers " + last.trailingHeaders().size());
                            body = null;
                        }
                    } finally {
                        content.release();
                    }
                } else {
                    transcript.add("message " + message);
                }
            }
            decoder.resume();
            channel.runPendingTasks();
        }
        if (body != null) {
            transcript.add("unfinished body " + body);
        }
        transcript.add("idle " + decoder.isIdle());
        assertThat(channel.finishAndReleaseAll()).isFalse();
        return transcript;
    }

    private static String describe(RequestHead head) {
        if (head.isFailed()) {
            return "failed " + head.failure();
        }
        return String.join(" | ", head.method().name(), head.rawTarget(), head.path(), String.valueOf(head.rawQuery()),
                head.queryParameters().toString(), head.version().text(), head.headers().toString(),
                "length=" + head.contentLength(), "chunked=" + head.isChunked(), "keepAlive=" + head.isKeepAlive(),
                "continue=" + head.expectsContinue());
    }

    /** The next inbound message, whatever its type, or {@code null}. */
    /**
     * The next message up, passing over the {@link DeclaredChunk}s that come before each chunk's data (what the
     * aggregator does with them is its own test's business).
     */
    private static Object nextInbound(EmbeddedChannel channel) {
        Object message;
        do {
            message = channel.readInbound();
        } while (message instanceof DeclaredChunk);
        return message;
    }

    /** {@link #nextInbound}, as the type the caller expects. */
    @SuppressWarnings("unchecked")
    private static <T> T next(EmbeddedChannel channel) {
        return (T) nextInbound(channel);
    }
}
