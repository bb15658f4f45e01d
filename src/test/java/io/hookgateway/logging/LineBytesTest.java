package io.hookgateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The access log's byte path writes exactly the bytes the earlier one did: each line formatted into a
 * {@link StringBuilder} ({@link LogText}, {@link JsonText}, {@code StringBuilder.append} of the numbers) and encoded
 * as UTF-8 whole, kept here as {@link #plainReference} and {@link #jsonReference}. Printable ASCII values take the
 * fast path; values with something to escape, non-ASCII text, lone surrogates and pairs beyond the BMP take the other.
 */
class LineBytesTest {

    /** Characters a value is drawn from: printable ASCII, what JSON or the plain format escape, and text kept. */
    private static final String SPECIAL = "\"\\\r\n\t\u0000\u001b\u007f\u0080\u0085\u009b\u009f\u00a0\u00ad\u00e9"
            + "\u061c\u200b\u200e\u200f\u2028\u2029\u202a\u202e\u2066\u2069\u4e2d\ufeff\ufffd\uffff";
    private static final String[] PAIRS = {"\ud83d\ude00", "\udb40\udc01", "\ud800\udc00", "\udbff\udfff"};
    private static final char[] LONE_SURROGATES = {'\ud800', '\udbff', '\udc00', '\udfff'};

    private final LineBytes line = new LineBytes();

    @Test
    void writesTheBytesOfTheStringFormattingForRandomValues() {
        Random random = new Random(20261205);
        for (int i = 0; i < 20_000; i++) {
            // One in three values stays printable ASCII: the fast path, also beside escaped values in one line.
            AccessLine values = new AccessLine(value(random), value(random), value(random), value(random),
                    number(random), number(random), number(random), number(random) * 1_000L,
                    random.nextInt(5) == 0 ? null : value(random));
            assertThat(plain(values)).as("plain %s", values).isEqualTo(utf8(plainReference(values)));
            assertThat(json(values)).as("json %s", values).isEqualTo(utf8(jsonReference(values)));
        }
    }

    @Test
    void writesNumbersAndDurationsAsStringBuilderDoes() {
        long[] numbers = {0, 1, 9, 10, 99, 100, 999, 1_000, 4_999, 5_000, 9_999_999, Integer.MAX_VALUE,
                Long.MAX_VALUE, -1, -10, Long.MIN_VALUE};
        for (long number : numbers) {
            AccessLine values = new AccessLine("id", "GET", "/", "h", (int) number, number, number, number, null);
            assertThat(plain(values)).isEqualTo(utf8(plainReference(values)));
            assertThat(json(values)).isEqualTo(utf8(jsonReference(values)));
        }
        for (int millis = 0; millis < 1000; millis++) {
            line.clear();
            assertThat(line.appendThreeDigits(millis).toString()).isEqualTo(String.format("%03d", millis));
        }
    }

    @Test
    void startsAfreshAfterALongLine() {
        String path = "/" + "\u202e".repeat(10_000);
        AccessLine values = new AccessLine("id", "GET", path, "h", 200, 0, 0, 0, null);

        assertThat(plain(values)).isEqualTo(utf8(plainReference(values)));
        AccessLine next = new AccessLine("id", "GET", "/short", "h", 200, 0, 0, 0, null);
        assertThat(plain(next)).isEqualTo(utf8(plainReference(next)));
    }

    private byte[] plain(AccessLine values) {
        line.clear();
        values.writePlain(line);
        return bytes();
    }

    private byte[] json(AccessLine values) {
        line.clear();
        values.writeJson(line);
        return bytes();
    }

    private byte[] bytes() {
        byte[] bytes = new byte[line.length()];
        line.copyTo(bytes, 0);
        return bytes;
    }

    /** As LineBytes.encode does, which is the JDK's UTF-8 for escaped text (no lone surrogate). */
    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static int number(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt(1000);
            case 1 -> random.nextInt();
            case 2 -> random.nextInt(10);
            default -> Integer.MAX_VALUE - random.nextInt(10);
        };
    }

    private static String value(Random random) {
        int length = random.nextInt(40);
        boolean ascii = random.nextInt(3) == 0;
        StringBuilder value = new StringBuilder(length);
        while (value.length() < length) {
            int kind = ascii ? 0 : random.nextInt(8);
            switch (kind) {
                case 0, 1, 2 -> value.append((char) (0x20 + random.nextInt(0x5F)));
                case 3 -> value.append(SPECIAL.charAt(random.nextInt(SPECIAL.length())));
                case 4 -> value.append(PAIRS[random.nextInt(PAIRS.length)]);
                case 5 -> value.append(LONE_SURROGATES[random.nextInt(LONE_SURROGATES.length)]);
                case 6 -> value.append((char) random.nextInt(0x10000));
                default -> value.appendCodePoint(0x10000 + random.nextInt(0x100000));
            }
        }
        return value.toString();
    }

    // The formatting of the access log before its byte path, kept as the reference.

    private static String plainReference(AccessLine line) {
        StringBuilder out = new StringBuilder();
        LogText.appendEscaped(out, line.method());
        out.append(' ');
        LogText.appendEscaped(out, line.path());
        out.append(" hook=");
        LogText.appendEscaped(out, line.hook());
        out.append(" status=").append(line.status()).append(" in=").append(line.bytesIn()).append("B out=")
                .append(line.bytesOut()).append("B time=");
        appendMillisReference(out, line.nanos());
        out.append("ms client=");
        LogText.appendEscaped(out, line.client() == null ? "-" : line.client());
        out.append(" id=");
        LogText.appendEscaped(out, line.requestId());
        return out.toString();
    }

    private static String jsonReference(AccessLine line) {
        StringBuilder out = new StringBuilder();
        out.append(",\"message\":\"");
        JsonText.appendEscaped(out, line.method());
        out.append(' ');
        JsonText.appendEscaped(out, line.path());
        out.append(' ').append(line.status()).append('"');
        out.append(",\"request_id\":");
        JsonText.appendString(out, line.requestId());
        out.append(",\"hook\":");
        JsonText.appendString(out, line.hook());
        out.append(",\"method\":");
        JsonText.appendString(out, line.method());
        out.append(",\"path\":");
        JsonText.appendString(out, line.path());
        out.append(",\"status\":").append(line.status());
        out.append(",\"duration_ms\":");
        appendMillisReference(out, line.nanos());
        out.append(",\"bytes_in\":").append(line.bytesIn());
        out.append(",\"bytes_out\":").append(line.bytesOut());
        out.append(",\"client\":");
        JsonText.appendString(out, line.client());
        return out.toString();
    }

    private static void appendMillisReference(StringBuilder out, long nanos) {
        long hundredths = (Math.max(nanos, 0) + 5_000) / 10_000;
        long fraction = hundredths % 100;
        out.append(hundredths / 100).append('.');
        if (fraction < 10) {
            out.append('0');
        }
        out.append(fraction);
    }
}
