package io.hookgateway.hooks;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Set;

/**
 * How a hook proves who calls it, its {@code auth:}: a shared secret in a header, the query or the body, a password, a
 * signature over the body. The gateway asks before any processor runs, and before the body is read when the check
 * needs only the head ({@link #readsBody()}); a request that fails gets 401 or 403 and runs nothing.
 *
 * <p>A check compares secrets in constant time, and never says which of its checks failed: the answer carries only
 * the status and, for a scheme that has one, its {@code WWW-Authenticate} challenge.
 */
public interface Authenticator {

    /** Lets every request through: a hook without {@code auth}. */
    Authenticator NONE = new Authenticator() {
        @Override
        public boolean readsBody() {
            return false;
        }

        @Override
        public Verdict check(HookRequest request) {
            return Verdict.PASSED;
        }
    };

    /** Whether checking needs the body (a signature over it, a key in it); one that does not is checked at the head. */
    boolean readsBody();

    /**
     * Whether checking takes long enough to be kept off the event loop: a password hash that is slow by design. Such
     * a check runs with the hook's processors, on the bounded worker pool.
     */
    default boolean blocking() {
        return false;
    }

    /**
     * The variables of the hook's path that hold a secret ({@code path-key}'s): logs show them as {@code ***}, never
     * their value.
     */
    default Set<String> secretPathVariables() {
        return Set.of();
    }

    /**
     * For a way that reads the body: whether the head alone shows that the request brings none of its credentials
     * (no signature field at all), as {@link #check} would find with the body. A hidden hook then answers from the
     * head as a path without a hook does, before a {@code 100 Continue} or a body limit could show it is there. The
     * head-only request has an empty body.
     */
    default boolean missingAtHead(HookRequest head) {
        return false;
    }

    /** Checks the request. Bad credentials are a verdict, never an exception. */
    Verdict check(HookRequest request);

    /**
     * Registers this way's own meters (a replay cache's size), tagged with the hook's name; called once, when the
     * hook's gate is built. Most ways have none.
     */
    default void bindMeters(MeterRegistry registry, String hookName) {
    }

    /**
     * Takes over what {@code previous}, the way the same hook had before a reload changed it, must not forget: a
     * replay cache's deliveries, so that a delivery accepted before the reload is still refused as a replay after it.
     * Called before this way serves a request; {@code previous} may go on serving requests routed before the swap,
     * so what is taken over is shared, not copied. Most ways remember nothing.
     */
    default void takeOver(Authenticator previous) {
    }

    /** Why a request failed: the {@code reason} tag of the failure metric, and the status it is answered with. */
    enum Reason {
        /** No credentials where the scheme expects them (RFC 9110 §15.5.2: 401). */
        MISSING(401),
        /** Credentials that cannot be read: not the scheme's syntax, not its encoding. */
        MALFORMED(401),
        /** Credentials that do not match (RFC 9110 §15.5.4: 403). */
        MISMATCH(403),
        /** A signed timestamp outside the tolerance. */
        EXPIRED(403),
        /** A delivery seen before within the tolerance, or one that cannot be remembered (the cache is full). */
        REPLAYED(403);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }

        /** The metric tag value, e.g. {@code mismatch}. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A check's result: passed, with what to remember once the whole {@code auth} has passed (a delivery id, so it is
     * not taken again); or failed, with the reason and the scheme's challenge for {@code WWW-Authenticate}, if any.
     *
     * <p>A check that must claim something atomically while it checks (a delivery id, so that two copies arriving at
     * once cannot both pass) claims it in {@link Authenticator#check} and says in {@code onRefused} how to give it
     * back: that runs when another check of the same {@code auth} then refuses the request, so only an accepted
     * request keeps its claim.
     *
     * @param fromStranger whether the request shows nothing a stranger could not have sent without knowing the hook:
     *                     no credentials, or a path segment that is not the key. A hidden hook answers such a
     *                     request as a path without a hook ({@code Gate})
     */
    record Verdict(Reason failure, String challenge, List<Runnable> onAccepted, List<Runnable> onRefused,
                   boolean fromStranger) {

        public static final Verdict PASSED = new Verdict(null, null, List.of(), List.of(), false);

        public Verdict {
            onAccepted = List.copyOf(onAccepted);
            onRefused = List.copyOf(onRefused);
        }

        /** From a stranger when it failed for want of credentials ({@link Reason#MISSING}). */
        public Verdict(Reason failure, String challenge, List<Runnable> onAccepted, List<Runnable> onRefused) {
            this(failure, challenge, onAccepted, onRefused, failure == Reason.MISSING);
        }

        public Verdict(Reason failure, String challenge, List<Runnable> onAccepted) {
            this(failure, challenge, onAccepted, List.of());
        }

        public static Verdict passed(Runnable onAccepted) {
            return new Verdict(null, null, List.of(onAccepted));
        }

        /** Passed, holding a claim that {@code release} gives back if the request is refused after all. */
        public static Verdict claimed(Runnable release) {
            return new Verdict(null, null, List.of(), List.of(release));
        }

        /** Failed; from a stranger when no credentials were there ({@link Reason#MISSING}). */
        public static Verdict failed(Reason reason, String challenge) {
            return new Verdict(reason, challenge, List.of());
        }

        /** Failed on what anyone might send without knowing the hook: a path segment that is not the key. */
        public static Verdict failedFromStranger(Reason reason) {
            return new Verdict(reason, null, List.of(), List.of(), true);
        }

        public boolean passed() {
            return failure == null;
        }

        /** Once every check that had to pass has: remembers what they asked to. */
        public void accept() {
            onAccepted.forEach(Runnable::run);
        }

        /** When a check after this passed one refused the request: gives back what this one claimed. */
        public void refuse() {
            onRefused.forEach(Runnable::run);
        }
    }
}
