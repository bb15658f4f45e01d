package io.hookgateway.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collects every problem found while reading a configuration, so the user sees all of them in one run. */
public final class ConfigProblems {

    /** One problem: where it is (a key path such as {@code hooks[2].path}), what is wrong and how to fix it. */
    public record Problem(String keyPath, String message) {
        @Override
        public String toString() {
            return keyPath.isEmpty() ? message : keyPath + ": " + message;
        }
    }

    private final List<Problem> problems = new ArrayList<>();

    public void add(String keyPath, String message) {
        problems.add(new Problem(keyPath, message));
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public List<Problem> list() {
        return Collections.unmodifiableList(problems);
    }
}
