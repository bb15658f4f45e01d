package io.hookgateway.processors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.Await;
import io.hookgateway.testing.PrometheusText;
import io.hookgateway.testing.TestGateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hook_gateway_mqtt_connected} is a 0/1 gauge per connection: two hooks that reach one broker as two users
 * hold two connections, and each has a series of its own, told apart by its client id rather than by a credential.
 */
class MqttConnectionMetersEndToEndTest {

    @TempDir
    Path brokerDirectory;

    @Test
    void twoUsersAtOneBrokerAreTwoSeriesThatEachReadOneThenZero() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(brokerDirectory,
                Map.of("kitchen", "kitchen-secret", "garage", "garage-secret"))) {
            String yaml = """
                    server: {access-log: false}
                    hooks:
                      - name: kitchen
                        path: /kitchen
                        processor: {type: mqtt, host: 127.0.0.1, port: %1$d, topic: t/kitchen,
                                    username: kitchen, password: "${KITCHEN_PASSWORD}"}
                      - name: garage
                        path: /garage
                        processor: {type: mqtt, host: 127.0.0.1, port: %1$d, topic: t/garage,
                                    username: garage, password: "${GARAGE_PASSWORD}"}
                    """.formatted(broker.port());
            try (TestGateway gateway = TestGateway.start(yaml,
                    Map.of("KITCHEN_PASSWORD", "kitchen-secret", "GARAGE_PASSWORD", "garage-secret"))) {
                Await.until(Duration.ofSeconds(10), "both connections are up",
                        () -> HookCalls.connectedByClientId(gateway, broker.port()).size() == 2
                                && HookCalls.connected(gateway, broker.port()) == 2);

                Map<String, Double> up = HookCalls.connectedByClientId(gateway, broker.port());
                String scrape = HookCalls.scrape(gateway);

                assertThat(up.values()).containsExactly(1.0, 1.0);
                assertThat(up.keySet()).allMatch(id -> id.matches("hook-gateway-[0-9a-f]{10}"));
                for (String clientId : up.keySet()) {
                    assertThat(PrometheusText.sample(scrape, "hook_gateway_mqtt_connects_total{broker=\"127.0.0.1:"
                            + broker.port() + "\",client_id=\"" + clientId + "\",outcome=\"connected\"}")).hasValue(1);
                }
                assertThat(scrape).as("no credential in a label").doesNotContain("kitchen-secret")
                        .doesNotContain("garage-secret").doesNotContain("username");

                broker.stop();
                Map<String, Double> down = up.keySet().stream().collect(Collectors.toMap(id -> id, id -> 0.0));
                Await.until(Duration.ofSeconds(10), "both connections are seen down",
                        () -> HookCalls.connectedByClientId(gateway, broker.port()).equals(down));
            }
        }
    }
}
