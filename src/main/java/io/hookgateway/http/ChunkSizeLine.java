package io.hookgateway.http;

import io.hookgateway.hooks.HttpChars;
import io.hookgateway.hooks.UrlEncoded;
import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * The chunk-size line of a chunked body (RFC 9112 §7.1), for {@link ChunkedBody}: the size in hex, then
 * extensions we do not use but check to the letter. One instance per {@link ChunkedBody}: it adds up the size as it
 * scans the digits, in one bounded {@code forEachByte}.
 */
final class ChunkSizeLine {

    /** Returned for a line that is not a chunk-size line. */
    static final long INVALID = -1;
    /** Sixteen hex digits would overflow a signed long; fifteen cannot. */
    private static final int MAX_CHUNK_SIZE_DIGITS = 15;
    /** Stops a scan at the first byte that is not a token character (RFC 9110 §5.6.2). */
    private static final ByteProcessor NOT_TCHAR = b -> HttpChars.isTchar(b);

    /** Adds one hex digit to {@link #size}; stops at a byte that is not one, or at a digit too many. */
    private final ByteProcessor digits = this::addDigit;
    private long size;
    private int significant;

    /**
     * RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF ...; last-chunk = 1*"0" [ chunk-ext ] CRLF. Returns the
     * size of the line from {@code start} to {@code end} (its CRLF excluded), or {@link #INVALID}.
     */
    long parse(ByteBuf in, int start, int end) {
        size = 0;
        significant = 0;
        int stop = in.forEachByte(start, end - start, digits);
        int i = stop < 0 ? end : stop;
        if (i == start || significant > MAX_CHUNK_SIZE_DIGITS || !isValidChunkExtension(in, i, end)) {
            return INVALID;
        }
        return size;
    }

    private boolean addDigit(byte b) {
        int digit = UrlEncoded.hexValue(b);
        if (digit < 0) {
            return false;
        }
        // Leading zeros add nothing; only significant digits can overflow.
        if ((significant > 0 || digit != 0) && ++significant > MAX_CHUNK_SIZE_DIGITS) {
            return false;
        }
        size = size << 4 | digit;
        return true;
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
            i = skipTchars(in, i, end);
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
                    // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ): the escaped octet is no control either.
                    if (++i == end || !HttpChars.isFieldChar(in.getByte(i))) {
                        return -1;
                    }
                } else if (!HttpChars.isFieldChar(b)) {
                    return -1;
                }
            }
            return -1;
        }
        int value = i;
        i = skipTchars(in, i, end);
        return i == value ? -1 : i;
    }

    private static int skipTchars(ByteBuf in, int i, int end) {
        int stop = in.forEachByte(i, end - i, NOT_TCHAR);
        return stop < 0 ? end : stop;
    }

    private static int skipWhitespace(ByteBuf in, int i, int end) {
        while (i < end && HttpChars.isWhitespace(in.getByte(i))) {
            i++;
        }
        return i;
    }
}
