package io.hookgateway.hooks;

import java.util.HexFormat;

/**
 * How one request value is written where a template inserts it. Chosen per reference when the template is compiled
 * ({@link io.hookgateway.processors.template.Format}), so rendering only appends.
 */
public enum Escape {

    /** As it is: plain text, or {@code ${raw:...}}. */
    NONE {
        @Override
        public void append(String value, StringBuilder out) {
            out.append(value);
        }
    },

    /** Inside a JSON string (RFC 8259 §7): the quote, the backslash and every control character escaped. */
    JSON_STRING {
        @Override
        public void append(String value, StringBuilder out) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        // Other controls must be escaped; U+2028/U+2029 are escaped too, so the text stays valid if
                        // it ends up inside JavaScript; a lone surrogate would be malformed UTF-8 once encoded.
                        if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || isLoneSurrogate(value, i)) {
                            unicodeEscape(c, out);
                        } else {
                            out.append(c);
                        }
                        if (Character.isHighSurrogate(c) && i + 1 < value.length()
                                && Character.isLowSurrogate(value.charAt(i + 1))) {
                            out.append(value.charAt(++i));
                        }
                    }
                }
            }
        }
    },

    /**
     * Outside quotes in JSON: one whole JSON value. {@link io.hookgateway.processors.template.Template} writes a
     * {@code ${json:...}} reference as the JSON it points at; any other value arrives here as text and becomes a JSON
     * string.
     */
    JSON_VALUE {
        @Override
        public void append(String value, StringBuilder out) {
            out.append('"');
            JSON_STRING.append(value, out);
            out.append('"');
        }
    },

    /** A value of {@code application/x-www-form-urlencoded} text: percent-encoded, so no {@code &} or {@code =}. */
    FORM {
        @Override
        public void append(String value, StringBuilder out) {
            UrlEncoded.encode(value, out);
        }
    },

    /**
     * In HTML or XML text or a quoted attribute: the five markup characters as character references, and characters
     * XML 1.0 §2.2 does not allow as U+FFFD.
     */
    MARKUP {
        @Override
        public void append(String value, StringBuilder out) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '&' -> out.append("&amp;");
                    case '<' -> out.append("&lt;");
                    case '>' -> out.append("&gt;");
                    case '"' -> out.append("&quot;");
                    case '\'' -> out.append("&#39;");
                    default -> {
                        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == '\ufffe' || c == '\uffff'
                                || isLoneSurrogate(value, i)) {
                            out.append('\ufffd');
                        } else {
                            out.append(c);
                            if (Character.isHighSurrogate(c)) {
                                out.append(value.charAt(++i));
                            }
                        }
                    }
                }
            }
        }
    };

    public abstract void append(String value, StringBuilder out);

    private static final HexFormat HEX = HexFormat.of();

    private static void unicodeEscape(char c, StringBuilder out) {
        out.append("\\u").append(HEX.toHexDigits(c));
    }

    /** Whether the char at {@code i} is a surrogate that is not half of a well-formed pair. */
    private static boolean isLoneSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
    }
}
