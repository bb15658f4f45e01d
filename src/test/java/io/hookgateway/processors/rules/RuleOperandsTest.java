package io.hookgateway.processors.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hookgateway.config.ConfigException;
import io.hookgateway.config.ConfigProblems;
import io.hookgateway.testing.TestGateway;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a rule compares must be able to tell requests apart: an empty text to compare with (written, or an environment
 * variable that is empty) would let a request without the value through, and two fixed texts give the same answer for
 * every request. Each is a configuration error, in {@code guard} and {@code rules} alike, however deeply nested.
 */
class RuleOperandsTest {

    /** Where a rule can stand: a hook's guard or rules, alone or inside all, any and not. */
    private static final List<String> PLACES = List.of("guard: %s", "rules: %s", "guard: {all: [%s]}",
            "rules: {any: [{exists: '${query.a}'}, %s]}", "guard: {not: %s}");

    private static List<String> problems(String place, String rule, Map<String, String> env) {
        String yaml = "hooks:\n  - name: h\n    path: /h\n    processor: {type: respond}\n    "
                + place.formatted(rule) + "\n";
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> TestGateway.parse(yaml, env));
        assertThat(e).as("refused:\n%s", yaml).isNotNull();
        return e.problems().stream().map(ConfigProblems.Problem::message).toList();
    }

    static Stream<Arguments> emptyVariables() {
        List<String> rules = List.of(
                "{equals: {value: '${query.key}', to: '${KEY}'}}",
                "{equals: {value: '${KEY}', to: '${query.key}'}}",
                "{equals: {value: '${query.key}', to: 'prefix-${KEY}'}}",
                "{equals: {value: '${query.key}', to: '${UNSET_KEY:-}'}}",
                "{regex: {value: '${query.key}', pattern: '^${KEY}$'}}");
        return PLACES.stream().flatMap(place -> rules.stream().flatMap(rule -> Stream.of("", " ", "\t")
                .map(value -> Arguments.of(place, rule, value))));
    }

    @ParameterizedTest(name = "{0} {1} KEY=''{2}''")
    @MethodSource("emptyVariables")
    void anEmptyVariableInWhatARuleComparesIsRefused(String place, String rule, String value) {
        assertThat(problems(place, rule, Map.of("KEY", value))).singleElement().asString()
                .containsPattern("uses environment variable (KEY|UNSET_KEY), which is empty, so the rule would "
                        + "compare with nothing and hold for a request without the value; set it");
    }

    @ParameterizedTest(name = "KEY=''{0}''")
    @ValueSource(strings = {"", " ", "\t"})
    void aPatternThatIsOnlyAnEmptyVariableIsRefusedOnce(String value) {
        for (String place : PLACES) {
            assertThat(problems(place, "{regex: {value: '${query.key}', pattern: '${KEY}'}}", Map.of("KEY", value)))
                    .singleElement().asString().isEqualTo("is empty: environment variable KEY is empty; set it, or "
                            + "write a regular expression, such as ^refs/heads/main$");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{equals: {value: '${query.key}', to: ''}}", "{equals: {value: '${query.key}', to: ' '}}",
        "{equals: {value: '', to: '${header.X-Key}'}}"})
    void anEmptyTextWrittenToCompareWithIsRefused(String rule) {
        for (String place : PLACES) {
            assertThat(problems(place, rule, Map.of())).singleElement().asString().startsWith("is empty, so the rule "
                    + "would hold for a request without the value it compares; write the text to compare with, or, "
                    + "to require a value, use exists");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{regex: {value: '', pattern: x}}", "{regex: {value: '   ', pattern: x}}"})
    void anEmptyPatternOrValueOfARegexIsRefused(String rule) {
        for (String place : PLACES) {
            assertThat(problems(place, rule, Map.of())).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{equals: {value: key, to: '${KEY}'}}", "{equals: {value: '${KEY}', to: '${KEY}'}}",
        "{regex: {value: key, pattern: '^k'}}", "{regex: {value: '${KEY}', pattern: '^k'}}",
        "{compare: {value: '${KEY}', greater-than: 1}}"})
    void aRuleThatExaminesNoRequestValueIsRefused(String rule) {
        for (String place : PLACES) {
            assertThat(problems(place, rule, Map.of("KEY", "s3cret"))).singleElement().asString()
                    .contains("so the rule is always true or always false");
        }
    }
}
