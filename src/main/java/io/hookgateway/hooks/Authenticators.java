package io.hookgateway.hooks;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The ways of a hook's {@code auth:} combined, and a failed verdict turned into its answer. */
public final class Authenticators {

    /** The body of every refusal: the same for every way and reason, so a stranger learns nothing of which failed. */
    static final String UNAUTHORIZED = "unauthorized";

    private Authenticators() {
    }

    /**
     * Every member must pass; the first that does not is the verdict. What the members ask to remember is remembered
     * only once all have passed; what members that passed claimed is given back when a later one fails.
     */
    public static Authenticator all(List<Authenticator> members) {
        List<Authenticator> list = List.copyOf(members);
        return new Combined(list) {
            @Override
            public Verdict check(HookRequest request) {
                List<Runnable> accepted = new ArrayList<>();
                List<Runnable> refused = new ArrayList<>();
                for (Authenticator member : list) {
                    Verdict verdict = member.check(request);
                    if (!verdict.passed()) {
                        refused.forEach(Runnable::run);
                        return verdict;
                    }
                    accepted.addAll(verdict.onAccepted());
                    refused.addAll(verdict.onRefused());
                }
                return new Verdict(null, null, accepted, refused);
            }
        };
    }

    /**
     * At least one member must pass; the first that does is the verdict. When none does, a member that found
     * credentials and judged them wrong says so (403) before one that found none (401, with its challenge).
     */
    public static Authenticator any(List<Authenticator> members) {
        List<Authenticator> list = List.copyOf(members);
        return new Combined(list) {
            @Override
            public Verdict check(HookRequest request) {
                Verdict answer = null;
                for (Authenticator member : list) {
                    Verdict verdict = member.check(request);
                    if (verdict.passed()) {
                        return verdict;
                    }
                    if (answer == null || answer.failure().status() < verdict.failure().status()) {
                        answer = verdict;
                    }
                }
                return answer;
            }
        };
    }

    private abstract static class Combined implements Authenticator {
        private final List<Authenticator> members;
        private final boolean readsBody;
        private final boolean blocking;
        private final Set<String> secretPathVariables;

        /** Reads the body, or blocks, when any member does. */
        Combined(List<Authenticator> members) {
            this.members = members;
            this.readsBody = members.stream().anyMatch(Authenticator::readsBody);
            this.blocking = members.stream().anyMatch(Authenticator::blocking);
            Set<String> secret = new TreeSet<>();
            members.forEach(member -> secret.addAll(member.secretPathVariables()));
            this.secretPathVariables = Set.copyOf(secret);
        }

        @Override
        public Set<String> secretPathVariables() {
            return secretPathVariables;
        }

        @Override
        public void bindMeters(MeterRegistry registry, String hookName) {
            members.forEach(member -> member.bindMeters(registry, hookName));
        }

        /** Member by member, where the previous ways were combined the same way and in as many members. */
        @Override
        public void takeOver(Authenticator previous) {
            if (previous instanceof Combined before && before.getClass() == getClass()
                    && before.members.size() == members.size()) {
                for (int i = 0; i < members.size(); i++) {
                    members.get(i).takeOver(before.members.get(i));
                }
            }
        }

        @Override
        public boolean readsBody() {
            return readsBody;
        }

        /** Only when every member finds nothing: then all and any alike fail for want of credentials. */
        @Override
        public boolean missingAtHead(HookRequest head) {
            return members.stream().allMatch(member -> member.missingAtHead(head));
        }

        @Override
        public boolean blocking() {
            return blocking;
        }
    }

    /**
     * The answer to a failed verdict: 401 with the scheme's {@code WWW-Authenticate} challenge (RFC 9110 §11.6.1)
     * when credentials were missing or unreadable, else 403; the body says only that, never which check failed.
     */
    public static HookException refusal(Authenticator.Verdict verdict) {
        int status = verdict.failure().status();
        HeaderFields headers = verdict.challenge() == null ? HeaderFields.empty()
                : HeaderFields.of("WWW-Authenticate", verdict.challenge());
        return new HookException(status, status == 401 ? UNAUTHORIZED : "forbidden", headers, null);
    }

    /** Checks {@code request}: {@code null} when it may pass (and what it asked to remember is remembered). */
    public static HookException refusalOf(Authenticator authenticator, HookRequest request) {
        Authenticator.Verdict verdict = authenticator.check(request);
        if (!verdict.passed()) {
            return refusal(verdict);
        }
        verdict.accept();
        return null;
    }
}
