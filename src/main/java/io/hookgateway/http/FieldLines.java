package io.hookgateway.http;

import io.hookgateway.hooks.HeaderFields;
import io.netty.buffer.ByteBuf;

/**
 * The field lines of a request, for {@link HeaderLineDecoder}: those of its head, up to the empty line that ends it,
 * and those of the trailers after a chunked body. All of a request's lines share one byte budget; the head's and the
 * trailers' each have the field count. One instance per decoder.
 */
final class FieldLines {

    private final CrlfLines lines;
    private final int maxHeaderBytes;
    private final int maxHeaderFields;

    /** Where the head's fields go; {@code null} while trailers are read, which are checked, counted and dropped. */
    private HeaderFields.Builder fields;
    private int fieldCount;
    private int headerBytes;
    private boolean ended;

    FieldLines(CrlfLines lines, int maxHeaderBytes, int maxHeaderFields) {
        this.lines = lines;
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxHeaderFields = maxHeaderFields;
    }

    /** A head's field lines come next: its byte budget and field count start afresh. */
    void startHead() {
        reset();
        fields = HeaderFields.builder(16);
    }

    /** The request is done, failed or gone: nothing of it is held. */
    void reset() {
        fields = null;
        fieldCount = 0;
        headerBytes = 0;
        ended = false;
    }

    /** Trailers come next: they share what is left of the byte budget, but start a fresh field count. */
    void startTrailers() {
        fields = null;
        fieldCount = 0;
        ended = false;
    }

    /** The head's fields; call once, after its empty line. */
    HeaderFields build() {
        HeaderFields built = fields.build();
        fields = null;
        return built;
    }

    /** Bytes of field lines read so far, which an unfinished head holds. */
    int heldBytes() {
        return headerBytes;
    }

    /** Whether the empty line that ends the fields has been read. */
    boolean ended() {
        return ended;
    }

    /**
     * Reads the buffered field lines, up to the empty line that ends them. Returns why they are refused, or
     * {@code null}: then either more bytes are needed or they have {@link #ended()}.
     */
    RequestFailure read(ByteBuf in) {
        while (!ended && in.isReadable()) {
            int lf = lines.findEnd(in, maxHeaderBytes - headerBytes);
            if (lf == CrlfLines.NEED_MORE) {
                return null;
            }
            if (lf == CrlfLines.TOO_LONG) {
                return RequestFailure.HEADERS_TOO_LARGE;
            }
            int start = in.readerIndex();
            if (!CrlfLines.endsWithCr(in, start, lf)) {
                return RequestFailure.BAD_LINE_ENDING;
            }
            int end = lf - 1;
            in.readerIndex(lf + 1);
            if (end == start) {
                ended = true;
                return null;
            }
            headerBytes += end - start;
            RequestFailure failure = fieldCount >= maxHeaderFields
                    ? RequestFailure.TOO_MANY_HEADERS : CrlfLines.parseField(in, start, end, fields);
            if (failure != null) {
                // A bare CR is neither a name nor a value byte, so a line holding one never parses: only a line that
                // failed is searched for one, and refused for its ending, as every other line is.
                return CrlfLines.holdsCr(in, start, end) ? RequestFailure.BAD_LINE_ENDING : failure;
            }
            fieldCount++;
        }
        return null;
    }
}
