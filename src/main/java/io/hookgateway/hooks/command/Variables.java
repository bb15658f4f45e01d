package io.hookgateway.hooks.command;

import com.fasterxml.jackson.core.JsonPointer;
import io.hookgateway.hooks.template.Template;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

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
     * A variable name for the request value of a reference: the last name it reads, so {@code ${query.room}} and
     * {@code ${json:/state/room}} give {@code ROOM}, {@code ${request.id}} gives {@code REQUEST_ID}; never one of the
     * names read before the program.
     *
     * @param reference a template that is one reference, as {@link Template#visit} gives it
     */
    static String suggestFor(Template reference) {
        String last = reference.referenceName();
        if (reference.reads(Template.Source.JSON)) {
            JsonPointer leaf = JsonPointer.compile(last).last();
            last = leaf == null ? "" : leaf.getMatchingProperty();
        } else if (last == null) {
            // The reference names no value of its own (request.id, body): the name of its source.
            last = Stream.of(Template.Source.values()).filter(reference::reads).findFirst().orElseThrow().name();
        }
        String name = last.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
        if (name.isEmpty()) {
            name = "VALUE";
        } else if (Character.isDigit(name.charAt(0))) {
            name = "VALUE_" + name;
        }
        return isReadBeforeTheProgram(name) ? "HOOK_" + name : name;
    }
}
