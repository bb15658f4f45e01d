package io.hookgateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.RawHttp;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The happy paths through the whole pipeline with a real client library ({@link HttpClient}): the hooks of the default
 * configuration, and what a processor is given (method, path variables, query, header fields, body).
 */
class HookPipelineEndToEndTest {

    private static final String ECHO_CONFIG = """
            server:
              access-log: false
            hooks:
              - name: things
                path: /things/{kind}/{id}
                methods: [GET, POST]
                processor: {type: test-echo}
            """;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @RegisterExtension
    static final GatewayExtension defaults = GatewayExtension.defaults();

    @RegisterExtension
    static final GatewayExtension echo = new GatewayExtension(ECHO_CONFIG);

    @Test
    void answersTheSeedPostWithSuccess() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(defaults.uri("/post"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"value1\":\"x\"}")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("SUCCESS");
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void greetsByPercentDecodedPathVariable() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(defaults.uri("/hello/J%C3%BCrgen")).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(response.body()).isEqualTo("Hello, Jürgen!\n");
    }

    @Test
    void echoesTheIftttEventAndValueAsJson() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(defaults.uri("/ifttt/lamp_on"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"value1\": \"on\", \"value2\": \"ignored\"}")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.get("event").asText()).isEqualTo("lamp_on");
        assertThat(json.get("value1").asText()).isEqualTo("on");
        assertThat(json.get("received").asBoolean()).isTrue();
    }

    @Test
    void answersHeadWithTheGetHeadersAndNoBody() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(defaults.uri("/hello/head"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).hasValue("13");
        // HttpClient reads no content after a HEAD answer whatever is sent, so the bytes are read off a socket.
        try (RawHttp raw = RawHttp.connect(defaults.port())) {
            raw.send("HEAD /hello/head HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            String answer = new String(raw.readUntilClosed(), StandardCharsets.ISO_8859_1);
            assertThat(answer).contains("Content-Length: 13\r\n")
                    .as("no body follows the head").endsWith("\r\n\r\n");
        }
    }

    @Test
    void answersAClientThatOffersAnH2cUpgradeOverHttp11() throws Exception {
        // The default HttpClient asks to upgrade cleartext connections to HTTP/2; the gateway stays on HTTP/1.1.
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                HttpRequest.newBuilder(defaults.uri("/hello/h2c")).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).isEqualTo("Hello, h2c!\n");
    }

    @Test
    void answersManyConcurrentRequestsEachWithSuccess() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            answers.add(CLIENT.sendAsync(HttpRequest.newBuilder(defaults.uri("/post"))
                            .timeout(Duration.ofSeconds(5))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"value1\":\"" + i + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertThat(answer.join().statusCode()).isEqualTo(200);
            assertThat(answer.join().body()).isEqualTo("SUCCESS");
        }
    }

    @Test
    void givesTheProcessorMethodPathVariablesQueryHeadersAndBody() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                        echo.uri("/things/lamp/k%C3%BCche?on=1&on=2&note=a+b%21&flag"))
                .header("X-Token", "abc 123")
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("grüße", StandardCharsets.UTF_8)));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode seen = JSON.readTree(response.body());
        assertThat(seen.get("hook").asText()).isEqualTo("things");
        assertThat(seen.get("method").asText()).isEqualTo("POST");
        assertThat(seen.get("version").asText()).isEqualTo("HTTP/1.1");
        assertThat(seen.get("path").asText()).isEqualTo("/things/lamp/küche");
        assertThat(seen.get("rawTarget").asText()).isEqualTo("/things/lamp/k%C3%BCche?on=1&on=2&note=a+b%21&flag");
        assertThat(seen.get("pathVariables").toString()).isEqualTo("{\"id\":\"küche\",\"kind\":\"lamp\"}");
        assertThat(seen.get("query").toString())
                .isEqualTo("{\"flag\":[\"\"],\"note\":[\"a b!\"],\"on\":[\"1\",\"2\"]}");
        assertThat(headerValues(seen, "X-Token")).containsExactly("abc 123");
        assertThat(headerValues(seen, "Host")).containsExactly("127.0.0.1:" + echo.port());
        assertThat(seen.get("body").asText()).isEqualTo("grüße");
        assertThat(seen.get("bodyLength").asLong()).isEqualTo("grüße".getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void givesAGetProcessorAnEmptyBody() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(echo.uri("/things/door/1")).GET());

        JsonNode seen = JSON.readTree(response.body());
        assertThat(seen.get("method").asText()).isEqualTo("GET");
        assertThat(seen.get("bodyLength").asLong()).isZero();
        assertThat(seen.get("query").size()).isZero();
    }

    private static List<String> headerValues(JsonNode seen, String name) {
        List<String> values = new ArrayList<>();
        for (JsonNode pair : seen.get("headers")) {
            if (pair.get(0).asText().equalsIgnoreCase(name)) {
                values.add(pair.get(1).asText());
            }
        }
        return values;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
