package io.hookgateway.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Test input as buffers the leak detector tracks. {@code Unpooled.copiedBuffer} makes unpooled heap buffers, which
 * Netty never wraps for leak detection, so a test fed with them could leak a body slice unnoticed; buffers from
 * {@link ByteBufAllocator#DEFAULT} are tracked, like the ones a socket read produces.
 */
public final class TrackedBuffers {

    private TrackedBuffers() {
    }

    /** The string's chars as bytes (ISO-8859-1), so a test can write any byte value 0-255 as a char. */
    public static ByteBuf latin1(String s) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(s.length());
        buf.writeCharSequence(s, StandardCharsets.ISO_8859_1);
        return buf;
    }

    /** A copy of {@code length} bytes of {@code array} from {@code offset}. */
    public static ByteBuf copy(byte[] array, int offset, int length) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(length);
        buf.writeBytes(array, offset, length);
        return buf;
    }
}
