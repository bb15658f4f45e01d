package io.hookgateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.loader.ConfigPlaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A value that shows nothing counts as empty wherever the configuration refuses an empty one: a guard's secret of one
 * no-break space, zero-width space, BOM or word joiner is refused as an empty one is, not taken as a key nobody can see.
 */
class BlankTextTest {

    /** Values that show nothing, one of each kind, and mixtures of them. */
    private static final String[] INVISIBLE = {"\u00A0", "\u2007", "\u202F", "\u3000", "\u2028", "\u200B", "\uFEFF",
        "\u2060", "\u200C", "\u200D", "\u00AD", "\u200E", "\u202E", "\u2066", "\u061C", "\u180E", "\u034F", "\u115F",
        "\u3164", "\uFFA0", "\uFE0F", "\u2800", "\u0085", "\u0000", "\u001B", "\uDB40\uDC20", "\uDB40\uDD00",
        "\u00A0\u200B \t\uFEFF"};

    @Test
    void everyWhiteSpaceSeparatorControlAndFormatCharacterShowsNothing() {
        List<String> missed = new ArrayList<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            int type = Character.getType(cp);
            boolean invisible = Character.isWhitespace(cp) || type == Character.SPACE_SEPARATOR
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.CONTROL || type == Character.FORMAT;
            if (invisible && !BlankText.isBlank(Character.toString(cp) + Character.toString(cp))) {
                missed.add(Integer.toHexString(cp));
            }
        }
        assertThat(missed).isEmpty();
        assertThat(INVISIBLE).allMatch(BlankText::isBlank);
        assertThat(BlankText.isBlank("")).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a", "\u00A0a\u200B", "\u0301", "é", "\u3164x", "0", "-", "\u200Bk"})
    void textWithAnythingVisibleIsNotBlank(String text) {
        assertThat(BlankText.isBlank(text)).isFalse();
    }

    private static List<String> problems(String hookEntries, String value) {
        return ConfigPlaces.problems(ConfigPlaces.withHook(ConfigPlaces.HOOK + ", processor: {type: respond}, "
                + hookEntries), Map.of("KEY", value));
    }

    @Test
    void anInvisibleVariableInWhatARuleComparesIsRefusedAsAnEmptyOneIs() {
        for (String value : INVISIBLE) {
            for (String rule : List.of("guard: {equals: {value: '${query.key}', to: '${KEY}'}}",
                    "rules: {any: [{equals: {value: '${header.X-Key}', to: 'k-${KEY}'}}]}",
                    "guard: {not: {regex: {value: '${query.key}', pattern: '^${KEY}$'}}}")) {
                assertThat(problems(rule, value)).as("KEY=%s in %s", escaped(value), rule).singleElement().asString()
                        .endsWith("uses environment variable KEY, which is empty, so the rule would compare with "
                                + "nothing and hold for a request without the value; set it");
            }
        }
    }

    @Test
    void anInvisibleRequiredValueIsEmpty() {
        for (String value : INVISIBLE) {
            assertThat(problems("guard: {regex: {value: '${query.key}', pattern: '${KEY}'}}", value))
                    .as("KEY=%s", escaped(value)).singleElement().asString()
                    .isEqualTo("hooks[0].guard.regex.pattern: is empty: environment variable KEY is empty; set it, or "
                            + "write a regular expression, such as ^refs/heads/main$");
        }
    }

    @Test
    void anInvisibleTextWrittenToCompareWithIsRefusedAsAnEmptyOneIs() {
        for (String value : INVISIBLE) {
            assertThat(problems("guard: {equals: {value: '${query.key}', to: \"" + escaped(value) + "\"}}", ""))
                    .as("to: %s", escaped(value)).singleElement().asString().startsWith("hooks[0].guard.equals.to: is "
                            + "empty, so the rule would hold for a request without the value it compares");
        }
    }

    /** The value as a YAML double-quoted scalar writes it, every character escaped. */
    private static String escaped(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().forEach(cp -> out.append(cp > 0xFFFF ? String.format("\\U%08X", cp)
                : String.format("\\u%04X", cp)));
        return out.toString();
    }
}
