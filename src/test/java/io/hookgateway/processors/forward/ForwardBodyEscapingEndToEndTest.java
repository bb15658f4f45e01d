package io.hookgateway.processors.forward;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgateway.hooks.UrlEncoded;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a downstream receives when a forward's body is written from request values: the document the configuration
 * wrote, each value inside it as data. The README's garage example (IFTTT to Home Assistant) is the case the attack
 * review used: {@code value1 = on", "extra": true, "x": "} once added two members to the JSON sent downstream.
 */
class ForwardBodyEscapingEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<String> hostileValues() {
        return Stream.of("on\", \"extra\": true, \"x\": \"", "\"}", "\\", "on\"}, {\"admin\": true", "\n\r\t\u0000",
                "\u2028", "a&b=c&extra=1", "%26", "</body>", "ok \ud83d\ude00");
    }

    private static RawHttp.Response post(TestGateway gateway, String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return gateway.exchange("POST /relay/garage HTTP/1.1\r\nHost: gateway.test\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n"
                + new String(body, StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("hostileValues")
    void theGarageExampleSendsOneActionWhateverValue1Holds(String value) throws Exception {
        try (Downstream downstream = Downstream.start(Downstream.answering(200, "text/plain", "ok"));
             TestGateway gateway = ForwardHooks.start("""
                     url: %s/api/webhook/garage
                     headers: {Content-Type: application/json}
                     body: '{"action": "${json:/value1}"}'
                     response: {status: 200, body: "OK\\n"}
                     """.formatted(downstream.url()))) {
            RawHttp.Response response = post(gateway, JSON.writeValueAsString(Map.of("value1", value)));

            assertThat(response.status()).isEqualTo(200);
            JsonNode sent = JSON.readTree(downstream.received().get(0).bodyText());
            assertThat(sent.size()).isEqualTo(1);
            assertThat(sent.get("action").asText()).isEqualTo(value);
        }
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("hostileValues")
    void aFormBodySendsEachValueAsOneField(String value) throws Exception {
        try (Downstream downstream = Downstream.start(Downstream.answering(200, "text/plain", "ok"));
             TestGateway gateway = ForwardHooks.start("""
                     url: %s/form
                     headers: {Content-Type: application/x-www-form-urlencoded}
                     body: "state=${json:/value1}&device=garage"
                     """.formatted(downstream.url()))) {
            post(gateway, JSON.writeValueAsString(Map.of("value1", value)));

            Map<String, List<String>> fields = UrlEncoded.parse(downstream.received().get(0).bodyText());
            assertThat(fields).containsOnlyKeys("state", "device");
            assertThat(fields.get("state")).containsExactly(value);
        }
    }

    @Test
    void sendsABodyTheHookWritesWithItsOwnContentTypeNotTheSenders() throws Exception {
        try (Downstream downstream = Downstream.start(Downstream.answering(200, "text/plain", "ok"));
             TestGateway text = ForwardHooks.start("url: %s/text\nbody: 'action=${json:/value1}&b=1'\n"
                     .formatted(downstream.url()));
             TestGateway json = ForwardHooks.start("url: %s/json\nbody: '{\"action\": \"${json:/value1}\"}'\n"
                     .formatted(downstream.url()))) {
            String body = "{\"value1\": \"on&admin=1\"}";
            String request = "POST /relay/garage HTTP/1.1\r\nHost: gateway.test\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body;

            text.exchange(request);
            json.exchange(request);

            // Passed on, the sender's form type would make the downstream read admin=1 as a field of its own.
            assertThat(downstream.received().get(0).header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(downstream.received().get(1).header("Content-Type")).isEqualTo("application/json");
        }
    }

    @Test
    void passesTheSendersContentTypeWithTheBodyItSent() throws Exception {
        try (Downstream downstream = Downstream.start(Downstream.answering(200, "text/plain", "ok"));
             TestGateway gateway = ForwardHooks.start("url: " + downstream.url() + "/raw\n")) {
            gateway.exchange("POST /relay/x HTTP/1.1\r\nHost: gateway.test\r\nContent-Type: application/xml\r\n"
                    + "Content-Length: 4\r\n\r\n<a/>");

            assertThat(downstream.received().get(0).header("Content-Type")).isEqualTo("application/xml");
        }
    }
}
