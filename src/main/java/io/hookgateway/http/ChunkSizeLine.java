package io.hookgateway.http;

import io.hookgateway.hooks.HttpChars;
import io.hookgateway.hooks.UrlEncoded;
import io.netty.buffer.ByteBuf;

/**
 * The chunk-size line of a chunked body (RFC 9112 §7.1), for {@link ChunkedBody}: the size in hex, then
 * extensions we do not use but check to the letter.
 */
final class ChunkSizeLine {

    /** Returned for a line that is not a chunk-size line. */
    static final long INVALID = -1;
    /** Sixteen hex digits would overflow a signed long; fifteen cannot. */
    private static final int MAX_CHUNK_SIZE_DIGITS = 15;

    private ChunkSizeLine() {
    }

    /**
     * RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF ...; last-chunk = 1*"0" [ chunk-ext ] CRLF. Returns the
     * size of the line from {@code start} to {@code end} (its CRLF excluded), or {@link #INVALID}.
     */
    static long parse(ByteBuf in, int start, int end) {
        long size = 0;
        int i = start;
        int significant = 0;
        int digit;
        while (i < end && (digit = UrlEncoded.hexValue(in.getByte(i))) >= 0) {
            // Leading zeros add nothing; only significant digits can overflow.
            if ((significant > 0 || digit != 0) && ++significant > MAX_CHUNK_SIZE_DIGITS) {
                return INVALID;
            }
            size = size << 4 | digit;
            i++;
        }
        if (i == start || !isValidChunkExtension(in, i, end)) {
            return INVALID;
        }
        return size;
    }

    /**
     * RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ), where a name is a
     * token and a value a token or a quoted-string. Nothing we use, but checked to the letter: a gateway that reads a
     * chunk-size line more loosely than a proxy in front of it can be made to see a different body.
     */
    private static boolean isValidChunkExtension(ByteBuf in, int start, int end) {
        int i = start;
        while (i < end) {
            i = skipWhitespace(in, i, end);
            if (i == end || in.getByte(i) != ';') {
                return false;
            }
            i = skipWhitespace(in, i + 1, end);
            int name = i;
            while (i < end && HttpChars.isTchar(in.getByte(i))) {
                i++;
            }
            if (i == name) {
                return false;
            }
            int afterName = skipWhitespace(in, i, end);
            if (afterName < end && in.getByte(afterName) == '=') {
                i = skipWhitespace(in, afterName + 1, end);
                i = skipExtensionValue(in, i, end);
                if (i < 0) {
                    return false;
                }
            }
            // Whitespace may only come before a ';' or '=': none may end the line.
            if (i < end && skipWhitespace(in, i, end) == end) {
                return false;
            }
        }
        return true;
    }

    /** Skips a token or a quoted-string; returns where it ends, or -1 if there is none. */
    private static int skipExtensionValue(ByteBuf in, int i, int end) {
        if (i < end && in.getByte(i) == '"') {
            for (i++; i < end; i++) {
                byte b = in.getByte(i);
                if (b == '"') {
                    return i + 1;
                }
                if (b == '\\') {
                    i++;
                } else if (!HttpChars.isFieldChar(b)) {
                    return -1;
                }
            }
            return -1;
        }
        int value = i;
        while (i < end && HttpChars.isTchar(in.getByte(i))) {
            i++;
        }
        return i == value ? -1 : i;
    }

    private static int skipWhitespace(ByteBuf in, int i, int end) {
        while (i < end && HttpChars.isWhitespace(in.getByte(i))) {
            i++;
        }
        return i;
    }
}
