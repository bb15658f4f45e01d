package io.hookgateway.processors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MqttStrings} and {@link TopicNames} held against a real Mosquitto, which closes the connection on a PUBLISH
 * whose topic it refuses: it must refuse every code point the gateway refuses (so the rule is not stricter than
 * needed) and take every code point the gateway lets through (so no request can cut the shared connection).
 */
class MqttStringsMosquittoTest {

    /** Two-byte-long topics hold this many code points of up to four bytes each, with room for the prefix. */
    private static final int CODE_POINTS_PER_TOPIC = 16_000;

    @TempDir
    static Path brokerDirectory;

    private static MosquittoBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = MosquittoBroker.start(brokerDirectory);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static byte[] topic(byte[] middle) {
        ByteArrayOutputStream topic = new ByteArrayOutputStream();
        topic.writeBytes("t/".getBytes(StandardCharsets.UTF_8));
        topic.writeBytes(middle);
        topic.writeBytes("/x".getBytes(StandardCharsets.UTF_8));
        return topic.toByteArray();
    }

    /** Whether Mosquitto keeps serving a connection after a PUBLISH to this topic. */
    private static boolean mosquittoTakes(byte[] topic, String clientId) throws Exception {
        try (RawMqtt client = RawMqtt.connect(broker.port(), clientId)) {
            client.publish(topic);
            return client.answersPing();
        }
    }

    @Test
    void mosquittoClosesTheConnectionOnEveryCodePointTheGatewayRefuses() throws Exception {
        List<String> taken = new ArrayList<>();
        for (int c : MqttStringsTest.forbiddenCodePoints()) {
            boolean surrogate = c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE;
            // All 2048 surrogates are one rule in Mosquitto's code; its edges and a few within it stand for it.
            if (surrogate && c % 0x100 != 0 && c % 0x100 != 0xff) {
                continue;
            }
            assertThat(MqttStrings.problem(MqttStringsTest.text(c))).isNotNull();
            String hex = String.format("U+%04X", c);
            if (mosquittoTakes(topic(RawMqtt.utf8(c)), "refused-" + hex)) {
                taken.add(hex);
            }
        }

        assertThat(taken).as("code points the gateway refuses but Mosquitto takes").isEmpty();
    }

    @Test
    void mosquittoTakesEveryCodePointTheGatewayLetsThrough() throws Exception {
        List<String> refused = new ArrayList<>();
        try (RawMqtt client = RawMqtt.connect(broker.port(), "every-allowed-code-point")) {
            StringBuilder chunk = new StringBuilder();
            int inChunk = 0;
            int first = 0;
            for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
                String one = MqttStringsTest.text(c);
                if (TopicNames.characterProblem(one) == null) {
                    chunk.append(one);
                    inChunk++;
                }
                if (inChunk == CODE_POINTS_PER_TOPIC || c == Character.MAX_CODE_POINT) {
                    String topic = "t/" + chunk;
                    assertThat(TopicNames.problem(topic)).isNull();
                    client.publish(topic.getBytes(StandardCharsets.UTF_8));
                    if (!client.answersPing()) {
                        refused.add(String.format("U+%04X..U+%04X", first, c));
                        break;
                    }
                    chunk.setLength(0);
                    inChunk = 0;
                    first = c + 1;
                }
            }
        }

        assertThat(refused).as("a topic of code points the gateway lets through, which Mosquitto refused").isEmpty();
    }

    @Test
    void mosquittoClosesTheConnectionOnATopicThatIsEmptyOrHasAWildcard() throws Exception {
        for (String topic : List.of("", "home/#", "home/+/x", "#", "+")) {
            assertThat(TopicNames.problem(topic)).as(topic).isNotNull();
            assertThat(mosquittoTakes(topic.getBytes(StandardCharsets.UTF_8), "refused-topic")).as(topic).isFalse();
        }
    }
}
