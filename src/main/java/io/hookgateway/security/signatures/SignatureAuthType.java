package io.hookgateway.security.signatures;

import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.Authenticator;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.security.AuthType;
import io.hookgateway.security.SharedSecrets;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A way to check a sender's signed webhooks: the options every such way has, read here, and the sender's own, read by
 * the subclass.
 *
 * <table>
 *   <caption>Options of every signature way</caption>
 *   <tr><td>{@code secret}, or {@code secrets: [...]}</td><td>required; several while one is rotated. An empty or
 *       blank one is a configuration error</td></tr>
 *   <tr><td>{@code tolerance}</td><td>{@code 5m}: how far a signed timestamp may be from now, either way (senders
 *       that sign one)</td></tr>
 *   <tr><td>{@code replay-window}</td><td>{@code 5m}: how long a delivery is remembered when the sender signs no
 *       timestamp</td></tr>
 *   <tr><td>{@code replay-cache-size}</td><td>{@value ReplayCache#DEFAULT_CAPACITY}: deliveries remembered at
 *       once; when all are still in their window, new ones are refused</td></tr>
 * </table>
 */
abstract class SignatureAuthType implements AuthType {

    static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    static final Duration MAX_TOLERANCE = Duration.ofDays(1);
    static final Duration MAX_REPLAY_WINDOW = Duration.ofDays(7);
    static final int MIN_REPLAY_CACHE = 16;
    static final int MAX_REPLAY_CACHE = 10_000_000;

    private final String name;
    private final String secretExample;

    /**
     * @param name          the way's name in {@code auth:}
     * @param secretExample what a message suggests writing as the secret, such as {@code "${GITHUB_SECRET}"}
     */
    SignatureAuthType(String name, String secretExample) {
        this.name = name;
        this.secretExample = secretExample;
    }

    @Override
    public final String name() {
        return name;
    }

    /** How a sender's deliveries are read: the reader, and whether the sender signs a timestamp. */
    record Reader(Function<HookRequest, Delivery> read, boolean timestamped) {

        /**
         * The reader of a sender that puts its signatures in {@code header}: a request without the field is
         * {@link Delivery#MISSING} (one that repeats it or is too long, {@link Delivery#MALFORMED}), one with it is
         * read by {@code read}, given the field's value.
         */
        static Reader signedIn(String header, boolean timestamped, BiFunction<HookRequest, String, Delivery> read) {
            return new Reader(request -> {
                SignatureFields.Field field = SignatureFields.field(request, header);
                return field.present() ? read.apply(request, field.value()) : Delivery.refused(field);
            }, timestamped);
        }
    }

    /**
     * Reads the sender's own options; the reader of its deliveries, whose MACs are keyed with {@code secrets}
     * (empty when they could not be read: the result is then ignored). {@code null} after reporting a problem.
     */
    abstract Reader reader(ConfigNode node, List<byte[]> secrets, ProcessorContext.Static context);

    /** The key bytes of each secret as written; UTF-8, as every sender but Standard Webhooks uses them. */
    List<byte[]> keys(List<String> secrets, ConfigNode node) {
        return secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Override
    public final Authenticator parse(ConfigNode node, ProcessorContext.Static context) {
        return parse(node, context, Clock.systemUTC());
    }

    /** As {@link #parse(ConfigNode, ProcessorContext.Static)}, with the clock timestamps are judged by. */
    final Authenticator parse(ConfigNode node, ProcessorContext.Static context, Clock clock) {
        List<String> written = SharedSecrets.texts(node, "secret", "secrets", secretExample);
        List<byte[]> secrets = written == null ? List.of() : keys(written, node);
        Reader reader = reader(node, secrets, context);
        SignatureAuthenticator.Window window = window(node, reader != null && reader.timestamped());
        int capacity = node.integer("replay-cache-size", ReplayCache.DEFAULT_CAPACITY, MIN_REPLAY_CACHE,
                MAX_REPLAY_CACHE);
        node.finish();
        if (written == null || reader == null || node.hasProblems()) {
            return null;
        }
        return new SignatureAuthenticator(reader.read(), window, new ReplayCache(name, capacity, clock), clock);
    }

    /**
     * The tolerance of a sender that signs a timestamp (its deliveries are remembered for as long as their timestamp
     * is good), or the replay window of one that does not; the other key is not one of the way's.
     */
    private SignatureAuthenticator.Window window(ConfigNode node, boolean timestamped) {
        if (!timestamped) {
            long window = replayWindow(node, name).toMillis();
            return new SignatureAuthenticator.Window(window, window);
        }
        if (node.has("replay-window")) {
            node.problem("replay-window", "is not needed: " + name + " signs a timestamp, and a delivery is "
                    + "remembered for as long as its timestamp is within tolerance; set tolerance instead");
        }
        Duration tolerance = node.duration("tolerance", DEFAULT_TOLERANCE, Duration.ofSeconds(1), MAX_TOLERANCE);
        return new SignatureAuthenticator.Window(tolerance.toMillis(), tolerance.toMillis());
    }

    /** How long a way whose sender signs no timestamp remembers a delivery: {@code replay-window}. */
    static Duration replayWindow(ConfigNode node, String way) {
        if (node.has("tolerance")) {
            node.problem("tolerance", "does not apply: " + way + " signs no timestamp to judge; replay-window says "
                    + "how long a delivery is remembered against replay");
        }
        return node.duration("replay-window", DEFAULT_TOLERANCE, Duration.ofSeconds(1), MAX_REPLAY_WINDOW);
    }
}
