package io.hookgateway.processors.command;

import java.util.stream.Stream;

/**
 * Request values that would be code to a shell, or that change what a shell does with the text around them. Each one
 * that could run something tries to create the file {@link #MARKER} in the working directory; a test passes such a
 * value and checks that the marker never appears.
 */
final class HostileValues {

    /** The file a hostile value tries to create, relative to the command's working directory. */
    static final String MARKER = "MARKER";

    /** What the variable {@code HOOK_SECRET} holds where a test gives one: a name in a value must not reveal it. */
    static final String SECRET = "s3cret-4242";

    private HostileValues() {
    }

    static Stream<String> all() {
        String m = MARKER;
        return Stream.of(
                // Command substitution, separators and pipes.
                "$(touch " + m + ")",
                "`touch " + m + "`",
                "; touch " + m,
                "| touch " + m,
                "&& touch " + m,
                "x\ntouch " + m,
                "x\r\ntouch " + m,
                "$(printf x > " + m + ")",
                "> " + m,
                "<(touch " + m + ")",
                // Closing whatever quotes a template might have been written in.
                "'; touch " + m + "; '",
                "\"; touch " + m + "; \"",
                "\\'; touch " + m + " #",
                "\")\"; touch " + m + "; \"$(\"",
                "`; touch " + m + "; `",
                // Arithmetic: bash evaluates a subscript's command substitution, and a name reads another variable.
                "a[$(touch " + m + ")]",
                "x[`touch " + m + "`]+1",
                "HOOK_SECRET",
                "HOOK_SECRET+1",
                "1+1",
                "08",
                "99999999999999999999",
                "-7",
                " 7",
                "))); touch " + m + "; echo $(((1",
                // Here-documents: a line that is a terminator ends the document early if the value is program text.
                "x\nEOF\ntouch " + m + "\ncat <<EOF",
                "EOF",
                // case patterns: closing the pattern list, alternatives, globs.
                "*) touch " + m + " ;;",
                "x|*",
                "[!a]*",
                "x) touch " + m + ";; y",
                // Expansions, globs, options, formats and other characters that mean something somewhere.
                "${IFS}touch${IFS}" + m,
                "$HOOK_SECRET ${HOOK_SECRET}",
                "$((1+1)) ~ ~root",
                "* ? [a-z] {a,b}",
                "$'\\x74ouch' " + m,
                "eval touch " + m,
                "-rf /",
                "-n",
                "--output=" + m,
                "%s%n%x",
                "",
                " \t ",
                "\u00e9\u00e8 \u2603 \ud83d\ude00 \u202e \u0663\uff15");
    }
}
