package io.hookgateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link LogText}: every character that can break a line or change how it is shown comes out as a visible escape, the
 * escaping can be undone (so nothing is lost or confused), and safe text is returned as it is.
 */
class LogTextTest {

    static Stream<Arguments> namedCharacters() {
        return Stream.of(
                Arguments.of("\n", "\\n"),
                Arguments.of("\r", "\\r"),
                Arguments.of("\t", "\\t"),
                Arguments.of("\\", "\\\\"),
                Arguments.of("\u0000", "\\u0000"),
                Arguments.of("\u001b", "\\u001B"),
                Arguments.of("\u007f", "\\u007F"),
                Arguments.of("\u0085", "\\u0085"),
                Arguments.of("\u009b", "\\u009B"),
                Arguments.of("\u2028", "\\u2028"),
                Arguments.of("\u2029", "\\u2029"),
                Arguments.of("\u061c", "\\u061C"),
                Arguments.of("\u200e", "\\u200E"),
                Arguments.of("\u200f", "\\u200F"),
                Arguments.of("\u202a", "\\u202A"),
                Arguments.of("\u202b", "\\u202B"),
                Arguments.of("\u202c", "\\u202C"),
                Arguments.of("\u202d", "\\u202D"),
                Arguments.of("\u202e", "\\u202E"),
                Arguments.of("\u2066", "\\u2066"),
                Arguments.of("\u2067", "\\u2067"),
                Arguments.of("\u2068", "\\u2068"),
                Arguments.of("\u2069", "\\u2069"),
                Arguments.of("\u200b", "\\u200B"),
                Arguments.of("\u00ad", "\\u00AD"),
                Arguments.of("\ufeff", "\\uFEFF"),
                Arguments.of("\uffff", "\\uFFFF"),
                Arguments.of("\ud800", "\\uD800"),
                Arguments.of("\udc00x", "\\uDC00x"),
                Arguments.of(new String(Character.toChars(0xE0001)), "\\U000E0001"),
                Arguments.of(new String(Character.toChars(0x1D173)), "\\U0001D173"));
    }

    @ParameterizedTest
    @MethodSource("namedCharacters")
    void escapesEachControlAndFormattingCharacterVisibly(String raw, String escaped) {
        assertThat(LogText.escape("a" + raw + "b")).isEqualTo("a" + escaped + "b");
    }

    @Test
    void returnsSafeTextItselfWithoutCopying() {
        String text = "POST /post hook=post status=200 in=14B out=45B time=0.41ms ÄÖÜ 日本 \uD83D\uDE00";
        assertThat(LogText.escape(text)).isSameAs(text);
        assertThat(LogText.escape(null)).isNull();
    }

    /**
     * Every code point there is, in one text: what comes out holds no character of the categories that can break or
     * reorder a line, and decoding it gives back the original exactly.
     */
    @Test
    void escapesEveryUnsafeCodePointAndLosesNothing() {
        StringBuilder all = new StringBuilder();
        IntStream.rangeClosed(0, Character.MAX_CODE_POINT).forEach(all::appendCodePoint);
        // Surrogates in the middle of the range pair up with each other: add some that stand alone.
        all.append('\uDBFF').append('x').append('\uDC00');
        String text = all.toString();

        String escaped = LogText.escape(text);

        assertThat(escaped.codePoints().filter(LogTextTest::breaksOrReorders)
                .mapToObj(c -> String.format("U+%04X", c)).limit(10)).as("unsafe characters in the output").isEmpty();
        assertThat(unescape(escaped)).isEqualTo(text);
    }

    /** An independent statement of what the issue lists: C0, DEL, C1, Zl, Zp, Cf, lone surrogates, unassigned. */
    private static boolean breaksOrReorders(int c) {
        int type = Character.getType(c);
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || type == Character.CONTROL || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE || type == Character.UNASSIGNED;
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char kind = s.charAt(++i);
            switch (kind) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case '\\' -> out.append('\\');
                case 'u' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                case 'U' -> {
                    out.appendCodePoint(Integer.parseInt(s.substring(i + 1, i + 9), 16));
                    i += 8;
                }
                default -> throw new AssertionError("unknown escape \\" + kind + " at " + i);
            }
        }
        return out.toString();
    }
}
