package io.hookgateway;

import static io.hookgateway.testing.Requests.get;
import static io.hookgateway.testing.Requests.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code regex} rules over real sockets: {@code $} is the end of the value whatever line terminator a client sends,
 * a pattern that backtracks for minutes in Java answers at once, and a value too long to examine answers 400.
 */
class RegexRulesEndToEndTest {

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(() -> TestGateway.start("""
            server: {access-log: false}
            hooks:
              - name: lamp
                path: /lamp
                methods: [GET]
                rules: {regex: {value: "${query.state}", pattern: "^(ON|OFF)$"}}
                on-mismatch: {status: 400, body: "state must be ON or OFF\\n"}
                processor: {type: respond, body: "lamp ${query.state}\\n"}
              - name: words
                path: /words
                rules: {regex: {value: "${json:/value1}", pattern: "^([a-zA-Z0-9]+\\\\s?){1,30}$"}}
                processor: {type: respond, body: "words\\n"}
            """));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"%0A", "%0D%0A", "%0D", "%C2%85", "%E2%80%A8", "%E2%80%A9"})
    void aLineTerminatorAfterTheValueDoesNotSatisfyDollar(String terminator) throws Exception {
        assertThat(gateway.exchange(get("/lamp?state=ON")).status()).isEqualTo(200);

        RawHttp.Response answer = gateway.exchange(get("/lamp?state=ON" + terminator));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.bodyText()).isEqualTo("state must be ON or OFF\n");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aPatternThatBacktracksExponentiallyInJavaAnswersAtOnce() throws Exception {
        for (int i = 0; i < 5; i++) {
            RawHttp.Response answer = gateway.exchange(post("/words", "{\"value1\": \"" + "a".repeat(39) + "!\"}"));
            assertThat(answer.bodyText()).isEqualTo("hook rules not satisfied; nothing was run\n");
        }
        assertThat(gateway.exchange(post("/words", "{\"value1\": \"lamp on\"}")).bodyText()).isEqualTo("words\n");
    }

    @Test
    void aValueTooLongForARegexAnswers400() throws Exception {
        // Far over what this pattern of some hundred states may examine (4 MiB / states).
        RawHttp.Response answer = gateway.exchange(post("/words", "{\"value1\": \"" + "a".repeat(100_000) + "\"}"));

        assertThat(answer.status()).isEqualTo(400);
    }
}
