package io.hookgateway.loader;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hookgateway.config.ConfigException;
import io.hookgateway.config.ConfigProblems;
import io.hookgateway.testing.TestGateway;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every place a value can be written in a configuration, for the tests that sweep one value through all of them: each
 * key of each mapping the loader and each built-in processor type read (found from the keys an unknown key's message
 * lists, so a key added later is swept too), and items of the lists and mappings of values.
 */
public final class ConfigPlaces {

    /** A valid processor of each built-in type, as YAML values by key. */
    public static final Map<String, Map<String, String>> PROCESSORS = Map.of(
            "respond", Map.of(),
            "command", Map.of("command", "[/bin/sh]"),
            "forward", Map.of("url", "'http://127.0.0.1:1/'"),
            "mqtt", Map.of("host", "127.0.0.1", "topic", "t"));

    public static final String HOOK = "name: h, path: /h";

    private ConfigPlaces() {
    }

    public static String yamlMapping(Map<String, String> entries) {
        return entries.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    public static String withHook(String hookEntries) {
        return "hooks:\n  - {" + hookEntries + "}\n";
    }

    public static String withProcessor(String type, String key, String value) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("type", type);
        options.putAll(PROCESSORS.get(type));
        options.put(key, value);
        return withHook(HOOK + ", processor: " + yamlMapping(options));
    }

    /** The problems of a configuration, or none when it loads. */
    public static List<String> problems(String yaml, Map<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> TestGateway.parse(yaml, env));
        return e == null ? List.of() : e.problems().stream().map(ConfigProblems.Problem::toString).toList();
    }

    /** The keys a mapping takes, as the loader lists them after an unknown key. */
    private static List<String> keysAllowed(String yaml) {
        String listing = problems(yaml, Map.of()).stream().filter(p -> p.contains("Keys allowed here: "))
                .findFirst().orElseThrow();
        return Arrays.asList(listing.substring(listing.indexOf("Keys allowed here: ") + 19).split(", "));
    }

    /**
     * A configuration for each place {@code value} (a YAML scalar, as written) can stand: as the value of every key,
     * and as an item of every list and mapping, of values and of mappings.
     */
    public static List<String> everyPlace(String value) {
        List<String> places = new ArrayList<>();
        String respond = withHook(HOOK + ", processor: {type: respond}");
        for (String key : keysAllowed("server: {zzzzzzzzzz: 1}\n" + respond)) {
            places.add("server: {" + key + ": " + value + "}\n" + respond);
        }
        for (String key : keysAllowed("metrics: {zzzzzzzzzz: 1}\n" + respond)) {
            places.add("metrics: {" + key + ": " + value + "}\n" + respond);
        }
        Map<String, String> hook = new LinkedHashMap<>(Map.of("name", "h", "path", "/h", "processor", "{type: respond}",
                "rules", "{exists: '${query.a}'}"));
        for (String key : keysAllowed(withHook(HOOK + ", zzzzzzzzzz: 1, processor: {type: respond}"))) {
            Map<String, String> entries = new LinkedHashMap<>(hook);
            entries.remove(key.equals("processors") ? "processor" : "");
            entries.put(key, value);
            places.add("hooks:\n  - " + yamlMapping(entries) + "\n");
        }
        for (String type : PROCESSORS.keySet()) {
            for (String key : keysAllowed(withProcessor(type, "zzzzzzzzzz", "1"))) {
                if (!key.equals("type")) {
                    places.add(withProcessor(type, key, value));
                }
            }
        }
        places.addAll(List.of(
                withHook(HOOK + ", methods: [GET, " + value + "], processor: {type: respond}"),
                withProcessor("command", "command", "[/bin/sh, " + value + "]"),
                withProcessor("command", "command", "[" + value + "]"),
                withProcessor("command", "env", "{X: " + value + "}"),
                withProcessor("command", "exit-codes", "{0: " + value + "}"),
                withProcessor("respond", "headers", "{X-A: " + value + "}"),
                withProcessor("forward", "headers", "{X-A: " + value + "}"),
                withProcessor("forward", "pass-headers", "[" + value + "]"),
                withProcessor("forward", "retry-on", "[connect, " + value + "]"),
                withProcessor("forward", "response", "{status: " + value + "}"),
                withHook(HOOK + ", processor: {type: respond}, guard: {equals: {value: '${query.k}', to: " + value
                        + "}}"),
                withHook(HOOK + ", processor: {type: respond}, rules: {regex: {value: '${query.k}', pattern: "
                        + value + "}}"),
                withHook(HOOK + ", processor: {type: respond}, rules: {compare: {value: '${query.k}', "
                        + "greater-than: " + value + "}}"),
                withHook(HOOK + ", processor: {type: respond}, rules: {exists: " + value + "}"),
                withHook(HOOK + ", processor: {type: respond}, rules: {all: [" + value + "]}"),
                withHook(HOOK + ", processor: {type: respond}, guard: {any: [{exists: '${query.a}'}, " + value + "]}"),
                withHook(HOOK + ", processors: [{type: respond}, " + value + "]"),
                "hooks:\n  - " + value + "\n"));
        return places;
    }
}
