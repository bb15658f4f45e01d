package io.hookgateway.security.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.security.signatures.Senders.Sender;
import io.hookgateway.security.signatures.Senders.Signed;
import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.Requests;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestProcessors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every signing preset over a real socket, against deliveries signed as each sender's documentation says, computed
 * here with {@code openssl dgst} and {@link javax.crypto.Mac}, never with the gateway's own code: the right signature
 * runs the hook, with the new secret and the old one of a rotation; a wrong, missing, truncated, oversized, doubled or
 * wrongly encoded one, another algorithm's, an altered body, an old or future timestamp and a replay are each refused
 * with the right status and reason, run nothing (the recorder counts no call) and are counted.
 */
class SignatureAuthEndToEndTest {

    private static final Map<String, String> SECRETS = Map.ofEntries(
            Map.entry("github", "gh-s3cret-9f2c"), Map.entry("github-old", "gh-previous-77a1"),
            Map.entry("stripe", "whsec_stripeNewSecret01"), Map.entry("stripe-old", "whsec_stripeOldSecret02"),
            Map.entry("slack", "8f742231b10e8888abcd99aaabbb85a5"), Map.entry("slack-old", "0c1d2e3f40516273"),
            Map.entry("shopify", "shpss_new_4e5f6a"), Map.entry("shopify-old", "shpss_old_7b8c9d"),
            Map.entry("standard", whsec("standard-new-key-24bytes")),
            Map.entry("standard-old", whsec("standard-old-key-24bytes")),
            Map.entry("twilio", "twilio-auth-token-new"), Map.entry("twilio-old", "twilio-auth-token-old"),
            Map.entry("generic", "generic-s3cret"), Map.entry("generic-old", "generic-old-s3cret"),
            Map.entry("gitlab", "gitlab-token-1"), Map.entry("gitlab-old", "gitlab-token-0"),
            Map.entry("deploy-key", "deploy-key-5a5a"),
            // A secret no hook has, in the shape every sender takes (Standard Webhooks': whsec_ and base64).
            Map.entry("wrong", whsec("not-the-secret-of-any-hook")));

