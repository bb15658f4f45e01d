package io.hookgateway.security.signatures;

import io.hookgateway.hooks.Authenticator.Reason;
import java.util.List;

/**
 * What one request presents to a signature check, as its sender's scheme reads it: the signatures, with the MAC they
 * are checked against and the content it covers; the signed timestamp and the delivery id, where the scheme has them.
 * Or, when the request presents nothing that can be checked, why: {@link Reason#MISSING} or {@link Reason#MALFORMED}
 * (or {@link Reason#MISMATCH}, for a part the scheme checks itself, such as Twilio's hash of a JSON body).
 *
 * @param problem   why nothing can be checked, or {@code null}
 * @param hmac      the MAC the signatures are of
 * @param signatures the signatures presented, decoded, each of the MAC's length
 * @param content   what the sender signed
 * @param timestamp the signed timestamp in seconds since the epoch, or {@link #NO_TIMESTAMP}
 * @param id        the delivery id, or {@code null}
 * @param idSigned  whether the id is part of the signed content: when it is not, anyone may change it, so the delivery
 *                  is remembered by its signature too
 */
record Delivery(Reason problem, Hmac hmac, List<byte[]> signatures, SignedContent content, long timestamp, String id,
                boolean idSigned) {

    static final long NO_TIMESTAMP = Long.MIN_VALUE;

    static final Delivery MISSING = new Delivery(Reason.MISSING, null, List.of(), null, NO_TIMESTAMP, null, false);
    static final Delivery MALFORMED = new Delivery(Reason.MALFORMED, null, List.of(), null, NO_TIMESTAMP, null, false);
    static final Delivery MISMATCH = new Delivery(Reason.MISMATCH, null, List.of(), null, NO_TIMESTAMP, null, false);

    Delivery {
        signatures = List.copyOf(signatures);
    }

    /** Nothing to check, for the reason the field gives. */
    static Delivery refused(SignatureFields.Field field) {
        return field.problem() == Reason.MISSING ? MISSING : MALFORMED;
    }

    /** Signatures over {@code content}, with no timestamp or id (yet). */
    static Delivery signed(Hmac hmac, List<byte[]> signatures, SignedContent content) {
        return new Delivery(null, hmac, signatures, content, NO_TIMESTAMP, null, false);
    }

    /** The same, with the signed timestamp. */
    Delivery at(long seconds) {
        return new Delivery(problem, hmac, signatures, content, seconds, id, idSigned);
    }

    /** The same, with a delivery id ({@code null} for none). */
    Delivery withId(String deliveryId, boolean signed) {
        return new Delivery(problem, hmac, signatures, content, timestamp, deliveryId, signed);
    }

    boolean hasTimestamp() {
        return timestamp != NO_TIMESTAMP;
    }
}
