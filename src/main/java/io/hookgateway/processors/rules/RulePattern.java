package io.hookgateway.processors.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.hookgateway.hooks.HookException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The regular expression of a {@code regex} rule, in RE2 syntax (RE2/J): matching takes time linear in the value and
 * in the pattern, never the exponential backtracking of {@link java.util.regex}, where {@code ^([a-z0-9]+\s?){1,30}$}
 * held an event loop for seconds over 40 bytes. Both factors are bounded too:
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><td>{@value #MAX_STATES}</td><td>states of a pattern, estimated when the configuration loads, a counted
 *       repetition multiplying what it repeats: {@code (ab){100}} is about 300. A larger pattern is a configuration
 *       error</td></tr>
 *   <tr><td>{@value #WORK_BUDGET} / states, at least {@value #MIN_VALUE_CHARS}</td><td>characters of a value a
 *       pattern is matched against, the states being those of all the regex rules of one rule tree (a hook's
 *       {@code guard}, or its {@code rules}), which a request may all have to match: matching costs about the value's
 *       length times the pattern's states, so one short pattern such as {@code deploy} may examine a body of hundreds
 *       of KiB, the largest pattern 4 KiB. A longer value answers 400 rather than failing the rule, so that
 *       {@code not: {regex: ...}} cannot be passed with one</td></tr>
 * </table>
 *
 * <p>{@code $} is the end of the value and {@code ^} its start (RE2 without the {@code m} flag), so no line terminator
 * ({@code \n}, {@code \r\n}, {@code \r}, U+0085, U+2028, U+2029) slips past {@code ^(ON|OFF)$} as Java's {@code $}
 * lets one.
 */
final class RulePattern {

    /** The most states a pattern may have; RE2's own largest repetition count is 1000 as well. */
    static final int MAX_STATES = 1000;
    /**
     * Characters times states that one match may cost: measured here, RE2/J takes about 10 ms for it with the worst
     * pattern (^([a-zA-Z0-9]+\s?){1,30}$ over 4 KiB of one long word), far less with most.
     */
    static final long WORK_BUDGET = 4L * 1024 * MAX_STATES;
    /** The longest value any pattern, however large, may examine. */
    static final int MIN_VALUE_CHARS = 4 * 1024;

    private final Pattern pattern;
    private final long states;

    private RulePattern(Pattern pattern, long states) {
        this.pattern = pattern;
        this.states = states;
    }

    /**
     * The regex rules of one rule tree, which share one bound on the matching work of a request: together they may
     * have {@link #MAX_STATES}, and each may examine a value of {@link #WORK_BUDGET} over the states of them all, so
     * twenty patterns cost no more than one.
     */
    static final class Work {
        private long states;
        private int maxValueChars = MIN_VALUE_CHARS;

        RulePattern add(RulePattern pattern) {
            states += pattern.states;
            return pattern;
        }

        /**
         * Once the whole tree is read: sets the longest value any of its patterns examines. False when the patterns
         * together have more than {@link #MAX_STATES}: then no value of {@link #MIN_VALUE_CHARS} could be examined by
         * them all within the budget, and the tree is refused.
         */
        boolean seal() {
            maxValueChars = (int) Math.min(Integer.MAX_VALUE, Math.max(MIN_VALUE_CHARS,
                    WORK_BUDGET / Math.max(1, states)));
            return states <= MAX_STATES;
        }

        long states() {
            return states;
        }

        int maxValueChars() {
            return maxValueChars;
        }
    }

    /** Compiles a pattern; one RE2 refuses, or reads differently from Java, throws with what to write instead. */
    static RulePattern compile(String source) {
        Estimate estimate = new Estimate(source);
        if (estimate.javaOnly != null) {
            throw new IllegalArgumentException(estimate.javaOnly);
        }
        if (estimate.states > MAX_STATES) {
            throw new IllegalArgumentException("is too large: about " + estimate.states + " states, more than "
                    + MAX_STATES + " (a counted repetition multiplies what it repeats); write smaller counts, such "
                    + "as [a-z]{1,64}");
        }
        try {
            return new RulePattern(Pattern.compile(source), estimate.states);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("is not a regular expression RE2 accepts: " + e.getDescription()
                    + " at `" + e.getPattern() + "`; " + fixFor(e.getPattern()));
        }
    }

    /** Whether the pattern is found in the value; a value longer than its tree's share answers 400. */
    boolean find(String value, Work work) {
        int maxValueChars = work.maxValueChars();
        if (value.length() > maxValueChars) {
            throw new HookException(400, "a value the hook's rules examine is longer than " + maxValueChars
                    + " characters");
        }
        return pattern.matcher(value).find();
    }

    /** What to write instead of Java or PCRE syntax that RE2 does not have, from the piece it refused. */
    private static String fixFor(String piece) {
        if (piece.length() >= 2 && piece.charAt(0) == '\\' && (piece.charAt(1) >= '1' && piece.charAt(1) <= '9'
                || piece.charAt(1) == 'k')) {
            return "RE2 has no backreferences; to compare two request values, use equals: {value: ..., to: ...}";
        }
        if (piece.startsWith("(?=") || piece.startsWith("(?!") || piece.startsWith("(?<=")
                || piece.startsWith("(?<!")) {
            return "RE2 has no lookahead or lookbehind; combine rules instead, as all: [{regex: ...}, "
                    + "{not: {regex: ...}}]";
        }
        if (piece.startsWith("(?>") || piece.length() >= 2 && piece.endsWith("+")
                && "*+?}".indexOf(piece.charAt(piece.length() - 2)) >= 0) {
            return "RE2 never backtracks, so atomic groups and possessive quantifiers are not needed: write (?:...) "
                    + "and *, + or ? alone";
        }
        if (piece.startsWith("(?")) {
            return "RE2 takes the flags i, m, s and U only, as (?i)";
        }
        return switch (piece) {
            case "\\Z" -> "write $, which is the end of the value";
            case "\\h" -> "write [ \\t]";
            case "\\R" -> "write (?:\\r\\n|[\\n\\r])";
            case "\\e" -> "write \\x1B";
            case "\\c" -> "write the control character as \\xNN";
            default -> "see \"Regular expressions\" in the README for the syntax";
        };
    }

    /**
     * One pass over a pattern: its estimated states (each character, class or escape one; a group its contents and
     * one; a counted repetition multiplies what it repeats), and Java syntax that RE2 reads differently without an
     * error. Malformed patterns are left for RE2 to refuse.
     */
    private static final class Estimate {
        /** Far above {@link #MAX_STATES}, so that products cannot overflow. */
        private static final long SATURATED = 1L << 30;

        long states;
        String javaOnly;
        private final String p;
        private int i;

        Estimate(String pattern) {
            this.p = pattern;
            Deque<Long> outer = new ArrayDeque<>();
            long total = 0;
            long last = 0;
            while (i < p.length()) {
                char c = p.charAt(i);
                long atom = 1;
                if (c == '\\') {
                    atom = escape();
                } else if (c == '[') {
                    characterClass();
                } else if (c == '(') {
                    outer.push(total);
                    total = 0;
                    i++;
                    continue;
                } else if (c == ')' && !outer.isEmpty()) {
                    atom = total + 1;
                    total = outer.pop();
                    i++;
                } else if (c == '{' && repetition() > 0) {
                    long times = repetition();
                    i = p.indexOf('}', i) + 1;
                    total = Math.min(SATURATED, total + last * (times - 1));
                    last = Math.min(SATURATED, last * times);
                    continue;
                } else {
                    i++;
                }
                total = Math.min(SATURATED, total + atom);
                last = c == '|' ? 0 : atom;
            }
            while (!outer.isEmpty()) {
                total = Math.min(SATURATED, total + outer.pop());
            }
            states = total;
        }

        /** The largest count of a repetition {n}, {n,} or {n,m} at {@code i}, or 0 when the brace is literal text. */
        private long repetition() {
            int end = p.indexOf('}', i);
            if (end < 0) {
                return 0;
            }
            String counts = p.substring(i + 1, end);
            if (!counts.matches("[0-9]{1,4}(,[0-9]{0,4})?")) {
                return 0;
            }
            int comma = counts.indexOf(',');
            if (comma < 0) {
                return Math.max(1, Long.parseLong(counts));
            }
            String max = counts.substring(comma + 1);
            return Math.max(1, max.isEmpty() ? Long.parseLong(counts.substring(0, comma)) + 1 : Long.parseLong(max));
        }

        /** Skips an escape at {@code i}; returns its states ({@code \Q...\E} is one per character). */
        private long escape() {
            if (i + 1 >= p.length()) {
                i++;
                return 1;
            }
            char e = p.charAt(i + 1);
            if (e == 'Q') {
                int end = p.indexOf("\\E", i + 2);
                int stop = end < 0 ? p.length() : end;
                long quoted = Math.max(1, stop - (i + 2));
                i = end < 0 ? p.length() : end + 2;
                return quoted;
            }
            i += 2;
            if ((e == 'p' || e == 'P' || e == 'x') && i < p.length() && p.charAt(i) == '{') {
                int end = p.indexOf('}', i);
                i = end < 0 ? p.length() : end + 1;
            }
            return 1;
        }

        /**
         * Skips a character class at {@code i}. Java reads {@code [a-z&&[^b]]} as an intersection and {@code [a[bc]]}
         * as a union; RE2 reads both as a shorter class followed by a literal {@code ]}, matching other values without
         * a word. Such a class is refused.
         */
        private void characterClass() {
            i++;
            if (i < p.length() && p.charAt(i) == '^') {
                i++;
            }
            if (i < p.length() && p.charAt(i) == ']') {
                i++;
            }
            while (i < p.length() && p.charAt(i) != ']') {
                char c = p.charAt(i);
                if (c == '\\') {
                    escape();
                    continue;
                }
                if (c == '[' && p.startsWith("[:", i)) {
                    int end = p.indexOf(":]", i + 2);
                    i = end < 0 ? p.length() : end + 2;
                    continue;
                }
                if (javaOnly == null && (c == '[' || p.startsWith("&&", i))) {
                    javaOnly = "has Java's class " + (c == '[' ? "union [a[bc]]" : "intersection [a-z&&[^b]]")
                            + ", which RE2 reads as a shorter class and a literal ]; list the characters in one "
                            + "class instead, as [ac-z], and write \\[ or \\& for the characters themselves";
                }
                i++;
            }
            i++;
        }
    }
}
