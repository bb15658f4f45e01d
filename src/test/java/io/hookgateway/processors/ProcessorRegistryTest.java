package io.hookgateway.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.processors.respond.RespondProcessorType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Processor types are found by name on the class path with {@link java.util.ServiceLoader}. */
class ProcessorRegistryTest {

    /** A type that has only a name: all the registry looks at. */
    abstract static class NamedType implements ProcessorType<String> {
        private final String name;

        NamedType(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String parseOptions(ConfigNode options, ProcessorContext.Static context) {
            return "";
        }

        @Override
        public HookProcessor create(String options, ProcessorContext context) {
            throw new UnsupportedOperationException();
        }
    }

    /** A third-party type, registered only through the class loaders built below. */
    public static final class EchoType extends NamedType {
        public EchoType() {
            super("echo");
        }
    }

    /** A second, different type claiming the built-in name. */
    public static final class ImpostorType extends NamedType {
        public ImpostorType() {
            super("respond");
        }
    }

    /** A class loader that adds a services file listing {@code providers} to the test class path. */
    private static URLClassLoader withServices(Path dir, Class<?>... providers) throws Exception {
        Path services = dir.resolve("META-INF/services/" + ProcessorType.class.getName());
        Files.createDirectories(services.getParent());
        StringBuilder lines = new StringBuilder();
        for (Class<?> provider : providers) {
            lines.append(provider.getName()).append('\n');
        }
        Files.writeString(services, lines, StandardCharsets.UTF_8);
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, ProcessorRegistryTest.class.getClassLoader());
    }

    @Test
    void findsTheBuiltInRespondType() {
        ProcessorRegistry registry = ProcessorRegistry.load();

        assertThat(registry.get("respond")).isInstanceOf(RespondProcessorType.class);
        assertThat(registry.names()).contains("respond");
    }

    @Test
    void knowsNothingByAnUnknownOrDifferentlyCasedName() {
        ProcessorRegistry registry = ProcessorRegistry.load();

        assertThat(registry.get("no-such-type")).isNull();
        assertThat(registry.get("Respond")).isNull();
        assertThat(registry.get("")).isNull();
    }

    @Test
    void addsATypeFoundOnTheClassPathAndListsNamesSorted(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = withServices(dir, EchoType.class)) {
            ProcessorRegistry registry = ProcessorRegistry.load(loader);

            assertThat(registry.get("echo")).isInstanceOf(EchoType.class);
            assertThat(registry.get("respond")).isInstanceOf(RespondProcessorType.class);
            // Sorted, among the test-only types this test class path also has.
            assertThat(registry.names()).containsSubsequence("echo", "respond");
        }
    }

    @Test
    void refusesTwoDifferentTypesOfOneName(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = withServices(dir, ImpostorType.class)) {
            assertThatThrownBy(() -> ProcessorRegistry.load(loader))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("two processor types are named 'respond'")
                    .hasMessageContaining(RespondProcessorType.class.getName())
                    .hasMessageContaining(ImpostorType.class.getName());
        }
    }

    @Test
    void toleratesTheSameTypeListedTwice(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = withServices(dir, RespondProcessorType.class)) {
            ProcessorRegistry registry = ProcessorRegistry.load(loader);

            assertThat(registry.names()).containsOnlyOnce("respond");
        }
    }

    @Test
    void theNamesCannotBeChanged() {
        ProcessorRegistry registry = ProcessorRegistry.load();

        assertThatThrownBy(() -> {
            var names = registry.names().iterator();
            names.next();
            names.remove();
        }).isInstanceOf(UnsupportedOperationException.class);
    }
}
