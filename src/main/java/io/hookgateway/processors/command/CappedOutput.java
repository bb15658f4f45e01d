package io.hookgateway.processors.command;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The first {@code max} bytes of one output stream of a program, and how many it wrote in all. A program may write
 * gigabytes; the gateway keeps a bounded head of it for the answer, the log and the execution state, and drains the
 * rest so the program never blocks on a full pipe.
 */
final class CappedOutput {

    private final int max;
    private byte[] bytes = new byte[0];
    private int length;
    private long total;

    CappedOutput(long max) {
        this.max = (int) Math.min(max, Integer.MAX_VALUE - 8);
    }

    synchronized void append(byte[] data, int offset, int count) {
        total += count;
        int room = max - length;
        if (room <= 0) {
            return;
        }
        int take = Math.min(room, count);
        if (length + take > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(max, Math.max(length + take, bytes.length * 2 + 256)));
        }
        System.arraycopy(data, offset, bytes, length, take);
        length += take;
    }

    synchronized byte[] bytes() {
        return Arrays.copyOf(bytes, length);
    }

    /** The kept bytes as UTF-8 text, with a replacement character where a multi-byte character was cut. */
    synchronized String text() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    synchronized boolean truncated() {
        return total > length;
    }
}
