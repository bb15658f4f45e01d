package io.hookgateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hookgateway.testing.TestGateway;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No configuration message shows what an environment variable holds: a secret put under the wrong key is named by
 * its {@code ${NAME}}, never printed, under every key the loader and each processor type read, in every shape a
 * parser might quote a part of (a number with a unit, a URL, a host and port, a path).
 */
class ConfigSecretsTest {

    /** The marker every secret shape carries: no message may contain it. */
    private static final String MARK = "SEKRIT";

    /** Shapes that parsers take apart: a word, a size or duration, a URL, host:port, a path, a list, a template. */
    private static final String[] SHAPES = {"MQTTSEKRIT", "5SEKRIT", "mqtt://SEKRIT:SEKRIT@SEKRIT/x", "SEKRIT:1883",
        "/SEKRIT/../x", "SEKRIT KEY", "SEKRIT,SEKRIT", "-SEKRIT", "on SEKRIT", "SEKRIT(?=x)", "${body}SEKRIT",
        "http://SEKRIT", "$SEKRIT", "SEKRIT{x}"};

    /** A valid processor of each built-in type, as YAML values by key. */
    private static final Map<String, Map<String, String>> PROCESSORS = Map.of(
            "respond", Map.of(),
            "command", Map.of("command", "[/bin/sh]"),
            "forward", Map.of("url", "'http://127.0.0.1:1/'"),
            "mqtt", Map.of("host", "127.0.0.1", "topic", "t"));

    private static final String HOOK = "name: h, path: /h";

    private static String yamlMapping(Map<String, String> entries) {
        return entries.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String withHook(String hookEntries) {
        return "hooks:\n  - {" + hookEntries + "}\n";
    }

    private static String withProcessor(String type, String key, String value) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("type", type);
        options.putAll(PROCESSORS.get(type));
        options.put(key, value);
        return withHook(HOOK + ", processor: " + yamlMapping(options));
    }

