package io.hookgateway.http;

import io.netty.util.internal.ObjectUtil;

/**
 * The memory that request heads arriving slowly may hold together. A head that arrives whole in one read is parsed at
 * once and holds nothing; one that spans reads keeps its field lines (parsed into strings on the heap) and its unread
 * rest until it is complete, up to {@code max-request-line-size} + {@code max-header-size} a connection. Thousands of
 * connections each holding a head just under the limit would exhaust a small heap (2,200 of them killed the event loops
 * of a gateway with {@code -Xmx64m}). So the bytes of heads that span reads are counted here; a head that would go
 * over is answered 503 and its connection closed. Heads that arrive whole, nearly all of them, never touch it.
 */
public final class HeadBudget {

    private final long capacity;
    private final BoundedCount held = new BoundedCount();

    public HeadBudget(long capacityBytes) {
        this.capacity = ObjectUtil.checkPositive(capacityBytes, "capacityBytes");
    }

    /** No bound, for tests and tools. */
    public static HeadBudget unlimited() {
        return new HeadBudget(Long.MAX_VALUE);
    }

    /**
     * A sixteenth of the heap (4 MiB with {@code -Xmx64m}: some two hundred and fifty heads at the largest size, many
     * more of smaller ones): a head held as parsed lines takes two to three times its bytes there, and the heap has the
     * processors' copies of large bodies to hold as well ({@link io.hookgateway.routing.WorkMemory}, a quarter).
     */
    public static HeadBudget ofHeap() {
        return new HeadBudget(Math.max(1, Runtime.getRuntime().maxMemory() / 16));
    }

    boolean tryHold(long bytes) {
        return held.tryAdd(bytes, capacity);
    }

    void release(long bytes) {
        held.subtract(bytes);
    }

    /** The bytes held now, for the gauge. */
    public long held() {
        return held.get();
    }

    public long capacity() {
        return capacity;
    }
}
