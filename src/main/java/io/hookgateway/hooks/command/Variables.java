package io.hookgateway.hooks.command;

import java.util.Locale;
import java.util.Set;

/**
 * The names of the variables a command hook passes under {@code env:}: which may carry a request value, and what to
 * call the variable that carries one.
 *
 * <p>A variable is data to a program that reads it, but some are read by the shell, the dynamic loader or an
 * interpreter before the program runs, as code, options or a place to load code from: {@code BASH_ENV} names a file
 * that a non-interactive bash expands and runs (bash(1), INVOCATION), {@code LD_PRELOAD} a library the loader runs
 * (ld.so(8)), {@code PERL5OPT} and {@code NODE_OPTIONS} options as if given on the command line. A request value in
 * one of those would choose what runs, so it is refused when the configuration loads.
 */
final class Variables {

    private static final Set<String> READ_BEFORE_THE_PROGRAM = Set.of(
            // Shells: startup files, options, the prompt of xtrace, word splitting, search paths.
            "BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS", "PS4", "IFS", "CDPATH", "GLOBIGNORE", "PATH", "HOME",
            // glibc: character-set modules loaded from a path (its list of "unsecure" variables).
            "GCONV_PATH", "LOCPATH", "NLSPATH",
            // Interpreters: options, startup code and module search paths.
            "PERL5OPT", "PERL5LIB", "PERLLIB", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "RUBYOPT", "RUBYLIB",
            "NODE_OPTIONS", "NODE_PATH", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    private Variables() {
    }

    /** Whether a request value may not go in the variable {@code name}, because it is read before the program runs. */
    static boolean isReadBeforeTheProgram(String name) {
        return READ_BEFORE_THE_PROGRAM.contains(name) || name.startsWith("LD_");
    }

    /**
     * A variable name for the request value of a reference (the text between <code>${</code> and <code>}</code>): its
     * last name, so {@code query.room} and {@code json:/state/room} give {@code ROOM}, {@code request.id} gives
     * {@code REQUEST_ID}; never one of the names read before the program.
     */
    static String suggestFor(String reference) {
        int dash = reference.indexOf(":-");
        String ref = dash >= 0 ? reference.substring(0, dash) : reference;
        String last;
        if (ref.startsWith("json:")) {
            last = ref.substring(ref.lastIndexOf('/') + 1);
        } else if (ref.matches("(query|form|header|path)\\..+")) {
            last = ref.substring(ref.indexOf('.') + 1);
        } else {
            last = ref;
        }
        String name = last.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
        if (name.isEmpty() || ref.equals("json:")) {
            name = "VALUE";
        } else if (Character.isDigit(name.charAt(0))) {
            name = "VALUE_" + name;
        }
        return isReadBeforeTheProgram(name) ? "HOOK_" + name : name;
    }
}
