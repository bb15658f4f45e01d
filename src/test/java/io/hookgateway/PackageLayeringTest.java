package io.hookgateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Packages import downward only: the processor SPI and the character tables at the ground, the configuration tree
 * above them, the stages of a request above that, the loader and the bootstrap on top. {@link #LAYERS} declares the
 * order, ground first, with what each package may import; README's "Package layers" lists the same. Every
 * {@code import io.hookgateway...} of the main sources, and every fully qualified {@code io.hookgateway...} name in
 * their code (not in comments or strings), is checked against it. A new package must be placed here first.
 */
class PackageLayeringTest {

    private static final Path MAIN = Path.of("src/main/java/io/hookgateway");
    private static final String ROOT = "io.hookgateway";
    /** The name used for the bootstrap package, {@code io.hookgateway} itself. */
    private static final String BOOTSTRAP = "(root)";
    /** In an allowed list: every package declared before this one. */
    private static final String BELOW = "*";

    /** Each package, relative to {@code io.hookgateway}, and what it may import; ground first. */
    static final Map<String, Set<String>> LAYERS = layers(
            "hooks", "",
            "config", "",
            "logging", "hooks config",
            "tls", "hooks config",
            "processors", "hooks config",
            "processors.template", "hooks config processors",
            "processors.respond", "hooks config processors processors.template",
            "processors.rules", "hooks config processors processors.template",
            "processors.command", "hooks config processors processors.template",
            "processors.mqtt", "hooks config processors processors.template",
            "processors.alexa", "hooks config processors processors.template",
            "processors.forward", "hooks config processors processors.template processors.respond",
            "security", "hooks config processors",
            "security.alexa", "hooks config processors security",
            "security.signatures", "hooks config processors security",
            "http", "hooks config",
            "clients", "hooks config http",
            "routing", "hooks config logging http clients",
            "metrics", "hooks config logging http clients routing",
            "loader", BELOW,
            BOOTSTRAP, BELOW);

    private static final Pattern REFERENCE =
            Pattern.compile("\\bio\\.hookgateway((?:\\.[a-z_][a-z0-9_]*)*)\\.(?:[A-Z]\\w*|\\*)");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    @Test
    void everyMainSourceImportsOnlyDownward() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path file : mainSources()) {
            problems.addAll(violations(LAYERS, MAIN.relativize(file).toString(), Files.readString(file)));
        }
        assertThat(problems).as("imports against the package order").isEmpty();
    }

    @Test
    void everyMainPackageIsPlaced() throws IOException {
        Set<String> packages = new TreeSet<>();
        for (Path file : mainSources()) {
            packages.add(packageOf(Files.readString(file)));
        }
        assertThat(packages).isNotEmpty();
        assertThat(LAYERS.keySet()).as("packages declared in PackageLayeringTest.LAYERS").containsAll(packages);
    }

    @Test
    void theDeclaredOrderHasNoCycle() {
        List<String> declared = new ArrayList<>();
        for (Map.Entry<String, Set<String>> layer : LAYERS.entrySet()) {
            assertThat(declared).as("what %s may import is declared before it", layer.getKey())
                    .containsAll(layer.getValue());
            declared.add(layer.getKey());
        }
    }

    @Test
    void anImportFromAboveIsNamedWithFileAndRule() {
        String source = """
                package io.hookgateway.http;

                import io.hookgateway.hooks.HookRequest;
                import io.hookgateway.routing.RouteTable;

                final class Sample {
                    Object table = io.hookgateway.metrics.GatewayMetrics.class;
                }
                """;

        assertThat(violations(LAYERS, "http/Sample.java", source)).containsExactly(
                "http/Sample.java uses io.hookgateway.routing.RouteTable: http may import only hooks, config",
                "http/Sample.java uses io.hookgateway.metrics.GatewayMetrics: http may import only hooks, config");
    }

    @Test
    void aPackageBesideIsRefusedToo() {
        String source = """
                package io.hookgateway.processors.command;

                import static io.hookgateway.processors.mqtt.MqttStrings.topic;
                """;

        assertThat(violations(LAYERS, "processors/command/Sample.java", source)).containsExactly(
                "processors/command/Sample.java uses io.hookgateway.processors.mqtt.MqttStrings: processors.command"
                        + " may import only hooks, config, processors, processors.template");
    }

    @Test
    void commentsStringsAndTheOwnPackageAreNotImports() {
        String source = """
                package io.hookgateway.hooks;

                import io.hookgateway.hooks.HookRequest;

                /** Built by {@link io.hookgateway.routing.HookRouter}. */
                final class Sample {
                    // see io.hookgateway.loader.ConfigLoader
                    String logger = "io.hookgateway.access.Log";
                    String block = \"""
                            io.hookgateway.http.Quoted
                            \""";
                    char quote = '"';
                    /* io.hookgateway.metrics.Health */
                }
                """;

        assertThat(violations(LAYERS, "hooks/Sample.java", source)).isEmpty();
    }

    @Test
    void theBootstrapMayImportEverything() {
        String source = """
                package io.hookgateway;

                import io.hookgateway.loader.ConfigLoader;
                import io.hookgateway.metrics.GatewayMetrics;
                """;

        assertThat(violations(LAYERS, "Sample.java", source)).isEmpty();
        assertThat(violations(LAYERS, "loader/Sample.java", source.replace("package io.hookgateway;",
                "package io.hookgateway.loader;"))).isEmpty();
    }

    @Test
    void anUndeclaredPackageIsNamed() {
        String source = """
                package io.hookgateway.http;

                import io.hookgateway.shiny.Thing;
                """;

        assertThat(violations(LAYERS, "http/Sample.java", source)).containsExactly(
                "http/Sample.java uses io.hookgateway.shiny.Thing: http may import only hooks, config");
        assertThat(violations(LAYERS, "shiny/Sample.java", "package io.hookgateway.shiny;\n")).containsExactly(
                "shiny/Sample.java: package shiny is not placed in PackageLayeringTest.LAYERS");
    }

    /** What in {@code source} breaks the order, one line per reference: the file, the name used and the rule. */
    static List<String> violations(Map<String, Set<String>> layers, String file, String source) {
        String own = packageOf(source);
        Set<String> allowed = layers.get(own);
        if (allowed == null) {
            return List.of(file + ": package " + own + " is not placed in PackageLayeringTest.LAYERS");
        }
        List<String> problems = new ArrayList<>();
        Matcher m = REFERENCE.matcher(codeOnly(source));
        while (m.find()) {
            String target = m.group(1).isEmpty() ? BOOTSTRAP : m.group(1).substring(1);
            if (!target.equals(own) && !allowed.contains(target)) {
                String may = allowed.isEmpty() ? "nothing of the gateway" : "only " + String.join(", ", allowed);
                problems.add(file + " uses " + m.group() + ": " + own + " may import " + may);
            }
        }
        return problems;
    }

    private static Map<String, Set<String>> layers(String... packageThenAllowed) {
        Map<String, Set<String>> layers = new LinkedHashMap<>();
        for (int i = 0; i < packageThenAllowed.length; i += 2) {
            String allowed = packageThenAllowed[i + 1];
            Set<String> may = new LinkedHashSet<>();
            if (allowed.equals(BELOW)) {
                may.addAll(layers.keySet());
            } else if (!allowed.isEmpty()) {
                may.addAll(List.of(allowed.split(" ")));
            }
            layers.put(packageThenAllowed[i], may);
        }
        return layers;
    }

    private static List<Path> mainSources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static String packageOf(String source) {
        Matcher m = PACKAGE.matcher(source);
        if (!m.find()) {
            throw new IllegalArgumentException("no package declaration");
        }
        String name = m.group(1);
        return name.equals(ROOT) ? BOOTSTRAP : name.substring(ROOT.length() + 1);
    }

    /** The source with comments, string and character literals and text blocks blanked out. */
    private static String codeOnly(String source) {
        StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            int end;
            if (source.startsWith("//", i)) {
                end = indexOrEnd(source, "\n", i);
            } else if (source.startsWith("/*", i)) {
                end = indexOrEnd(source, "*/", i + 2) + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                end = closing(source, "\"\"\"", i + 3);
            } else if (source.charAt(i) == '"') {
                end = closing(source, "\"", i + 1);
            } else if (source.charAt(i) == '\'') {
                end = closing(source, "'", i + 1);
            } else {
                code.append(source.charAt(i++));
                continue;
            }
            code.append(' ');
            i = Math.min(end, source.length());
        }
        return code.toString();
    }

    private static int indexOrEnd(String source, String what, int from) {
        int at = source.indexOf(what, from);
        return at < 0 ? source.length() : at;
    }

    /** Just past the unescaped {@code quote} closing a literal that starts before {@code from}. */
    private static int closing(String source, String quote, int from) {
        int i = from;
        while (i < source.length()) {
            if (source.charAt(i) == '\\') {
                i += 2;
            } else if (source.startsWith(quote, i)) {
                return i + quote.length();
            } else {
                i++;
            }
        }
        return source.length();
    }
}
