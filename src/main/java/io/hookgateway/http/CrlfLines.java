package io.hookgateway.http;

import static io.hookgateway.hooks.HttpChars.CR;
import static io.hookgateway.hooks.HttpChars.LF;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HttpChars;
import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
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

    /** Stops a scan at the first byte that is not a token character (RFC 9110 §5.6.2). */
    private static final ByteProcessor NOT_TCHAR = b -> HttpChars.isTchar(b);
    /** Stops a scan at the first byte a field value may not hold. */
    private static final ByteProcessor NOT_FIELD_CHAR = b -> HttpChars.isFieldChar(b);
    /** Stops a scan at the first byte that is not optional whitespace (SP or HTAB). */
    private static final ByteProcessor WHITESPACE = b -> HttpChars.isWhitespace(b);

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
        return endsWithCr(in, start, lf) && !holdsCr(in, start, lf - 1);
    }

    /** Whether the line ending at {@code lf} has a CR before it; a bare CR elsewhere is for {@link #holdsCr}. */
    static boolean endsWithCr(ByteBuf in, int start, int lf) {
        return lf != start && in.getByte(lf - 1) == CR;
    }

    /** Whether a CR is between {@code start} and {@code end}: a bare CR (RFC 9112 §2.2), refused with its line. */
    static boolean holdsCr(ByteBuf in, int start, int end) {
        return in.indexOf(start, end, CR) >= 0;
    }

    /**
     * RFC 9112 §5: field-line = field-name ":" OWS field-value OWS. Checks the line from {@code start} to {@code end}
     * (its CRLF excluded) and adds the field to {@code into}; {@code null} checks it only (trailers, which no hook
     * reads). Returns why the line is refused, or {@code null}.
     */
    static RequestFailure parseField(ByteBuf in, int start, int end, HeaderFields.Builder into) {
        // One scan over the name, which ends at the first byte that is not a token character: the colon, or a fault.
        int colon = in.forEachByte(start, end - start, NOT_TCHAR);
        if (colon <= start || in.getByte(colon) != ':') {
            return nameFailure(in, start, end);
        }
        int valueStart = in.forEachByte(colon + 1, end - colon - 1, WHITESPACE);
        int valueEnd = end;
        if (valueStart < 0) {
            valueStart = end;
        } else {
            valueEnd = in.forEachByteDesc(valueStart, end - valueStart, WHITESPACE) + 1;
            // RFC 9110 §5.5: CR, LF, NUL and other controls are never part of a value.
            if (in.forEachByte(valueStart, valueEnd - valueStart, NOT_FIELD_CHAR) >= 0) {
                return RequestFailure.BAD_HEADER;
            }
        }
        if (into != null) {
            into.add(FieldNames.of(in, start, colon - start),
                    in.toString(valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1));
        }
        return null;
    }

    /** Why a field line whose name does not end at a colon is refused. */
    private static RequestFailure nameFailure(ByteBuf in, int start, int end) {
        if (HttpChars.isWhitespace(in.getByte(start))) {
            // RFC 9112 §5.2 obs-fold; and §2.2 whitespace before the first field line. Both are refused.
            return RequestFailure.OBS_FOLD;
        }
        int colon = in.indexOf(start, end, (byte) ':');
        if (colon > start && HttpChars.isWhitespace(in.getByte(colon - 1))) {
            // RFC 9112 §5.1: a server MUST reject whitespace between the field name and the colon.
            return RequestFailure.WHITESPACE_BEFORE_COLON;
        }
        return RequestFailure.BAD_HEADER;
    }
}
