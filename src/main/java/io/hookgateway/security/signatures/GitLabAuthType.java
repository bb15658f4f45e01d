package io.hookgateway.security.signatures;

import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.Authenticator;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.security.AuthType;
import io.hookgateway.security.SharedSecrets;
import io.hookgateway.security.signatures.SignatureFields.Field;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@code gitlab}: GitLab's webhooks, which sign nothing: they carry the "Secret token" as written in
 * {@code X-Gitlab-Token}, compared here in constant time ({@link SharedSecrets}). The token never changes, so it
 * cannot stop a replay; what the replay cache remembers is the delivery's id ({@code Idempotency-Key}, the same on
 * GitLab's retries of one event, since GitLab 17.4; else {@code X-Gitlab-Event-UUID}), which keeps the sender's own
 * duplicates out within {@code replay-window}. Only the head is read, so a stranger is refused before the body.
 *
 * <pre>
 * auth: {gitlab: {secret: "${GITLAB_TOKEN}"}}
 * </pre>
 */
public final class GitLabAuthType implements AuthType {

    @Override
    public String name() {
        return "gitlab";
    }

    @Override
    public Authenticator parse(ConfigNode node, ProcessorContext.Static context) {
        return parse(node, Clock.systemUTC());
    }

    Authenticator parse(ConfigNode node, Clock clock) {
        SharedSecrets tokens = SharedSecrets.read(node, "secret", "secrets", "\"${GITLAB_TOKEN}\"");
        Duration window = SignatureAuthType.replayWindow(node, name());
        int capacity = node.integer("replay-cache-size", ReplayCache.DEFAULT_CAPACITY,
                SignatureAuthType.MIN_REPLAY_CACHE, SignatureAuthType.MAX_REPLAY_CACHE);
        node.finish();
        return tokens == null ? null : new GitLab(tokens, window.toMillis(), new ReplayCache(name(), capacity, clock),
                clock);
    }

    private record GitLab(SharedSecrets tokens, long windowMillis, ReplayCache replays, Clock clock)
            implements Authenticator {

        @Override
        public boolean readsBody() {
            return false;
        }

        @Override
        public Verdict check(HookRequest request) {
            Field token = SignatureFields.field(request, "X-Gitlab-Token");
            if (!token.present()) {
                return Verdict.failed(token.problem(), null);
            }
            if (!tokens.matches(token.value())) {
                return Verdict.failed(Reason.MISMATCH, null);
            }
            Field id = SignatureFields.id(request, "Idempotency-Key");
            if (id == Field.ABSENT) {
                id = SignatureFields.id(request, "X-Gitlab-Event-UUID");
            }
            if (id.problem() != null) {
                return Verdict.failed(id.problem(), null);
            }
            if (id.value() == null) {
                return Verdict.PASSED;
            }
            return replays.claim(List.of(ReplayCache.Key.ofId(id.value())), clock.millis() + windowMillis);
        }

        @Override
        public void bindMeters(MeterRegistry registry, String hookName) {
            replays.bindMeters(registry, hookName);
        }

        @Override
        public void takeOver(Authenticator previous) {
            if (previous instanceof GitLab before) {
                replays.takeOver(before.replays);
            }
        }
    }
}
