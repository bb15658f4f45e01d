package io.hookgateway.processors.mqtt;

import static io.hookgateway.processors.mqtt.HookCalls.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.processors.mqtt.MosquittoBroker.Subscriber;
import io.hookgateway.testing.Await;
import io.hookgateway.testing.LogCapture;
import io.hookgateway.testing.PrometheusText;
import io.hookgateway.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hook answers while its broker is away, and that the gateway comes back by itself: a broker down at start, a
 * broker restarted, a broker that stops answering, and a broker that refuses the gateway's credentials.
 */
class MqttBrokerOutageEndToEndTest {

    private static final Duration RECONNECT_WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path brokerDirectory;

    /**
     * One hook, {@code POST /lamp}, publishing {@code v} of its JSON body; {@code hookKeys} and {@code mqttKeys} add
     * keys to the hook and to its processor.
     */
    private static String lampHook(int brokerPort, String hookKeys, String mqttKeys) {
        return """
                server: {access-log: false}
                hooks:
                  - name: lamp
                    path: /lamp
                    %s
                    processor: {type: mqtt, host: 127.0.0.1, port: %d, topic: cmnd/lamp/POWER, payload: "${json:/v}"%s}
                """.formatted(hookKeys, brokerPort, mqttKeys);
    }

    @Test
    void answers503WhileTheBrokerIsDownAtStartAndPublishesOnceItIsUp() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.create(brokerDirectory, Map.of(), null);
             TestGateway gateway = TestGateway.start(lampHook(broker.port(), "", ""));
             LogCapture log = LogCapture.gateway()) {

            HttpResponse<String> down = post(gateway, "/lamp", "{\"v\": \"ON\"}");

            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).startsWith("the MQTT broker is unavailable; try again later (error id ")
                    .doesNotContain("127.0.0.1").doesNotContain(Integer.toString(broker.port()));
            assertThat(log.lineFor(down.body())).contains("MQTT broker 127.0.0.1:" + broker.port() + " unavailable: ")
                    .containsAnyOf("connection refused", "connecting");
            assertThat(down.headers().firstValue("Retry-After")).hasValueSatisfying(
                    seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 30));

            broker.start();
            Subscriber subscriber = broker.subscribe("cmnd/#", 1);
            Await.until(RECONNECT_WITHIN, "a publish succeeds after the broker started",
                    () -> post(gateway, "/lamp", "{\"v\": \"ON\"}").statusCode() == 200);

            assertThat(subscriber.next().payload()).isEqualTo("ON");
        }
    }

    @Test
    void reconnectsAfterTheBrokerRestartsAndPublishesAgain() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(brokerDirectory);
             TestGateway gateway = TestGateway.start(lampHook(broker.port(), "", ""))) {
            HookCalls.awaitConnected(gateway, broker.port());
            assertThat(post(gateway, "/lamp", "{\"v\": \"before\"}").statusCode()).isEqualTo(200);

            broker.stop();
            Await.until(RECONNECT_WITHIN, "the gateway notices the broker is gone",
                    () -> HookCalls.connected(gateway, broker.port()) == 0);
            HttpResponse<String> during = post(gateway, "/lamp", "{\"v\": \"during\"}");
            broker.start();
            Subscriber subscriber = broker.subscribe("cmnd/#", 1);
            HookCalls.awaitConnected(gateway, broker.port());
            HttpResponse<String> after = post(gateway, "/lamp", "{\"v\": \"after\"}");

            assertThat(during.statusCode()).isEqualTo(503);
            assertThat(during.body()).startsWith("the MQTT broker is unavailable; try again later (error id ");
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(subscriber.next().payload()).isEqualTo("after");
            assertThat(broker.connectsBy("hook-gateway-")).isEqualTo(2);
        }
    }

    @Test
    void answers504WhenTheBrokerDoesNotAcknowledgeInTimeAndRecoversWhenItAnswersAgain() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(brokerDirectory);
             TestGateway gateway = TestGateway.start(lampHook(broker.port(), "", ", publish-timeout: 300ms"));
             LogCapture log = LogCapture.gateway()) {
            HookCalls.awaitConnected(gateway, broker.port());
            Subscriber subscriber = broker.subscribe("cmnd/#", 1);

            broker.pause();
            HttpResponse<String> stalled;
            try {
                stalled = post(gateway, "/lamp", "{\"v\": \"stalled\"}");
            } finally {
                broker.resume();
            }

            assertThat(stalled.statusCode()).isEqualTo(504);
            assertThat(stalled.body()).startsWith("the MQTT broker did not acknowledge the message in time (error id ");
            assertThat(log.lineFor(stalled.body())).contains("MQTT broker 127.0.0.1:" + broker.port()
                    + " did not acknowledge the message within 300ms");
            // QoS 1 is at least once: the stalled message arrives late, and the next one is answered again.
            assertThat(subscriber.next().payload()).isEqualTo("stalled");
            assertThat(post(gateway, "/lamp", "{\"v\": \"next\"}").statusCode()).isEqualTo(200);
            assertThat(subscriber.next().payload()).isEqualTo("next");
        }
    }

    @Test
    void theHooksTimeoutAnswers504AndCancelsThePublish() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(brokerDirectory);
             TestGateway gateway = TestGateway.start(lampHook(broker.port(), "timeout: 200ms", ""))) {
            HookCalls.awaitConnected(gateway, broker.port());

            broker.pause();
            HttpResponse<String> response;
            try {
                response = post(gateway, "/lamp", "{\"v\": \"slow\"}");
            } finally {
                broker.resume();
            }

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(response.body()).contains("the hook did not answer in time");
            Await.until(Duration.ofSeconds(5), "the publish is counted as cancelled", () -> PrometheusText.sampleOrZero(
                    HookCalls.scrape(gateway), "hook_gateway_mqtt_publish_seconds_count{broker=\"127.0.0.1:"
                            + broker.port() + "\",hook=\"lamp\",outcome=\"cancelled\",qos=\"1\"}") == 1);
        }
    }

    @Test
    void answers503SayingTheBrokerRefusedTheCredentialsAndPublishesWithTheRightOnes() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(brokerDirectory, Map.of("gateway", "right-secret"))) {
            String yaml = """
                    server: {access-log: false}
                    hooks:
                      - name: good
                        path: /good
                        processor: {type: mqtt, host: 127.0.0.1, port: %1$d, topic: t/good,
                                    username: gateway, password: "${MQTT_PASSWORD}"}
                      - name: bad
                        path: /bad
                        processor: {type: mqtt, host: 127.0.0.1, port: %1$d, topic: t/bad,
                                    username: intruder, password: guessed}
                    """.formatted(broker.port());
            try (TestGateway gateway = TestGateway.start(yaml, Map.of("MQTT_PASSWORD", "right-secret"));
                 LogCapture log = LogCapture.gateway()) {
                HookCalls.awaitConnected(gateway, broker.port());
                Await.until(RECONNECT_WITHIN, "the broker has answered the bad credentials",
                        () -> HookCalls.connects(gateway, "127.0.0.1:" + broker.port(), "refused") > 0);

                HttpResponse<String> bad = post(gateway, "/bad", "{}");
                HttpResponse<String> good = post(gateway, "/good", "{}");

                assertThat(bad.statusCode()).isEqualTo(503);
                assertThat(bad.body()).startsWith("the MQTT broker is unavailable; try again later (error id ")
                        .doesNotContain("CONNACK").doesNotContain("intruder").doesNotContain("127.0.0.1");
                assertThat(log.lineFor(bad.body())).contains("MQTT broker 127.0.0.1:" + broker.port()
                        + " unavailable: ").contains("the broker refused the connection (CONNACK return code 5)")
                        .contains("check username and password").doesNotContain("guessed");
                assertThat(good.statusCode()).isEqualTo(200);
            }
        }
    }
}
