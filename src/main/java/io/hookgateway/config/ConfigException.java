package io.hookgateway.config;

import java.util.List;

/**
 * A configuration that cannot be used. Its message names the file, then one line per problem with the key path, what is
 * wrong and how to fix it; the gateway prints it and exits with status 2.
 */
public final class ConfigException extends Exception {

    private final String source;
    private final List<ConfigProblems.Problem> problems;

    public ConfigException(String source, List<ConfigProblems.Problem> problems) {
        super(format(source, problems));
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

    private static String format(String source, List<ConfigProblems.Problem> problems) {
        StringBuilder sb = new StringBuilder();
        sb.append("invalid configuration in ").append(source).append(" (")
                .append(problems.size()).append(problems.size() == 1 ? " problem)" : " problems)");
        for (ConfigProblems.Problem p : problems) {
            sb.append("\n  ").append(source).append(": ").append(p);
        }
        return sb.toString();
    }
}
