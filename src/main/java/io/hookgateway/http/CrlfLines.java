package io.hookgateway.http;

import static io.hookgateway.http.HttpChars.CR;
import static io.hookgateway.http.HttpChars.LF;

import io.hookgateway.hooks.HeaderFields;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * CRLF-terminated lines of a connection's input, for {@link HeaderLineDecoder}: finds where each ends within a bound,
 * scanning no byte twice when a line arrives in pieces, and reads field lines. One instance per decoder.
 */
final class CrlfLines {

    /** {@link #findEnd}: the line has not ended yet, within its bound. */
    static final int NEED_MORE = -1;
    /** {@link #findEnd}: the line is longer than its bound. */
    static final int TOO_LONG = -2;

    /** Bytes after the reader index already searched for LF, so a line arriving in pieces is scanned once. */
    private int scanned;

    /** The next line starts afresh. */
    void reset() {
        scanned = 0;
    }

    /**
     * Finds the LF that ends the line at the reader index, searching at most {@code limit} content bytes plus CRLF,
     * and never the same byte twice. Returns its index, {@link #NEED_MORE} or {@link #TOO_LONG}.
     */
    int findEnd(ByteBuf in, int limit) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        long window = Math.min((long) readable, (long) limit + 2);
        if (scanned < window) {
            int lf = in.indexOf(start + scanned, start + (int) window, LF);
            if (lf >= 0) {
                scanned = 0;
                return lf;
            }
            scanned = (int) window;
        }
        return readable >= (long) limit + 2 ? TOO_LONG : NEED_MORE;
    }

    static boolean endsWithCrlf(ByteBuf in, int start, int lf) {
        if (lf == start || in.getByte(lf - 1) != CR) {
            return false;
        }
        // A CR anywhere else in the line is a bare CR (RFC 9112 §2.2): refused with the line.
        return in.indexOf(start, lf - 1, CR) < 0;
    }

    /**
     * RFC 9112 §5: field-line = field-name ":" OWS field-value OWS. Checks the line from {@code start} to {@code end}
     * (its CRLF excluded) and adds the field to {@code into}; {@code null} checks it only (trailers, which no hook
     * reads). Returns why the line is refused, or {@code null}.
     */
    static RequestFailure parseField(ByteBuf in, int start, int end, HeaderFields.Builder into) {
        byte first = in.getByte(start);
        if (HttpChars.isWhitespace(first)) {
            // RFC 9112 §5.2 obs-fold; and §2.2 whitespace before the first field line. Both are refused.
            return RequestFailure.OBS_FOLD;
        }
        int colon = in.indexOf(start, end, (byte) ':');
        if (colon <= start) {
            return RequestFailure.BAD_HEADER;
        }
        if (HttpChars.isWhitespace(in.getByte(colon - 1))) {
            // RFC 9112 §5.1: a server MUST reject whitespace between the field name and the colon.
            return RequestFailure.WHITESPACE_BEFORE_COLON;
        }
        for (int i = start; i < colon; i++) {
            if (!HttpChars.isTchar(in.getByte(i))) {
                return RequestFailure.BAD_HEADER;
            }
        }
        int valueStart = colon + 1;
        while (valueStart < end && HttpChars.isWhitespace(in.getByte(valueStart))) {
            valueStart++;
        }
        int valueEnd = end;
        while (valueEnd > valueStart && HttpChars.isWhitespace(in.getByte(valueEnd - 1))) {
            valueEnd--;
        }
        for (int i = valueStart; i < valueEnd; i++) {
            // RFC 9110 §5.5: CR, LF, NUL and other controls are never part of a value.
            if (!HttpChars.isFieldChar(in.getByte(i))) {
                return RequestFailure.BAD_HEADER;
            }
        }
        if (into != null) {
            into.add(in.toString(start, colon - start, StandardCharsets.US_ASCII),
                    in.toString(valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1));
        }
        return null;
    }
}
