package io.hookgateway.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hookgateway.config.ConfigException;
import io.hookgateway.config.ConfigProblems;
import io.hookgateway.processors.ProcessorRegistry;
import io.hookgateway.processors.respond.RespondProcessorType;
import io.hookgateway.processors.template.Template;
import io.hookgateway.testing.TestProcessors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The quality of configuration errors: one message per mistake, in the user's words, and no message that only
 * follows from another.
 */
class ConfigMessagesTest {

    private static final String ONE_HOOK = """
            hooks:
              - name: h
                path: /h
                processor: {type: respond}
            """;

    private static List<String> problems(String text, boolean json) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(ProcessorRegistry.load(),
                name -> Map.<String, String>of().get(name)).parse(text, "t.yaml", Path.of(""), json));
        assertThat(e).as("refused:\n%s", text).isNotNull();
        return e.problems().stream().map(ConfigProblems.Problem::toString).toList();
    }

    @Test
    void anEmptySectionIsAbsentNotAnEmptyString() throws Exception {
        GatewayConfig config = new ConfigLoader(ProcessorRegistry.load(), name -> null)
                .parse("server:\n#  port: 1\n" + ONE_HOOK, "t.yaml", Path.of(""), false);
        assertThat(config.server().port()).isEqualTo(ServerConfig.DEFAULT_PORT);
    }

    @Test
    void aBareHooksKeyIsReportedAsMissingWithAnExample() {
        assertThat(problems("hooks:\n", false)).singleElement().asString()
                .startsWith("hooks: is missing; add at least one hook");
    }

    @Test
    void anEmptyHookListIsReportedAlongsideOtherProblems() {
        assertThat(problems("server: {port: x}\nhooks: []\n", false))
                .containsExactly("server.port: must be a whole number from 0 to 65535, not 'x'",
                        "hooks: is empty; add at least one hook");
    }

    @Test
    void aBlankMetricsBindIsRefused() {
        assertThat(problems("metrics: {bind: ' '}\n" + ONE_HOOK, false)).singleElement().asString()
                .startsWith("metrics.bind: is empty");
    }

    @Test
    void yamlSyntaxErrorsKeepTheParsersReason() {
        assertThat(problems("server:\n  port: 1\n   bad: 2\n", false)).singleElement().asString()
                .isEqualTo("line 3, column 7: not valid YAML: mapping values are not allowed here");
    }

    @Test
    void jsonSyntaxErrorsSayJsonAndHideParserInternals() {
        assertThat(problems("{\"hooks\": [}", true)).singleElement().asString()
                .isEqualTo("line 1, column 12: not valid JSON: Unexpected close marker '}': expected ']'");
    }

    @Test
    void anUnsetVariableIsReportedOnceNotAgainAsABadValue() {
        assertThat(problems("server: {port: \"${PORT}\"}\n" + ONE_HOOK, false)).containsExactly(
                "server.port: environment variable PORT is not set; set it, or give a default as ${PORT:-default}");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{name: '${UNSET}', path: /h, processor: {type: respond}}",
        "{name: h, path: '${UNSET}', processor: {type: respond}}",
        "{name: h, path: /h, processor: '${UNSET}'}",
        "{name: h, path: /h, processor: {type: '${UNSET}'}}",
        "{name: h, path: /h, processors: '${UNSET}'}",
        "{name: h, path: /h, processor: {type: respond}, guard: {equals: {value: '${query.k}', to: '${UNSET}'}}}",
        "{name: h, path: /h, processor: {type: respond}, rules: {regex: {value: '${query.k}', pattern: '${UNSET}'}}}",
        "{name: h, path: /h, processor: {type: respond}, rules: {exists: '${UNSET}'}}",
        "{name: h, path: /h, processor: {type: respond}, rules: '${UNSET}'}",
        "{name: h, path: /h, processor: {type: mqtt, host: '${UNSET}', topic: t}}",
        "{name: h, path: /h, processor: {type: mqtt, host: h, topic: '${UNSET}'}}",
        "{name: h, path: /h, processor: {type: forward, url: '${UNSET}'}}",
        "{name: h, path: /h, processor: {type: command, command: '${UNSET}'}}"})
    void anUnsetVariableWhereAValueIsRequiredIsReportedOnceNotAgainAsMissing(String hook) {
        assertThat(problems("hooks:\n  - " + hook + "\n", false)).singleElement().asString()
                .endsWith(": environment variable UNSET is not set; set it, or give a default as ${UNSET:-default}");
    }

    @Test
    void aBadMethodIsNotFollowedByAnEmptyListComplaint() {
        assertThat(problems("hooks:\n  - {name: h, path: /h, methods: [FETCH], processor: {type: respond}}\n",
                false)).singleElement().asString().startsWith("hooks[0].methods: 'FETCH' is not a method");
    }

    @Test
    void aNameOfTheWrongTypeIsReportedOnce() {
        assertThat(problems("hooks:\n  - {name: [a], path: /h, processor: {type: respond}}\n", false))
                .containsExactly("hooks[0].name: must be a string, not a list");
    }

    @Test
    void aBrokenPathDoesNotMakeEveryPathVariableAProblemToo() {
        assertThat(problems("hooks:\n  - {name: h, path: '/h/{device', processor: {type: respond, "
                + "body: '${path.device}'}}\n", false)).singleElement().asString().startsWith("hooks[0].path:");
    }

    @Test
    void anUnknownKeyWithoutASuggestionStillReadsAsASentence() {
        assertThat(problems("server: {zzzzzzzz: 1}\n" + ONE_HOOK, false)).singleElement().asString()
                .startsWith("server.zzzzzzzz: unknown key. Keys allowed here: bind, port");
    }

    @Test
    void anUnknownTypeWithoutASuggestionStillReadsAsASentence() {
        assertThat(problems("hooks:\n  - {name: h, path: /h, processor: {type: zzzzzzzzzz}}\n", false))
                .singleElement().asString().contains("'zzzzzzzzzz' is not a processor type. Known types: ");
    }

    @Test
    void aSizeWrittenAsAFloatSaysWholeNumbers() {
        assertThat(problems("server: {max-body-size: 1.5MiB, max-header-size: 1e6}\n" + ONE_HOOK, false))
                .containsExactly(
                        "server.max-header-size: must be from 1KiB to 256KiB, not 1000000",
                        "server.max-body-size: '1.5MiB' is not a whole number; sizes are written in whole units, "
                                + "such as 1536KiB for 1.5MiB");
    }

    @Test
    void aRespondHookCannotSetContentTypeTwice() {
        assertThat(problems("hooks:\n  - {name: h, path: /h, processor: {type: respond, content-type: text/plain, "
                + "headers: {content-type: text/html}}}\n", false)).singleElement().asString()
                .isEqualTo("hooks[0].processor.headers.content-type: repeats content-type; set the Content-Type in "
                        + "one place");
    }

    @Test
    void a204AnswerCannotHaveABody() {
        assertThat(problems("hooks:\n  - {name: h, path: /h, processor: {type: respond, status: 204, body: x}}\n",
                false)).singleElement().asString().startsWith("hooks[0].processor.body: is not sent with status 204");
    }

    @Test
    void anEnvironmentValueWithDollarBraceStaysDataInTemplatesAndPlainKeysAlike() throws Exception {
        GatewayConfig config = new ConfigLoader(ProcessorRegistry.load(), Map.of("SECRET", "a${body}b")::get).parse("""
                hooks:
                  - name: h
                    path: /h
                    processor: {type: respond, body: "${SECRET} and $${literal}"}
                  - name: plain
                    path: /plain
                    processor: {type: test-fail, message: "${SECRET}"}
                """, "t.yaml", Path.of(""), false);
        Template body = ((RespondProcessorType.Options) config.hooks().get(0).processor().options()).body();
        assertThat(body.isConstant()).isTrue();
        assertThat(body.constantValue()).isEqualTo("a${body}b and ${literal}");
        assertThat(((TestProcessors.Fail.Options) config.hooks().get(1).processor().options()).message())
                .isEqualTo("a${body}b");
    }
}
