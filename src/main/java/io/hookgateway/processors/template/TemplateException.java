package io.hookgateway.processors.template;

import java.util.List;

/** A template that cannot be compiled, with every problem found in it (not only the first). */
public final class TemplateException extends IllegalArgumentException {

    private final List<String> problems;

    TemplateException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem, as the end of a sentence about the template's key. */
    public List<String> problems() {
        return problems;
    }
}
