package io.hookgateway.http;

import io.hookgateway.hooks.UrlEncoded;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the path of a request-target into the one canonical path that routing (and later authentication) sees, so
 * that two spellings of one path can never be told apart by one stage and not by another.
 *
 * <ul>
 *   <li>Percent escapes are decoded as UTF-8 (RFC 3986 §2.1). A malformed escape or invalid UTF-8 is refused.</li>
 *   <li>An encoded slash ({@code %2F}) is refused: it would make one segment look like two.</li>
 *   <li>Dot segments ({@code .} and {@code ..}, written plainly or encoded) are refused rather than resolved
 *       (RFC 3986 §5.2.4): no webhook sender needs them, and resolving them is how paths escape their prefix.</li>
 *   <li>Empty segments are dropped: {@code //a///b} is {@code /a/b}, and a trailing slash is ignored,
 *       {@code /post/} is {@code /post}.</li>
 *   <li>Control characters (after decoding) are refused, and so is anything but visible ASCII before decoding.</li>
 * </ul>
 */
public final class RequestPath {

    private RequestPath() {
    }

    /** The canonical form of a raw path that starts with '/', or {@code null} when it must be refused. */
    public static String canonicalize(String raw) {
        if (raw.isEmpty() || raw.charAt(0) != '/') {
            return null;
        }
        if (isAlreadyCanonical(raw)) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        int start = 1;
        while (start <= raw.length()) {
            int end = raw.indexOf('/', start);
            if (end < 0) {
                end = raw.length();
            }
            if (end > start) {
                String segment = decodeSegment(raw, start, end);
                if (segment == null || segment.equals(".") || segment.equals("..")) {
                    return null;
                }
                out.append('/').append(segment);
            }
            start = end + 1;
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    /**
     * The common case costs one scan and no allocation: no escapes, no empty or dot segments, no trailing slash,
     * nothing but visible ASCII.
     */
    private static boolean isAlreadyCanonical(String raw) {
        int length = raw.length();
        if (length > 1 && raw.charAt(length - 1) == '/') {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = raw.charAt(i);
            if (c == '%' || c <= 0x20 || c >= 0x7f) {
                return false;
            }
            if (c == '/' && i + 1 < length) {
                char next = raw.charAt(i + 1);
                if (next == '/' || next == '.') {
                    return false;
                }
            }
        }
        return true;
    }

    /** Decodes one segment; {@code null} when it must be refused. */
    private static String decodeSegment(String raw, int from, int to) {
        if (raw.indexOf('%', from) < 0 || raw.indexOf('%', from) >= to) {
            for (int i = from; i < to; i++) {
                char c = raw.charAt(i);
                // As in a request-target: visible ASCII only; anything else must be percent-encoded.
                if (c <= 0x20 || c >= 0x7f) {
                    return null;
                }
            }
            return raw.substring(from, to);
        }
        ByteBuffer bytes = ByteBuffer.allocate(to - from);
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= to) {
                    return null;
                }
                int hi = UrlEncoded.hexValue(raw.charAt(i + 1));
                int lo = UrlEncoded.hexValue(raw.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    return null;
                }
                int b = hi << 4 | lo;
                if (b == '/' || b < 0x20 || b == 0x7f) {
                    return null;
                }
                bytes.put((byte) b);
                i += 2;
            } else if (c < 0x20 || c >= 0x7f) {
                return null;
            } else {
                bytes.put((byte) c);
            }
        }
        bytes.flip();
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            String segment = decoder.decode(bytes).toString();
            // C1 controls (U+0080..U+009F) and the Unicode line and paragraph separators are controls too.
            for (int k = 0; k < segment.length(); k++) {
                int type = Character.getType(segment.charAt(k));
                if (type == Character.CONTROL || type == Character.LINE_SEPARATOR
                        || type == Character.PARAGRAPH_SEPARATOR) {
                    return null;
                }
            }
            return segment;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
