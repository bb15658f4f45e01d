package io.hookgateway.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A password stored as a PBKDF2-HMAC-SHA256 hash (RFC 8018 §5.2), written
 * {@code pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>}, as {@code --hash-password} prints it. The JDK
 * has PBKDF2, so no library is needed; the iterations follow OWASP's advice for PBKDF2-HMAC-SHA256 (600,000), which
 * makes each check take a few hundred milliseconds: by design, against guessing, and the reason a Basic check runs
 * on the worker pool rather than an event loop.
 */
public final class PasswordHash {

    static final String PREFIX = "pbkdf2-sha256$";
    static final int DEFAULT_ITERATIONS = 600_000;
    /** Fewer than this is refused in a configuration: guessing would be cheap. */
    static final int MIN_ITERATIONS = 100_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Hashes a new password with a random salt, for {@code --hash-password}. */
    public static String create(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        byte[] hash = pbkdf2(password, salt, DEFAULT_ITERATIONS, HASH_BYTES);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + DEFAULT_ITERATIONS + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** Reads a stored hash; throws {@link IllegalArgumentException} saying what is wrong with it. */
    static PasswordHash parse(String text) {
        if (!text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("is not a password hash; make one with java -jar hook-gateway.jar "
                    + "--hash-password (it starts " + PREFIX + ")");
        }
        String[] parts = text.substring(PREFIX.length()).split("\\$", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("is not a whole password hash (" + PREFIX
                    + "iterations$salt$hash); make one with --hash-password");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("has no number of iterations; make one with --hash-password");
        }
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("uses " + iterations + " iterations, fewer than " + MIN_ITERATIONS
                    + ", which makes guessing cheap; make a new one with --hash-password");
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[1]);
            byte[] hash = Base64.getDecoder().decode(parts[2]);
            if (salt.length < 8 || hash.length < 16) {
                throw new IllegalArgumentException("has a salt or hash too short to be one --hash-password made");
            }
            return new PasswordHash(iterations, salt, hash);
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith("has a") ? e
                    : new IllegalArgumentException("has a salt or hash that is not base64; make one with "
                    + "--hash-password");
        }
    }

    /** Whether {@code password} is the one hashed; the comparison is constant-time. */
    boolean matches(String password) {
        byte[] candidate = pbkdf2(password.toCharArray(), salt, iterations, hash.length);
        return ConstantTime.equal(hash, candidate);
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }

    /**
     * A hash that no password matches and that costs what checking this one costs (its iterations and length): to
     * check against for an unknown user in the same time as for a known one.
     */
    PasswordHash decoy() {
        byte[] decoySalt = "hook-gateway-decoy".getBytes(StandardCharsets.US_ASCII);
        return new PasswordHash(iterations, decoySalt, new byte[hash.length]);
    }

    /** Whether checking this hash costs more than checking {@code other}. */
    boolean costlierThan(PasswordHash other) {
        return (long) iterations * hash.length > (long) other.iterations * other.hash.length;
    }
}
