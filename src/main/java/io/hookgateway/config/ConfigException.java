package io.hookgateway.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A configuration that cannot be used. Its message names the file, then one line per problem with the key path, what is
 * wrong and how to fix it; the gateway prints it and exits with status 2.
 */
public final class ConfigException extends Exception {

    private final String source;
    private final List<ConfigProblems.Problem> problems;

    public ConfigException(String source, List<ConfigProblems.Problem> problems) {
        super(String.join("\n", lines(source, problems)));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String source, String keyPath, String message) {
        this(source, List.of(new ConfigProblems.Problem(keyPath, message)));
    }

    /** The file (or {@code <embedded default>}) the problems are in. */
    public String source() {
        return source;
    }

    public List<ConfigProblems.Problem> problems() {
        return problems;
    }

    /**
     * The message line by line: which file, then one line per problem. A line may hold any character the file or a
     * key did (a control character in a key, say): whoever prints them to a terminal escapes each one.
     */
    public List<String> lines() {
        return lines(source, problems);
    }

    private static List<String> lines(String source, List<ConfigProblems.Problem> problems) {
        List<String> lines = new ArrayList<>(problems.size() + 1);
        lines.add("invalid configuration in " + source + " (" + problems.size()
                + (problems.size() == 1 ? " problem)" : " problems)"));
        for (ConfigProblems.Problem p : problems) {
            lines.add("  " + source + ": " + p);
        }
        return lines;
    }
}
