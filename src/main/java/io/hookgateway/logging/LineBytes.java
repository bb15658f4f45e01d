package io.hookgateway.logging;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One access log line as UTF-8 bytes, appended in place: a thread of the {@link AccessLog} reuses one for all its
 * lines. A value that is printable ASCII (nearly every method, path, hook name, address and request id) is copied
 * byte for byte in the one pass that checks it; only a value holding something to escape goes through {@link LogText}
 * or {@link JsonText} and the UTF-8 encoder, from its first such character on. The bytes are those of the value
 * escaped whole and encoded, as escaping depends on each character alone.
 */
final class LineBytes {

    private static final int INITIAL_BYTES = 512;
    /** A line longer than this (a long escaped path) does not keep its buffer for the next. */
    private static final int KEPT_BYTES = 8 * 1024;
    private static final byte[] NULL = ascii("null");

    private byte[] bytes = new byte[INITIAL_BYTES];
    private int length;
    private final StringBuilder escaped = new StringBuilder(64);

    /** The bytes of {@code text}, which is ASCII: one of the gateway's own pieces of a line. */
    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Empties the line for the next. */
    void clear() {
        length = 0;
        if (bytes.length > KEPT_BYTES) {
            bytes = new byte[INITIAL_BYTES];
        }
    }

    int length() {
        return length;
    }

    /** Copies the line into {@code target} from {@code at}. */
    void copyTo(byte[] target, int at) {
        System.arraycopy(bytes, 0, target, at, length);
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /** Appends one of the gateway's own pieces, pre-encoded. */
    LineBytes append(byte[] piece) {
        room(piece.length);
        System.arraycopy(piece, 0, bytes, length, piece.length);
        length += piece.length;
        return this;
    }

    /** Appends an ASCII character. */
    LineBytes append(char c) {
        room(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Appends {@code value} in decimal, as {@link StringBuilder#append(long)} does. */
    LineBytes append(long value) {
        if (value < 0) {
            return append(ascii(Long.toString(value)));
        }
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        room(digits);
        length += digits;
        long rest = value;
        for (int at = length - 1; at >= length - digits; at--) {
            bytes[at] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return this;
    }

    /** Appends {@code value}, from 0 to 999, as three digits: 7 as {@code 007}. */
    LineBytes appendThreeDigits(int value) {
        room(3);
        bytes[length] = (byte) ('0' + value / 100);
        bytes[length + 1] = (byte) ('0' + value / 10 % 10);
        bytes[length + 2] = (byte) ('0' + value % 10);
        length += 3;
        return this;
    }

    /** Nanoseconds as milliseconds with two decimals, rounded: 423_456 as {@code 0.42}. */
    LineBytes appendMillis(long nanos) {
        long hundredths = (Math.max(nanos, 0) + 5_000) / 10_000;
        long fraction = hundredths % 100;
        append(hundredths / 100).append('.');
        if (fraction < 10) {
            append('0');
        }
        return append(fraction);
    }

    /** Appends {@code text} escaped for a plain line ({@link LogText#appendEscaped}). */
    LineBytes appendPlain(String text) {
        return appendEscaped(text, false);
    }

    /** Appends {@code text} escaped as within a JSON string, without the quotes ({@link JsonText#appendEscaped}). */
    LineBytes appendJson(String text) {
        return appendEscaped(text, true);
    }

    /**
     * Copies the printable ASCII start of {@code text} as it is, checking each character once, and escapes the rest
     * from the first character that is not (or that JSON escapes, the quote) on.
     */
    private LineBytes appendEscaped(String text, boolean json) {
        int n = text.length();
        room(n);
        byte[] bytes = this.bytes;
        int at = length;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7F || c == '\\' || c == '"' && json) {
                length = at + i;
                escaped.setLength(0);
                if (json) {
                    JsonText.appendEscaped(escaped, text, i);
                } else {
                    LogText.appendEscaped(escaped, text, i);
                }
                return appendUtf8(escaped);
            }
            bytes[at + i] = (byte) c;
        }
        length = at + n;
        return this;
    }

    /** Appends {@code text} as a JSON string, quotes included; {@code null} as {@code null}. */
    LineBytes appendJsonString(String text) {
        if (text == null) {
            return append(NULL);
        }
        return append('"').appendJson(text).append('"');
    }

    private LineBytes appendUtf8(CharSequence text) {
        // UTF-8 takes at most three bytes a char (four for two chars of a surrogate pair).
        room(3 * text.length());
        length = encode(text, bytes, length);
        return this;
    }

    private void room(int more) {
        if (more > bytes.length - length) {
            bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, length + more));
        }
    }

    /**
     * Encodes {@code text} as UTF-8 into {@code bytes} from {@code at}, which has room for three bytes a char, and
     * returns where it ends. The text is escaped, so it holds no lone surrogate; one would be written as {@code ?}.
     */
    static int encode(CharSequence text, byte[] bytes, int at) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes[at++] = (byte) c;
            } else if (c < 0x800) {
                bytes[at++] = (byte) (0xC0 | c >> 6);
                bytes[at++] = (byte) (0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                bytes[at++] = (byte) (0xE0 | c >> 12);
                bytes[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                bytes[at++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, text.charAt(++i));
                bytes[at++] = (byte) (0xF0 | codePoint >> 18);
                bytes[at++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
                bytes[at++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
                bytes[at++] = (byte) (0x80 | codePoint & 0x3F);
            } else {
                bytes[at++] = '?';
            }
        }
        return at;
    }
}
