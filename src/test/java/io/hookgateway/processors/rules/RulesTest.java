package io.hookgateway.processors.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookgateway.hooks.FakeHookRequest;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.Rule;
import io.hookgateway.processors.OptionParsing;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Trigger rules: each operator, their combinations over request values, and mistakes reported with key paths. */
class RulesTest {

    private final OptionParsing parsing = new OptionParsing();

    /** The rules of a hook written in YAML, whose path has the variable {@code device}. */
    private Rule rule(String yaml) {
        return Rules.read(parsing.node("hooks[0]", yaml), "rules", OptionParsing.hook("h", Path.of(""), "device"));
    }

    private static HookRequest github(String event, String ref) {
        return FakeHookRequest.builder().header("X-GitHub-Event", event)
                .body("{\"ref\": \"" + ref + "\", \"size\": 3, \"temperature\": 21.5}").build();
    }

    @Test
    void matchesEveryRequestWithoutRules() {
        assertThat(rule("name: h")).isSameAs(Rule.ALWAYS);
    }

    @Test
    void combinesEqualsAndRegexWithAll() {
        Rule push = rule("""
                rules:
                  all:
                    - equals: {value: "${header.X-GitHub-Event}", to: push}
                    - regex: {value: "${json:/ref}", pattern: "^refs/heads/(main|master)$"}
                """);
        assertThat(parsing.messages()).isEmpty();
        assertThat(push.matches(github("push", "refs/heads/main"))).isTrue();
        assertThat(push.matches(github("push", "refs/heads/feature"))).isFalse();
        assertThat(push.matches(github("ping", "refs/heads/main"))).isFalse();
    }

    @ParameterizedTest(name = "{0}: reads the body {1}")
    @CsvSource(delimiter = '|', value = {
            "equals: {value: '${query.key}', to: s}                                    | false",
            "equals: {value: '${header.X-Key}', to: '${path.device}'}                  | false",
            "regex: {value: '${client.address}', pattern: '^127[.]'}                   | false",
            "exists: '${header.X-Token}'                                               | false",
            "compare: {value: '${query.n}', greater-than: 1}                           | false",
            "not: {exists: '${query.dry-run}'}                                         | false",
            "all: [{exists: '${query.a}'}, {exists: '${header.B}'}]                    | false",
            "equals: {value: '${json:/key}', to: s}                                    | true",
            "exists: '${form.token}'                                                   | true",
            "regex: {value: '${body}', pattern: x}                                     | true",
            "any: [{exists: '${query.a}'}, {not: {exists: '${json:/b}'}}]              | true",
            "compare: {value: '${json:/n:-0}', less-than: 1}                           | true",
    })
    void saysWhetherItReadsTheBodySoAHeadOnlyRuleCanBeJudgedFromTheHead(String yaml, boolean readsBody) {
        Rule r = rule("rules: {" + yaml + "}");

        assertThat(parsing.messages()).isEmpty();
        assertThat(r.readsBody()).isEqualTo(readsBody);
    }

    @Test
    void noRuleReadsNoBody() {
        assertThat(Rule.ALWAYS.readsBody()).isFalse();
    }

    @Test
    void combinesAnyAndNot() {
        Rule r = rule("""
                rules:
                  any:
                    - exists: "${query.token}"
                    - not: {equals: {value: "${header.X-GitHub-Event}", to: ping}}
                """);
        assertThat(r.matches(github("ping", "x"))).isFalse();
        assertThat(r.matches(github("push", "x"))).isTrue();
        assertThat(r.matches(FakeHookRequest.builder().header("X-GitHub-Event", "ping").query("token=").build()))
                .as("an empty value exists").isTrue();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"'greater-than: 21', true", "'greater-than: 21.5', false", "'greater-or-equal: 21.5', true",
            "'less-than: 30, greater-than: 20', true", "'equal-to: 21.50', true", "'less-or-equal: 3', false"})
    void comparesNumbers(String bounds, boolean expected) {
        Rule r = rule("rules: {compare: {value: '${json:/temperature}', " + bounds + "}}");
        assertThat(parsing.messages()).isEmpty();
        assertThat(r.matches(github("push", "x"))).isEqualTo(expected);
    }

    @Test
    void aValueThatIsNotANumberFailsAComparison() {
        Rule r = rule("rules: {compare: {value: '${json:/ref}', greater-than: 0}}");
        assertThat(r.matches(github("push", "refs/heads/main"))).isFalse();
    }

    @Test
    void aValueTooLongToBeANumberFailsAComparisonWithoutBeingParsed() {
        Rule r = rule("rules: {compare: {value: '${json:/temperature}', greater-than: 30}}");
        String digits = "9".repeat(Rules.MAX_NUMBER_CHARS + 1);

        assertThat(r.matches(FakeHookRequest.builder().body("{\"temperature\": \"" + digits + "\"}").build()))
                .isFalse();
        assertThat(r.matches(FakeHookRequest.builder().body("{\"temperature\": \"" + digits.substring(1) + "\"}")
                .build())).as("a value of the longest length is read").isTrue();
    }

    @Test
    void equalsComparesTwoRequestValues() {
        Rule r = rule("rules: {equals: {value: '${path.device}', to: '${query.device}'}}");
        assertThat(r.matches(FakeHookRequest.builder().pathVariable("device", "lamp").query("device=lamp").build()))
                .isTrue();
        assertThat(r.matches(FakeHookRequest.builder().pathVariable("device", "lamp").query("device=fan").build()))
                .isFalse();
    }

    @Test
    void aMalformedJsonBodyIsA400NotAMismatch() {
        Rule r = rule("rules: {equals: {value: '${json:/ref}', to: x}}");
        assertThatThrownBy(() -> r.matches(FakeHookRequest.withBody("{broken")))
                .isInstanceOfSatisfying(HookException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void reportsMistakesAtTheirKeyPaths() {
        rule("""
                rules:
                  all:
                    - equals: {value: "${query.x}"}
                    - regex: {value: "${query.x}", pattern: "(unclosed"}
                    - exists: "not a reference"
                    - compare: {value: "${query.x}"}
                    - frobnicate: 1
                """);
        assertThat(parsing.messages()).containsExactlyInAnyOrder(
                "hooks[0].rules.all[0].equals.to: is required",
                "hooks[0].rules.all[1].regex.pattern: is not a regular expression RE2 accepts: missing closing ) "
                        + "at `(unclosed`; see \"Regular expressions\" in the README for the syntax",
                "hooks[0].rules.all[2].exists: must be one request value, such as ${header.X-Token}",
                "hooks[0].rules.all[3].compare: needs at least one bound: greater-than, greater-or-equal, less-than, "
                        + "less-or-equal or equal-to",
                "hooks[0].rules.all[4]: a rule is a mapping with exactly one of all, any, not, equals, regex, exists, "
                        + "compare; found frobnicate");
    }

    @Test
    void refusesAMappingWithTwoOperators() {
        rule("rules: {exists: '${query.a}', regex: {value: x, pattern: y}}");
        assertThat(parsing.messages()).singleElement().asString().endsWith("found exists, regex");
    }
}
