package io.hookgateway.processors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.hookgateway.config.ConfigNode;
import io.hookgateway.config.ConfigProblems;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Options read the way the configuration loader reads them for one hook: YAML turned into a {@link ConfigNode} at its
 * key path, and the problems found while reading, kept for the test to look at. One per test; it is not thread-safe.
 */
public final class OptionParsing {

    /** Where a hook's {@code processor:} mapping is in the configuration. */
    public static final String PROCESSOR = "hooks[0].processor";

    private final ConfigProblems problems = new ConfigProblems();

    /** What option parsing is told about the hook: its name, its file's directory and its path's variables. */
    public static ProcessorContext.Static hook(String name, Path configDirectory, String... pathVariables) {
        return new StaticContext(configDirectory, name, Set.of(pathVariables));
    }

    /**
     * Reads {@code yaml} as the {@code processor:} mapping of a hook with {@code type} already read, as the loader
     * hands it to the type, and returns what the type made of it.
     */
    public <O> O parse(ProcessorType<O> type, String yaml, ProcessorContext.Static context) {
        ConfigNode node = node(PROCESSOR, yaml);
        node.markKnown("type");
        return type.parseOptions(node, context);
    }

    /** {@code yaml} as a mapping at {@code keyPath}, reporting into this parsing's problems. */
    public ConfigNode node(String keyPath, String yaml) {
        try {
            return ConfigNode.of(new YAMLMapper().readTree(yaml), keyPath, problems);
        } catch (IOException e) {
            throw new IllegalArgumentException("the test's YAML does not parse: " + yaml, e);
        }
    }

    /** Every problem reported so far, in order. */
    public List<ConfigProblems.Problem> problems() {
        return problems.list();
    }

    /** Every problem reported so far as the user reads it: {@code key.path: message}. */
    public List<String> messages() {
        return problems.list().stream().map(ConfigProblems.Problem::toString).toList();
    }

    /**
     * The message of the one problem at {@code key} under the processor ({@code url} for
     * {@code hooks[0].processor.url}), failing when there is none or more than one.
     */
    public String problemAt(String key) {
        String keyPath = PROCESSOR + "." + key;
        List<String> messages = problems.list().stream()
                .filter(p -> p.keyPath().equals(keyPath))
                .map(ConfigProblems.Problem::message)
                .toList();
        assertThat(messages).as("problems at %s among %s", keyPath, problems.list()).hasSize(1);
        return messages.get(0);
    }

    private record StaticContext(Path configDirectory, String hookName, Set<String> pathVariables)
            implements ProcessorContext.Static {
    }
}
