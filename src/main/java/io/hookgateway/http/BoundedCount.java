package io.hookgateway.http;

import java.util.concurrent.atomic.AtomicLong;

/** A count of bytes that many threads add to and take from at once, kept within a limit without a lock. */
public final class BoundedCount {

    private final AtomicLong count = new AtomicLong();

    /** Adds {@code n} if the count stays within {@code limit}; false, adding nothing, if it would not. */
    public boolean tryAdd(long n, long limit) {
        for (;;) {
            long current = count.get();
            if (n > limit - current) {
                return false;
            }
            if (count.compareAndSet(current, current + n)) {
                return true;
            }
        }
    }

    public void subtract(long n) {
        count.addAndGet(-n);
    }

    public long get() {
        return count.get();
    }
}
