package io.hookgateway.logging;

import static io.hookgateway.logging.LogbackConfigurationTest.assertSafe;
import static io.hookgateway.logging.LogbackConfigurationTest.lines;
import static io.hookgateway.logging.LogbackConfigurationTest.onlyLine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgateway.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The access log: its lines as logback would write them (plain and JSON, escaped alike), written within a sweep when
 * the gateway is quiet, whole when threads write at once, all written out at {@link AccessLog#close()}, and dropped
 * and counted, never waited for, when the output is slower than the lines.
 */
class AccessLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOSTILE_CHARACTERS = "\r\n\t\u0000\u001b\u007f\u0085\u009b\u2028\u2029\u061c\u200e"
            + "\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u00ad\ufeff\uffff\ud800\udb40\udc01";

    private final GatedOutput output = new GatedOutput();
    private AccessLog log = new AccessLog(output, AccessLog.BATCH_BYTES, AccessLog.QUEUED_BATCHES);

    @AfterEach
    void closeTheLog() throws InterruptedException {
        LogFormat.use(LogFormat.PLAIN);
        output.release();
        log.close();
    }

    @Test
    void writesAPlainLineAsLogbacksPatternWouldWithItsValuesEscaped() throws Exception {
        log.write(new AccessLine("id-1", "POST", "/a\nb\u202e", "h", 200, 48, 57, 420_000, null));

        assertThat(onlyLine(awaitLines(1)))
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  access       "
                        + "POST /a\\\\nb\\\\u202E hook=h status=200 in=48B out=57B time=0\\.42ms client=- id=id-1");
    }

    @Test
    void escapesEveryHostileCharacterInAPlainLine() throws Exception {
        log.write(new AccessLine("id" + HOSTILE_CHARACTERS, "GET", "/files/" + HOSTILE_CHARACTERS, "unmatched", 404,
                0, 93, 1_234_567, "192.0.2.7"));

        String line = onlyLine(awaitLines(1));
        assertSafe(line);
        assertThat(line).contains(" GET /files/\\r\\n\\t\\u0000\\u001B\\u007F\\u0085\\u009B\\u2028\\u2029\\u061C"
                + "\\u200E\\u200F\\u202A\\u202B\\u202C\\u202D\\u202E\\u2066\\u2067\\u2068\\u2069\\u200B\\u00AD\\uFEFF"
                + "\\uFFFF\\uD800\\U000E0001 hook=unmatched status=404 ");
    }

    @Test
    void writesAJsonLineWithTheFieldsAndEveryHostileCharacterEscaped() throws Exception {
        LogFormat.use(LogFormat.JSON);
        String path = "/files/\u202etxt.exe\r\n{\"forged\":1}\u001b[2J" + HOSTILE_CHARACTERS;
        log.write(new AccessLine("id-1", "GET", path, "unmatched", 404, 0, 93, 1_234_567, "192.0.2.7"));
        log.write(new AccessLine("id-2", "-", "-", "unmatched", 400, 0, 0, 5_000, null));

        List<String> lines = lines(awaitLines(2));
        lines.forEach(LogbackConfigurationTest::assertSafe);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(first.get("level").asText()).isEqualTo("INFO");
        assertThat(first.get("logger").asText()).isEqualTo("io.hookgateway.access");
        assertThat(first.get("message").asText()).isEqualTo("GET " + path.replace('\ud800', '\ufffd') + " 404");
        assertThat(first.get("request_id").asText()).isEqualTo("id-1");
        // The value comes back as it was, but for the lone surrogate, which UTF-8 cannot carry.
        assertThat(first.get("path").asText()).isEqualTo(path.replace('\ud800', '\ufffd'));
        assertThat(first.get("hook").asText()).isEqualTo("unmatched");
        assertThat(first.get("method").asText()).isEqualTo("GET");
        assertThat(first.get("status").asInt()).isEqualTo(404);
        assertThat(first.get("duration_ms").decimalValue()).isEqualByComparingTo("1.23");
        assertThat(first.get("bytes_in").asLong()).isZero();
        assertThat(first.get("bytes_out").asLong()).isEqualTo(93);
        assertThat(first.get("client").asText()).isEqualTo("192.0.2.7");
        assertThat(first.has("forged")).isFalse();
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.get("client").isNull()).isTrue();
        assertThat(second.get("duration_ms").decimalValue()).isEqualByComparingTo("0.01");
    }

    @Test
    void linesOfThreadsWritingAtOnceComeOutWholeEachThreadsInOrder() throws Exception {
        int threads = 4;
        int each = 3_000;
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String hook = "t" + t;
            Thread writer = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    log.write(new AccessLine(Integer.toString(i), "POST", "/é/😀", hook, 200, 1, 2, 3, "::1"));
                }
            });
            writer.start();
            writers.add(writer);
        }
        for (Thread writer : writers) {
            writer.join();
        }
        log.close();

        assertThat(log.dropped()).isZero();
        List<String> lines = lines(output.text());
        assertThat(lines).hasSize(threads * each);
        int[] next = new int[threads];
        for (String line : lines) {
            assertThat(line).contains(" POST /é/😀 hook=t");
            int thread = line.charAt(line.indexOf("hook=t") + 6) - '0';
            assertThat(line).endsWith(" id=" + next[thread]++);
        }
    }

    /** The writer is held at the first line while a thousand more wait: closing must write them all, in order. */
    @Test
    void closeWritesOutEveryLineInOrder() throws Exception {
        output.hold();
        log.write(line(0));
        output.awaitWriter();
        for (int i = 1; i < 1000; i++) {
            log.write(line(i));
        }

        Thread closer = new Thread(() -> {
            try {
                log.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-log-closer");
        closer.start();
        output.release();
        closer.join(10_000);

        assertThat(closer.isAlive()).isFalse();
        List<String> lines = lines(output.text());
        assertThat(lines).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(lines.get(i)).endsWith(" id=" + i);
        }
    }

    /**
     * With the output held and room for two small batches, a thread writing many lines never waits: the lines beyond
     * what is held are counted as dropped, and every line is either written or counted.
     */
    @Test
    void dropsAndCountsLinesWhenTheOutputFallsBehindWithoutWaiting() throws Exception {
        log.close();
        log = new AccessLog(output, 1024, 2);
        output.hold();
        log.write(line(0));
        output.awaitWriter();
        for (int i = 1; i < 2000; i++) {
            log.write(line(i));
        }
        assertThat(log.dropped()).isPositive();

        output.release();
        log.close();
        assertThat(lines(output.text()).size() + log.dropped()).isEqualTo(2000);
    }

    @Test
    void encodesUtf8AsTheJdkDoes() {
        String text = "a\u00e9\u0800\uffff\ud83d\ude00\u202e~";
        byte[] bytes = new byte[3 * text.length()];
        int length = LineBytes.encode(text, bytes, 0);
        byte[] expected = text.getBytes(StandardCharsets.UTF_8);
        assertThat(Arrays.copyOf(bytes, length)).isEqualTo(expected);
    }

    private static AccessLine line(int i) {
        return new AccessLine(Integer.toString(i), "POST", "/post", "post", 200, 48, 57, 420_000, "192.0.2.7");
    }

    /** The output once it holds {@code count} lines, written by the writer's sweep, without a close. */
    private String awaitLines(int count) throws InterruptedException {
        Await.until(Duration.ofSeconds(5), count + " lines written",
                () -> output.text().chars().filter(c -> c == '\n').count() == count);
        return output.text();
    }

    /** Captures the output; while held, a write waits (without heeding interrupts) until it is released. */
    private static final class GatedOutput extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CountDownLatch writerArrived = new CountDownLatch(1);
        private volatile CountDownLatch gate = new CountDownLatch(0);

        void hold() {
            gate = new CountDownLatch(1);
        }

        void release() {
            gate.countDown();
        }

        void awaitWriter() throws InterruptedException {
            assertThat(writerArrived.await(5, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writerArrived.countDown();
            boolean interrupted = false;
            while (true) {
                try {
                    gate.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            synchronized (bytes) {
                bytes.write(b, off, len);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
