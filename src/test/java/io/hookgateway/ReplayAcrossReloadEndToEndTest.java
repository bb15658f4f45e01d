package io.hookgateway;

import static io.hookgateway.FileGateway.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signed delivery accepted before a reload is still a replay after it, whether the reload left the hook as it was
 * or changed it (its answer, or its secrets during a rotation): a changed hook's new replay cache takes over the one
 * before, so an edit of the configuration never opens a window for replays.
 */
class ReplayAcrossReloadEndToEndTest {

    @TempDir
    Path directory;

    private static String hook(String answer, String secrets) {
        return """
                - name: deploy
                  path: /deploy
                  auth: {github: {secrets: [%s]}}
                  processor: {type: respond, body: %s}
                """.formatted(secrets, answer);
    }

    /** A delivery of its own content: GitHub signs only the body, so equal bodies are one delivery to the cache. */
    private static String delivery(String id, String secret) throws Exception {
        String body = "{\"ref\":\"refs/heads/main\",\"delivery\":\"" + id + "\"}";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        return "POST /deploy HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\n"
                + "X-GitHub-Delivery: " + id + "\r\nX-Hub-Signature-256: sha256=" + signature + "\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static RawHttp.Response send(FileGateway gateway, String request) throws Exception {
        return RawHttp.exchange(gateway.port(), request);
    }

    /** Rewrites the file and waits until the new answer is served. */
    private static void reloadTo(FileGateway gateway, String yaml, String answer) throws Exception {
        long applied = gateway.reloads("applied");
        gateway.replaceByRename(yaml);
        assertThat(gateway.reloader().reloadNow("test")).isEqualTo(ConfigReloader.Outcome.APPLIED);
        assertThat(gateway.reloads("applied")).isGreaterThan(applied);
        RawHttp.Response probe = send(gateway, delivery("probe-" + answer, "s1"));
        assertThat(probe.status() + " " + probe.bodyText()).isEqualTo("200 " + answer);
    }

    @Test
    void aDeliveryAcceptedBeforeAChangeIsAReplayAfterIt() throws Exception {
        try (FileGateway gateway = FileGateway.start(directory, config("", hook("one", "s1")))) {
            String first = delivery("d-1", "s1");
            assertThat(send(gateway, first).status()).isEqualTo(200);

            reloadTo(gateway, config("", hook("two", "s1")), "two");

            assertThat(send(gateway, first).status()).as("the same delivery after the hook changed").isEqualTo(403);
        }
    }

    @Test
    void aRotationKeepsTheDeliveriesSeenUnderTheOldSecret() throws Exception {
        try (FileGateway gateway = FileGateway.start(directory, config("", hook("one", "s1")))) {
            String first = delivery("d-2", "s1");
            assertThat(send(gateway, first).status()).isEqualTo(200);

            reloadTo(gateway, config("", hook("one", "s2, s1")), "one");

            assertThat(send(gateway, first).status()).isEqualTo(403);
            assertThat(send(gateway, delivery("d-3", "s2")).status()).isEqualTo(200);
            assertThat(send(gateway, delivery("d-3", "s2")).status()).isEqualTo(403);
        }
    }

    @Test
    void anUnchangedHookKeepsItsDeliveriesToo() throws Exception {
        try (FileGateway gateway = FileGateway.start(directory, config("", hook("one", "s1")
                + "- {name: other, path: /other, processor: {type: respond, body: a}}\n"))) {
            String first = delivery("d-4", "s1");
            assertThat(send(gateway, first).status()).isEqualTo(200);

            gateway.replaceByRename(config("", hook("one", "s1")
                    + "- {name: other, path: /other, processor: {type: respond, body: b}}\n"));
            assertThat(gateway.reloader().reloadNow("test")).isEqualTo(ConfigReloader.Outcome.APPLIED);

            assertThat(send(gateway, first).status()).isEqualTo(403);
        }
    }
}
