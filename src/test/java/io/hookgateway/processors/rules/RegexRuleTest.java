package io.hookgateway.processors.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookgateway.hooks.FakeHookRequest;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.Rule;
import io.hookgateway.processors.OptionParsing;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code regex} rules: RE2 syntax, matched in linear time, {@code $} the end of the value, bounded work per request,
 * and a configuration error with the fix for the Java and PCRE syntax RE2 does not have.
 */
class RegexRuleTest {

    private final OptionParsing parsing = new OptionParsing();

    /** A rule that the query value {@code v} matches {@code pattern}. */
    private Rule regex(String pattern) {
        String yaml = "rules: {regex: {value: '${query.v}', pattern: '" + pattern.replace("'", "''") + "'}}";
        return Rules.read(parsing.node("hooks[0]", yaml), "rules", OptionParsing.hook("h", Path.of("")));
    }

    private static boolean matches(Rule rule, String value) {
        return rule.matches(FakeHookRequest.builder().query("v=" + percentEncoded(value)).build());
    }

    private static String percentEncoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String problem() {
        assertThat(parsing.problems()).hasSize(1);
        return parsing.messages().get(0);
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(strings = {"000A", "000D 000A", "000D", "0085", "2028", "2029"})
    void dollarAndCaretAreTheEndsOfTheValueWhateverLineTerminatorIsThere(String codePoints) {
        StringBuilder terminator = new StringBuilder();
        for (String hex : codePoints.split(" ")) {
            terminator.appendCodePoint(Integer.parseInt(hex, 16));
        }
        Rule onOrOff = regex("^(ON|OFF)$");

        assertThat(matches(onOrOff, "ON")).isTrue();
        assertThat(matches(onOrOff, "ON" + terminator)).as("after").isFalse();
        assertThat(matches(onOrOff, terminator + "ON")).as("before").isFalse();
        assertThat(matches(onOrOff, "ON" + terminator + "OFF")).as("between").isFalse();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aPatternThatBacktracksExponentiallyInJavaAnswersAtOnce() {
        Rule words = regex("^([a-zA-Z0-9]+\\s?){1,30}$");

        assertThat(matches(words, "a".repeat(39) + "!")).isFalse();
        assertThat(matches(words, "ab ".repeat(RulePattern.MIN_VALUE_CHARS / 3) + "!")).isFalse();
        assertThat(matches(words, "lamp on")).isTrue();
    }

    @Test
    void aValueLongerThanTheLimitAnswers400SoThatNotCannotBePassedWithOne() {
        Rule notSecret = Rules.read(parsing.node("hooks[0]", "rules: {not: {regex: {value: '${query.v}', "
                + "pattern: secret}}}"), "rules", OptionParsing.hook("h", Path.of("")));
        int limit = maxValueChars("secret");
        String longest = "x".repeat(limit - 6) + "secret";

        assertThat(matches(notSecret, longest)).isFalse();
        assertThatThrownBy(() -> matches(notSecret, "x" + longest))
                .isInstanceOfSatisfying(HookException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    /** The longest value the patterns of one rule tree may each examine. */
    private static int maxValueChars(String... patterns) {
        RulePattern.Work work = new RulePattern.Work();
        for (String pattern : patterns) {
            work.add(RulePattern.compile(pattern));
        }
        work.seal();
        return work.maxValueChars();
    }

    @Test
    void aSmallPatternMayExamineALongerValueThanALargeOne() {
        // Matching costs about length times states: "deploy" over a 100 KiB body costs less than the largest
        // pattern allowed over 4 KiB.
        assertThat(maxValueChars("deploy")).isGreaterThan(100 * 1024);
        assertThat(maxValueChars("^refs/heads/(main|master)$")).isGreaterThan(64 * 1024);
        assertThat(maxValueChars("[a-z]{1000}")).isEqualTo(RulePattern.MIN_VALUE_CHARS);
    }

    @Test
    void refusesARuleTreeWhosePatternsTogetherHaveMoreThanTheStatesOfOne() {
        String one = "{regex: {value: '${query.v}', pattern: '[a-z]{100}x'}}";
        Rule tooMany = Rules.read(parsing.node("hooks[0]", "rules: {any: [" + (one + ", ").repeat(10) + one + "]}"),
                "rules", OptionParsing.hook("h", Path.of("")));

        assertThat(tooMany).isSameAs(Rule.ALWAYS);
        assertThat(parsing.messages()).singleElement().asString().contains("states together, more than 1000");
    }

    @Test
    void thePatternsOfOneRuleTreeShareTheBoundSoManyCostNoMoreThanOne() {
        String[] twenty = new String[20];
        Arrays.fill(twenty, "[a-z]{40}");

        assertThat(maxValueChars(twenty)).isLessThan(maxValueChars("[a-z]{40}") / 10);
        String one = "{regex: {value: '${query.v}', pattern: '[a-z]{40}'}}";
        Rule any = Rules.read(parsing.node("hooks[0]", "rules: {any: [" + (one + ", ").repeat(19) + one + "]}"),
                "rules", OptionParsing.hook("h", Path.of("")));
        assertThatThrownBy(() -> matches(any, "x".repeat(maxValueChars(twenty) + 1)))
                .isInstanceOfSatisfying(HookException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", value = {
        "(?i)^on$ => ON => true",
        "^\\p{L}+$ => Grüße => true",
        "^[[:alpha:]]+$ => abc => true",
        "^(?P<state>on|off)$ => off => true",
        "^(?<state>on|off)$ => off => true",
        "^\\Qa.b\\E$ => a.b => true",
        "^\\Qa.b\\E$ => axb => false",
        "^on\\z => on => true",
        "\\Aon => on => true",
        "^[0-9a-f]{64}$ => 0a => false",
        "^(?s)a.b$ => 'a\nb' => true",
        "^a.b$ => 'a\nb' => false"})
    void acceptsRe2Syntax(String pattern, String value, boolean expected) {
        Rule rule = regex(pattern);

        assertThat(parsing.messages()).isEmpty();
        assertThat(matches(rule, value)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", value = {
        "(on)-\\1 => RE2 has no backreferences; to compare two request values, use equals",
        "(?<n>on)-\\k<n> => RE2 has no backreferences",
        "on(?=off) => RE2 has no lookahead or lookbehind; combine rules instead",
        "on(?!off) => RE2 has no lookahead or lookbehind",
        "(?<=on)off => RE2 has no lookahead or lookbehind",
        "(?<!on)off => RE2 has no lookahead or lookbehind",
        "(?>on|off) => atomic groups and possessive quantifiers are not needed",
        "o*+n => atomic groups and possessive quantifiers are not needed",
        "o{2}+n => atomic groups and possessive quantifiers are not needed",
        "on\\Z => write $, which is the end of the value",
        "(?x) o n => RE2 takes the flags i, m, s and U only",
        "\\h => write [ \\t]",
        "a{2,1} => invalid repeat count",
        "(unclosed => missing closing )"})
    void refusesSyntaxRe2DoesNotHaveWithWhatToWriteInstead(String pattern, String fix) {
        regex(pattern);

        assertThat(problem()).startsWith("hooks[0].rules.regex.pattern: is not a regular expression RE2 accepts: ")
                .contains(fix);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"^[a-z&&[^aeiou]]+$", "^[a-c[x-z]]$", "[\\w&&\\D]"})
    void refusesJavaClassSyntaxThatRe2WouldReadAsOtherCharacters(String pattern) {
        regex(pattern);

        assertThat(problem()).contains("which RE2 reads as a shorter class and a literal ]; list the characters in "
                + "one class instead");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[a-z]{1000}", "(ab){100}x", "^([a-zA-Z0-9]+\\s?){1,30}$", "[\\[\\]&]{10}",
        "\\Q[a&&b]\\E", "[]a[:alpha:]]"})
    void acceptsPatternsUpToTheStateLimit(String pattern) {
        regex(pattern);

        assertThat(parsing.messages()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[a-z]{1000}x", "(a{1000}){1000}", "((a{10}){10}){11}", "(?:x{999}|y{2})"})
    void refusesPatternsOverTheStateLimit(String pattern) {
        regex(pattern);

        assertThat(problem()).contains("is too large: about ", "more than " + RulePattern.MAX_STATES);
    }
}
