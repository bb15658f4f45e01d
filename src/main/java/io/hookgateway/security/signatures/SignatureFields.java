package io.hookgateway.security.signatures;

import io.hookgateway.hooks.Authenticator.Reason;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.UrlEncoded;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads what senders write in their signature header fields, strictly and in bounded time: the work a stranger can
 * cause is capped before any MAC is computed.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><td>{@value #MAX_FIELD_CHARS} characters</td><td>a signature field; a longer one is malformed</td></tr>
 *   <tr><td>{@value #MAX_SIGNATURES}</td><td>signatures taken from one field (a rotation sends two); more is
 *       malformed, never a reason to try them all</td></tr>
 *   <tr><td>{@value #MAX_ID_CHARS} characters</td><td>a delivery id, visible ASCII only</td></tr>
 *   <tr><td>{@value #MAX_TIMESTAMP_DIGITS} digits</td><td>a timestamp, in seconds since 1970 (no sign, no
 *       fraction)</td></tr>
 * </table>
 *
 * <p>A field that is there but cannot be read, a signature of the wrong length or encoding, or one that carries
 * another scheme's prefix only ({@code sha1=} where {@code sha256=} is expected) is malformed (401); one that reads
 * but does not match is a mismatch (403).
 */
final class SignatureFields {

    static final int MAX_FIELD_CHARS = 2048;
    static final int MAX_SIGNATURES = 8;
    static final int MAX_ID_CHARS = 256;
    static final int MAX_TIMESTAMP_DIGITS = 12;

    private SignatureFields() {
    }

    /** How a sender writes a MAC. */
    enum Encoding {
        HEX, BASE64;

        /** The MAC written in {@code text}, if it is one of exactly {@code length} bytes; else {@code null}. */
        byte[] decode(String text, int length) {
            if (this == HEX) {
                if (text.length() != length * 2) {
                    return null;
                }
                byte[] bytes = new byte[length];
                for (int i = 0; i < length; i++) {
                    int high = UrlEncoded.hexValue(text.charAt(2 * i));
                    int low = UrlEncoded.hexValue(text.charAt(2 * i + 1));
                    if (high < 0 || low < 0) {
                        return null;
                    }
                    bytes[i] = (byte) (high << 4 | low);
                }
                return bytes;
            }
            // Four characters per three bytes, padded: nothing longer than this can be the MAC.
            if (text.length() > (length + 2) / 3 * 4) {
                return null;
            }
            try {
                byte[] bytes = Base64.getDecoder().decode(text);
                return bytes.length == length ? bytes : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** The one value of a header field, or why there is none to read. */
    record Field(String value, Reason problem) {
        static final Field MISSING = new Field(null, Reason.MISSING);
        static final Field MALFORMED = new Field(null, Reason.MALFORMED);
        /** An optional field that is absent: nothing wrong, and no value. */
        static final Field ABSENT = new Field(null, null);

        boolean present() {
            return problem == null;
        }
    }

    /**
     * The value of the named field: missing when it is absent or empty; malformed when it is given twice (two readers
     * could take different ones) or is longer than {@value #MAX_FIELD_CHARS} characters.
     */
    static Field field(HookRequest request, String name) {
        List<String> values = request.headers().getAll(name);
        if (values.isEmpty()) {
            return Field.MISSING;
        }
        if (values.size() > 1) {
            return Field.MALFORMED;
        }
        String value = values.get(0).strip();
        if (value.isEmpty()) {
            return Field.MISSING;
        }
        return value.length() > MAX_FIELD_CHARS ? Field.MALFORMED : new Field(value, null);
    }

    /**
     * An optional delivery id in the named field: {@link Field#ABSENT} when there is none; malformed when it is given
     * twice or is not an id ({@link #isId}).
     */
    static Field id(HookRequest request, String name) {
        Field field = field(request, name);
        if (field.problem() == Reason.MISSING) {
            return Field.ABSENT;
        }
        return field.present() && !isId(field.value()) ? Field.MALFORMED : field;
    }

    /**
     * The signatures in {@code value}: items split on {@code separator} ({@code 0} for a single item), each with
     * {@code prefix} (items with another prefix are another scheme's or version's, and skipped), decoded. Items that do
     * not decode are skipped, so that one good signature among bad ones still counts. {@code null} (malformed) when
     * no item decodes, or more than {@value #MAX_SIGNATURES} carry the prefix.
     */
    static List<byte[]> signatures(String value, char separator, String prefix, Encoding encoding, int length) {
        List<String> items = items(value, separator, prefix, MAX_SIGNATURES);
        if (items == null) {
            return null;
        }
        List<byte[]> signatures = new ArrayList<>(items.size());
        for (String item : items) {
            byte[] decoded = encoding.decode(item, length);
            if (decoded != null) {
                signatures.add(decoded);
            }
        }
        return signatures.isEmpty() ? null : signatures;
    }

    /**
     * What follows {@code prefix} in each item of {@code value} that has it, items split on {@code separator}
     * ({@code 0} for one item) and stripped of white space; {@code null} when more than {@code most} have it.
     */
    static List<String> items(String value, char separator, String prefix, int most) {
        List<String> items = new ArrayList<>(2);
        int start = 0;
        while (start <= value.length()) {
            int end = separator == 0 ? -1 : value.indexOf(separator, start);
            if (end < 0) {
                end = value.length();
            }
            String item = value.substring(start, end).strip();
            start = end + 1;
            if (!item.isEmpty() && item.startsWith(prefix)) {
                if (items.size() == most) {
                    return null;
                }
                items.add(item.substring(prefix.length()));
            }
        }
        return items;
    }

    /** A timestamp in seconds since 1970, only digits; {@code -1} when it is not one. */
    static long timestamp(String text) {
        if (text.isEmpty() || text.length() > MAX_TIMESTAMP_DIGITS) {
            return -1;
        }
        long seconds = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            seconds = seconds * 10 + (c - '0');
        }
        return seconds;
    }

    /** Whether {@code text} can be a delivery id: 1 to {@value #MAX_ID_CHARS} visible ASCII characters. */
    static boolean isId(String text) {
        if (text.isEmpty() || text.length() > MAX_ID_CHARS) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }
}
