package io.hookgateway.http;

import io.netty.util.internal.ObjectUtil;

/**
 * What one connection's unfinished request head holds of the memory that slow heads of all connections share, for
 * {@link HeaderLineDecoder}. A head that arrives whole holds nothing; one left unfinished until a later read holds its
 * parsed lines and its unread rest, until it is complete or the connection goes.
 */
final class HeadMemory {

    private final MemoryBudget heads;
    private long held;

    HeadMemory(MemoryBudget heads) {
        this.heads = ObjectUtil.checkNotNull(heads, "heads");
    }

    /** The head in progress now holds {@code bytes}; returns false when the shared budget cannot take the growth. */
    boolean hold(long bytes) {
        if (bytes <= held) {
            return true;
        }
        if (!heads.tryTake(bytes - held)) {
            return false;
        }
        held = bytes;
        return true;
    }

    /** The head is complete, failed or gone: what it held goes back. */
    void release() {
        if (held > 0) {
            heads.giveBack(held);
            held = 0;
        }
    }
}
