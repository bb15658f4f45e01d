package io.hookgateway.processors.mqtt;

import static io.hookgateway.processors.mqtt.HookCalls.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.processors.mqtt.MosquittoBroker.Subscriber;
import io.hookgateway.testing.Await;
import io.hookgateway.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one connection every hook of a broker shares, against requests whose values would make a topic the broker
 * refuses (and closes the connection for): each gets 400 before anything is sent, the gateway never reconnects, and a
 * flood of them costs the legitimate publishes running beside it nothing, QoS 0 included.
 */
class MqttHostileTopicsEndToEndTest {

    /**
     * The broker hands a subscriber messages in the order the one connection brought them, so a good message published
     * after the hostile requests arriving first shows that none of them was published.
     */
    private static final String FIRST_MESSAGE = "the first message after the hostile requests";

    @TempDir
    static Path brokerDirectory;

    private static MosquittoBroker broker;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        broker = MosquittoBroker.start(brokerDirectory);
        gateway = HookCalls.startConnected(broker, """
                  - name: lamp
                    path: /lamp/{device}/on
                    processor: {%1$s, topic: "cmnd/${path.device}/POWER", payload: "ON", qos: 0}
                  - name: any-topic
                    path: /any-topic
                    processor: {%1$s, topic: "${json:/topic}", payload: x}
                  - name: level
                    path: /level
                    processor: {%1$s, topic: "home/${json:/device}/set", payload: x, qos: 0}
                  - name: legit-qos0
                    path: /legit/qos0/{n}
                    processor: {%1$s, topic: "legit/${path.n}", payload: "${path.n}", qos: 0}
                  - name: legit-qos1
                    path: /legit/qos1/{n}
                    processor: {%1$s, topic: "legit/${path.n}", payload: "${path.n}", qos: 1}
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        HookCalls.stop(gateway, broker);
    }

    /** The code point as JSON writes it in a string: one {@code \}{@code uXXXX} escape per UTF-16 unit. */
    private static String jsonEscape(int codePoint) {
        StringBuilder escaped = new StringBuilder();
        for (char c : Character.toChars(codePoint)) {
            escaped.append(String.format("\\u%04x", (int) c));
        }
        return escaped.toString();
    }

    private static HttpResponse<String> postTopic(String jsonTopic) throws Exception {
        return post(gateway, "/any-topic", "{\"topic\": \"" + jsonTopic + "\"}");
    }

    private static void assertTheConnectionNeverDropped() throws Exception {
        assertThat(HookCalls.connects(gateway, "127.0.0.1:" + broker.port(), "connected"))
                .as("connections made; more than one would mean a reconnect").isEqualTo(1);
        assertThat(HookCalls.connected(gateway, broker.port())).isEqualTo(1);
        assertThat(broker.connectsBy("hook-gateway-")).as("gateway connections in the broker's log").isEqualTo(1);
    }

    @Test
    void answers400ToEveryCodePointATopicMayNotHoldAndKeepsTheConnection() throws Exception {
        Subscriber everything = broker.subscribe("#", 0);
        List<String> misanswered = new ArrayList<>();

        for (int c : MqttStringsTest.forbiddenCodePoints()) {
            String hex = String.format("U+%04X", c);
            HttpResponse<String> response = postTopic("home/" + jsonEscape(c) + "/x");
            if (response.statusCode() != 400 || !response.body().contains(hex)) {
                misanswered.add(hex + ": " + response.statusCode() + " " + response.body());
            }
        }

        assertThat(misanswered).isEmpty();
        assertTheConnectionNeverDropped();
        assertThat(postTopic("ok/after/" + jsonEscape(0xfffd)).statusCode()).isEqualTo(200);
        assertThat(everything.next().topic()).as(FIRST_MESSAGE).isEqualTo("ok/after/\ufffd");
    }

    @Test
    void answers400ToATopicThatIsEmptyTooLongOrAWildcardAndKeepsTheConnection() throws Exception {
        Subscriber everything = broker.subscribe("#", 0);

        assertThat(postTopic("").body()).contains("is empty");
        assertThat(postTopic("a".repeat(65_536)).body()).contains("is longer than 65535 bytes");
        assertThat(postTopic("\\u00e9".repeat(32_768)).body()).contains("is longer than 65535 bytes");
        assertThat(postTopic("home/#").body()).contains("contains the wildcard '#'");
        assertThat(postTopic("home/+/x").body()).contains("contains the wildcard '+'");
        assertThat(postTopic("$SYS/x").body()).contains("starts with '$'");
        for (String topic : List.of("", "a".repeat(65_536), "home/#", "home/+/x", "$SYS/x")) {
            assertThat(postTopic(topic).statusCode()).isEqualTo(400);
        }

        assertTheConnectionNeverDropped();
        assertThat(postTopic("a".repeat(65_535)).statusCode()).as("the longest topic").isEqualTo(200);
        assertThat(everything.next().topic()).as(FIRST_MESSAGE).hasSize(65_535);
    }

    @Test
    void answers400ToAValueThatWouldAddOrEmptyATopicLevelBesideFixedOnes() throws Exception {
        Subscriber everything = broker.subscribe("#", 0);

        for (String device : List.of("a/b", "", "/", "a/", "/b", "a//b")) {
            HttpResponse<String> response = post(gateway, "/level", "{\"device\": \"" + device + "\"}");
            assertThat(response.statusCode()).as(device).isEqualTo(400);
            assertThat(response.body()).contains("would change the topic's levels");
        }

        assertTheConnectionNeverDropped();
        assertThat(post(gateway, "/level", "{\"device\": \"lamp\"}").statusCode()).isEqualTo(200);
        assertThat(everything.next().topic()).as(FIRST_MESSAGE).isEqualTo("home/lamp/set");
    }

    @Test
    void answers400ToANoncharacterInThePathAsTheAttackSentIt() throws Exception {
        Subscriber everything = broker.subscribe("#", 0);

        for (String device : List.of("%EF%BF%BF", "%EF%BF%BE", "%EF%B7%90", "%F4%8F%BF%BF", "%F0%9F%BF%BE")) {
            HttpResponse<String> response = post(gateway, "/lamp/" + device + "/on", "");

            assertThat(response.statusCode()).as(device).isEqualTo(400);
            assertThat(response.body()).as(device).contains("contains the noncharacter U+");
        }

        assertTheConnectionNeverDropped();
        assertThat(post(gateway, "/lamp/desk/on", "").statusCode()).isEqualTo(200);
        assertThat(everything.next().topic()).as(FIRST_MESSAGE).isEqualTo("cmnd/desk/POWER");
    }

    @Test
    void aFloodOfHostileTopicsCostsTheLegitimatePublishesBesideItNothing() throws Exception {
        Subscriber subscriber = broker.subscribe("legit/#", 1);
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger hostile = new AtomicInteger();
        List<Integer> forbidden = MqttStringsTest.forbiddenCodePoints();
        long floodStart = System.nanoTime();
        CompletableFuture<List<Integer>> flood = CompletableFuture.supplyAsync(() -> {
            List<Integer> notRefused = new ArrayList<>();
            try {
                while (flooding.get()) {
                    int n = hostile.getAndIncrement();
                    HttpResponse<String> response = n % 2 == 0
                            ? post(gateway, "/lamp/%EF%BF%BF/on", "")
                            : postTopic("lamp/" + jsonEscape(forbidden.get(n % forbidden.size())));
                    if (response.statusCode() != 400) {
                        notRefused.add(response.statusCode());
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return notRefused;
        });
        Await.until(Duration.ofSeconds(5), "the flood has begun", () -> hostile.get() >= 10);

        Set<String> answered = new HashSet<>();
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String qos = i % 2 == 0 ? "qos0" : "qos1";
            HttpResponse<String> response = post(gateway, "/legit/" + qos + "/m" + i, "");
            if (response.statusCode() == 200) {
                answered.add("m" + i);
            } else {
                failed.add("m" + i + " (" + qos + "): " + response.statusCode() + " " + response.body());
            }
        }
        flooding.set(false);
        List<Integer> notRefused = flood.get(10, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - floodStart) / 1e9;

        assertThat(failed).as("legitimate publishes not answered 200").isEmpty();
        assertThat(notRefused).as("hostile requests not answered 400").isEmpty();
        assertThat(hostile.get() / seconds).as("hostile requests a second").isGreaterThan(2);
        Set<String> delivered = new HashSet<>();
        for (int i = 0; i < answered.size(); i++) {
            delivered.add(subscriber.next().payload());
        }
        assertThat(delivered).isEqualTo(answered);
        assertTheConnectionNeverDropped();
    }
}
