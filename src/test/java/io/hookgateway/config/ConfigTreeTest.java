package io.hookgateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.hookgateway.hooks.FakeHookRequest;
import io.hookgateway.hooks.Rule;
import io.hookgateway.loader.ConfigLoader;
import io.hookgateway.loader.ConfigPlaces;
import io.hookgateway.testing.TestGateway;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where text is expected, a scalar means what it says as written: a bare number YAML reads as a value written
 * otherwise ({@code 012345} is the octal 5349 in YAML 1.1), or a bare {@code null} or {@code ~}, is refused with the
 * quoted form to write, as {@code on} and {@code off} are; a number that reads as written is that text; where a number
 * is expected, a number is its value, as before.
 */
class ConfigTreeTest {

    /** Bare numbers whose value YAML 1.1 (or JSON) writes otherwise, each with the value read. */
    private static final String[][] RETYPED = {{"012345", "5349"}, {"0123", "83"}, {"0x1F", "31"}, {"0b101", "5"},
        {"1_000", "1000"}, {"+5", "5"}, {"-0", "0"}, {"1e3", "1000.0"}, {"1.50", "1.5"}, {"1e400", "Infinity"},
        {".inf", null}, {"-.Inf", null}, {".NaN", null}};

    private final ConfigProblems problems = new ConfigProblems();

    private ConfigNode yaml(String text) throws Exception {
        return yaml(text, problems);
    }

    private static ConfigNode yaml(String text, ConfigProblems problems) throws Exception {
        YAMLFactory factory = YAMLFactory.builder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();
        try (JsonParser parser = factory.createParser(text)) {
            return ConfigNode.of(ConfigTree.read(parser, true), "", problems);
        }
    }

    private ConfigNode json(String text) throws Exception {
        try (JsonParser parser = new JsonFactory().createParser(text)) {
            return ConfigNode.of(ConfigTree.read(parser, false), "", problems);
        }
    }

    private List<String> problems() {
        return problems.list().stream().map(ConfigProblems.Problem::toString).toList();
    }

    /** Every way a text is read: alone, required, parsed, as a list, an item of one, a value of a mapping. */
    private static final List<Function<ConfigNode, Object>> TEXT_READS = List.of(
            n -> n.string("v", "default"),
            n -> n.rawString("v", "default"),
            n -> n.requiredString("v", "write it"),
            n -> n.parsed("v", "default", Function.identity()),
            n -> n.strings("v", List.of("default")),
            n -> n.object("list").strings("v", List.of("default")),
            n -> n.object("map").stringMap("v"));

    private static String inEveryShape(String scalar) {
        return "v: " + scalar + "\nlist: {v: [a, " + scalar + "]}\nmap: {v: {k: " + scalar + "}}\n";
    }

    @Test
    void refusesEveryNumberWrittenOtherwiseThanItsValueWhereTextIsExpected() throws Exception {
        for (String[] retyped : RETYPED) {
            String written = retyped[0];
            ConfigProblems problems = new ConfigProblems();
            for (Function<ConfigNode, Object> read : TEXT_READS) {
                Object value = read.apply(yaml(inEveryShape(written), problems));

                assertThat(String.valueOf(value)).as(written).doesNotContain(written);
                if (retyped[1] != null) {
                    assertThat(String.valueOf(value)).as(written).doesNotContain(retyped[1]);
                }
            }
            assertThat(problems.list()).as(written).hasSize(TEXT_READS.size()).allSatisfy(p -> assertThat(p.message())
                    .startsWith("is read as " + (retyped[1] == null ? "a number" : "the number " + retyped[1])
                            + ", not as the text " + written + " written here")
                    .endsWith("if you meant the text, quote it, as \"" + written + "\""));
        }
    }

