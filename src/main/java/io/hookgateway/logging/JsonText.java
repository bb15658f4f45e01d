package io.hookgateway.logging;

/**
 * Writes JSON strings by hand into a {@link StringBuilder}: no object mapper, no intermediate string. What a reader of
 * a JSON line gets back is the text as it was; what the line itself holds is safe, as {@link LogText} makes the plain
 * format safe: the quote and the backslash are escaped as JSON requires, and so is every character {@link LogText}
 * escapes (controls, DEL, C1 controls and so ANSI escapes, U+2028/U+2029, bidi and other format characters,
 * unassigned code points). A line therefore never holds a raw line break, cursor movement or reordering mark,
 * whatever a request sent. A surrogate that is not part of a pair cannot be written in UTF-8 and becomes U+FFFD.
 */
public final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    /** Appends {@code text} as a JSON string, quotes included; {@code null} as {@code null}. */
    public static void appendString(StringBuilder out, CharSequence text) {
        if (text == null) {
            out.append("null");
            return;
        }
        out.append('"');
        appendEscaped(out, text);
        out.append('"');
    }

    /**
     * Appends {@code text} escaped as within a JSON string, without the quotes: a string can be written in parts, as
     * the escaping of one character does not depend on its neighbours.
     */
    public static void appendEscaped(StringBuilder out, CharSequence text) {
        appendEscaped(out, text, 0);
    }

    /** Appends {@code text} from {@code from} on escaped as within a JSON string, without the quotes. */
    static void appendEscaped(StringBuilder out, CharSequence text, int from) {
        for (int i = from, n = text.length(); i < n; ) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                // Printable ASCII, the common case: only the quote and the backslash need a word.
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
                i++;
                continue;
            }
            int codePoint = Character.codePointAt(text, i);
            int length = Character.charCount(codePoint);
            if (Character.isSurrogate(c) && length == 1) {
                out.append("\\ufffd");
            } else if (!LogText.isUnsafe(codePoint)) {
                out.appendCodePoint(codePoint);
            } else {
                switch (codePoint) {
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        // Beyond the BMP (a tag character) as its surrogate pair: JSON has no longer escape.
                        for (int k = 0; k < length; k++) {
                            appendUnicodeEscape(out, text.charAt(i + k));
                        }
                    }
                }
            }
            i += length;
        }
    }

    /** Appends {@code "name":} ; the name is one of the gateway's own, never request text. */
    public static void appendName(StringBuilder out, String name) {
        out.append('"').append(name).append("\":");
    }

    private static void appendUnicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                .append(HEX[c & 0xf]);
    }
}
