package io.hookgateway.hooks;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code application/x-www-form-urlencoded} text, the shape of both query strings and HTML form bodies
 * (WHATWG URL §5.1): pairs split on {@code &}, names from values on the first {@code =}, {@code +} is a space,
 * percent escapes are UTF-8 bytes. A malformed escape is kept as written rather than failing the whole request.
 */
public final class UrlEncoded {

    /** Caps the pairs parsed from one text, so a body of a million {@code &} costs nothing to hold. */
    public static final int MAX_PAIRS = 1024;

    private UrlEncoded() {
    }

    public static Map<String, List<String>> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        int pairs = 0;
        int start = 0;
        while (start <= text.length() && pairs < MAX_PAIRS) {
            int end = text.indexOf('&', start);
            if (end < 0) {
                end = text.length();
            }
            if (end > start) {
                // Searched within the pair only: an unbounded search over a body of '&'s would be quadratic.
                int eq = indexOf(text, '=', start, end);
                String name;
                String value;
                if (eq < 0) {
                    name = decode(text, start, end);
                    value = "";
                } else {
                    name = decode(text, start, eq);
                    value = decode(text, eq + 1, end);
                }
                result.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
                pairs++;
            }
            start = end + 1;
        }
        result.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(result);
    }

    private static int indexOf(String text, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    static String decode(String s, int from, int to) {
        boolean plain = true;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '+') {
                plain = false;
                break;
            }
        }
        if (plain) {
            return s.substring(from, to);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c == '+') {
                bytes.write(' ');
                i++;
            } else if (c == '%' && hex(s, i + 1, to) >= 0 && hex(s, i + 2, to) >= 0) {
                bytes.write(hex(s, i + 1, to) << 4 | hex(s, i + 2, to));
                i += 3;
            } else if (c < 0x80) {
                bytes.write(c);
                i++;
            } else {
                int cp = s.codePointAt(i);
                byte[] encoded = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(cp);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** RFC 3986 §2.1: upper-case hex digits in percent escapes. */
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    /** Appends the value's UTF-8 bytes, each but the unreserved ones (RFC 3986 §2.3) as {@code %XX}. */
    public static void encode(String value, StringBuilder out) {
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(HEX.toHexDigits(b));
            }
        }
    }

    /** A canonical path (segments already decoded) written back as a URI path, each segment percent-encoded. */
    public static String encodePath(String path) {
        StringBuilder out = new StringBuilder(path.length() + 16);
        for (String segment : path.split("/", -1)) {
            if (out.length() > 0 || !segment.isEmpty()) {
                out.append('/');
            }
            encode(segment, out);
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    private static int hex(String s, int i, int to) {
        return i < to ? hexValue(s.charAt(i)) : -1;
    }

    /**
     * The value of an ASCII hex digit; -1 for anything else. (Character.digit would also take the digits of other
     * scripts, which no escape may contain.)
     */
    public static int hexValue(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
