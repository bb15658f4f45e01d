package io.hookgateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hookgateway.loader.GatewayConfig;
import io.hookgateway.testing.TestGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * YAML that the reader would misread (an alias read as its anchor's name, a merge key as a key named {@code <<}, a
 * second document dropped, a tag dropped or decoded) is refused, each at its key path and line, with the fix.
 */
class YamlRefusalsTest {

    private static List<String> problems(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> TestGateway.parse(yaml, Map.of()));
        assertThat(e).as("refused:\n%s", yaml).isNotNull();
        return e.problems().stream().map(ConfigProblems.Problem::toString).toList();
    }

    @Test
    void refusesAnAliasOfAGuardSecretAndItsAnchorAtTheirKeyPathsAndLines() {
        assertThat(problems("""
                hooks:
                  - name: a
                    path: /a
                    guard: {equals: {value: "${query.key}", to: &key "s3cret"}}
                    processor: {type: respond}
                  - name: b
                    path: /b
                    guard: {equals: {value: "${query.key}", to: *key}}
                    processor: {type: respond}
                """)).containsExactly(
                "hooks[0].guard.equals.to: line 4: &key is a YAML anchor; the gateway does not expand aliases to it; "
                        + "write the value in each place it is needed, or keep a shared secret in an environment "
                        + "variable and write ${NAME} wherever it is used",
                "hooks[1].guard.equals.to: line 8: *key is a YAML alias, which the gateway does not expand (it would "
                        + "read the text 'key'); write the value in each place it is needed, or keep a shared secret "
                        + "in an environment variable and write ${NAME} wherever it is used");
    }

    @Test
    void refusesAMergeKeyInBlockStyleWithItsLine() {
        assertThat(problems("""
                hooks:
                  - name: a
                    path: /a
                    processor:
                      <<: {type: respond}
                      body: x
                """)).singleElement().asString()
                .startsWith("hooks[0].processor: line 5: << is a YAML merge key, which the gateway does not read as "
                        + "one; write the value in each place");
    }

    @Test
    void findsAnchorsAndAliasesOfMappingsAndListsInsideLists() {
        assertThat(problems("""
                server: &server {port: 9000}
                hooks:
                  - name: a
                    path: /a
                    methods: &methods [GET]
                    processor: {type: respond}
                  - name: b
                    path: /b
                    methods: [POST, *m]
                    processor: *p
                """)).extracting(p -> p.substring(0, p.indexOf(" is ")))
                .containsExactly("server: line 1: &server", "hooks[0].methods: line 5: &methods",
                        "hooks[1].methods[1]: line 9: *m", "hooks[1].processor: line 10: *p");
    }

    @Test
    void refusesASecondDocumentRatherThanDroppingIt() {
        assertThat(problems("""
                hooks:
                  - {name: a, path: /a, processor: {type: respond}}
                ---
                hooks: []
                """)).singleElement().asString().startsWith("line 3: a second YAML document (after ---)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"'*key'", "\"&key\"", "a*b&c", "'<< x'", "'---'"})
    void readsTheseCharactersInQuotedOrPlainTextAsText(String body) throws Exception {
        GatewayConfig config = TestGateway.parse("hooks:\n  - {name: a, path: /a, processor: {type: respond, body: "
                + body + "}}\n", Map.of());

        assertThat(config.hooks()).hasSize(1);
    }

    @Test
    void aQuotedDoubleLessThanKeyIsAnUnknownKeyNotAMergeKey() {
        assertThat(problems("hooks:\n  - {name: a, path: /a, processor: {type: respond, '<<': x}}\n"))
                .singleElement().asString().startsWith("hooks[0].processor.<<: unknown key");
    }

    @Test
    void refusesABinaryGuardSecretRatherThanComparingItsBase64Text() {
        assertThat(problems("""
                hooks:
                  - name: a
                    path: /a
                    guard:
                      equals: {value: "${query.key}", to: !!binary czNjcmV0}
                    processor: {type: respond}
                """)).containsExactly("hooks[0].guard.equals.to: line 5: !!binary is a YAML tag, which the gateway "
                + "does not read (it would drop the tag, or read a !!binary value as its base64 text); remove it and "
                + "write the value itself, in quotes if it is text");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"!secret x", "!!str 012345", "!!binary '@@@ not base64'", "!!int 5", "!!float x",
        "!!null x", "!!bool maybe", "! x", "!<tag:example.com,2000:x> y", "!!map {a: b}", "!!seq [a]", "!x [a]"})
    void refusesEveryTagOnAValueOrACollectionWithItsLine(String tagged) {
        String tag = tagged.substring(0, tagged.indexOf(' '));

        assertThat(problems("hooks:\n  - name: a\n    path: /a\n    processor:\n      type: respond\n"
                + "      body: " + tagged + "\n")).singleElement().asString()
                .startsWith("hooks[0].processor.body: line 6: " + tag + " is a YAML tag, which the gateway does not "
                        + "read");
    }

    @Test
    void refusesATagOnAKeyAtTheMappingItIsIn() {
        assertThat(problems("hooks:\n  - {name: a, path: /a, processor: {type: respond, !!str body: x}}\n"))
                .singleElement().asString().startsWith("hooks[0].processor: line 2: !!str is a YAML tag");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1:30", "-1:30", "12:30:45", "190:20:30.15", "1:2:3:4:5:6:7:8"})
    void refusesABareBaseSixtyNumberWhichYaml11ReadersTakeForANumber(String written) {
        assertThat(problems("hooks:\n  - {name: a, path: /a, processor: {type: respond, body: " + written + "}}\n"))
                .singleElement().asString().isEqualTo("hooks[0].processor.body: line 2: " + written + " is a number "
                        + "in base 60 to YAML 1.1 readers (1:30 is 90), though the gateway's reader takes it as text; "
                        + "quote it, as \"" + written + "\", so that it is text to every reader");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"'1:30'", "\"12:30\"", "0:30", "a:30", "'::1'", "1::1", "2001:db8::1", "10:60"})
    void takesTextWithColonsThatIsNoNumberAsIt(String body) throws Exception {
        GatewayConfig config = TestGateway.parse("hooks:\n  - {name: a, path: /a, processor: {type: respond, body: "
                + body + "}}\n", Map.of());

        assertThat(config.hooks()).hasSize(1);
    }
}
