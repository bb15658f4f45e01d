package io.hookgateway.processors.mqtt;

import static io.hookgateway.processors.mqtt.HookCalls.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.processors.mqtt.MosquittoBroker.Subscriber.Message;
import io.hookgateway.processors.mqtt.MosquittoBroker.Subscriber;
import io.hookgateway.testing.PrometheusText;
import io.hookgateway.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks published to a real Mosquitto through the gateway, and received by a real subscriber
 * ({@code mosquitto_sub}): topics and payloads from the request, QoS 0 and 1, the retain flag, a chain with
 * {@code respond}, one connection for every hook, and the meters. The topics a request must not make are
 * {@link MqttHostileTopicsEndToEndTest}'s.
 */
class MqttPublishEndToEndTest {

    @TempDir
    static Path brokerDirectory;

    private static MosquittoBroker broker;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        broker = MosquittoBroker.start(brokerDirectory);
        gateway = HookCalls.startConnected(broker, """
                  - name: lamp
                    path: /lamp/{device}
                    processor: {%1$s, topic: "cmnd/${path.device}/POWER", payload: "${json:/value1}", qos: 1}
                  - name: sensor
                    path: /sensor
                    processor: {%1$s, topic: "tele/${json:/room}/state", qos: 0}
                  - name: status
                    path: /status
                    processor: {%1$s, topic: stat/lamp/POWER, payload: "${json:/state}", retain: true}
                  - name: chained
                    path: /chained/{device}
                    processors:
                      - {%1$s, topic: "cmnd/${path.device}/POWER", payload: "${json:/value1}"}
                      - {type: respond, body: "sent ${json:/value1} to ${path.device}\\n"}
                  - name: any-topic
                    path: /any-topic
                    processor: {%1$s, topic: "${json:/topic}", payload: x}
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        HookCalls.stop(gateway, broker);
    }

    @Test
    void publishesWithQos1TopicAndPayloadFromTheRequestAndAnswersAfterThePuback() throws Exception {
        Subscriber subscriber = broker.subscribe("cmnd/kitchen/#", 1);

        HttpResponse<String> response = post(gateway, "/lamp/kitchen", "{\"value1\": \"ON\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("published\n");
        assertThat(subscriber.next()).isEqualTo(new Message(false, 1, "cmnd/kitchen/POWER", "ON"));
    }

    @Test
    void publishesWithQos0TheBodyAsSent() throws Exception {
        Subscriber subscriber = broker.subscribe("tele/#", 1);
        String body = "{\"room\": \"attic\", \"temperature\": 21.5}";

        HttpResponse<String> response = post(gateway, "/sensor", body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(subscriber.next()).isEqualTo(new Message(false, 0, "tele/attic/state", body));
    }

    @Test
    void aRetainedMessageReachesASubscriberThatComesLater() throws Exception {
        assertThat(post(gateway, "/status", "{\"state\": \"OFF\"}").statusCode()).isEqualTo(200);

        Subscriber late = broker.subscribeWithRetained("stat/lamp/POWER", 0);

        assertThat(late.next()).isEqualTo(new Message(true, 0, "stat/lamp/POWER", "OFF"));
    }

    @Test
    void aChainPublishesAndThenResponds() throws Exception {
        Subscriber subscriber = broker.subscribe("cmnd/hall/#", 0);

        HttpResponse<String> response = post(gateway, "/chained/hall", "{\"value1\": \"TOGGLE\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("sent TOGGLE to hall\n");
        assertThat(subscriber.next()).isEqualTo(new Message(false, 0, "cmnd/hall/POWER", "TOGGLE"));
    }

    @Test
    void everyHookPublishesOverOneConnection() throws Exception {
        Subscriber subscriber = broker.subscribe("cmnd/shared/#", 0);

        assertThat(post(gateway, "/lamp/shared", "{\"value1\": \"1\"}").statusCode()).isEqualTo(200);
        assertThat(post(gateway, "/chained/shared", "{\"value1\": \"2\"}").statusCode()).isEqualTo(200);
        assertThat(post(gateway, "/any-topic", "{\"topic\": \"cmnd/shared/x\"}").statusCode()).isEqualTo(200);

        assertThat(subscriber.next().payload()).isEqualTo("1");
        assertThat(subscriber.next().payload()).isEqualTo("2");
        assertThat(subscriber.next().payload()).isEqualTo("x");
        assertThat(broker.connectsBy("hook-gateway-")).as("gateway connections in the broker's log").isEqualTo(1);
    }

    @Test
    void exportsTheConnectionStateAndPublishLatencyByHookButNoTopic() throws Exception {
        assertThat(post(gateway, "/lamp/metrics-room", "{\"value1\": \"ON\"}").statusCode()).isEqualTo(200);

        String scrape = HookCalls.scrape(gateway);
        String broker = "broker=\"127.0.0.1:" + MqttPublishEndToEndTest.broker.port() + "\"";
        Map<String, Double> connections = HookCalls.connectedByClientId(gateway, MqttPublishEndToEndTest.broker.port());
        String clientId = connections.keySet().iterator().next();

        assertThat(connections).as("one series for the one connection").containsOnlyKeys(clientId);
        assertThat(clientId).matches("hook-gateway-[0-9a-f]{10}");
        assertThat(connections.get(clientId)).isEqualTo(1);
        assertThat(PrometheusText.sample(scrape, "hook_gateway_mqtt_connects_total{" + broker + ",client_id=\""
                + clientId + "\",outcome=\"connected\"}")).hasValue(1);
        assertThat(PrometheusText.sampleOrZero(scrape, "hook_gateway_mqtt_publish_seconds_count{" + broker
                + ",hook=\"lamp\",outcome=\"ok\",qos=\"1\"}")).isGreaterThanOrEqualTo(1);
        assertThat(scrape).contains("hook_gateway_mqtt_publish_seconds_bucket{" + broker
                + ",hook=\"lamp\",outcome=\"ok\",qos=\"1\",le=\"0.001\"}");
        assertThat(scrape).doesNotContain("metrics-room").doesNotContain("cmnd/");
    }
}
