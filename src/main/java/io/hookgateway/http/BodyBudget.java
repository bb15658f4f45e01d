package io.hookgateway.http;

import io.netty.util.internal.ObjectUtil;
import io.netty.util.internal.PlatformDependent;

/**
 * The memory that request bodies of all connections together may hold at once. Each hook's {@code max-body-size}
 * bounds one request; this bounds their sum, which {@code max-connections} × {@code max-body-size} (10 GiB by
 * default) does not: a hundred clients each sending a body at the limit would otherwise exhaust direct memory, and
 * every other client with it.
 *
 * <p>A body is counted from its head, by its declared {@code Content-Length}, before any of it is read, so a request
 * that does not fit is answered {@code 503} with {@code Retry-After} before its body is buffered (and before
 * {@code 100 Continue}); a chunked body is counted as its chunks are declared. Every body counts, small ones too: ten
 * thousand connections each trickling a small body hold real memory. But a body over {@value #SMALL_BODY_BYTES} bytes
 * may not take the last eighth of the budget, which is kept for small ones, so that small webhooks still get through
 * while large bodies have taken all they may.
 */
public final class BodyBudget {

    /** Bodies up to this size may use the whole budget; larger ones all but its last eighth. */
    public static final long SMALL_BODY_BYTES = 8 * 1024;

    private final long capacity;
    /** What bodies over {@link #SMALL_BODY_BYTES} may take together. */
    private final long largeCapacity;
    private final MemoryBudget used;

    public BodyBudget(long capacityBytes) {
        this.capacity = ObjectUtil.checkPositive(capacityBytes, "capacityBytes");
        this.largeCapacity = capacity - capacity / 8;
        this.used = new MemoryBudget(capacity);
    }

    /** A budget that never refuses, for tests and tools. */
    public static BodyBudget unlimited() {
        return new BodyBudget(Long.MAX_VALUE);
    }

    /**
     * The default: a quarter of the memory the JVM allows for direct buffers, where Netty keeps what it reads (with
     * {@code -Xmx64m}, 16 MiB), leaving the rest for reading, writing and clients; but never less than what one body
     * at the largest limit needs beside the share kept for small bodies.
     */
    public static long defaultCapacity(long largestBodyLimit) {
        return Math.max(PlatformDependent.maxDirectMemory() / 4, (largestBodyLimit + SMALL_BODY_BYTES) * 8 / 7);
    }

    /**
     * Takes {@code bytes} from the budget if they are there, for a body of {@code bodyBytes} in all so far; false,
     * taking nothing, if not.
     */
    boolean tryReserve(long bytes, long bodyBytes) {
        return used.tryTake(bytes, bodyBytes <= SMALL_BODY_BYTES ? capacity : largeCapacity);
    }

    void release(long bytes) {
        used.giveBack(bytes);
    }

    /** What the bodies hold, for the gauges. */
    public MemoryBudget memory() {
        return used;
    }

    /** The bytes counted now, for the gauge. */
    public long used() {
        return used.used();
    }

    public long capacity() {
        return capacity;
    }
}
