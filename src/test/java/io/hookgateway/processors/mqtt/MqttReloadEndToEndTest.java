package io.hookgateway.processors.mqtt;

import static io.hookgateway.processors.mqtt.HookCalls.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.GatewayServer;
import io.hookgateway.processors.mqtt.MosquittoBroker.Subscriber;
import io.hookgateway.testing.Await;
import io.hookgateway.testing.TestGateway;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload keeps the broker connection of an MQTT hook it does not change, and of one it changes but that still
 * reaches the same broker: a real Mosquitto sees one connection from the gateway however many reloads come. Once no
 * hook uses the broker any more, the connection is closed, and its gauge goes.
 */
class MqttReloadEndToEndTest {

    @TempDir
    Path brokerDirectory;

    /** A lamp hook publishing to {@code topic}, and a {@code respond} hook answering {@code hello}. */
    private static String config(int brokerPort, String topic, String hello) {
        String lamp = topic == null ? "" : """
                  - name: lamp
                    path: /lamp
                    processor: {type: mqtt, host: 127.0.0.1, port: %d, topic: %s, payload: "${json:/v}"}
                """.formatted(brokerPort, topic);
        return """
                server: {access-log: false, request-head-timeout: 200ms, request-body-timeout: 200ms}
                hooks:
                %s  - {name: hello, path: /hello, processor: {type: respond, body: %s}}
                """.formatted(lamp, hello);
    }

    @Test
    void anUnchangedOrSameBrokerHookKeepsItsConnectionAndARemovedOneClosesIt() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(brokerDirectory);
             TestGateway gateway = TestGateway.start(config(broker.port(), "cmnd/lamp/POWER", "one"))) {
            HookCalls.awaitConnected(gateway, broker.port());
            Subscriber subscriber = broker.subscribe("cmnd/#", 1);

            GatewayServer.Reloaded helloChanged = gateway.reload(config(broker.port(), "cmnd/lamp/POWER", "two"));
            assertThat(helloChanged.unchanged()).containsExactly("lamp");
            assertThat(helloChanged.changed()).containsExactly("hello");
            assertThat(post(gateway, "/hello", "{}").body()).isEqualTo("two");
            assertThat(post(gateway, "/lamp", "{\"v\": \"ON\"}").statusCode()).isEqualTo(200);
            assertThat(subscriber.next().topic()).isEqualTo("cmnd/lamp/POWER");

            GatewayServer.Reloaded lampChanged = gateway.reload(config(broker.port(), "cmnd/porch/POWER", "two"));
            assertThat(lampChanged.changed()).containsExactly("lamp");
            assertThat(post(gateway, "/lamp", "{\"v\": \"OFF\"}").statusCode()).isEqualTo(200);
            assertThat(subscriber.next().topic()).isEqualTo("cmnd/porch/POWER");
            assertThat(broker.connectsBy("hook-gateway-")).isEqualTo(1);
            assertThat(HookCalls.connects(gateway, "127.0.0.1:" + broker.port(), "connected")).isEqualTo(1);

            gateway.reload(config(broker.port(), null, "three"));
            Await.until(Duration.ofSeconds(10), "the connection no hook uses is closed and its gauge gone",
                    () -> HookCalls.connectedByClientId(gateway, broker.port()).isEmpty());
            assertThat(post(gateway, "/lamp", "{}").statusCode()).isEqualTo(404);
            assertThat(broker.connectsBy("hook-gateway-")).isEqualTo(1);

            gateway.reload(config(broker.port(), "cmnd/lamp/POWER", "three"));
            HookCalls.awaitConnected(gateway, broker.port());
            assertThat(post(gateway, "/lamp", "{\"v\": \"ON\"}").statusCode()).isEqualTo(200);
            assertThat(broker.connectsBy("hook-gateway-")).isEqualTo(2);
        }
    }
}
