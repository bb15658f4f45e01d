package io.hookgateway.processors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rule of MQTT 3.1.1 §1.5.3 for strings, and §4.7 for topics, over every member of each class it refuses, and the
 * code points next to them that it must let through. {@link MqttStringsMosquittoTest} checks the same rule against a
 * real broker.
 */
class MqttStringsTest {

    /** Every code point a string may not hold: U+0000, C0, DEL and C1, the 66 noncharacters, the surrogates. */
    static List<Integer> forbiddenCodePoints() {
        List<Integer> forbidden = new ArrayList<>();
        IntStream.rangeClosed(0x00, 0x1f).forEach(forbidden::add);
        IntStream.rangeClosed(0x7f, 0x9f).forEach(forbidden::add);
        IntStream.rangeClosed(0xfdd0, 0xfdef).forEach(forbidden::add);
        for (int plane = 0; plane <= 0x10; plane++) {
            forbidden.add(plane << 16 | 0xfffe);
            forbidden.add(plane << 16 | 0xffff);
        }
        IntStream.rangeClosed(Character.MIN_SURROGATE, Character.MAX_SURROGATE).forEach(forbidden::add);
        return forbidden;
    }

    /** The code point as a Java string: a surrogate alone, unpaired; anything else as itself. */
    static String text(int codePoint) {
        return new String(Character.toChars(codePoint));
    }

    @Test
    void refusesEveryForbiddenCodePointWhereverItStandsAndNamesIt() {
        List<Integer> forbidden = forbiddenCodePoints();

        assertThat(forbidden).hasSize(32 + 33 + 66 + 2048).doesNotHaveDuplicates();
        for (int c : forbidden) {
            String hex = String.format("U+%04X", c);
            for (String text : List.of(text(c), "home/" + text(c), text(c) + "/lamp", "a" + text(c) + "b")) {
                assertThat(MqttStrings.problem(text)).as(hex + " in " + text.length() + " chars").contains(hex);
                assertThat(TopicNames.problem(text)).as(hex + " in a topic").contains(hex);
            }
        }
    }

    @Test
    void takesEveryOtherCodePoint() {
        Set<Integer> forbidden = new HashSet<>(forbiddenCodePoints());
        List<String> misjudged = new ArrayList<>();
        for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
            if ((MqttStrings.problem(text(c)) == null) == forbidden.contains(c)) {
                misjudged.add(String.format("U+%04X", c));
            }
        }

        assertThat(misjudged).isEmpty();
    }

    @Test
    void saysWhichClassTheCodePointBelongsTo() {
        assertThat(MqttStrings.problem("a\u0000")).isEqualTo("contains U+0000, on which an MQTT broker must close "
                + "the connection (MQTT 3.1.1 §1.5.3)");
        assertThat(MqttStrings.problem("a\u001b")).isEqualTo("contains the control character U+001B, which MQTT "
                + "3.1.1 does not allow (§1.5.3)");
        assertThat(MqttStrings.problem("a\u0085")).startsWith("contains the control character U+0085");
        assertThat(MqttStrings.problem("lamp/\uffff/on")).isEqualTo("contains the noncharacter U+FFFF, which MQTT "
                + "3.1.1 does not allow (§1.5.3)");
        assertThat(MqttStrings.problem("a" + text(0x10ffff))).startsWith("contains the noncharacter U+10FFFF");
        assertThat(MqttStrings.problem("a\ud800b")).isEqualTo("is not valid Unicode: it holds an unpaired surrogate "
                + "(U+D800)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\ud83d", "\ude00", "\ude00\ud83d", "a\ud83d", "\ud83d\ud83d\ude00"})
    void refusesASurrogateThatIsNotHalfOfAPair(String text) {
        assertThat(MqttStrings.problem(text)).startsWith("is not valid Unicode: it holds an unpaired surrogate");
    }

    @Test
    void takesTheCodePointsNextToTheForbiddenOnes() {
        int[] allowed = {0x20, 0x7e, 0xa0, 0xd7ff, 0xe000, 0xfdcf, 0xfdf0, 0xfeff, 0xfffd, 0x10000, 0x1f600, 0x1fffd,
            0x20000, 0xefffd, 0x10fffd};
        for (int c : allowed) {
            assertThat(MqttStrings.problem("home/" + text(c) + "/x")).as(String.format("U+%04X", c)).isNull();
            assertThat(TopicNames.problem("home/" + text(c) + "/x")).as(String.format("U+%04X", c)).isNull();
        }
    }

    @Test
    void takesUpTo65535BytesOfUtf8AndNoMore() {
        assertThat(MqttStrings.problem("a".repeat(65_535))).isNull();
        assertThat(MqttStrings.problem("a".repeat(65_536))).isEqualTo("is longer than 65535 bytes in UTF-8, the "
                + "most an MQTT string can hold (MQTT 3.1.1 §1.5.3)");
        // 21845 three-byte characters are 65535 bytes; one byte more is too many, though far fewer chars.
        assertThat(MqttStrings.problem("\u20ac".repeat(21_845))).isNull();
        assertThat(MqttStrings.problem("\u20ac".repeat(21_845) + "a")).startsWith("is longer than 65535 bytes");
        assertThat(MqttStrings.problem(text(0x1f600).repeat(16_384))).startsWith("is longer than 65535 bytes");
        assertThat(TopicNames.problem("t".repeat(65_536))).startsWith("is longer than 65535 bytes");
    }

    @Test
    void refusesWhatATopicNameMayNotBe() {
        assertThat(TopicNames.problem("")).isEqualTo("is empty");
        assertThat(TopicNames.problem("$SYS/x")).startsWith("starts with '$'");
        assertThat(TopicNames.problem("home/#")).startsWith("contains the wildcard '#'");
        assertThat(TopicNames.problem("home/+/x")).startsWith("contains the wildcard '+'");
        assertThat(TopicNames.problem("home/a$b / c")).isNull();
        // The pieces of a topic template are checked for characters only: "" and a '$' may still be completed.
        assertThat(TopicNames.characterProblem("")).isNull();
        assertThat(TopicNames.characterProblem("a+")).startsWith("contains the wildcard '+'");
        assertThat(TopicNames.characterProblem("a\ufdd0")).startsWith("contains the noncharacter U+FDD0");
    }
}
