package io.hookgateway.logging;

import java.util.HexFormat;

/**
 * Makes text safe to put in one log line. A request path, a header value or a program's output can hold characters
 * that end the line (and forge the next one), move a terminal's cursor or recolour it, or reorder what a reader sees
 * (Trojan Source, CVE-2021-42574); each of them becomes a visible escape, and everything else is kept as it is.
 *
 * <table>
 *   <caption>What is escaped, and how</caption>
 *   <tr><th>characters</th><th>written</th></tr>
 *   <tr><td>LF, CR, TAB</td><td>{@code \n}, {@code \r}, {@code \t}</td></tr>
 *   <tr><td>the backslash itself, so that an escape in the log can only have come from here</td>
 *       <td>{@code \\}</td></tr>
 *   <tr><td>the other C0 controls (ESC, NUL, ...), DEL, the C1 controls (U+0080–U+009F, NEL included)</td>
 *       <td><code>&#92;u001B</code></td></tr>
 *   <tr><td>the line and paragraph separators U+2028, U+2029</td><td><code>&#92;u2028</code></td></tr>
 *   <tr><td>format characters (Unicode category Cf): the bidirectional marks, embeddings, overrides and isolates
 *       (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), zero-width characters, the soft hyphen, U+FEFF, the
 *       tag characters, ...</td><td><code>&#92;u202E</code>, or <code>&#92;U000E0001</code> beyond the BMP</td></tr>
 *   <tr><td>code points this JVM's Unicode tables leave unassigned (a later version may make them format characters,
 *       as 6.3 did with the bidi isolates), noncharacters, and surrogates that are not part of a pair</td>
 *       <td><code>&#92;uFFFF</code></td></tr>
 * </table>
 *
 * <p>Text without any of these is returned as it is, without copying: that is nearly every line.
 */
public final class LogText {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private LogText() {
    }

    /** Whether a code point must not reach a log line as it is. */
    public static boolean isUnsafe(int codePoint) {
        if (codePoint < 0x80) {
            return codePoint < 0x20 || codePoint == 0x7F || codePoint == '\\';
        }
        if (codePoint <= 0x9F) {
            return true;
        }
        return switch (Character.getType(codePoint)) {
            case Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SURROGATE,
                    Character.UNASSIGNED, Character.CONTROL -> true;
            default -> false;
        };
    }

    /** {@code text} with every unsafe character escaped; {@code text} itself when it has none (or is null). */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        out.append(text, 0, first);
        appendEscaped(out, text, first);
        return out.toString();
    }

    /** Appends {@code text} to {@code out} with every unsafe character escaped. */
    public static void appendEscaped(StringBuilder out, CharSequence text) {
        appendEscaped(out, text, 0);
    }

    /** The index of the first unsafe character of {@code text}, or -1. */
    static int firstUnsafe(CharSequence text) {
        for (int i = 0, n = text.length(); i < n; ) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '\\') {
                // Printable ASCII: the common case, decided without a table.
                i++;
                continue;
            }
            int codePoint = Character.codePointAt(text, i);
            if (isUnsafe(codePoint)) {
                return i;
            }
            i += Character.charCount(codePoint);
        }
        return -1;
    }

    /** Appends {@code text} from {@code from} on to {@code out} with every unsafe character escaped. */
    static void appendEscaped(StringBuilder out, CharSequence text, int from) {
        for (int i = from, n = text.length(); i < n; ) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            // An unpaired surrogate comes back as itself, and is escaped as one.
            int codePoint = Character.codePointAt(text, i);
            i += Character.charCount(codePoint);
            if (!isUnsafe(codePoint)) {
                out.appendCodePoint(codePoint);
                continue;
            }
            switch (codePoint) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isBmpCodePoint(codePoint)) {
                        out.append("\\u");
                        hex(out, codePoint, 4);
                    } else {
                        out.append("\\U");
                        hex(out, codePoint, 8);
                    }
                }
            }
        }
    }

    private static void hex(StringBuilder out, int value, int digits) {
        out.append(HEX.toHexDigits(value), 8 - digits, 8);
    }
}
