package io.hookgateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.Await;
import io.hookgateway.testing.LogCapture;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code X-Request-Id} over a real socket: a client's well-formed id is kept, anything else replaced by a generated
 * one; either way it is in the answer (refusals too), in {@code ${request.id}} and in the access line.
 */
class RequestIdEndToEndTest {

    private static final String CONFIG = """
            server: {access-log: true}
            hooks:
              - name: echo-id
                path: /id
                processor: {type: respond, body: "${request.id}"}
              - name: small
                path: /small
                max-body-size: 4
                processor: {type: respond, body: ok}
              - name: limited
                path: /limited
                rate-limit: {per-hook: {requests: 1, per: 1h}}
                processor: {type: respond, body: ok}
              - name: guarded
                path: /guarded
                auth: {bearer: {token: right-token}}
                hidden: false
                processor: {type: respond, body: ok}
            """;
    private static final String GENERATED = "[0-9a-f]{16}";

    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start(CONFIG);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void keepsAWellFormedIdAndRendersItInTheTemplate() throws Exception {
        String id = "Abc-123_x.y:Z-" + "9".repeat(114);
        RawHttp.Response answer = post("/id", "X-Request-Id: " + id + "\r\n");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(ids(answer)).containsExactly(id);
        assertThat(answer.bodyText()).isEqualTo(id);
    }

    static Stream<Arguments> malformedIds() {
        return Stream.of(
                Arguments.of("too long", "X-Request-Id: " + "a".repeat(129) + "\r\n"),
                Arguments.of("a space", "X-Request-Id: abc def\r\n"),
                Arguments.of("non-ASCII", "X-Request-Id: caf\u00e9\r\n"),
                Arguments.of("a quote", "X-Request-Id: a\"b\r\n"),
                Arguments.of("a slash", "X-Request-Id: a/b\r\n"),
                Arguments.of("empty", "X-Request-Id: \r\n"),
                Arguments.of("twice", "X-Request-Id: first\r\nX-Request-Id: second\r\n"),
                Arguments.of("twice in another case", "X-Request-Id: first\r\nx-request-id: first\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedIds")
    void replacesAMalformedId(String what, String field) throws Exception {
        RawHttp.Response answer = post("/id", field);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(ids(answer)).singleElement().asString().matches(GENERATED);
        assertThat(answer.bodyText()).isEqualTo(ids(answer).get(0));
    }

    @Test
    void generatesADifferentIdForEachRequestWithoutOne() throws Exception {
        String first = ids(post("/id", "")).get(0);
        String second = ids(post("/id", "")).get(0);
        assertThat(first).matches(GENERATED);
        assertThat(second).matches(GENERATED).isNotEqualTo(first);
    }

    @Test
    void echoesTheIdOnEveryRefusal() throws Exception {
        assertThat(idOf("POST /nothing-here HTTP/1.1\r\nHost: h\r\nX-Request-Id: r-404\r\nContent-Length: 0\r\n\r\n"))
                .isEqualTo("404 r-404");
        assertThat(idOf("GET /id HTTP/1.1\r\nHost: h\r\nX-Request-Id: r-405\r\n\r\n")).isEqualTo("405 r-405");
        assertThat(idOf("POST /small HTTP/1.1\r\nHost: h\r\nX-Request-Id: r-413\r\nContent-Length: 5\r\n\r\n12345"))
                .isEqualTo("413 r-413");
        assertThat(idOf("POST /guarded HTTP/1.1\r\nHost: h\r\nX-Request-Id: r-401\r\nContent-Length: 0\r\n\r\n"))
                .isEqualTo("401 r-401");
        assertThat(idOf("POST /limited HTTP/1.1\r\nHost: h\r\nX-Request-Id: r-200\r\nContent-Length: 0\r\n\r\n"))
                .isEqualTo("200 r-200");
        assertThat(idOf("POST /limited HTTP/1.1\r\nHost: h\r\nX-Request-Id: r-429\r\nContent-Length: 0\r\n\r\n"))
                .isEqualTo("429 r-429");
        // A head that could not be read has no id to keep: the refusal carries a generated one.
        assertThat(idOf("POST /id HTTP/1.1\r\nX-Request-Id: r-400\r\nContent-Length: 0\r\n\r\n"))
                .matches("400 " + GENERATED);
        assertThat(idOf("BAD\r\n\r\n")).matches("400 " + GENERATED);
        // Controls in a field value (a bare CR, an ESC) are refused by the decoder, before any id is read.
        assertThat(idOf("POST /id HTTP/1.1\r\nHost: h\r\nX-Request-Id: a\rb\r\nContent-Length: 0\r\n\r\n"))
                .matches("400 " + GENERATED);
        assertThat(idOf("POST /id HTTP/1.1\r\nHost: h\r\nX-Request-Id: a\u001b[31mb\r\nContent-Length: 0\r\n\r\n"))
                .matches("400 " + GENERATED);
    }

    @Test
    void writesTheIdInTheAccessLine() throws Exception {
        try (LogCapture logs = LogCapture.gateway()) {
            post("/id", "X-Request-Id: logged-id-1\r\n");
            post("/nothing", "X-Request-Id: logged-id-2\r\n");
            Await.until(Duration.ofSeconds(5), "both access lines", () -> logs.messages().stream()
                    .filter(m -> m.endsWith(" id=logged-id-1") || m.endsWith(" id=logged-id-2")).count() == 2);
            assertThat(logs.messages()).anySatisfy(m -> assertThat(m)
                    .startsWith("POST /id hook=echo-id status=200 ").endsWith(" id=logged-id-1"));
            assertThat(logs.messages()).anySatisfy(m -> assertThat(m)
                    .startsWith("POST /nothing hook=unmatched status=404 ").endsWith(" id=logged-id-2"));
        }
    }

    private static RawHttp.Response post(String path, String fields) throws Exception {
        return gateway.exchange("POST " + path + " HTTP/1.1\r\nHost: h\r\n" + fields + "Content-Length: 0\r\n\r\n");
    }

    /** {@code "404 r-404"}: the status and the one id of the answer. */
    private static String idOf(String request) throws Exception {
        RawHttp.Response answer = gateway.exchange(request);
        assertThat(ids(answer)).hasSize(1);
        return answer.status() + " " + ids(answer).get(0);
    }

    private static List<String> ids(RawHttp.Response answer) {
        return answer.headers().stream().filter(h -> h[0].equalsIgnoreCase("X-Request-Id")).map(h -> h[1]).toList();
    }
}
