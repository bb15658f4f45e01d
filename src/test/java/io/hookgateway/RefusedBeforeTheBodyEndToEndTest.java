package io.hookgateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.Await;
import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.PrometheusText;
import io.hookgateway.testing.RawHttp;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the head alone decides is answered before the body. A guard that reads no body (a key in the query, a header, a
 * path variable) refuses a stranger with no {@code 100 Continue}, no byte of its body read, and before the body limit,
 * so a stranger learns nothing of it; a guard that reads the body is judged once the body is there. A path no hook
 * takes (404) or a method it does not (405) reads a body through without holding it, and answers a client waiting
 * for {@code 100 Continue} at once.
 */
class RefusedBeforeTheBodyEndToEndTest {

    private static final String MIB = Integer.toString(1024 * 1024);

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("""
            server: {access-log: false}
            hooks:
              - name: by-query
                path: /query
                guard: {equals: {value: "${query.key}", to: s3cret}}
                processor: {type: respond, body: "ran\\n"}
              - name: by-header
                path: /header
                guard: {equals: {value: "${header.X-Token}", to: s3cret}}
                processor: {type: respond, body: "ran\\n"}
              - name: by-path
                path: /path/{key}
                guard: {regex: {value: "${path.key}", pattern: "^s3cret$"}}
                processor: {type: respond, body: "ran\\n"}
              - name: by-body
                path: /body
                guard: {equals: {value: "${json:/key}", to: s3cret}}
                processor: {type: respond, body: "ran\\n"}
            """);

    private static String post(String target, String headers, String length) {
        return "POST " + target + " HTTP/1.1\r\nHost: gw\r\n" + headers + "Content-Length: " + length + "\r\n\r\n";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/query?key=wrong   | X-Other: 1",
            "/query             | X-Other: 1",
            "/header            | X-Token: wrong",
            "/header            | X-Other: 1",
            "/path/wrong        | X-Other: 1",
    })
    void refusesAStrangerFromTheHeadWithoutSayingContinueOrReadingTheBody(String target, String header)
            throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send(post(target, header + "\r\nExpect: 100-continue\r\n", MIB));

            RawHttp.Response answer = client.read();

            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.bodyText()).isEqualTo("forbidden\n");
            assertThat(answer.header("Connection")).isEqualTo("close");
            assertThat(answer.rawText()).doesNotContain("100 Continue");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/query?key=s3cret  | X-Other: 1",
            "/header            | X-Token: s3cret",
            "/path/s3cret       | X-Other: 1",
    })
    void letsTheCallerSendItsBodyAndRunsTheHook(String target, String header) throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send(post(target, header + "\r\nExpect: 100-continue\r\n", "2"));

            assertThat(client.readHead().status()).isEqualTo(100);
            client.send("{}");
            RawHttp.Response answer = client.read();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyText()).isEqualTo("ran\n");
        }
    }

    @Test
    void refusesARequestWithoutABodyFromTheHeadAndGoesOnWithTheNext() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send(post("/query?key=wrong", "", "0") + post("/query?key=s3cret", "", "0"));

            RawHttp.Response refused = client.read();
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.header("Connection")).isNull();
            assertThat(client.read().bodyText()).isEqualTo("ran\n");
        }
    }

    @Test
    void refusesAStrangerBeforeTellingItTheBodyLimit() throws Exception {
        RawHttp.Response answer = gateway.exchange(post("/query?key=wrong", "", "999999999"));

        assertThat(answer.status()).isEqualTo(403);
        assertThat(gateway.exchange(post("/query?key=s3cret", "", "999999999")).status()).isEqualTo(413);
    }

    @Test
    void judgesAGuardThatReadsTheBodyOnceTheBodyIsThere() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send(post("/body", "Expect: 100-continue\r\n", "15"));

            assertThat(client.readHead().status()).isEqualTo(100);
            client.send("{\"key\": \"bad\" }");
            assertThat(client.read().status()).isEqualTo(403);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/nowhere, 404", "/path/s3cret/more, 404", "/query?key=s3cret&method=GET, 405"})
    void answersAClientWaitingToSendABodyNoHookTakesAtOnce(String target, int status) throws Exception {
        String method = target.contains("method=GET") ? "PUT" : "POST";
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send(method + " " + target + " HTTP/1.1\r\nHost: gw\r\nExpect: 100-continue\r\n"
                    + "Content-Length: " + MIB + "\r\n\r\n");

            RawHttp.Response answer = client.read();

            assertThat(answer.status()).isEqualTo(status);
            assertThat(answer.header("Connection")).isEqualTo("close");
            assertThat(answer.rawText()).doesNotContain("100 Continue");
        }
    }

    @Test
    void answersABodyNoHookTakesThatIsTooLargeToReadThroughWith404NotTheLimit() throws Exception {
        RawHttp.Response answer = gateway.exchange(post("/nowhere", "", "999999999"));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.header("Connection")).isEqualTo("close");
    }

    @Test
    void readsABodyNoHookTakesThroughWithoutHoldingItAndGoesOn() throws Exception {
        String body = "x".repeat(64 * 1024);
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send(post("/nowhere", "", Integer.toString(body.length())) + body);

            assertThat(client.read().status()).isEqualTo(404);
            // Read before the next request is sent: a pipelined one's body would be counted, and rightly.
            assertThat(gateway.gauge("hook.gateway.body.memory.used")).as("nothing held for the 404").isZero();
            client.send("POST /query?key=s3cret HTTP/1.1\r\nHost: gw\r\nContent-Length: 2\r\n\r\n{}");
            assertThat(client.read().bodyText()).isEqualTo("ran\n");
        }
    }

    @Test
    void countsTheRefusalUnderItsHook() throws Exception {
        gateway.exchange(post("/query?key=wrong", "", "5") + "hello");

        // Counted once the answer is written, which may be just after the client has read it.
        Await.until(Duration.ofSeconds(5), "the 403 counted under by-query", () -> PrometheusText.sample(
                gateway.server().metrics().registry().scrape(),
                "hook_gateway_requests_seconds_count{hook=\"by-query\",method=\"POST\",status=\"403\"}").isPresent());
    }
}
