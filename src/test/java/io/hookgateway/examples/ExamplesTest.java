package io.hookgateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.hookgateway.loader.ConfigLoader;
import io.hookgateway.loader.GatewayConfig;
import io.hookgateway.processors.ProcessorRegistry;
import io.hookgateway.processors.mqtt.MosquittoBroker;
import io.hookgateway.security.alexa.LocalAmazon;
import io.hookgateway.testing.Await;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.Requests;
import io.hookgateway.testing.TestGateway;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file in {@code gateway/examples/} is loaded as a user would load it and exercised end to end against real
 * parts (the handler scripts, a Mosquitto broker, a local HTTP server standing in for a LAN device), so no example can
 * rot. Each test starts from the file, with only environment variables to point it at this machine.
 */
class ExamplesTest {

    private static final Path EXAMPLES = Path.of("gateway/examples");
    private static final String GITHUB_SECRET = "It's a Secret to Everybody";
    private static final String STRIPE_SECRET = "whsec_test3xampleS3cret";

    @TempDir
    Path state;

    private final Map<String, String> env = new HashMap<>();
    private TestGateway gateway;

    @BeforeEach
    void environment() {
        env.put("IFTTT_KEY", "k3y");
        env.put("LIGHTS_STATE_DIR", state.resolve("lights").toString());
        env.put("NOTIFY_LOG", state.resolve("notifications.log").toString());
        env.put("DEPLOY_LOG", state.resolve("deploys.log").toString());
        env.put("DEPLOY_STEP_SECONDS", "0");
        env.put("GITHUB_WEBHOOK_SECRET", GITHUB_SECRET);
        env.put("STRIPE_WEBHOOK_SECRET", STRIPE_SECRET);
        env.put("RELAY_KEY", "r3lay");
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private void start(String file) throws Exception {
        GatewayConfig config = new ConfigLoader(ProcessorRegistry.load(), env::get).load(EXAMPLES.resolve(file));
        gateway = TestGateway.start(config);
    }

    /** POSTs JSON, with any further header fields ("Name: value"), on a new connection. */
    private RawHttp.Response post(String target, String json, String... fields) throws IOException {
        return gateway.exchange(Requests.postJson(target, json, fields));
    }

    private RawHttp.Response get(String target) throws IOException {
        return gateway.exchange(Requests.get(target));
    }

    @Test
    void everyExampleIsTestedHere() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ifttt-lights.yaml",
                    "ifttt-mqtt.yaml", "alexa-routine.yaml", "alexa-skill.yaml", "github-deploy.yaml",
                    "lan-relay.yaml", "stripe.yaml");
        }
    }

    @Test
    void iftttLightsSwitchesALightThroughTheHandler() throws Exception {
        start("ifttt-lights.yaml");

        RawHttp.Response on = post("/ifttt/lights/kitchen?key=k3y", "{\"value1\": \"on\", \"value2\": \"60\"}");
        assertThat(on.status()).isEqualTo(200);
        assertThat(on.bodyText()).isEqualTo("kitchen light on at 60%\n");
        assertThat(Files.readString(state.resolve("lights/kitchen"))).isEqualTo("on 60\n");

        RawHttp.Response bad = post("/ifttt/lights/kitchen?key=k3y", "{\"value1\": \"sideways\"}");
        assertThat(bad.status()).as("the handler's exit code 2 is a 400").isEqualTo(400);
        assertThat(bad.bodyText()).contains("state must be on or off");

        assertThat(post("/ifttt/lights/kitchen?key=guess", "{\"value1\": \"off\"}").status()).isEqualTo(403);
        assertThat(post("/ifttt/lights/kitchen", "{\"value1\": \"off\"}").status())
                .as("without a key the hook is hidden").isEqualTo(404);
        assertThat(Files.readString(state.resolve("lights/kitchen"))).isEqualTo("on 60\n");
    }

    @Test
    void iftttMqttPublishesToTheDevicesTopic() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(state.resolve("broker")));
             MosquittoBroker.Subscriber subscriber = broker.subscribe("home/#", 1)) {
            env.put("MQTT_HOST", "127.0.0.1");
            env.put("MQTT_PORT", Integer.toString(broker.port()));
            start("ifttt-mqtt.yaml");
            // The gateway connects to the broker as it starts; until it has, a request gets 503.
            Await.until(Duration.ofSeconds(10), "the gateway is connected to the broker",
                    () -> gateway.gauge("hook.gateway.mqtt.connected", "broker", "127.0.0.1:" + broker.port()) >= 1);

            RawHttp.Response answer = post("/ifttt/mqtt/desk-lamp?key=k3y", "{\"value1\": \"ON\"}");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyText()).isEqualTo("desk-lamp: ON\n");
            MosquittoBroker.Subscriber.Message message = subscriber.next();
            assertThat(message.topic()).isEqualTo("home/desk-lamp/set");
            assertThat(message.payload()).isEqualTo("ON");

            assertThat(post("/ifttt/mqtt/desk-lamp?key=k3y", "{\"value1\": \"BLUE\"}").status()).isEqualTo(400);
            assertThat(post("/ifttt/mqtt/desk-lamp?key=nope", "{\"value1\": \"ON\"}").status()).isEqualTo(403);
        }
    }

    @Test
    void alexaRoutineRunsEveryStepInOrder() throws Exception {
        start("alexa-routine.yaml");

        RawHttp.Response answer = post("/alexa/movie-night?key=k3y",
                "{\"phrase\": \"trigger movie night\", \"at\": \"November 24, 2026 at 08:00PM\"}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.bodyText()).isEqualTo("Enjoy the movie.\n");
        assertThat(Files.readString(state.resolve("lights/living-room"))).isEqualTo("on 20\n");
        assertThat(Files.readString(state.resolve("lights/hall"))).isEqualTo("off\n");
        assertThat(Files.readString(state.resolve("notifications.log")))
                .contains("\tmovie night\tAlexa heard 'trigger movie night' at November 24, 2026 at 08:00PM");
    }

    /** The HMAC-SHA256 of {@code content}, hex, as a sender computes it. */
    private static String hmacSha256(String secret, String content) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** A GitHub delivery of {@code json}, signed as GitHub signs it. */
    private RawHttp.Response postFromGitHub(String event, String json) throws Exception {
        return post("/github/deploy", json, "X-GitHub-Event: " + event, "X-GitHub-Delivery: " + UUID.randomUUID(),
                "X-Hub-Signature-256: sha256=" + hmacSha256(GITHUB_SECRET, json));
    }

    @Test
    void alexaSkillSwitchesALightOverMqttAndSaysSo() throws Exception {
        String skill = "amzn1.ask.skill.0f6b1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d";
        try (LocalAmazon amazon = LocalAmazon.start(Files.createDirectories(state.resolve("amazon")));
             MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(state.resolve("broker")));
             MosquittoBroker.Subscriber subscriber = broker.subscribe("home/#", 1)) {
            env.put("ALEXA_SKILL_ID", skill);
            env.put("MQTT_HOST", "127.0.0.1");
            env.put("MQTT_PORT", Integer.toString(broker.port()));
            // As a user would load it, but with Amazon's certificates played by a local server and authority.
            GatewayConfig config = new ConfigLoader(ProcessorRegistry.load(), env::get, amazon.authTypes())
                    .load(EXAMPLES.resolve("alexa-skill.yaml"));
            gateway = TestGateway.start(config);
            Await.until(Duration.ofSeconds(10), "the gateway is connected to the broker",
                    () -> gateway.gauge("hook.gateway.mqtt.connected", "broker", "127.0.0.1:" + broker.port()) >= 1);

            String turnOn = amazon.body(skill, "IntentRequest", "\"intent\": {\"name\": \"TurnOnIntent\", "
                    + "\"slots\": {\"room\": {\"name\": \"room\", \"value\": \"kitchen\"}}}");
            RawHttp.Response on = alexa(amazon, turnOn);
            assertThat(on.status()).isEqualTo(200);
            assertThat(on.bodyText()).contains("\"text\":\"The kitchen light is on.\"");
            MosquittoBroker.Subscriber.Message message = subscriber.next();
            assertThat(message.topic()).isEqualTo("home/kitchen/light/set");
            assertThat(message.payload()).isEqualTo("ON");

            String launch = amazon.body(skill, "LaunchRequest", "");
            assertThat(alexa(amazon, launch).bodyText()).contains("Home here. Which light shall I switch?")
                    .contains("\"shouldEndSession\":false");

            // Not signed by Amazon (answered as a path without a hook), or for another skill: refused, and nothing is
            // published.
            assertThat(post("/alexa/home", turnOn).status()).isEqualTo(404);
            assertThat(alexa(amazon, turnOn.replace(skill, "amzn1.ask.skill.someone-else")).status()).isEqualTo(403);
            String turnOff = turnOn.replace("TurnOnIntent", "TurnOffIntent").replace("kitchen", "hall");
            assertThat(alexa(amazon, turnOff).bodyText()).contains("\"text\":\"The hall light is off.\"");
            MosquittoBroker.Subscriber.Message next = subscriber.next();
            assertThat(next.topic() + " " + next.payload()).as("the next message, not a refused request's")
                    .isEqualTo("home/hall/light/set OFF");

            broker.stop();
            RawHttp.Response failed = alexa(amazon, turnOn);
            assertThat(failed.status()).isEqualTo(200);
            assertThat(failed.bodyText()).contains("\"text\":\"Sorry, the kitchen light did not answer.\"");
        }
    }

    /** POSTs {@code body} as Alexa would, signed with the local Amazon's signing certificate. */
    private RawHttp.Response alexa(LocalAmazon amazon, String body) throws IOException {
        return post("/alexa/home", body, amazon.signedFields(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void githubDeployRunsInTheBackgroundForSignedPushesToMainOnly() throws Exception {
        start("github-deploy.yaml");
        String push = "{\"ref\": \"refs/heads/main\", \"after\": \"9f3c2a1\", "
                + "\"repository\": {\"full_name\": \"me/garden-lights\"}}";

        RawHttp.Response accepted = postFromGitHub("push", push);
        assertThat(accepted.status()).isEqualTo(202);
        Path log = state.resolve("deploys.log");
        Await.until(Duration.ofSeconds(10), "the deploy finishes", () -> Files.exists(log)
                && Files.readString(log).contains("me/garden-lights\trefs/heads/main\t9f3c2a1"));
        // The run's state is behind the hook's auth: without a signature, the hidden hook's 404.
        assertThat(get(accepted.header("Location")).status()).isEqualTo(404);

        // Unsigned (404, as a path without a hook), signed with another secret, or for another body: refused, and
        // nothing more is deployed.
        assertThat(post("/github/deploy", push, "X-GitHub-Event: push").status()).isEqualTo(404);
        assertThat(post("/github/deploy", push, "X-GitHub-Event: push",
                "X-Hub-Signature-256: sha256=" + hmacSha256("a guess", push)).status()).isEqualTo(403);
        assertThat(post("/github/deploy", push.replace("9f3c2a1", "0badc0de"), "X-GitHub-Event: push",
                "X-Hub-Signature-256: sha256=" + hmacSha256(GITHUB_SECRET, push)).status()).isEqualTo(403);

        RawHttp.Response branch = postFromGitHub("push", push.replace("main", "feature"));
        RawHttp.Response ping = postFromGitHub("ping", "{\"zen\": \"hi\"}");
        assertThat(branch.status()).isEqualTo(200);
        assertThat(ping.status()).isEqualTo(200);
        assertThat(branch.bodyText()).isEqualTo("not a push to main; nothing to deploy\n");
        assertThat(Files.readAllLines(state.resolve("deploys.log"))).hasSize(1);
    }

    @Test
    void githubDeployTakesADeliveryOnce() throws Exception {
        start("github-deploy.yaml");
        String push = "{\"ref\": \"refs/heads/feature\", \"after\": \"9f3c2a1\", "
                + "\"repository\": {\"full_name\": \"me/garden-lights\"}}";
        String[] delivery = {"X-GitHub-Event: push", "X-GitHub-Delivery: " + UUID.randomUUID(),
            "X-Hub-Signature-256: sha256=" + hmacSha256(GITHUB_SECRET, push)};

        assertThat(post("/github/deploy", push, delivery).status()).isEqualTo(200);
        assertThat(post("/github/deploy", push, delivery).status()).isEqualTo(403);
    }

    /** A Stripe event, signed as Stripe signs it, {@code secondsAgo} before now. */
    private RawHttp.Response postFromStripe(String json, String secret, long secondsAgo) throws Exception {
        long t = System.currentTimeMillis() / 1000 - secondsAgo;
        return post("/stripe", json, "Stripe-Signature: t=" + t + ",v1=" + hmacSha256(secret, t + "." + json));
    }

    @Test
    void stripeNotifiesOfSignedPaymentsOnly() throws Exception {
        start("stripe.yaml");
        String paid = "{\"id\": \"evt_1\", \"type\": \"payment_intent.succeeded\", "
                + "\"data\": {\"object\": {\"amount\": 2000, \"currency\": \"eur\"}}}";

        RawHttp.Response received = postFromStripe(paid, STRIPE_SECRET, 0);
        assertThat(received.status()).isEqualTo(200);
        assertThat(received.bodyText()).isEqualTo("received\n");
        assertThat(Files.readString(state.resolve("notifications.log"))).contains("\tstripe payment\t2000 eur "
                + "received (evt_1)");

        RawHttp.Response other = postFromStripe(paid.replace("payment_intent.succeeded", "customer.created"),
                STRIPE_SECRET, 0);
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.bodyText()).isEqualTo("ignored\n");

        // Unsigned (the hidden hook's 404), signed with another secret, signed too long ago: refused, and nothing is
        // notified.
        assertThat(post("/stripe", paid).status()).isEqualTo(404);
        assertThat(postFromStripe(paid, "whsec_guess", 0).status()).isEqualTo(403);
        assertThat(postFromStripe(paid, STRIPE_SECRET, 600).status()).isEqualTo(403);
        assertThat(Files.readAllLines(state.resolve("notifications.log"))).hasSize(1);
    }

    @Test
    void lanRelayForwardsToTheDevice() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer device = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        device.createContext("/relay", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            byte[] body = "relay switched\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        device.start();
        try {
            env.put("RELAY_URL", "http://127.0.0.1:" + device.getAddress().getPort());
            start("lan-relay.yaml");

            RawHttp.Response answer = post("/relay/on?key=r3lay", "");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyText()).isEqualTo("relay switched\n");
            assertThat(seen).containsExactly("GET /relay?state=on");
            assertThat(post("/relay/sideways?key=r3lay", "").status()).isEqualTo(400);
            assertThat(post("/relay/on?key=nope", "").status()).isEqualTo(403);
            assertThat(seen).hasSize(1);
        } finally {
            device.stop(0);
        }
    }
}