    /** A Standard Webhooks secret of this key. */
    private static String whsec(String key) {
        return "whsec_" + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.US_ASCII));
    }

    private static final String CONFIG = """
            server: {access-log: false}
            hooks:
              - name: github
                path: /github
                auth: {github: {secrets: ["${GITHUB}", "${GITHUB_OLD}"]}}
                processor: {type: test-echo}
              - name: stripe
                path: /stripe
                auth: {stripe: {secrets: ["${STRIPE}", "${STRIPE_OLD}"]}}
                processor: {type: test-echo}
              - name: slack
                path: /slack
                auth: {slack: {secrets: ["${SLACK}", "${SLACK_OLD}"]}}
                processor: {type: test-echo}
              - name: shopify
                path: /shopify
                auth: {shopify: {secrets: ["${SHOPIFY}", "${SHOPIFY_OLD}"]}}
                processor: {type: test-echo}
              - name: standard
                path: /standard
                auth: {standard-webhooks: {secrets: ["${STANDARD}", "${STANDARD_OLD}"]}}
                processor: {type: test-echo}
              - name: twilio
                path: /twilio
                auth: {twilio: {secrets: ["${TWILIO}", "${TWILIO_OLD}"], url: "https://hooks.example.com"}}
                processor: {type: test-echo}
              - name: generic
                path: /generic
                auth:
                  generic:
                    secrets: ["${GENERIC}", "${GENERIC_OLD}"]
                    header: X-Signature
                    algorithm: sha512
                    encoding: base64
                    prefix: "sha512="
                    signed-content: "${header.X-Timestamp}.${body}"
                    timestamp-header: X-Timestamp
                    delivery-header: X-Delivery
                processor: {type: test-echo}
              - name: gitlab
                path: /gitlab
                auth: {gitlab: {secrets: ["${GITLAB}", "${GITLAB_OLD}"]}}
                processor: {type: test-echo}
              - name: github-sha1
                path: /github-sha1
                auth: {github: {secret: "${GITHUB}", allow-sha1: true}}
                processor: {type: test-echo}
              - name: both
                path: /both
                auth:
                  all:
                    - github: {secret: "${GITHUB}"}
                    - header-key: {header: X-Deploy-Key, key: "${DEPLOY_KEY}"}
                processor: {type: test-echo}
              - name: twilio-get
                path: /twilio-get
                methods: [GET]
                auth: {twilio: {secret: "${TWILIO}", url: "https://hooks.example.com"}}
                processor: {type: test-echo}
              - name: small
                path: /small
                auth: {github: {secret: "${GITHUB}", replay-cache-size: 16}}
                processor: {type: test-echo}
            """;

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(() -> TestGateway.start(CONFIG, environment()));

    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        SECRETS.forEach((name, value) -> env.put(name.toUpperCase().replace('-', '_'), value));
        return env;
    }

    @BeforeEach
    void reset() {
        TestProcessors.reset();
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** A new delivery, signed now. */
    private static Signed fresh(Sender sender) {
        String unique = UUID.randomUUID().toString();
        return new Signed(sender.body(unique), now(), "delivery-" + unique);
    }

    private static String request(Sender sender, Signed delivery, String body, List<String> fields) {
        return Requests.post(sender.path(), sender.contentType(), body, fields.toArray(String[]::new));
    }

    private static String signed(Sender sender, Signed delivery, String secretName) {
        byte[] mac = sender.mac(delivery, SECRETS.get(secretName));
        return request(sender, delivery, delivery.body(),
                sender.fields(delivery, sender.written().apply(delivery, mac)));
    }

    static Stream<String> senders() {
        return Senders.ALL.stream().map(Sender::hook);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("senders")
    void aDeliverySignedAsTheSenderSignsRunsTheHook(String hook) throws Exception {
        Sender sender = Senders.named(hook);
        Signed delivery = fresh(sender);
        byte[] mac = sender.openssl(delivery, SECRETS.get(hook));
        assertThat(mac).as("openssl and javax.crypto agree").isEqualTo(sender.mac(delivery, SECRETS.get(hook)));

        RawHttp.Response answer = gateway.exchange(request(sender, delivery, delivery.body(),
                sender.fields(delivery, sender.written().apply(delivery, mac))));

        assertThat(answer.status()).as(answer.rawText()).isEqualTo(200);
        assertThat(TestProcessors.invocations(hook)).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("senders")
    void theOldSecretOfARotationPassesToo(String hook) throws Exception {
        Sender sender = Senders.named(hook);

        RawHttp.Response answer = gateway.exchange(signed(sender, fresh(sender), hook + "-old"));

        assertThat(answer.status()).as(answer.rawText()).isEqualTo(200);
        assertThat(TestProcessors.invocations(hook)).isEqualTo(1);
    }

    static Stream<Arguments> refusals() {
        List<Arguments> cases = new ArrayList<>();
        for (Sender sender : Senders.ALL) {
            List<String> kinds = new ArrayList<>(List.of("wrong secret", "missing", "truncated", "oversized",
                    "doubled", "other encoding", "other algorithm", "body altered", "empty"));
            if (sender.timestamped()) {
                kinds.addAll(List.of("expired", "future"));
            }
            kinds.forEach(kind -> cases.add(Arguments.of(sender.hook(), kind)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refusals")
    void aBadSignatureIsRefusedWithItsReasonAndRunsNothing(String hook, String kind) throws Exception {
        Sender sender = Senders.named(hook);
        Signed delivery = fresh(sender);
        if (kind.equals("expired") || kind.equals("future")) {
            // Ten minutes away, twice the default tolerance.
            delivery = new Signed(delivery.body(), now() + (kind.equals("expired") ? -600 : 600), delivery.id());
        }
        byte[] mac = sender.mac(delivery, SECRETS.get(hook));
        String right = sender.written().apply(delivery, mac);
        String body = delivery.body();
        List<String> fields = switch (kind) {
            case "wrong secret" -> sender.fields(delivery,
                    sender.written().apply(delivery, sender.mac(delivery, SECRETS.get("wrong"))));
            case "missing" -> sender.fields(delivery, null);
            case "empty" -> sender.fields(delivery, "");
            case "truncated" -> sender.fields(delivery, right.substring(0, right.length() - 4));
            case "oversized" -> sender.fields(delivery, right + "a".repeat(3000));
            case "doubled" -> {
                List<String> twice = new ArrayList<>(sender.fields(delivery, right));
                twice.add(sender.signatureField() + ": " + right);
                yield twice;
            }
            case "other encoding" -> sender.fields(delivery, sender.otherEncoding().apply(delivery, mac));
            case "other algorithm" -> sender.fields(delivery, sender.otherAlgorithm().apply(delivery, mac));
            case "body altered" -> {
                char changed = (char) (body.charAt(body.length() - 2) ^ 1);
                body = body.substring(0, body.length() - 2) + changed + body.charAt(body.length() - 1);
                yield sender.fields(delivery, right);
            }
            default -> sender.fields(delivery, right);
        };
        Expected expected = Expected.of(kind);
        double before = gateway.counter("hook.gateway.auth.failures", "hook", hook, "reason", expected.reason());

        RawHttp.Response answer = gateway.exchange(request(sender, delivery, body, fields));

        assertThat(answer.status()).as(answer.rawText()).isEqualTo(expected.status());
        assertThat(answer.bodyText()).isEqualTo(expected.status() == 401 ? "unauthorized\n"
                : expected.status() == 403 ? "forbidden\n" : "no hook is configured at this path\n");
        assertThat(answer.header("WWW-Authenticate")).isNull();
        assertThat(TestProcessors.invocations(hook)).isZero();
        assertThat(gateway.counter("hook.gateway.auth.failures", "hook", hook, "reason", expected.reason()))
                .isEqualTo(before + 1);
    }

    /** What a kind of bad signature is answered with, and the reason it is counted under. */
    private record Expected(int status, String reason) {
        static Expected of(String kind) {
            return switch (kind) {
                case "wrong secret", "body altered" -> new Expected(403, "mismatch");
                // Without a signature, a hidden hook (the default) answers as a path without a hook.
                case "missing", "empty" -> new Expected(404, "missing");
                case "expired", "future" -> new Expected(403, "expired");
                default -> new Expected(401, "malformed");
            };
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("senders")
    void aDeliveryIsTakenOnceWithinItsWindow(String hook) throws Exception {
        Sender sender = Senders.named(hook);
        String request = signed(sender, fresh(sender), hook);
        assertThat(gateway.exchange(request).status()).isEqualTo(200);
        double before = gateway.counter("hook.gateway.auth.failures", "hook", hook, "reason", "replayed");

        RawHttp.Response again = gateway.exchange(request);

        assertThat(again.status()).isEqualTo(403);
        assertThat(again.bodyText()).isEqualTo("forbidden\n");
        assertThat(TestProcessors.invocations(hook)).isEqualTo(1);
        assertThat(gateway.counter("hook.gateway.auth.failures", "hook", hook, "reason", "replayed"))
                .isEqualTo(before + 1);
    }

    @Test
    void ofSeveralSignaturesInOneFieldTheRightOneCountsAndAReplayKeepingOneIsStillAReplay() throws Exception {
        // Stripe signs with each of its secrets while one is rolled: t=...,v1=<new>,v1=<old>.
        Sender stripe = Senders.STRIPE;
        Signed delivery = fresh(stripe);
        String right = Signing.hex(stripe.mac(delivery, SECRETS.get("stripe")));
        String other = Signing.hex(stripe.mac(delivery, SECRETS.get("wrong")));
        String both = "t=" + delivery.seconds() + ",v1=" + other + ", v1=" + right + ",v0=" + other;

        assertThat(gateway.exchange(request(stripe, delivery, delivery.body(), stripe.fields(delivery, both)))
                .status()).isEqualTo(200);
        String onlyOne = "t=" + delivery.seconds() + ",v1=" + right;
        assertThat(gateway.exchange(request(stripe, delivery, delivery.body(), stripe.fields(delivery, onlyOne)))
                .status()).isEqualTo(403);
        assertThat(TestProcessors.invocations("stripe")).isEqualTo(1);
    }

    @Test
    void moreThanEightSignaturesInOneFieldAreNotTried() throws Exception {
        Sender standard = Senders.STANDARD;
        Signed delivery = fresh(standard);
        String right = "v1," + Signing.base64(standard.mac(delivery, SECRETS.get("standard")));
        String wrong = "v1," + Signing.base64(standard.mac(delivery, SECRETS.get("wrong")));
        double before = gateway.counter("hook.gateway.auth.failures", "hook", "standard", "reason", "malformed");

        RawHttp.Response answer = gateway.exchange(request(standard, delivery, delivery.body(),
                standard.fields(delivery, (wrong + " ").repeat(8) + right)));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(gateway.counter("hook.gateway.auth.failures", "hook", "standard", "reason", "malformed"))
                .isEqualTo(before + 1);
        assertThat(gateway.exchange(request(standard, delivery, delivery.body(),
                standard.fields(delivery, (wrong + " ").repeat(7) + right))).status()).isEqualTo(200);
    }

    @Test
    void aReplayWithANewUnsignedDeliveryIdIsStillAReplay() throws Exception {
        Sender github = Senders.GITHUB;
        Signed delivery = fresh(github);
        String signature = github.written().apply(delivery, github.mac(delivery, SECRETS.get("github")));
        assertThat(gateway.exchange(request(github, delivery, delivery.body(), github.fields(delivery, signature)))
                .status()).isEqualTo(200);

        Signed renamed = new Signed(delivery.body(), delivery.seconds(), "another-id");
        RawHttp.Response replay = gateway.exchange(request(github, renamed, renamed.body(),
                github.fields(renamed, signature)));

        assertThat(replay.status()).isEqualTo(403);
        assertThat(TestProcessors.invocations("github")).isEqualTo(1);
    }

    @Test
    void aTwilioSignatureOfTheUrlAloneCarriesNoBody() throws Exception {
        // Twilio told to call with GET signs the URL only; a body Twilio did not sign must not ride on it.
        String target = "/twilio-get?CallSid=CA1234&From=%2B15551234567";
        String signature = Signing.base64(Signing.mac("sha1", SECRETS.get("twilio"),
                Senders.TWILIO_URL + target));
        String forged = "GET " + target + " HTTP/1.1\r\nHost: gateway.test\r\nX-Twilio-Signature: " + signature
                + "\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n{\"evil\": true}";

        assertThat(gateway.exchange(forged).status()).isEqualTo(403);
        assertThat(TestProcessors.invocations("twilio-get")).isZero();
        assertThat(gateway.exchange("GET " + target + " HTTP/1.1\r\nHost: gateway.test\r\nX-Twilio-Signature: "
                + signature + "\r\n\r\n").status()).isEqualTo(200);
    }

    @Test
    void gitHubsRedeliveryOfOneEventIsTakenOnceWithinTheWindow() throws Exception {
        // GitHub's "Redeliver" sends the same X-GitHub-Delivery; here with a body that differs, which it never does.
        Sender github = Senders.GITHUB;
        Signed first = fresh(github);
        Signed other = new Signed(fresh(github).body(), first.seconds(), first.id());
        assertThat(gateway.exchange(signed(github, first, "github")).status()).isEqualTo(200);

        assertThat(gateway.exchange(signed(github, other, "github")).status()).isEqualTo(403);
    }

    @Test
    void gitHubsSha1SignatureCountsOnlyWhereAllowedAndNeverBesideSha256() throws Exception {
        String body = "{\"zen\": \"" + UUID.randomUUID() + "\"}";
        String sha1 = "X-Hub-Signature: sha1=" + Signing.hex(Signing.mac("sha1", SECRETS.get("github"), body));
        String sha256 = "X-Hub-Signature-256: sha256="
                + Signing.hex(Signing.mac("sha256", SECRETS.get("github"), body));

        assertThat(gateway.exchange(Requests.postJson("/github", body, sha1)).status()).as("no SHA-256 signature")
                .isEqualTo(404);
        assertThat(gateway.exchange(Requests.postJson("/github-sha1", body,
                "X-Hub-Signature-256: sha256=" + "0".repeat(64), sha1)).status())
                .as("a wrong SHA-256 signature is not excused by a right SHA-1 one").isEqualTo(403);
        assertThat(gateway.exchange(Requests.postJson("/github-sha1", body, sha1)).status()).isEqualTo(200);
        assertThat(gateway.exchange(Requests.postJson("/github", body, sha256, sha1)).status()).isEqualTo(200);
        assertThat(TestProcessors.invocations("github-sha1")).isEqualTo(1);
        assertThat(TestProcessors.invocations("github")).isEqualTo(1);
    }

    @Test
    void gitLabsTokenIsComparedAndItsDeliveryIdsRemembered() throws Exception {
        String token = "X-Gitlab-Token: " + SECRETS.get("gitlab");
        String key = "Idempotency-Key: " + UUID.randomUUID();

        assertThat(exchangeGitLab(token, key).status()).isEqualTo(200);
        assertThat(exchangeGitLab(token, key).status()).as("the same delivery again").isEqualTo(403);
        assertThat(exchangeGitLab(token, "Idempotency-Key: " + UUID.randomUUID()).status()).isEqualTo(200);
        assertThat(exchangeGitLab("X-Gitlab-Token: " + SECRETS.get("gitlab-old"),
                "X-Gitlab-Event-UUID: " + UUID.randomUUID()).status()).as("the old token of a rotation").isEqualTo(200);
        assertThat(exchangeGitLab(token).status()).as("no id: nothing to remember").isEqualTo(200);
        assertThat(exchangeGitLab(token).status()).isEqualTo(200);
        assertThat(TestProcessors.invocations("gitlab")).isEqualTo(5);
    }

    static Stream<Arguments> gitLabRefusals() {
        String token = SECRETS.get("gitlab");
        return Stream.of(
                Arguments.of(404, "missing", new String[] {}),
                Arguments.of(404, "missing", new String[] {"X-Gitlab-Token: "}),
                Arguments.of(403, "mismatch", new String[] {"X-Gitlab-Token: wrong"}),
                Arguments.of(403, "mismatch", new String[] {"X-Gitlab-Token: " + token.substring(1)}),
                Arguments.of(403, "mismatch", new String[] {"X-Gitlab-Token: " + token + "x"}),
                Arguments.of(401, "malformed", new String[] {"X-Gitlab-Token: " + token + "x".repeat(3000)}),
                Arguments.of(401, "malformed", new String[] {"X-Gitlab-Token: " + token, "X-Gitlab-Token: " + token}),
                Arguments.of(401, "malformed", new String[] {"X-Gitlab-Token: " + token, "Idempotency-Key: a b"}));
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("gitLabRefusals")
    void aWrongGitLabTokenIsRefusedAndRunsNothing(int status, String reason, String[] fields) throws Exception {
        double before = gateway.counter("hook.gateway.auth.failures", "hook", "gitlab", "reason", reason);

        RawHttp.Response answer = exchangeGitLab(fields);

        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.rawText()).doesNotContain(SECRETS.get("gitlab"));
        assertThat(TestProcessors.invocations("gitlab")).isZero();
        assertThat(gateway.counter("hook.gateway.auth.failures", "hook", "gitlab", "reason", reason))
                .isEqualTo(before + 1);
    }

    private static RawHttp.Response exchangeGitLab(String... fields) throws IOException {
        return gateway.exchange(Requests.postJson("/gitlab", "{\"object_kind\": \"push\"}", fields));
    }

    @Test
    void aDeliveryRefusedByAnotherWayOfTheSameAuthIsNotRemembered() throws Exception {
        Sender github = Senders.GITHUB;
        Signed delivery = fresh(github);
        List<String> fields = github.fields(delivery,
                github.written().apply(delivery, github.mac(delivery, SECRETS.get("github"))));
        List<String> wrongKey = new ArrayList<>(fields);
        wrongKey.add("X-Deploy-Key: guess");
        List<String> rightKey = new ArrayList<>(fields);
        rightKey.add("X-Deploy-Key: " + SECRETS.get("deploy-key"));

        assertThat(gateway.exchange(Requests.postJson("/both", delivery.body(), wrongKey.toArray(String[]::new)))
                .status()).isEqualTo(403);
        assertThat(gateway.exchange(Requests.postJson("/both", delivery.body(), rightKey.toArray(String[]::new)))
                .status()).as("the signature's claim was given back").isEqualTo(200);
        assertThat(gateway.exchange(Requests.postJson("/both", delivery.body(), rightKey.toArray(String[]::new)))
                .status()).isEqualTo(403);
        assertThat(TestProcessors.invocations("both")).isEqualTo(1);
    }

    @Test
    void ofIdenticalDeliveriesSentAtOnceExactlyOneRuns() throws Exception {
        Sender stripe = Senders.STRIPE;
        String request = signed(stripe, fresh(stripe), "stripe");
        int copies = 8;
        List<Thread> threads = new ArrayList<>();
        int[] statuses = new int[copies];
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < copies; i++) {
            int index = i;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    statuses[index] = gateway.exchange(request).status();
                } catch (IOException | InterruptedException e) {
                    statuses[index] = -1;
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join(30_000);
        }

        assertThat(statuses).containsOnly(200, 403);
        assertThat(Arrays.stream(statuses).filter(s -> s == 200).count()).isEqualTo(1);
        assertThat(TestProcessors.invocations("stripe")).isEqualTo(1);
    }

    @Test
    void aFullReplayCacheRefusesNewDeliveriesRatherThanForgetOldOnes() throws Exception {
        Sender github = Senders.GITHUB;
        List<String> accepted = new ArrayList<>();
        // Each delivery is remembered by its id and its signature: sixteen entries hold eight deliveries.
        for (int i = 0; i < 8; i++) {
            String request = signed(github, fresh(github), "github").replace("POST /github ", "POST /small ");
            assertThat(gateway.exchange(request).status()).isEqualTo(200);
            accepted.add(request);
        }
        double full = gateway.counter("hook.gateway.replay.cache.full", "hook", "small", "way", "github");

        String oneMore = signed(github, fresh(github), "github").replace("POST /github ", "POST /small ");
        assertThat(gateway.exchange(oneMore).status()).isEqualTo(403);
        assertThat(gateway.exchange(accepted.get(0)).status()).as("the first is still remembered").isEqualTo(403);

        assertThat(gateway.counter("hook.gateway.replay.cache.full", "hook", "small", "way", "github"))
                .isEqualTo(full + 1);
        assertThat(gateway.gauge("hook.gateway.replay.cache.entries", "hook", "small", "way", "github"))
                .isEqualTo(16);
        assertThat(TestProcessors.invocations("small")).isEqualTo(8);
    }
}
