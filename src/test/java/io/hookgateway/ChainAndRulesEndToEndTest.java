package io.hookgateway;

import static io.hookgateway.testing.Requests.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import io.micrometer.core.instrument.FunctionTimer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hooks with trigger rules and chains of processors, end to end: a request that does not satisfy the rules gets the
 * mismatch answer and runs nothing; a chain runs in order and stops at the first failure, which is the answer.
 */
class ChainAndRulesEndToEndTest {

    /** The hooks; {@code %s} stands for the directory the notify handler logs to. */
    private static final String CONFIG = """
            server: {access-log: false}
            hooks:
              - name: notify
                path: /notify/{title}
                rules:
                  all:
                    - equals: {value: "${query.key}", to: "${SECRET}"}
                    - exists: "${json:/message}"
                on-mismatch: {status: 403, body: "not for you\\n"}
                processors:
                  - type: command
                    command: [handlers/notify.sh, "${path.title}"]
                    env: {NOTIFY_LOG: "%s/notifications.log"}
                    stdin: "${json:/message}"
                  - type: respond
                    body: "noted: ${path.title}\\n"
              - name: stops
                path: /stops
                processors:
                  - type: test-fail-status
                    status: 409
                    message: first step refused
                  - type: test-echo
              - name: default-mismatch
                path: /only-push
                rules: {equals: {value: "${header.X-GitHub-Event}", to: push}}
                processor: {type: respond, body: "pushed\\n"}
            """;

    /** Where the notify handler writes its log; set before the gateway starts, deleted after it has stopped. */
    @TempDir
    static Path dir;

    @RegisterExtension
    static final GatewayExtension gateway =
            new GatewayExtension(() -> TestGateway.start(CONFIG.formatted(dir), Map.of("SECRET", "s3cret")));

    @Test
    void runsTheChainInOrderWhenTheRulesHold() throws Exception {
        RawHttp.Response answer =
                gateway.exchange(post("/notify/door?key=s3cret", "{\"message\": \"front door\\nopened\"}"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.bodyText()).isEqualTo("noted: door\n");
        assertThat(Files.readString(dir.resolve("notifications.log"))).contains("\tdoor\tfront door opened");
        FunctionTimer step = gateway.server().metrics().registry().find("hook.gateway.processor")
                .tags("hook", "notify", "processor", "command", "outcome", "ok").functionTimer();
        assertThat(step).isNotNull();
        assertThat(step.count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void answersTheMismatchAndRunsNothingWhenTheRulesFail() throws Exception {
        double before = gateway.counter("hook.gateway.rule.mismatches", "hook", "notify");
        long lines = Files.exists(dir.resolve("notifications.log"))
                ? Files.readAllLines(dir.resolve("notifications.log")).size() : 0;

        RawHttp.Response wrongKey = gateway.exchange(post("/notify/door?key=guess", "{\"message\": \"x\"}"));
        RawHttp.Response noMessage = gateway.exchange(post("/notify/door?key=s3cret", "{}"));

        assertThat(wrongKey.status()).isEqualTo(403);
        assertThat(wrongKey.bodyText()).isEqualTo("not for you\n");
        assertThat(noMessage.status()).isEqualTo(403);
        assertThat(gateway.counter("hook.gateway.rule.mismatches", "hook", "notify")).isEqualTo(before + 2);
        long after = Files.exists(dir.resolve("notifications.log"))
                ? Files.readAllLines(dir.resolve("notifications.log")).size() : 0;
        assertThat(after).as("nothing ran").isEqualTo(lines);
    }

    @Test
    void stopsAtTheFirstFailureWhichIsTheAnswer() throws Exception {
        RawHttp.Response answer = gateway.exchange(post("/stops", "x"));
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.bodyText()).isEqualTo("first step refused\n");
    }

    @Test
    void answers200WithANoteByDefaultWhenRulesDoNotHold() throws Exception {
        RawHttp.Response answer = gateway.exchange(post("/only-push", "x"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.bodyText()).isEqualTo("hook rules not satisfied; nothing was run\n");
    }
}
