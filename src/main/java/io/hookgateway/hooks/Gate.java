package io.hookgateway.hooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Who may call a hook: its {@code auth} (who the caller is), then its {@code guard} (what else the request must show).
 * A request refused by either runs nothing and reaches no processor.
 *
 * <p>A gate is split in two where the hook is served: what the head alone decides (an auth that reads no body and is
 * quick, a guard that reads no body) is judged as soon as the head has arrived, before any body is read or a
 * {@code 100 Continue} sent ({@link #atHead()}); the rest (a signature over the body, a password hash slow by design)
 * once the body is in, before the first processor ({@link #afterHead()}). Each refusal is counted as
 * {@code hook_gateway_auth_failures_total{hook, reason}}; the reason is never in the answer.
 *
 * <p>A hidden gate (the default for a hook with {@code auth}) answers a request that brings no credentials (or a path
 * segment that is not the key), to an auth whose scheme has no challenge to give, exactly as a path without a hook: a
 * prober that walks paths learns nothing. Bearer and Basic must answer 401 with their challenge (RFC 9110 §11.6.1), and so reveal that something is
 * there; a request that brings credentials learns that they are wrong (401 or 403), so a sender can be set right.
 */
public final class Gate {

    /** Lets everyone in: a hook with neither auth nor guard. */
    public static final Gate OPEN = new Gate(Authenticator.NONE, Rule.ALWAYS, false, null);

    /** The refusal counter's reason for a guard's 403. */
    static final String GUARD_REASON = "guard";

    private final Authenticator auth;
    private final Rule guard;
    private final boolean hidden;
    private final Failures failures;

    private Gate(Authenticator auth, Rule guard, boolean hidden, Failures failures) {
        this.auth = auth;
        this.guard = guard;
        this.hidden = hidden && auth != Authenticator.NONE;
        this.failures = failures;
    }

    /**
     * A hook's gate, its refusals counted in {@code registry} (none when {@code null}). Every reason of a hook that
     * has an auth is counted from zero, so that a rate over it is there before the first refusal.
     */
    public static Gate of(String hookName, Authenticator auth, Rule guard, MeterRegistry registry) {
        return of(hookName, auth, guard, false, registry);
    }

    /**
     * @param hidden whether a request that brings no credentials at all, to an auth that has no challenge to give, is
     *               answered as a path without a hook is ({@link HookException#NOT_FOUND}), word for word: a prober
     *               learns no more of the hook than of a path that has none
     */
    public static Gate of(String hookName, Authenticator auth, Rule guard, boolean hidden, MeterRegistry registry) {
        if (auth == Authenticator.NONE && guard == Rule.ALWAYS) {
            return OPEN;
        }
        // The auth's own meters (a replay cache's size) are bound by whoever puts the hook in service: a hook built
        // for a reload may replace one whose gauges are still registered.
        return new Gate(auth, guard, hidden, registry == null ? null : new Failures(registry, hookName, auth));
    }

    /** A gate of a guard alone, uncounted: for tests and the admin port. */
    public static Gate guard(Rule guard) {
        return of("", Authenticator.NONE, guard, null);
    }

    /** Whether the gate answers a request without credentials as a path without a hook. */
    public boolean hidden() {
        return hidden;
    }

    /** Whether the gate lets everyone in. */
    public boolean isOpen() {
        return auth == Authenticator.NONE && guard == Rule.ALWAYS;
    }

    /** Whether judging needs the body. */
    public boolean readsBody() {
        return auth.readsBody() || guard.readsBody();
    }

    /** Whether judging takes long enough to be kept off the event loop. */
    public boolean blocking() {
        return auth.blocking();
    }

    /** The variables of the hook's path that hold a secret, for logs to hide. */
    public Set<String> secretPathVariables() {
        return auth.secretPathVariables();
    }

    /**
     * What the head alone decides, quickly: judged before any body is read. For a hidden gate whose auth reads the
     * body, that the request brings no credentials at all ({@link Authenticator#missingAtHead}).
     */
    public Gate atHead() {
        Authenticator head = headOnly(auth) ? auth : hidden ? new MissingAtHead(auth) : Authenticator.NONE;
        return part(head, guard.readsBody() ? Rule.ALWAYS : guard);
    }

    /** The part of an auth that reads the body which the head decides: whether any credentials came at all. */
    private record MissingAtHead(Authenticator auth) implements Authenticator {
        @Override
        public boolean readsBody() {
            return false;
        }

        @Override
        public Verdict check(HookRequest head) {
            return auth.missingAtHead(head) ? Verdict.failed(Reason.MISSING, null) : Verdict.PASSED;
        }
    }

    /** What is left once the head has been judged: judged with the body, before the first processor. */
    public Gate afterHead() {
        return part(headOnly(auth) ? Authenticator.NONE : auth, guard.readsBody() ? guard : Rule.ALWAYS);
    }

    private static boolean headOnly(Authenticator auth) {
        return !auth.readsBody() && !auth.blocking();
    }

    private Gate part(Authenticator partAuth, Rule partGuard) {
        if (partAuth == auth && partGuard == guard) {
            return this;
        }
        return partAuth == Authenticator.NONE && partGuard == Rule.ALWAYS ? OPEN
                : new Gate(partAuth, partGuard, hidden, failures);
    }

    /**
     * Judges {@code request}: {@code null} when it may pass (what its auth asked to remember, such as a delivery id,
     * is then remembered), else the answer to give, 401 or 403 and the same body whatever failed. A rule that throws
     * a {@link HookException} (a body that is not the JSON a guard reads) answers with it.
     */
    public HookException refusal(HookRequest request) {
        if (auth != Authenticator.NONE) {
            Authenticator.Verdict verdict = auth.check(request);
            if (!verdict.passed()) {
                if (failures != null) {
                    failures.count(verdict.failure());
                }
                if (hidden && verdict.fromStranger() && verdict.challenge() == null) {
                    return HookException.NOT_FOUND;
                }
                return Authenticators.refusal(verdict);
            }
            verdict.accept();
        }
        if (!guard.matches(request)) {
            if (failures != null) {
                failures.guard.increment();
            }
            return HookException.FORBIDDEN;
        }
        return null;
    }

    /** The counter of refusals of one hook for {@code reason}, e.g. {@code ip}: for checks outside the gate. */
    public static Counter failureCounter(MeterRegistry registry, String hookName, String reason) {
        return Counter.builder("hook.gateway.auth.failures")
                .description("Requests refused before any processor ran, by hook and reason: missing, malformed, "
                        + "mismatch, expired or replayed credentials, a guard, a client address (ip), a rate limit")
                .tags("hook", hookName, "reason", reason)
                .register(registry);
    }

    /** The cached refusal counters of one hook. */
    private static final class Failures {
        private final Map<Authenticator.Reason, Counter> byReason = new EnumMap<>(Authenticator.Reason.class);
        private final Counter guard;

        Failures(MeterRegistry registry, String hookName, Authenticator auth) {
            if (auth != Authenticator.NONE) {
                for (Authenticator.Reason reason : Authenticator.Reason.values()) {
                    byReason.put(reason, failureCounter(registry, hookName, reason.tag()));
                }
            }
            this.guard = failureCounter(registry, hookName, GUARD_REASON);
        }

        void count(Authenticator.Reason reason) {
            byReason.get(reason).increment();
        }
    }
}
