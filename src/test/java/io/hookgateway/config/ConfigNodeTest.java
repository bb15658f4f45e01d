package io.hookgateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The typed reads processor types use for their options: each one reports a wrong value at its key path and falls back
 * to the default, so that a third-party processor gets the same messages as the built-in ones.
 */
class ConfigNodeTest {

    private final ConfigProblems problems = new ConfigProblems();

    private ConfigNode node(String json) throws Exception {
        return ConfigNode.of(JsonMapper.builder().build().readTree(json), "hooks[1].processor", problems);
    }

    private List<String> reported() {
        return problems.list().stream().map(ConfigProblems.Problem::toString).toList();
    }

    @Test
    void namesKeysUnderItsOwnPath() throws Exception {
        ConfigNode node = node("{\"a\": {\"b\": {}}}");

        assertThat(node.path()).isEqualTo("hooks[1].processor");
        assertThat(node.pathOf("x")).isEqualTo("hooks[1].processor.x");
        assertThat(node.object("a").object("b").path()).isEqualTo("hooks[1].processor.a.b");
        assertThat(ConfigNode.of(JsonMapper.builder().build().readTree("{}"), "", problems).pathOf("server"))
                .isEqualTo("server");
    }

    @Test
    void readsAMappingOfStringsInFileOrder() throws Exception {
        Map<String, String> map = node("{\"env\": {\"B\": \"2\", \"A\": 1, \"C\": \"true\"}}").stringMap("env");

        assertThat(map).containsExactly(Map.entry("B", "2"), Map.entry("A", "1"), Map.entry("C", "true"));
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void refusesABooleanWhereTextIsExpectedBecauseYamlReadsOnAsTrue() throws Exception {
        ConfigNode n = node("{\"name\": true, \"env\": {\"X\": false}, \"list\": [true]}");
        assertThat(n.requiredString("name", "give it one")).isNull();
        n.stringMap("env");
        n.strings("list", List.of());
        assertThat(problems.list()).extracting(ConfigProblems.Problem::keyPath)
                .containsExactly("hooks[1].processor.name", "hooks[1].processor.env.X", "hooks[1].processor.list[0]");
        assertThat(problems.list().get(0).message()).contains("quote it");
    }

    @Test
    void anAbsentMappingIsEmpty() throws Exception {
        assertThat(node("{}").stringMap("env")).isEmpty();
        assertThat(node("{\"env\": null}").stringMap("env")).isEmpty();
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void reportsAMappingThatIsNotOneAndValuesThatAreNotStrings() throws Exception {
        node("{\"env\": [1]}").stringMap("env");
        Map<String, String> partial = node("{\"env\": {\"OK\": \"y\", \"L\": [1], \"N\": null}}").stringMap("env");

        assertThat(partial).containsExactly(Map.entry("OK", "y"));
        assertThat(reported()).containsExactly(
                "hooks[1].processor.env: must be a mapping of names to values, not a list",
                "hooks[1].processor.env.L: must be a string, not a list",
                "hooks[1].processor.env.N: must be a string, not empty");
    }

    @Test
    void parsedReportsTheParsersReasonAtTheKey() throws Exception {
        ConfigNode node = node("{\"good\": \"7\", \"bad\": \"x\"}");

        assertThat(node.parsed("good", 0, Integer::valueOf)).isEqualTo(7);
        assertThat(node.parsed("bad", -1, text -> {
            throw new IllegalArgumentException("'" + text + "' is not a number of seconds");
        })).isEqualTo(-1);
        assertThat(node.parsed("absent", 3, Integer::valueOf)).isEqualTo(3);
        assertThat(reported()).containsExactly("hooks[1].processor.bad: 'x' is not a number of seconds");
    }

    @Test
    void aNullListItemIsReportedAsEmptyAndTheListAsNotGiven() throws Exception {
        List<String> strings = node("{\"l\": [\"a\", null, \"b\"]}").strings("l", List.of("default"));

        assertThat(strings).containsExactly("default");
        assertThat(reported()).containsExactly("hooks[1].processor.l[1]: must be a string, not empty");
    }

    @Test
    void anAbsentListOfMappingsIsEmpty() throws Exception {
        assertThat(node("{}").objects("items")).isEmpty();
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void aNumberTooLargeForAnyIntegerIsRefusedWithItsRange() throws Exception {
        int value = node("{\"n\": 99999999999999999999}").integer("n", 5, 0, 10);

        assertThat(value).isEqualTo(5);
        assertThat(reported()).singleElement().asString()
                .startsWith("hooks[1].processor.n: must be a whole number from 0 to 10");
    }

    @Test
    void readsDurationsAndSizesWithinBounds() throws Exception {
        ConfigNode node = node("{\"t\": \"2m\", \"s\": \"2KiB\", \"far\": \"2h\", \"big\": \"2MiB\"}");

        assertThat(node.duration("t", Duration.ZERO, Duration.ZERO, Duration.ofHours(1)))
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(node.size("s", 0, 0, 4096)).isEqualTo(2048);
        assertThat(node.duration("far", Duration.ofSeconds(1), Duration.ZERO, Duration.ofHours(1)))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(node.size("big", 7, 0, 1024 * 1024)).isEqualTo(7);
        assertThat(reported()).containsExactly(
                "hooks[1].processor.far: must be from 0s to 1h, not 2h",
                "hooks[1].processor.big: must be from 0 to 1MiB, not 2MiB");
    }

    @Test
    void hasCountsAKeyAsReadAndTreatsNullAsAbsent() throws Exception {
        ConfigNode node = node("{\"a\": null, \"b\": 1}");

        assertThat(node.has("a")).isFalse();
        assertThat(node.has("b")).isTrue();
        node.finish();

        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void finishReportsOnlyKeysThatWereNeitherReadNorMarkedKnown() throws Exception {
        ConfigNode node = node("{\"name\": \"x\", \"handled\": 1, \"nmae\": 2, \"zzz\": 3}");
        node.string("name", null);
        node.markKnown("handled");

        node.finish();

        assertThat(problems.list()).extracting(ConfigProblems.Problem::keyPath)
                .containsExactly("hooks[1].processor.nmae", "hooks[1].processor.zzz");
        assertThat(problems.list().get(0).message()).contains("did you mean 'name'?", "Keys allowed here: name, handled");
        assertThat(problems.list().get(1).message()).doesNotContain("did you mean");
    }

    @Test
    void keysListsTheMappingInFileOrderAndCountsThemAsRead() throws Exception {
        ConfigNode node = node("{\"X-B\": 1, \"X-A\": 2}");

        assertThat(node.keys()).containsExactly("X-B", "X-A");
        node.finish();
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void aProblemWithoutAKeyIsAtTheMappingItself() throws Exception {
        ConfigNode node = node("{}");

        node.problem(null, "is wrong as a whole");

        assertThat(node.hasProblems()).isTrue();
        assertThat(reported()).containsExactly("hooks[1].processor: is wrong as a whole");
    }

    @Test
    void aProblemAtTheTopHasNoKeyPathInFront() {
        assertThat(new ConfigProblems.Problem("", "not valid YAML")).hasToString("not valid YAML");
        assertThat(new ConfigProblems.Problem("server.port", "bad")).hasToString("server.port: bad");
    }

    @Test
    void suggestsTheClosestKeyOnlyWhenItIsAPlausibleTypo() {
        Set<String> keys = Set.of("methods", "path", "name", "max-body-size");

        assertThat(ConfigNode.closest("metods", keys)).isEqualTo("methods");
        assertThat(ConfigNode.closest("METHODS", keys)).isEqualTo("methods");
        assertThat(ConfigNode.closest("pth", keys)).isEqualTo("path");
        assertThat(ConfigNode.closest("max_body_size", keys)).isEqualTo("max-body-size");
        assertThat(ConfigNode.closest("colour", keys)).isNull();
        assertThat(ConfigNode.closest("x", Set.of())).isNull();
    }
}
