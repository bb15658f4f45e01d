package io.hookgateway.security;

import io.hookgateway.config.BlankText;
import io.hookgateway.config.ConfigNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The secrets one way of a hook accepts: several at once, so one can be rotated in before the old one is taken out.
 * Written as one ({@code key: ...}) or a list ({@code keys: [...]}); an empty or blank one is a configuration error,
 * since a missing environment variable must never leave a hook open.
 *
 * <p>A presented value is compared with every secret, always all of them, as SHA-256 digests with
 * {@link ConstantTime}: the time taken depends neither on where the first difference is nor on the secrets'
 * lengths, so it tells an attacker nothing about them.
 */
public final class SharedSecrets {

    private final List<byte[]> digests;

    private SharedSecrets(List<byte[]> digests) {
        this.digests = List.copyOf(digests);
    }

    /**
     * Reads {@code singular} or {@code plural} (exactly one of them) from {@code node}; {@code null} after reporting
     * a problem.
     */
    public static SharedSecrets read(ConfigNode node, String singular, String plural, String example) {
        List<String> secrets = texts(node, singular, plural, example);
        return secrets == null ? null : new SharedSecrets(secrets.stream().map(SharedSecrets::digest).toList());
    }

    /**
     * The secrets written under {@code singular} or {@code plural} (exactly one of them), as written: for a way that
     * keys a MAC with them. {@code null} after reporting a problem: neither or both given, an empty list, or a secret
     * that is empty or blank (a missing environment variable). No message shows a secret.
     */
    public static List<String> texts(ConfigNode node, String singular, String plural, String example) {
        boolean one = node.has(singular);
        boolean many = node.has(plural);
        if (one == many) {
            node.problem(one ? plural : singular, one ? "and " + singular + " are both given; write one list"
                    : "is required: the secret to accept, as " + singular + ": " + example + " (or " + plural
                    + ": [...] for several while one is rotated)");
            return null;
        }
        String key = one ? singular : plural;
        List<String> secrets = node.strings(key, null);
        if (secrets == null) {
            // Not text, or an unset variable: reported already, and nothing to check.
            return null;
        }
        if (!node.blankVariables(key).isEmpty()) {
            node.problem(key, "uses " + String.join(", ", node.blankVariables(key))
                    + ", which is empty; set it, or the hook would take requests without the secret");
            return null;
        }
        for (String secret : secrets) {
            if (BlankText.isBlank(secret)) {
                node.problem(key, "holds an empty secret, which would let a request without one in; write the secret");
                return null;
            }
        }
        if (secrets.isEmpty()) {
            node.problem(key, "is empty; list at least one secret");
            return null;
        }
        return secrets;
    }

    /** Whether {@code presented} is one of the secrets; in time that does not depend on either. */
    public boolean matches(String presented) {
        return ConstantTime.anyEqual(digests, List.of(digest(presented)));
    }

    static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
