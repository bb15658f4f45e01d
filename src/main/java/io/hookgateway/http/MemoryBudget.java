package io.hookgateway.http;

import io.netty.util.internal.ObjectUtil;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of memory that many connections take and give back at once, kept within a capacity without a lock. The
 * gateway keeps three, each bounding a kind of memory clients can make it hold:
 *
 * <ul>
 *   <li>request heads that arrive over several reads ({@link HeaderLineDecoder}): a sixteenth of the heap;</li>
 *   <li>request bodies, as they came in ({@link BodyBudget}): a quarter of direct memory;</li>
 *   <li>the copies of large bodies that processors make on the heap
 *       ({@link io.hookgateway.routing.HookDispatcher}): a quarter of the heap.</li>
 * </ul>
 *
 * What would go over is refused (503) rather than waited for: a sender can retry, and a gateway out of memory serves
 * no one.
 */
public final class MemoryBudget {

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    public MemoryBudget(long capacityBytes) {
        this.capacity = ObjectUtil.checkPositive(capacityBytes, "capacityBytes");
    }

    /** No bound, for tests and tools. */
    public static MemoryBudget unlimited() {
        return new MemoryBudget(Long.MAX_VALUE);
    }

    /** The heap divided by {@code parts}. */
    public static MemoryBudget ofHeap(int parts) {
        return new MemoryBudget(Math.max(1, Runtime.getRuntime().maxMemory() / parts));
    }

    /** Takes {@code bytes} if they are there; false, taking nothing, if not. */
    public boolean tryTake(long bytes) {
        return tryTake(bytes, capacity);
    }

    /** Takes {@code bytes} if the total stays within {@code limit} (at most the capacity); false if it would not. */
    public boolean tryTake(long bytes, long limit) {
        long within = Math.min(limit, capacity);
        for (;;) {
            long current = used.get();
            if (bytes > within - current) {
                return false;
            }
            if (used.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    public void giveBack(long bytes) {
        used.addAndGet(-bytes);
    }

    /** The bytes taken now, for the gauge. */
    public long used() {
        return used.get();
    }

    public long capacity() {
        return capacity;
    }
}
