package io.hookgateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkSizeLineTest {

    private static long parse(String line) {
        ByteBuf in = Unpooled.copiedBuffer(line, StandardCharsets.ISO_8859_1);
        try {
            return new ChunkSizeLine().parse(in, 0, in.writerIndex());
        } finally {
            in.release();
        }
    }

    @Test
    void acceptsAQuotedPairOfAVisibleCharacter() {
        assertThat(parse("5;q=\"a\\\"b\"")).isEqualTo(5);
    }

    @Test
    void refusesAQuotedPairOfAControl() {
        // RFC 9110 §5.6.4: quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ).
        assertThat(parse("5;q=\"a\\\u0000b\"")).isEqualTo(ChunkSizeLine.INVALID);
        assertThat(parse("5;q=\"a\\\nb\"")).isEqualTo(ChunkSizeLine.INVALID);
    }

    @Test
    void refusesABackslashEndingTheLine() {
        assertThat(parse("5;q=\"a\\")).isEqualTo(ChunkSizeLine.INVALID);
    }
}
