package io.hookgateway.processors.command;

import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A program's output as a stream for one subscriber (the connection). The thread reading the program's pipe calls
 * {@link #publish}, which waits for demand: a client that reads slowly makes the program wait on its pipe, and the
 * gateway holds one buffer, not the whole output. Once the subscriber cancels (the client went away), publishing
 * returns at once and the output is only drained.
 */
final class OutputPublisher implements Flow.Publisher<ByteBuffer> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition demanded = lock.newCondition();
    private Flow.Subscriber<? super ByteBuffer> subscriber;
    private long demand;
    private boolean cancelled;
    private boolean ended;
    private Runnable onCancel = () -> { };

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
        lock.lock();
        try {
            if (subscriber != null) {
                s.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                s.onError(new IllegalStateException("a program's output can be read once"));
                return;
            }
            subscriber = s;
        } finally {
            lock.unlock();
        }
        s.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                lock.lock();
                try {
                    demand = n <= 0 || demand + n < 0 ? Long.MAX_VALUE : demand + n;
                    demanded.signalAll();
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void cancel() {
                Runnable callback;
                lock.lock();
                try {
                    if (cancelled) {
                        return;
                    }
                    cancelled = true;
                    callback = onCancel;
                    demanded.signalAll();
                } finally {
                    lock.unlock();
                }
                callback.run();
            }
        });
        boolean alreadyEnded;
        lock.lock();
        try {
            alreadyEnded = ended && !cancelled;
        } finally {
            lock.unlock();
        }
        if (alreadyEnded) {
            // The program finished (and its output was drained) before anyone subscribed.
            s.onComplete();
        }
    }

    /** What to do when the subscriber cancels (the client went away): the program is stopped. */
    void onCancel(Runnable callback) {
        lock.lock();
        try {
            onCancel = callback;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands a copy of the data to the subscriber once it asks for more. Returns false when nobody will read it any
     * more (cancelled), or when {@code maxWaitMillis} passed without demand (the caller then keeps draining).
     */
    boolean publish(byte[] data, int offset, int count, long maxWaitMillis) throws InterruptedException {
        Flow.Subscriber<? super ByteBuffer> s;
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
            while ((subscriber == null || demand == 0) && !cancelled) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                demanded.awaitNanos(left);
            }
            if (cancelled || ended) {
                return false;
            }
            demand--;
            s = subscriber;
        } finally {
            lock.unlock();
        }
        byte[] copy = new byte[count];
        System.arraycopy(data, offset, copy, 0, count);
        s.onNext(ByteBuffer.wrap(copy));
        return true;
    }

    /** The output ended; tells the subscriber, if it is still there. */
    void complete() {
        Flow.Subscriber<? super ByteBuffer> s = end();
        if (s != null) {
            s.onComplete();
        }
    }

    void fail(Throwable cause) {
        Flow.Subscriber<? super ByteBuffer> s = end();
        if (s != null) {
            s.onError(cause);
        }
    }

    private Flow.Subscriber<? super ByteBuffer> end() {
        lock.lock();
        try {
            if (ended) {
                return null;
            }
            ended = true;
            demanded.signalAll();
            return cancelled ? null : subscriber;
        } finally {
            lock.unlock();
        }
    }

    boolean isCancelled() {
        lock.lock();
        try {
            return cancelled;
        } finally {
            lock.unlock();
        }
    }
}
