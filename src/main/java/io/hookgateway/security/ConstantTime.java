package io.hookgateway.security;

import java.security.MessageDigest;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * The one comparison every secret, password hash and signature goes through. It never stops early: each known value
 * is compared with each presented one, all pairs, whichever matched, and each pair with
 * {@link MessageDigest#isEqual}, whose time depends only on the length of the known value (a digest or a MAC, fixed
 * per way), not on where a difference is or on how long the presented value is. So the time taken tells an attacker
 * neither how much of a guess was right nor which of several secrets (during a rotation) it matched.
 */
public final class ConstantTime {

    private static final BiPredicate<byte[], byte[]> EQUAL = MessageDigest::isEqual;

    private ConstantTime() {
    }

    /** Whether {@code presented} equals {@code known}, in time that depends on the length of {@code known} only. */
    public static boolean equal(byte[] known, byte[] presented) {
        return EQUAL.test(known, presented);
    }

    /** Whether any of {@code presented} equals any of {@code known}; every pair is compared. */
    public static boolean anyEqual(List<byte[]> known, List<byte[]> presented) {
        return anyEqual(known, presented, EQUAL);
    }

    /** {@link #anyEqual(List, List)} with another comparison of one pair, so that a test can watch the pairs. */
    static boolean anyEqual(List<byte[]> known, List<byte[]> presented, BiPredicate<byte[], byte[]> equal) {
        boolean match = false;
        for (byte[] value : known) {
            for (byte[] candidate : presented) {
                // Non-short-circuit OR: no branch on the outcome of a comparison, so no pair is skipped.
                match |= equal.test(value, candidate);
            }
        }
        return match;
    }
}
