package io.hookgateway.http;

import io.netty.util.internal.ObjectUtil;
import io.netty.util.internal.PlatformDependent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory that request bodies of all connections together may hold at once. Each hook's {@code max-body-size}
 * bounds one request; this bounds their sum, which {@code max-connections} × {@code max-body-size} (10 GiB by
 * default) does not: a hundred clients each sending a body at the limit would otherwise exhaust direct memory, and
 * every other client with it.
 *
 * <p>A body is counted from its head, by its declared {@code Content-Length}, before any of it is read, so a request
 * that does not fit is answered {@code 503} with {@code Retry-After} before its body is buffered (and before
 * {@code 100 Continue}); a chunked body is counted as it arrives. Bodies of up to {@value #UNCOUNTED_BODY_BYTES} bytes
 * are not counted: they arrive with their head, in the read buffer every connection has anyway, so even when large
 * bodies have used the whole budget, small webhooks still get through.
 */
public final class BodyBudget {

    /** Bodies this small are not counted. */
    public static final long UNCOUNTED_BODY_BYTES = 8 * 1024;

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    public BodyBudget(long capacityBytes) {
        this.capacity = ObjectUtil.checkPositive(capacityBytes, "capacityBytes");
    }

    /** A budget that never refuses, for tests and tools. */
    public static BodyBudget unlimited() {
        return new BodyBudget(Long.MAX_VALUE);
    }

    /**
     * The default: a quarter of the memory the JVM allows for direct buffers, where Netty keeps what it reads (with
     * {@code -Xmx64m}, 16 MiB), leaving the rest for reading, writing and clients; but never less than what one body
     * at the largest limit needs.
     */
    public static long defaultCapacity(long largestBodyLimit) {
        return Math.max(PlatformDependent.maxDirectMemory() / 4, Math.max(largestBodyLimit, UNCOUNTED_BODY_BYTES));
    }

    /** Takes {@code bytes} from the budget if they are there; false, taking nothing, if not. */
    boolean tryReserve(long bytes) {
        for (;;) {
            long current = used.get();
            if (bytes > capacity - current) {
                return false;
            }
            if (used.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** The bytes counted now, for the gauge. */
    public long used() {
        return used.get();
    }

    public long capacity() {
        return capacity;
    }
}
