package io.hookgateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.RawHttp;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The seed's contract, over a real socket: with no configuration, POST /post answers exactly what the ESP8266 did. */
class SeedHookEndToEndTest {

    /** What IFTTT's "Make a web request" sends to the seed, byte for byte. */
    private static final String SEED_REQUEST = "POST /post HTTP/1.1\r\n"
            + "Host: 192.168.1.50:8080\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: 14\r\n"
            + "\r\n"
            + "{\"value1\":\"x\"}";

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.defaults();

    /** The seed's bytes, with the request's id the gateway adds to every answer (its value differs each time). */
    @Test
    void answersTheSeedRequestWithTheSeedBytesAndTheRequestId() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            RawHttp.Response response = client.send(SEED_REQUEST).read();
            assertThat(response.rawText())
                    .matches("HTTP/1\\.1 200 OK\r\nX-Request-Id: [0-9a-f]{16}\r\nContent-Length: 7\r\n\r\nSUCCESS");
        }
    }

    @Test
    void answersARealClientWithSuccess() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(gateway.uri("/post"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"value1\":\"x\"}", StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("SUCCESS");
        assertThat(response.headers().firstValue("content-length")).hasValue("7");
    }

    @Test
    void keepsServingAfterAClientConnectsAndClosesWithoutAByte() throws Exception {
        for (int i = 0; i < 20; i++) {
            RawHttp.connect(gateway.port()).close();
        }
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            assertThat(client.send(SEED_REQUEST).read().bodyText()).isEqualTo("SUCCESS");
        }
    }
}
