package io.hookgateway.routing;

import io.hookgateway.http.BoundedCount;
import io.netty.util.internal.ObjectUtil;

/**
 * The heap that processors may fill with copies of large bodies at once. The body budget
 * ({@link io.hookgateway.http.BodyBudget}) bounds the bodies held as they came in; a processor that reads one makes
 * copies of it on the heap: its bytes ({@code forward}, {@code mqtt}, {@code stdin}), its text and a template rendered
 * from it. A few megabytes a request, times the worker pool, is more than a small heap holds, so a request whose body
 * is over {@link HookDispatcher#EVENT_LOOP_MAX_BODY_BYTES}, to a processor that reads it, takes
 * {@value #COPIES} times its body from here before it runs, and gives it back when it is answered; one that does not
 * fit is answered 503 with {@code Retry-After}.
 */
public final class WorkMemory {

    /** The copies of a body a processor may make: its bytes, its text, a rendered template, and that one's bytes. */
    static final int COPIES = 4;

    private final long capacity;
    private final BoundedCount used = new BoundedCount();

    public WorkMemory(long capacityBytes) {
        this.capacity = ObjectUtil.checkPositive(capacityBytes, "capacityBytes");
    }

    /** No bound, for tests and the metrics port. */
    public static WorkMemory unlimited() {
        return new WorkMemory(Long.MAX_VALUE);
    }

    /** The default: a quarter of the heap (16 MiB with {@code -Xmx64m}). */
    public static WorkMemory ofHeap() {
        return new WorkMemory(Math.max(1, Runtime.getRuntime().maxMemory() / 4));
    }

    /**
     * What processing a body of {@code bodyBytes} takes: {@link #COPIES} times it, but no more than all there is, so
     * that a body at the largest limit can always be processed alone.
     */
    long need(long bodyBytes) {
        return Math.min(capacity, bodyBytes > Long.MAX_VALUE / COPIES ? Long.MAX_VALUE : bodyBytes * COPIES);
    }

    boolean tryTake(long bytes) {
        return used.tryAdd(bytes, capacity);
    }

    void giveBack(long bytes) {
        used.subtract(bytes);
    }

    /** The bytes taken now, for the gauge. */
    public long used() {
        return used.get();
    }

    public long capacity() {
        return capacity;
    }
}
