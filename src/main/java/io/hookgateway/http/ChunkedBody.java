package io.hookgateway.http;

import static io.hookgateway.hooks.HttpChars.CR;
import static io.hookgateway.hooks.HttpChars.LF;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.util.List;

/**
 * The chunks of a chunked body (RFC 9112 §7.1), for {@link HeaderLineDecoder}: reads each chunk-size line, passes on
 * a {@link DeclaredChunk} and then the chunk's data as slices of the input (never copies), and checks the CRLF after
 * it, up to the last chunk. The trailer fields that follow are the decoder's, which reads them as it reads the head's.
 * One instance per decoder, started afresh for each chunked request.
 */
final class ChunkedBody {

    /** The longest chunk-size line, extensions included (RFC 9112 §7.1.1). */
    static final int MAX_CHUNK_LINE_BYTES = 1024;

    private enum Part {
        SIZE_LINE, DATA, DATA_END,
        /** The last chunk was read: the trailers come next. */
        DONE
    }

    private final CrlfLines lines;
    private final ChunkSizeLine sizeLine = new ChunkSizeLine();
    private Part part = Part.SIZE_LINE;
    /** Bytes of the current chunk's data still to come. */
    private long remaining;

    ChunkedBody(CrlfLines lines) {
        this.lines = lines;
    }

    /** A chunked body starts: its first chunk-size line comes next. */
    void start() {
        part = Part.SIZE_LINE;
        remaining = 0;
    }

    /** Whether the last chunk has been read, so the trailers come next. */
    boolean done() {
        return part == Part.DONE;
    }

    /**
     * Reads what is buffered of the chunks into {@code out}, up to the last chunk. Returns why the body is refused
     * (its framing is lost, so nothing after it can be read), or {@code null}: then either more bytes are needed or
     * the body is {@link #done()}.
     */
    RequestFailure read(ByteBuf in, List<Object> out) {
        RequestFailure failure = null;
        while (failure == null && in.isReadable() && part != Part.DONE) {
            switch (part) {
                case SIZE_LINE -> {
                    int lf = lines.findEnd(in, MAX_CHUNK_LINE_BYTES);
                    if (lf == CrlfLines.NEED_MORE) {
                        return null;
                    }
                    failure = readSizeLine(in, lf, out);
                }
                case DATA -> readData(in, out);
                case DATA_END -> {
                    failure = readDataEnd(in);
                    if (failure == null && part == Part.DATA_END) {
                        return null;
                    }
                }
                default -> throw new IllegalStateException("unexpected part " + part);
            }
        }
        return failure;
    }

    /** RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF; last-chunk = 1*"0" [ chunk-ext ] CRLF. */
    private RequestFailure readSizeLine(ByteBuf in, int lf, List<Object> out) {
        if (lf == CrlfLines.TOO_LONG) {
            return RequestFailure.BAD_CHUNK;
        }
        int start = in.readerIndex();
        if (!CrlfLines.endsWithCrlf(in, start, lf)) {
            return RequestFailure.BAD_LINE_ENDING;
        }
        in.readerIndex(lf + 1);
        long size = sizeLine.parse(in, start, lf - 1);
        if (size == ChunkSizeLine.INVALID) {
            return RequestFailure.BAD_CHUNK;
        }
        if (size == 0) {
            part = Part.DONE;
        } else {
            remaining = size;
            part = Part.DATA;
            out.add(new DeclaredChunk(size));
        }
        return null;
    }

    private void readData(ByteBuf in, List<Object> out) {
        int toRead = (int) Math.min(in.readableBytes(), remaining);
        out.add(new DefaultHttpContent(in.readRetainedSlice(toRead)));
        remaining -= toRead;
        if (remaining == 0) {
            part = Part.DATA_END;
        }
    }

    /**
     * RFC 9112 §7.1: chunk-data is followed by CRLF; anything else means the framing is lost. A CR alone waits for its
     * LF.
     */
    private RequestFailure readDataEnd(ByteBuf in) {
        int i = in.readerIndex();
        boolean whole = in.readableBytes() >= 2;
        if (in.getByte(i) != CR || whole && in.getByte(i + 1) != LF) {
            return RequestFailure.BAD_CHUNK;
        }
        if (!whole) {
            return null;
        }
        in.skipBytes(2);
        part = Part.SIZE_LINE;
        return null;
    }
}
