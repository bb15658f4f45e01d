package io.hookgateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.hookgateway.loader.ConfigLoader;
import io.hookgateway.processors.ProcessorRegistry;
import io.hookgateway.testing.TestGateway;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code gateway/gateway.schema.json}: it is what the loader describes now (not a stale copy), every shipped
 * configuration validates against it and names it for editors, and the schema and the loader agree on the keys of
 * every mapping: each key the schema lists the loader takes, and a key neither knows both refuse.
 */
class ConfigSchemaTest {

    private static final Path SCHEMA_FILE = Path.of("gateway", "gateway.schema.json");
    private static final String REFRESH = "refresh it with: ./mvnw -q -DskipTests package && "
            + "java -jar target/hook-gateway.jar --print-schema > gateway/gateway.schema.json";
    private static final YAMLMapper YAML = new YAMLMapper();
    /** A valid configuration that each case below adds one key to. */
    private static final String BASE = """
            server: {tls: {certificate: c.pem, key: k.pem}, rate-limit: {per-client: {requests: 1, per: 1s}}}
            metrics: {}
            logging: {}
            hooks:
              - name: h
                path: /h
                auth: {bearer: {token: t}}
                guard: {regex: {value: "${body}", pattern: x}}
                rules: {exists: "${header.X-Token}"}
                on-mismatch: {}
                processor: {type: respond}
            """;

    private static JsonNode schemaTree;
    private static Schema schema;

    @BeforeAll
    static void loadTheCommittedSchema() throws IOException {
        schemaTree = new ObjectMapper().readTree(Files.readString(SCHEMA_FILE, StandardCharsets.UTF_8));
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(Files.readString(SCHEMA_FILE, StandardCharsets.UTF_8));
    }

    /** Generated with the processor types the jar has: the tests' own (test-echo, ...) are left out. */
    @Test
    void theCommittedSchemaIsWhatTheLoaderDescribes() throws IOException {
        String generated = new ConfigLoader(ProcessorRegistry.load(new MainServicesOnly())).schemaText();
        assertThat(Files.readString(SCHEMA_FILE, StandardCharsets.UTF_8))
                .as("gateway/gateway.schema.json is stale; " + REFRESH).isEqualTo(generated);
    }

