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
 * One unset environment variable is one problem, wherever it is written: as the value of any key, as an item of any
 * list, as a value of any mapping, alone or inside a longer text, once or twice. Nothing that follows from it (a list
 * left empty, a required key left without a value, an empty secret, a program not found) is reported after it.
 */
class UnsetVariableTest {

    private static final String NOT_SET = "environment variable SEK is not set; set it, or give a default as "
            + "${SEK:-default}";

    /**
     * A problem of the key itself, whatever its value, which is a second cause: the command's async-only options
     * given without async: true.
     */
    private static final String KEY_NOT_ALLOWED_HERE = ": only applies with async: true";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"'${SEK}'", "'x-${SEK}'", "'${SEK}${SEK}'"})
    void anUnsetVariableAnywhereIsOneProblem(String value) {
        List<String> more = new ArrayList<>();
        List<String> places = ConfigPlaces.everyPlace(value);
        for (String place : places) {
            List<String> problems = ConfigPlaces.problems(place, Map.of());
            if (problems.isEmpty() || !problems.get(0).endsWith(NOT_SET) || problems.size() > 2
                    || problems.size() == 2 && !problems.get(1).endsWith(KEY_NOT_ALLOWED_HERE)) {
                more.add(place + "  -> " + problems);
            }
        }
        assertThat(more).isEmpty();
        assertThat(places).hasSizeGreaterThan(90);
    }

    @Test
    void anUnsetItemOfAListIsOneProblemAndTheListIsNotAlsoEmpty() {
        String hook = "hooks:\n  - name: h\n    path: /h\n    methods: [\"${SEK}\"]\n    processors:\n"
                + "      - type: command\n        command: [\"${SEK}\", x]\n      - type: forward\n"
                + "        url: http://127.0.0.1:1/\n        retry-on: [\"${SEK}\"]\n        pass-headers: [\"${SEK}\"]\n"
                + "    rules: {any: [\"${SEK}\"]}\n";

        assertThat(ConfigPlaces.problems(hook, Map.of())).containsExactly(
                "hooks[0].methods[0]: " + NOT_SET,
                "hooks[0].processors[0].command[0]: " + NOT_SET,
                "hooks[0].processors[1].retry-on[0]: " + NOT_SET,
                "hooks[0].processors[1].pass-headers[0]: " + NOT_SET,
                "hooks[0].rules.any[0]: " + NOT_SET);
    }

    @Test
    void aListWithAnItemThatIsNotTextIsNotReadWithoutItSoTheRestKeepTheirPlaces() {
        assertThat(ConfigPlaces.problems(ConfigPlaces.withProcessor("command", "command", "[on, /bin/sh]"),
                Map.of())).singleElement().asString().startsWith("hooks[0].processor.command[0]: is true or false");
    }

    @Test
    void twoUnsetVariablesInOneValueAreTwoProblemsAndNothingElse() {
        assertThat(ConfigPlaces.problems(ConfigPlaces.withProcessor("forward", "url",
                "'http://${HOST}:${PORT}/${HOST}'"), Map.of())).containsExactly(
                "hooks[0].processor.url: environment variable HOST is not set; set it, or give a default as "
                        + "${HOST:-default}",
                "hooks[0].processor.url: environment variable PORT is not set; set it, or give a default as "
                        + "${PORT:-default}");
    }
}
