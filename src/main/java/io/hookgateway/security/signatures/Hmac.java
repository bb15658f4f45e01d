package io.hookgateway.security.signatures;

import io.hookgateway.hooks.HookRequest;
import io.hookgateway.security.ConstantTime;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC (RFC 2104) of one way of a hook, keyed with each of its secrets: what a sender's signature is checked
 * against. A MAC is computed once per secret over the signed content as received, and compared with every signature
 * presented, all pairs, by {@link ConstantTime} over MACs of the same fixed length: no comparison
 * stops at the first differing byte, and no match stops the others, so the time taken says nothing about the secrets
 * or about how close a guess came.
 */
final class Hmac {

    /** The hash functions senders use: SHA-1 only where a sender still signs with it (Twilio, GitHub's legacy). */
    enum Algorithm {
        SHA1("HmacSHA1", 20), SHA256("HmacSHA256", 32), SHA512("HmacSHA512", 64);

        private final String javaName;
        private final int length;

        Algorithm(String javaName, int length) {
            this.javaName = javaName;
            this.length = length;
        }

        /** The MAC's length in bytes: a presented signature of any other length is not one. */
        int length() {
            return length;
        }

        /** {@code sha256}, as written in the configuration. */
        String written() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The algorithm written as {@code sha1}, {@code sha256} or {@code sha512}; {@code null} for anything else. */
        static Algorithm of(String written) {
            for (Algorithm algorithm : values()) {
                if (algorithm.written().equals(written)) {
                    return algorithm;
                }
            }
            return null;
        }
    }

    private final Algorithm algorithm;
    /** One MAC initialised with each secret, cloned for each request: keying is done once, not per request. */
    private final List<Mac> keyed;

    Hmac(Algorithm algorithm, List<byte[]> secrets) {
        this.algorithm = algorithm;
        List<Mac> macs = new ArrayList<>(secrets.size());
        for (byte[] secret : secrets) {
            try {
                Mac mac = Mac.getInstance(algorithm.javaName);
                mac.init(new SecretKeySpec(secret, algorithm.javaName));
                macs.add(mac);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every Java platform has " + algorithm.javaName, e);
            }
        }
        this.keyed = List.copyOf(macs);
    }

    Algorithm algorithm() {
        return algorithm;
    }

    /**
     * Checks {@code signatures}, each already of the algorithm's length, against the MAC of {@code content} under
     * every secret. Returns the MAC under the first secret when one matched (what the replay cache may remember the
     * delivery by: the same content gives the same MAC whichever secret signed it), {@code null} when none did.
     */
    byte[] verify(HookRequest request, SignedContent content, List<byte[]> signatures) {
        List<Mac> macs = new ArrayList<>(keyed.size());
        for (Mac mac : keyed) {
            macs.add(copy(mac));
        }
        content.feed(request, (bytes, offset, length) -> {
            for (Mac mac : macs) {
                mac.update(bytes, offset, length);
            }
        });
        List<byte[]> expected = new ArrayList<>(macs.size());
        for (Mac mac : macs) {
            expected.add(mac.doFinal());
        }
        return ConstantTime.anyEqual(expected, signatures) ? expected.get(0) : null;
    }

    private static Mac copy(Mac mac) {
        try {
            return (Mac) mac.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the platform's " + mac.getAlgorithm() + " cannot be cloned", e);
        }
    }
}
