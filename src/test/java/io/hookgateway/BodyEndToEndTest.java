package io.hookgateway;

import static io.hookgateway.testing.Requests.post;
import static io.hookgateway.testing.Requests.seedPost;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestProcessors;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request bodies over real sockets: framing by Content-Length and chunked (RFC 9112 §6, §7), the body limit answered
 * 413 before the body is sent (RFC 9110 §15.5.14), and {@code Expect: 100-continue} (RFC 9110 §10.1.1). What reaches
 * the processor is checked with the {@code test-echo} processor.
 */
class BodyEndToEndTest {

    private static final String CONFIG = """
            server:
              access-log: false
            hooks:
              - name: echo
                path: /echo
                methods: [POST]
                processor: {type: test-echo}
              - name: echo-worker
                path: /echo-worker
                methods: [POST]
                processor: {type: test-echo, blocking: true}
              - name: small
                path: /small
                methods: [POST]
                max-body-size: 16B
                processor: {type: test-echo}
              - name: post
                path: /post
                methods: [POST]
                processor: {type: respond, body: SUCCESS}
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Also resets the test processors' call counts before each test. */
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(CONFIG);

    @Test
    void answers413ToADeclaredLengthOverTheLimitBeforeAnyBodyIsSent() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            // Only the head: the answer must come without the client sending a single body byte.
            client.send("POST /small HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: 50000000\r\n\r\n");

            RawHttp.Response refused = client.read();
            assertThat(refused.status()).isEqualTo(413);
            assertThat(refused.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(refused.bodyText()).isEqualTo("request body too large\n");
            assertThat(client.isClosedByServer()).isTrue();
        }
        assertThat(TestProcessors.invocations("small")).isZero();
    }

    @Test
    void acceptsABodyExactlyAtTheLimitAndRefusesOneByteMore() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            assertThat(client.send(post("/small", "x".repeat(16))).read().status()).isEqualTo(200);
            assertThat(client.send(post("/small", "x".repeat(17))).read().status()).isEqualTo(413);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void sends100ContinueThenTheAnswerOnceTheBodyArrives() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send("POST /echo HTTP/1.1\r\nHost: gateway.test\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 11\r\n\r\n");

            RawHttp.Response interim = client.read();
            assertThat(interim.rawText()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");

            client.send("hello world");
            RawHttp.Response answer = client.read();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(echo(answer).get("body").asText()).isEqualTo("hello world");
            assertThat(client.send(seedPost()).read().bodyText()).as("connection still usable").isEqualTo("SUCCESS");
        }
    }

    @Test
    void answers413InsteadOf100ContinueWhenTheDeclaredBodyIsTooLarge() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send("POST /small HTTP/1.1\r\nHost: gateway.test\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 1000\r\n\r\n");

            // RFC 9110 §10.1.1: a server may answer with a final status instead of 100; the client then never sends.
            RawHttp.Response refused = client.read();
            assertThat(refused.status()).isEqualTo(413);
            assertThat(refused.rawText()).doesNotContain("100 Continue");
            assertThat(refused.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void ignoresExpect100ContinueFromAnHttp10Client() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send("POST /echo HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi");

            // RFC 9110 §10.1.1: a server MUST ignore a 100-continue expectation in an HTTP/1.0 request.
            RawHttp.Response answer = client.read();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(echo(answer).get("body").asText()).isEqualTo("hi");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/echo", "/echo-worker"})
    void deliversAChunkedBodySentInPiecesIntactToTheProcessor(String path) throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send("POST " + path + " HTTP/1.1\r\nHost: gateway.test\r\nTransfer-Encoding: chunked\r\n\r\n");
            client.send("5\r\nhel");
            client.send("lo\r\n");
            client.send("6;note=\"an extension\"\r\n world\r\n");
            client.send("0\r\nX-Checksum: abc\r\n\r\n");

            RawHttp.Response answer = client.read();
            JsonNode echo = echo(answer);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(echo.get("body").asText()).isEqualTo("hello world");
            assertThat(echo.get("bodyLength").asLong()).isEqualTo(11);
            assertThat(client.send(seedPost()).read().bodyText()).as("framing kept after the trailer")
                    .isEqualTo("SUCCESS");
        }
    }

    @Test
    void answers413ToAChunkedBodyThatGrowsOverTheLimit() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send("POST /small HTTP/1.1\r\nHost: gateway.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "a\r\n0123456789\r\n");
            client.send("a\r\n0123456789\r\n");

            RawHttp.Response refused = client.read();
            assertThat(refused.status()).isEqualTo(413);
            assertThat(refused.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(client.readUntilClosed()).isEmpty();
        }
        assertThat(TestProcessors.invocations("small")).isZero();
    }

    @Test
    void deliversEveryByteValueOfABinaryBodyUnchanged() throws Exception {
        byte[] body = new byte[256 * 4];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST /echo-worker HTTP/1.1\r\nHost: gateway.test\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(body);
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            JsonNode echo = echo(client.send(request.toByteArray()).read());

            assertThat(Base64.getDecoder().decode(echo.get("bodyBase64").asText())).isEqualTo(body);
            assertThat(echo.get("thread").asText()).as("a blocking processor runs on a worker")
                    .startsWith("hook-worker");
        }
    }

    @Test
    void assemblesALargeBodyArrivingInManySmallWrites() throws Exception {
        int size = 256 * 1024;
        StringBuilder text = new StringBuilder(size);
        for (int i = 0; text.length() < size; i++) {
            text.append(i % 10);
        }
        String body = text.substring(0, size);
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send("POST /echo HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: " + size + "\r\n\r\n");
            for (int offset = 0; offset < size; offset += 4096) {
                client.send(body.substring(offset, Math.min(size, offset + 4096)));
            }
            JsonNode echo = echo(client.read());

            assertThat(echo.get("bodyLength").asLong()).isEqualTo(size);
            assertThat(echo.get("body").asText()).isEqualTo(body);
        }
    }

    @Test
    void treatsARequestWithoutLengthOrChunkedAsHavingNoBody() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            // RFC 9112 §6.3 (7): a request with neither Content-Length nor Transfer-Encoding has a body of length 0,
            // so the bytes after its head are the next request.
            client.send("POST /echo HTTP/1.1\r\nHost: gateway.test\r\n\r\n" + seedPost());

            assertThat(echo(client.read()).get("bodyLength").asLong()).isZero();
            assertThat(client.read().bodyText()).isEqualTo("SUCCESS");
        }
    }

    private static JsonNode echo(RawHttp.Response response) throws Exception {
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        return JSON.readTree(response.body());
    }
}