    static Stream<Path> shippedConfigurations() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("gateway", "gateway.yaml")));
        try (Stream<Path> examples = Files.list(Path.of("gateway", "examples"))) {
            examples.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("shippedConfigurations")
    void everyShippedConfigurationValidatesAndNamesTheSchema(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String relative = file.getParent().relativize(SCHEMA_FILE).toString();
        assertThat(text).startsWith("# yaml-language-server: $schema=" + relative + "\n");
        assertThat(errors(YAML.readTree(text))).as("schema errors in " + file).isEmpty();
    }

    /** Valid, but that its TLS files do not exist: the loader checks them, the schema cannot. */
    @Test
    void theBaseOfTheCasesBelowIsValidForBoth() throws Exception {
        assertThat(errors(YAML.readTree(BASE))).isEmpty();
        assertThat(loaderProblems(YAML.readTree(BASE))).extracting(ConfigProblems.Problem::keyPath)
                .contains("server.tls.certificate").allMatch(keyPath -> keyPath.startsWith("server.tls."));
    }

    /** The bounds, types and choices the loader applies are in the schema too. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void refusesWhatTheLoaderRefuses(String what, String yaml) throws Exception {
        JsonNode config = YAML.readTree(yaml);
        assertThat(loaderProblems(config)).as("loader problems").isNotEmpty();
        assertThat(errors(config)).as("schema errors").isNotEmpty();
    }

    static Stream<Arguments> badValues() {
        String hook = "hooks: [{name: h, path: /h, processor: {type: respond}}]\n";
        return Stream.of(
                Arguments.of("a port beyond 65535", "server: {port: 70000}\n" + hook),
                Arguments.of("a list where a number goes", "server: {worker-threads: [1]}\n" + hook),
                Arguments.of("text where a boolean goes", "metrics: {enabled: {}}\n" + hook),
                Arguments.of("a hook without a name", "hooks: [{path: /h, processor: {type: respond}}]"),
                Arguments.of("an unknown processor type", "hooks: [{name: h, path: /h, processor: {type: nope}}]"),
                Arguments.of("a processor's key under another type",
                        "hooks: [{name: h, path: /h, processor: {type: respond, command: [ls]}}]"),
                Arguments.of("two ways in one auth mapping", "hooks: [{name: h, path: /h, processor: {type: respond}, "
                        + "auth: {bearer: {token: t}, basic: {users: {}}}}]"),
                Arguments.of("a mapping where a token goes (a key read only when given)",
                        "hooks: [{name: h, path: /h, processor: {type: respond}, auth: {bearer: {token: {a: b}}}}]"),
                Arguments.of("a mapping where addresses go", "server: {clients: {allow: {a: b}}}\n" + hook),
                Arguments.of("two operators in one rule", "hooks: [{name: h, path: /h, processor: {type: respond}, "
                        + "guard: {exists: \"${header.A}\", not: {exists: \"${header.B}\"}}}]"));
    }

    /** Each mapping the cases below reach: where it is in the base, and its schema. */
    static Stream<Arguments> mappings() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of("", schemaAt("")));
        for (String top : List.of("server", "metrics", "logging")) {
            cases.add(Arguments.of(top, schemaAt(top)));
        }
        cases.add(Arguments.of("server.tls", schemaAt("server").path("properties").path("tls").path("anyOf").get(0)));
        cases.add(Arguments.of("server.rate-limit", schemaAt("server").path("properties").path("rate-limit")));
        cases.add(Arguments.of("hooks[0]", hook()));
        definitions().forEachRemaining(d -> {
            if (d.getKey().startsWith("processor-")) {
                cases.add(Arguments.of("hooks[0].processor=" + d.getKey().substring("processor-".length()),
                        d.getValue()));
            }
        });
        definition("auth").path("properties").fields().forEachRemaining(way ->
                cases.add(Arguments.of("hooks[0].auth." + way.getKey(), way.getValue())));
        cases.add(Arguments.of("hooks[0].on-mismatch", hook().path("properties").path("on-mismatch")));
        cases.add(Arguments.of("hooks[0].guard.regex", definition("rule").path("properties").path("regex")));
        return cases.stream();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("mappings")
    void theLoaderTakesEveryKeyTheSchemaLists(String at, JsonNode mappingSchema) throws Exception {
        List<String> keys = new ArrayList<>();
        mappingSchema.path("properties").fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as("keys listed at " + at).isNotEmpty();
        for (String key : keys) {
            JsonNode config = YAML.readTree(BASE);
            mapping(config, at).put(key, "x");
            String keyPath = at.isEmpty() ? key : at.split("=")[0] + "." + key;
            assertThat(loaderProblems(config)).as("problems with " + keyPath)
                    .noneMatch(p -> p.keyPath().equals(keyPath) && p.message().startsWith("unknown key"));
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("mappings")
    void aKeyNeitherKnowsIsRefusedByBoth(String at, JsonNode mappingSchema) throws Exception {
        JsonNode config = YAML.readTree(BASE);
        mapping(config, at).put("no-such-key", "x");
        String keyPath = at.isEmpty() ? "no-such-key" : at.split("=")[0] + ".no-such-key";
        assertThat(loaderProblems(config)).anyMatch(p -> p.keyPath().equals(keyPath)
                && p.message().startsWith("unknown key"));
        assertThat(errors(config)).as("schema errors").isNotEmpty();
        assertThat(mappingSchema.path("additionalProperties").asBoolean(true)).isFalse();
    }

    /** The class path, but that service files are found only among the main classes, not the tests'. */
    private static final class MainServicesOnly extends ClassLoader {
        MainServicesOnly() {
            super(ConfigSchemaTest.class.getClassLoader());
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            List<URL> main = new ArrayList<>();
            for (URL url : Collections.list(super.getResources(name))) {
                if (!url.getPath().contains("/test-classes/")) {
                    main.add(url);
                }
            }
            return Collections.enumeration(main);
        }
    }

    private static List<Error> errors(JsonNode config) {
        return schema.validate(config);
    }

    private static List<ConfigProblems.Problem> loaderProblems(JsonNode config) throws Exception {
        try {
            TestGateway.parse(new ObjectMapper().writeValueAsString(config), Map.of());
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    private static JsonNode schemaAt(String top) {
        return top.isEmpty() ? schemaTree : schemaTree.path("properties").path(top);
    }

    private static JsonNode hook() {
        return schemaTree.path("properties").path("hooks").path("items");
    }

    private static Iterator<Map.Entry<String, JsonNode>> definitions() {
        return schemaTree.path("definitions").fields();
    }

    private static JsonNode definition(String name) {
        return schemaTree.path("definitions").path(name);
    }

    /**
     * The mapping at a key path of the base, made there when missing: {@code hooks[0].auth.github} (the hook's only
     * way then), or {@code hooks[0].processor=command} (the hook's processor then of that type).
     */
    private static ObjectNode mapping(JsonNode config, String at) {
        ObjectNode node = (ObjectNode) config;
        if (at.isEmpty()) {
            return node;
        }
        String[] parts = at.split("=")[0].split("\\.");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.endsWith("]")) {
                node = (ObjectNode) node.path(part.substring(0, part.indexOf('['))).path(0);
            } else {
                if (i == parts.length - 1 && parts.length > 1 && parts[i - 1].equals("auth")) {
                    node.removeAll();
                }
                node = node.get(part) instanceof ObjectNode inner ? inner : node.putObject(part);
            }
        }
        if (at.contains("=")) {
            node.removeAll().put("type", at.substring(at.indexOf('=') + 1));
        }
        return node;
    }
}
