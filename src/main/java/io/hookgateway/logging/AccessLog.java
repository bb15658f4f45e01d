package io.hookgateway.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The access log: one line per answered request, written to standard output beside logback's lines, in the same
 * format ({@link LogFormat}, plain or JSON, looked up for each line) and with the same escaping, but without a logback
 * event, a formatted message or a queue hop per line, which cost about a third of the gateway's throughput.
 *
 * <p>Each thread that answers requests (an event loop) formats its lines as UTF-8 into a {@link LineBytes} of its own
 * (printable ASCII values copied as they are, the time's second formatted once a second) and appends them to a buffer
 * of its own of {@value #BATCH_BYTES} bytes. A full buffer is queued for the one writer thread as a batch, which it
 * writes to the stream in one call. Every {@value #SWEEP_MILLIS} ms the writer wakes, writes the batches queued and
 * takes what each thread's buffer holds, so a line is written within about that long however quiet or busy the
 * gateway is; a thread that finds the queue half full wakes it sooner, but no thread makes a system call to wake it
 * for each batch. A thread never waits for the writer: when {@value #QUEUED_BATCHES} batches already wait (the output
 * is slower than the traffic), the thread's batch is dropped and its lines counted ({@link #dropped()}, the metric
 * {@code hook_gateway_access_log_dropped_total}). {@link #close()} writes out every line before it returns, for a
 * clean stop.
 *
 * <p>Each batch holds whole lines and is written in one {@code write} to {@link System#out}, whose lock logback's
 * console appender takes for each of its lines as well: lines interleave whole. An access line may come out up to
 * {@value #SWEEP_MILLIS} ms after a line logback wrote later; its time says when the request was answered.
 */
public final class AccessLog implements AutoCloseable {

    static final int BATCH_BYTES = 64 * 1024;
    static final int QUEUED_BATCHES = 16;
    static final long SWEEP_MILLIS = 100;
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(SWEEP_MILLIS);
    private static final long CLOSE_TIMEOUT_MILLIS = 5_000;
    /** What logback's pattern puts between the time and the message: {@code %-5level %-12logger{0} }. */
    private static final String PLAIN_LEVEL_AND_LOGGER = " INFO  access       ";
    private static final byte[] JSON_LEVEL_AND_LOGGER =
            LineBytes.ascii("Z\",\"level\":\"INFO\",\"logger\":\"io.hookgateway.access\"");
    /** logback's {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX}} (the plain format, local time) in three parts. */
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("XXX");
    /** The JSON format's time is in UTC ({@link JsonLayout}). */
    private static final DateTimeFormatter UTC_SECOND = SECOND.withZone(ZoneOffset.UTC);

    private final OutputStream out;
    private final int batchBytes;
    private final BlockingQueue<Batch> batches;
    /** Written buffers, for the threads to fill again. */
    private final BlockingQueue<byte[]> spare;
    private final List<Lines> threads = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Lines> lines = ThreadLocal.withInitial(this::register);
    private final List<Consumer<String>> taps = new CopyOnWriteArrayList<>();
    private final LongAdder dropped = new LongAdder();
    private final DateTimeFormatter localSecond = SECOND.withZone(ZoneId.systemDefault());
    private final DateTimeFormatter localOffset = OFFSET.withZone(ZoneId.systemDefault());
    private final Thread writer;
    /** The room left in the queue at which a thread wakes the writer: half of it. */
    private final int wakeAt;
    private volatile boolean closing;

    private static final class Stdout {
        static final AccessLog LOG = new AccessLog(new OutputStream() {
            @Override
            public void write(int b) {
                System.out.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                // Looked up for each batch, as logback's console appender does.
                PrintStream stdout = System.out;
                stdout.write(bytes, offset, length);
                stdout.flush();
            }
        }, BATCH_BYTES, QUEUED_BATCHES);
    }

    AccessLog(OutputStream out, int batchBytes, int queuedBatches) {
        this.out = out;
        this.batchBytes = batchBytes;
        this.batches = new ArrayBlockingQueue<>(queuedBatches);
        this.spare = new ArrayBlockingQueue<>(queuedBatches);
        this.wakeAt = queuedBatches / 2;
        this.writer = new Thread(this::writeUntilClosed, "hook-gateway-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** The access log on standard output; its writer starts with the first call. */
    public static AccessLog stdout() {
        return Stdout.LOG;
    }

    /** Writes {@code line} soon; never waits. */
    public void write(AccessLine line) {
        lines.get().add(line);
    }

    /** Lines dropped so far because the writer had fallen behind. */
    public long dropped() {
        return dropped.sum();
    }

    /**
     * Gives {@code tap} every line from now on as written, without its newline, until {@link #untap}: for tests, which
     * read the log of the gateway they run.
     */
    public void tap(Consumer<String> tap) {
        taps.add(tap);
    }

    /** Stops giving {@code tap} the lines. */
    public void untap(Consumer<String> tap) {
        taps.remove(tap);
    }

    /** Writes out every line written so far (waiting up to five seconds) and stops the writer. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        LockSupport.unpark(writer);
        writer.join(CLOSE_TIMEOUT_MILLIS);
    }

    private Lines register() {
        Lines mine = new Lines(Thread.currentThread(), fresh());
        threads.add(mine);
        return mine;
    }

    private byte[] fresh() {
        byte[] bytes = spare.poll();
        return bytes != null ? bytes : new byte[batchBytes];
    }

    private record Batch(byte[] bytes, int length, int lines) {
    }

    /** One thread's lines: the line it formats, and the bytes not yet handed to the writer. */
    private final class Lines {
        final Thread owner;
        final LineBytes line = new LineBytes();
        /**
         * The second the last line was written in, and the UTF-8 of its time in each format: the plain one's date
         * and time to the second {@code 2026-01-01T13:00:00.}, then after the millis its zone offset, level and logger
         * {@code +01:00 INFO  access       }; the JSON one's line up to the millis
         * {@code {"time":"2026-01-01T12:00:00.}.
         */
        long epochSecond = Long.MIN_VALUE;
        byte[] plainSecond;
        byte[] plainAfterMillis;
        byte[] jsonStart;
        /** Guarded by this: the owner appends, the writer takes. */
        byte[] bytes;
        int length;
        int count;

        Lines(Thread owner, byte[] bytes) {
            this.owner = owner;
            this.bytes = bytes;
        }

        void add(AccessLine values) {
            LineBytes line = this.line;
            line.clear();
            long millis = System.currentTimeMillis();
            newSecond(millis);
            int millisOfSecond = (int) Math.floorMod(millis, 1000);
            if (LogFormat.current() == LogFormat.JSON) {
                line.append(jsonStart).appendThreeDigits(millisOfSecond).append(JSON_LEVEL_AND_LOGGER);
                values.writeJson(line);
                line.append('}');
            } else {
                line.append(plainSecond).appendThreeDigits(millisOfSecond).append(plainAfterMillis);
                values.writePlain(line);
            }
            if (!taps.isEmpty()) {
                String written = line.toString();
                taps.forEach(tap -> tap.accept(written));
            }
            line.append('\n');
            int size = line.length();
            synchronized (this) {
                if (size > bytes.length - length) {
                    handOff(true);
                    if (size > bytes.length) {
                        // A line longer than a batch (a long path, escaped) goes alone; its buffer is not kept.
                        bytes = new byte[size];
                    }
                }
                line.copyTo(bytes, length);
                length += size;
                count++;
            }
        }

        /**
         * Hands the lines held to the writer; when it has no room, drops them ({@code drop}, the owner, which must
         * not wait) or keeps them for the next try (the writer itself). Holds this.
         */
        boolean handOff(boolean drop) {
            if (count == 0) {
                return true;
            }
            boolean queued = batches.offer(new Batch(bytes, length, count));
            if (queued) {
                bytes = fresh();
                if (drop && batches.remainingCapacity() <= wakeAt) {
                    // The writer takes batches at its sweeps; it is woken before they fill its queue.
                    LockSupport.unpark(writer);
                }
            } else if (drop) {
                dropped.add(count);
            } else {
                return false;
            }
            length = 0;
            count = 0;
            return queued;
        }

        /** Formats the time text of the second {@code millis} falls in, when it is not the last line's. */
        private void newSecond(long millis) {
            long second = Math.floorDiv(millis, 1000);
            if (second != epochSecond) {
                Instant instant = Instant.ofEpochSecond(second);
                plainSecond = utf8(localSecond.format(instant));
                plainAfterMillis = utf8(localOffset.format(instant) + PLAIN_LEVEL_AND_LOGGER);
                jsonStart = utf8("{\"time\":\"" + UTC_SECOND.format(instant));
                epochSecond = second;
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The writer: every {@value #SWEEP_MILLIS} ms writes the batches queued and takes the lines each thread holds,
     * and writes the batches queued whenever a thread finds the queue half full; once closing, until no line is left.
     * The threads do not wake it for each batch: that would cost them a system call, and it a wake-up, per batch.
     */
    private void writeUntilClosed() {
        long lastSweep = System.nanoTime();
        while (true) {
            writeQueued();
            boolean closing = this.closing;
            long now = System.nanoTime();
            if (closing || now - lastSweep >= SWEEP_NANOS) {
                lastSweep = now;
                boolean held = sweep();
                writeQueued();
                if (closing && !held && batches.isEmpty()) {
                    return;
                }
            }
            if (!closing) {
                LockSupport.parkNanos(this, SWEEP_NANOS - (System.nanoTime() - lastSweep));
            }
        }
    }

    private void writeQueued() {
        for (Batch batch = batches.poll(); batch != null; batch = batches.poll()) {
            write(batch);
        }
    }

    /** Hands the writer what each thread holds; whether any thread held a line. */
    private boolean sweep() {
        boolean held = false;
        for (Lines thread : threads) {
            synchronized (thread) {
                held |= thread.count > 0;
                thread.handOff(false);
                if (thread.count == 0 && !thread.owner.isAlive()) {
                    threads.remove(thread);
                }
            }
        }
        return held;
    }

    private void write(Batch batch) {
        try {
            out.write(batch.bytes(), 0, batch.length());
            out.flush();
        } catch (IOException | RuntimeException e) {
            dropped.add(batch.lines());
        }
        if (batch.bytes().length == batchBytes) {
            spare.offer(batch.bytes());
        }
    }
}
