package io.hookgateway.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Collects every problem found while reading a configuration, so the user sees all of them in one run.
 *
 * <p>A message never shows a value that came from the environment: a secret put under the wrong key must not be
 * printed for anyone reading the terminal or the log. The loader {@linkplain #hide hides} each variable's value, and
 * every message added here has it replaced by the {@code ${NAME}} it was written as. Readers of a value say "the value
 * of ${NAME}" themselves ({@link ConfigNode}); this is the net under every other message, the processor types' own
 * included. A value of {@value #HIDDEN_EVERYWHERE} characters or more is hidden wherever it appears in any message; a
 * shorter one only in messages about its own key and the keys around it, and only where it is not part of a longer
 * word or number, since hiding every "1" would turn "from 1 to 65535" into a name.
 */
public final class ConfigProblems {

    /** The length from which a value is hidden in every message, not only in those about its key. */
    static final int HIDDEN_EVERYWHERE = 6;

    /** One problem: where it is (a key path such as {@code hooks[2].path}), what is wrong and how to fix it. */
    public record Problem(String keyPath, String message) {
        @Override
        public String toString() {
            return keyPath.isEmpty() ? message : keyPath + ": " + message;
        }
    }

    /** A value from the environment, at a key path, and the reference it is shown as. */
    private record Hidden(String keyPath, String value, String reference) {
    }

    private final List<Problem> problems = new ArrayList<>();
    private final List<Hidden> hidden = new ArrayList<>();

    public void add(String keyPath, String message) {
        problems.add(new Problem(keyPath, hide(keyPath, message)));
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public List<Problem> list() {
        return Collections.unmodifiableList(problems);
    }

    /** From now on, messages show {@code value}, the value of a variable at {@code keyPath}, as {@code reference}. */
    public void hide(String keyPath, String value, String reference) {
        if (!value.isBlank()) {
            hidden.add(new Hidden(keyPath, value, reference));
        }
    }

    private String hide(String keyPath, String message) {
        String result = message;
        for (Hidden h : hidden) {
            if (h.value().length() >= HIDDEN_EVERYWHERE) {
                result = result.replace(h.value(), h.reference());
            } else if (related(keyPath, h.keyPath())) {
                result = replaceWhole(result, h.value(), h.reference());
            }
        }
        return result;
    }

    /** Whether one key path is the other or holds it: a message about a mapping may quote what is in it. */
    private static boolean related(String a, String b) {
        return a.isEmpty() || b.isEmpty() || a.equals(b) || within(a, b) || within(b, a);
    }

    private static boolean within(String inner, String outer) {
        return inner.startsWith(outer) && (inner.charAt(outer.length()) == '.' || inner.charAt(outer.length()) == '[');
    }

    /**
     * Replaces each occurrence of a short {@code value} that is not part of a longer word or number: the value
     * {@code 1} in {@code 10} stays, since it is not what the message quotes.
     */
    private static String replaceWhole(String text, String value, String reference) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        int at;
        while ((at = text.indexOf(value, from)) >= 0) {
            int end = at + value.length();
            boolean whole = (at == 0 || !joins(text.charAt(at - 1), value.charAt(0)))
                    && (end == text.length() || !joins(value.charAt(value.length() - 1), text.charAt(end)));
            out.append(text, from, at).append(whole ? reference : value);
            from = end;
        }
        return out.append(text, from, text.length()).toString();
    }

    /** Whether two neighbouring characters belong to one word or number. */
    private static boolean joins(char a, char b) {
        return Character.isLetterOrDigit(a) && Character.isLetterOrDigit(b);
    }
}