    @Test
    void namesTheKeyPathOfTheRefusedNumberInAListAndAMapping() throws Exception {
        ConfigNode root = yaml(inEveryShape("012345"));
        root.string("v", null);
        root.object("list").strings("v", null);
        root.object("map").stringMap("v");

        assertThat(problems()).extracting(p -> p.substring(0, p.indexOf(':')))
                .containsExactly("v", "list.v[1]", "map.v.k");
        assertThat(problems().get(0)).isEqualTo("v: is read as the number 5349, not as the text 012345 written here "
                + "(YAML reads a bare number as its value: a leading 0 as octal, 0x as hexadecimal, without _ or "
                + "trailing zeros); if you meant the text, quote it, as \"012345\"");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"'012345'", "\"0x1F\"", "|-\n  1_000", "'1e3'", "\"1.50\"", "'.inf'", "\"~\"", "'null'"})
    void takesAQuotedOrBlockScalarAsTheTextInIt(String scalar) throws Exception {
        ConfigNode root = yaml("v: " + scalar + "\n");

        assertThat(root.string("v", null))
                .isEqualTo(scalar.startsWith("|") ? "1_000" : scalar.substring(1, scalar.length() - 1));
        assertThat(problems()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"8080", "0", "-7", "1.5", "1.0", "12345678901234567890123", "0o17"})
    void takesANumberThatReadsAsWrittenAsItsText(String written) throws Exception {
        assertThat(yaml("v: " + written + "\n").string("v", null)).isEqualTo(written);
        assertThat(yaml("v: [" + written + "]\n").strings("v", null)).containsExactly(written);
        assertThat(problems()).isEmpty();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"8080, 8080", "0x1F, 31", "0123, 83", "1_000, 1000", "+5, 5"})
    void readsANumberAsItsValueWhereANumberIsExpected(String written, int value) throws Exception {
        ConfigNode root = yaml("port: " + written + "\nsize: " + written + "\n");

        assertThat(root.integer("port", 1, 0, 65535)).isEqualTo(value);
        assertThat(root.size("size", 1, 0, 65535)).isEqualTo(value);
        assertThat(problems()).isEmpty();
    }

    @Test
    void aNumberThatIsNoneWhereANumberIsExpectedIsRefusedAsWritten() throws Exception {
        yaml("port: .inf\n").integer("port", 1, 0, 65535);

        assertThat(problems()).containsExactly("port: must be a whole number from 0 to 65535, not '.inf'");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"~", "null", "Null", "NULL"})
    void refusesANullWordWhereverItIsReadAndSaysHowToWriteNoneOrTheWord(String written) throws Exception {
        for (Function<ConfigNode, Object> read : TEXT_READS) {
            read.apply(yaml(inEveryShape(written)));
        }
        ConfigNode root = yaml("port: " + written + "\nserver: " + written + "\nhooks: [" + written + "]\n");

        assertThat(root.has("port")).as("a key that is there").isTrue();
        assertThat(root.integer("port", 7, 0, 65535)).isEqualTo(7);
        assertThat(root.objects("hooks")).isEmpty();
        assertThat(problems()).hasSize(TEXT_READS.size() + 2).last().isEqualTo("hooks[0]: must be a mapping (key: "
                + "value lines), not " + written);
        assertThat(problems().subList(0, TEXT_READS.size() + 1)).allSatisfy(p -> assertThat(p).contains("is "
                + written + ", which YAML reads as no value; for the default, leave the key out; if you meant the "
                + "word, quote it, as \"" + written + "\""));
    }

    @ParameterizedTest(name = "server: {0}")
    @ValueSource(strings = {"~", "null", "", "{}"})
    void aSectionWrittenAsABareNullOrLeftEmptyTakesItsDefaults(String written) throws Exception {
        ConfigNode server = yaml("server: " + written + "\n").object("server");
        int port = server == null ? 8080 : server.integer("port", 8080, 0, 65535);

        assertThat(port).isEqualTo(8080);
        assertThat(problems()).isEmpty();
    }

    @Test
    void anEmptyValueIsAbsentNotANullWord() throws Exception {
        ConfigNode root = yaml("v:\nserver:\n");

        assertThat(root.string("v", "default")).isEqualTo("default");
        assertThat(root.object("server")).isNull();
        assertThat(problems()).isEmpty();
    }

    @Test
    void inJsonANumberWrittenOtherwiseIsRefusedAsTextAndNullIsNoValue() throws Exception {
        ConfigNode root = json("{\"a\": 1.50, \"b\": 1E3, \"c\": 8080, \"d\": null, \"e\": -0}");

        assertThat(root.string("a", null)).isNull();
        assertThat(root.string("b", null)).isNull();
        assertThat(root.string("c", null)).isEqualTo("8080");
        assertThat(root.string("d", "default")).isEqualTo("default");
        assertThat(root.string("e", null)).isNull();
        assertThat(problems()).extracting(p -> p.substring(0, p.indexOf(" written")))
                .containsExactly("a: is read as the number 1.5, not as the text 1.50",
                        "b: is read as the number 1000.0, not as the text 1E3",
                        "e: is read as the number 0, not as the text -0");
    }

    @Test
    void aGuardSecretWrittenAsABareOctalNumberIsRefusedAndQuotedItIsTheTextWritten() throws Exception {
        String guard = "hooks:\n  - {name: h, path: /h, processor: {type: respond}, "
                + "guard: {equals: {value: '${query.key}', to: %s}}}\n";

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> TestGateway.parse(guard.formatted("012345"), Map.of()));
        Rule quoted = TestGateway.parse(guard.formatted("\"012345\""), Map.of()).hooks().get(0).guard();

        assertThat(e.problems()).singleElement().asString().startsWith("hooks[0].guard.equals.to: is read as the "
                + "number 5349, not as the text 012345");
        assertThat(quoted.matches(FakeHookRequest.builder().query("key=012345").build())).isTrue();
        assertThat(quoted.matches(FakeHookRequest.builder().query("key=5349").build())).isFalse();
    }

    @Test
    void aJsonFileWithASecondValueIsRefusedNotCutShort() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(
                io.hookgateway.processors.ProcessorRegistry.load(), name -> null).parse("{\"hooks\": []}\n{\"hooks\": []}",
                "test.json", Path.of(""), true));

        assertThat(e.problems()).singleElement().asString().isEqualTo("line 2, column 1: not valid JSON: a second "
                + "value after the first; the gateway reads one, so put the whole configuration in one object");
    }

    /**
     * The whole class, wherever a value can be written: a bare typed scalar that a place takes as text when quoted is
     * refused there, with the quoted form to write, unless the place reads numbers (then it is that number).
     */
    @Test
    void noPlaceTakesABareTypedScalarForTheTextWritten() {
        List<String> lies = new ArrayList<>();
        int textPlaces = 0;
        for (String written : List.of("012345", "0x1F", "1_000", "1e3", "1.50", ".inf", "~", "null", "on")) {
            for (String place : ConfigPlaces.everyPlace("'" + written + "'")) {
                if (!ConfigPlaces.problems(place, Map.of()).isEmpty()) {
                    continue;
                }
                String bare = place.replace("'" + written + "'", written);
                List<String> problems = ConfigPlaces.problems(bare, Map.of());
                boolean refused = problems.stream().anyMatch(p -> p.contains("quote it, as \"" + written + "\""));
                boolean readsNumbers = ConfigPlaces.problems(place.replace("'" + written + "'", "abc"), Map.of())
                        .stream().anyMatch(p -> p.contains("number") || p.contains("size"));
                textPlaces += refused ? 1 : 0;
                if (!refused && !(readsNumbers && written.matches("[0-9x_.e]+"))) {
                    lies.add(bare + "  -> " + problems);
                }
            }
        }
        assertThat(lies).isEmpty();
        assertThat(textPlaces).as("places that took the quoted text and refused it bare").isGreaterThan(100);
    }
}