    /** The problems of a configuration, or none when it loads. */
    private static List<String> problems(String yaml, String secret) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> TestGateway.parse(yaml, Map.of("SECRET", secret)));
        return e == null ? List.of() : e.problems().stream().map(ConfigProblems.Problem::toString).toList();
    }

    /** The keys a mapping takes, as the loader lists them after an unknown key. */
    private static List<String> keysAllowed(String yaml) {
        String listing = problems(yaml, "x").stream().filter(p -> p.contains("Keys allowed here: ")).findFirst()
                .orElseThrow();
        return Arrays.asList(listing.substring(listing.indexOf("Keys allowed here: ") + 19).split(", "));
    }

    /** Every place a secret could be written by mistake: each key of each mapping, and values inside lists and maps. */
    private static List<String> everyPlace() {
        List<String> places = new ArrayList<>();
        for (String key : keysAllowed("server: {zzzzzzzzzz: 1}\n" + withHook(HOOK + ", processor: {type: respond}"))) {
            places.add("server: {" + key + ": '${SECRET}'}\n" + withHook(HOOK + ", processor: {type: respond}"));
        }
        for (String key : keysAllowed("metrics: {zzzzzzzzzz: 1}\n" + withHook(HOOK + ", processor: {type: respond}"))) {
            places.add("metrics: {" + key + ": '${SECRET}'}\n" + withHook(HOOK + ", processor: {type: respond}"));
        }
        Map<String, String> hook = new LinkedHashMap<>(Map.of("name", "h", "path", "/h", "processor", "{type: respond}",
                "rules", "{exists: '${query.a}'}"));
        for (String key : keysAllowed(withHook(HOOK + ", zzzzzzzzzz: 1, processor: {type: respond}"))) {
            Map<String, String> entries = new LinkedHashMap<>(hook);
            entries.remove(key.equals("processors") ? "processor" : "");
            entries.put(key, "'${SECRET}'");
            places.add("hooks:\n  - " + yamlMapping(entries) + "\n");
        }
        for (String type : PROCESSORS.keySet()) {
            for (String key : keysAllowed(withProcessor(type, "zzzzzzzzzz", "1"))) {
                if (!key.equals("type")) {
                    places.add(withProcessor(type, key, "'${SECRET}'"));
                }
            }
        }
        places.addAll(List.of(
                withHook(HOOK + ", methods: [GET, '${SECRET}'], processor: {type: respond}"),
                withProcessor("command", "command", "[/bin/sh, '${SECRET}']"),
                withProcessor("command", "command", "['${SECRET}']"),
                withProcessor("command", "env", "{X: '${SECRET}'}"),
                withProcessor("command", "exit-codes", "{0: '${SECRET}'}"),
                withProcessor("respond", "headers", "{X-A: '${SECRET}'}"),
                withProcessor("forward", "headers", "{X-A: 'Bearer ${SECRET}'}"),
                withProcessor("forward", "pass-headers", "['${SECRET}']"),
                withProcessor("forward", "retry-on", "[connect, '${SECRET}']"),
                withProcessor("forward", "url", "'http://${SECRET}/'"),
                withProcessor("forward", "response", "{status: '${SECRET}'}"),
                withProcessor("mqtt", "topic", "'a/${SECRET}/b'"),
                withProcessor("mqtt", "port", "'x${SECRET}'"),
                withProcessor("mqtt", "host", "'x${SECRET}'"),
                withHook(HOOK + ", processor: {type: respond}, rules: {regex: {value: '${query.k}', pattern: "
                        + "'x${SECRET}('}}"),
                withHook(HOOK + ", processor: {type: respond}, guard: {equals: {value: '${query.k}', "
                        + "to: '${SECRET}'}}"),
                withHook(HOOK + ", processor: {type: respond}, rules: {regex: {value: '${query.k}', pattern: "
                        + "'${SECRET}'}}"),
                withHook(HOOK + ", processor: {type: respond}, rules: {compare: {value: '${query.k}', "
                        + "greater-than: '${SECRET}'}}"),
                withHook(HOOK + ", processor: {type: respond}, rules: {exists: '${SECRET}'}}")));
        return places;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"MQTTSEKRIT", "5SEKRIT", "mqtt://SEKRIT:SEKRIT@SEKRIT/x", "SEKRIT:1883"})
    void theSweepReachesEveryKeyOfEveryProcessorType(String secret) {
        assertThat(everyPlace()).hasSizeGreaterThan(80);
        assertThat(everyPlace().stream().filter(yaml -> !problems(yaml, secret).isEmpty()))
                .as("places where a secret is a mistake, so a message could show it").hasSizeGreaterThan(40);
    }

    @Test
    void noMessageShowsAValueFromTheEnvironmentWhereverItIsWritten() {
        List<String> leaks = new ArrayList<>();
        for (String yaml : everyPlace()) {
            for (String secret : SHAPES) {
                for (String problem : problems(yaml, secret)) {
                    if (problem.contains(MARK)) {
                        leaks.add("SECRET=" + secret + " in\n" + yaml + "  -> " + problem);
                    }
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void aSecretUnderTheWrongKeyIsNamedByItsVariable() {
        assertThat(problems(withProcessor("mqtt", "port", "'${SECRET}'"), "MQTTSEKRIT")).containsExactly(
                "hooks[0].processor.port: must be a whole number from 1 to 65535, not the value of ${SECRET}");
        assertThat(problems(withProcessor("mqtt", "keep-alive", "'x-${SECRET}'"), "5SEKRIT")).containsExactly(
                "hooks[0].processor.keep-alive: the value of 'x-${SECRET}' is not a duration such as 10s or 500ms");
    }

    @Test
    void aValueWrittenInTheFileIsStillQuoted() {
        assertThat(problems(withProcessor("mqtt", "port", "http"), "x")).containsExactly(
                "hooks[0].processor.port: must be a whole number from 1 to 65535, not 'http'");
    }
}
