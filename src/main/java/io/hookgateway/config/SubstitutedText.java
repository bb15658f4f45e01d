package io.hookgateway.config;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A text value with its environment variables replaced, which remembers how it was written: messages show the
 * {@code ${NAME}} written rather than the value, which may be a secret, and rules can tell an empty variable from an
 * empty text written on purpose.
 */
public final class SubstitutedText extends TextNode {

    /** How a secret file is written in a value, and named among a value's variables. */
    public static final String FILE_PREFIX = "file:";

    private final String written;
    private final Map<String, String> variables;

    /**
     * @param value the text with every variable replaced
     * @param written the text as written in the file
     * @param variables each variable used, in order, with the value it gave
     */
    public SubstitutedText(String value, String written, Map<String, String> variables) {
        super(value);
        this.written = written;
        this.variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }

    /** The text as written in the file, {@code ${NAME}} and all. */
    String written() {
        return written;
    }

    /**
     * How a message names a variable: {@code environment variable KEY}, or {@code secret file /run/secrets/key} for
     * one written {@code ${file:/run/secrets/key}}.
     */
    static String describe(String variable) {
        return variable.startsWith(FILE_PREFIX)
                ? "secret file " + variable.substring(FILE_PREFIX.length())
                : "environment variable " + variable;
    }

    /** Each variable used, in order, with the value it gave: {@code KEY}, or {@code file:/path} for a file. */
    Map<String, String> variables() {
        return variables;
    }
}
