package io.hookgateway.processors.command;

import com.fasterxml.jackson.core.JsonPointer;
import io.hookgateway.processors.template.Template;
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
            "NODE_OPTIONS", "NODE_PATH", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS",
            // Programs a program starts for the user: a pager, an editor, a browser, a preprocessor.
            "PAGER", "MANPAGER", "EDITOR", "VISUAL", "BROWSER", "LESSOPEN", "LESSCLOSE", "PROMPT_COMMAND", "SHELL",
            "TMPDIR", "RSYNC_RSH", "CVS_RSH");

    /**
     * Families read by a loader, a library or a runtime: each has members that name code, a library or a command
     * ({@code GLIBC_TUNABLES}, {@code PYTHONWARNINGS} with {@code BROWSER}, {@code GIT_SSH_COMMAND},
     * {@code OPENSSL_CONF}, {@code BASH_FUNC_x%%}, an exported bash function). A list of members would never be
     * whole, so the family is refused.
     */
    private static final Set<String> READ_BEFORE_THE_PROGRAM_PREFIXES = Set.of("LD_", "DYLD_", "GLIBC_", "MALLOC_",
            "BASH_", "PYTHON", "PERL", "RUBY", "NODE_", "NPM_", "JAVA_", "JDK_", "_JAVA", "GIT_", "SSH_", "OPENSSL_",
            "GCONV_", "SSL_", "CURL_", "WGET", "LUA_", "PHP_", "GEM_", "BUNDLE_", "PIP_", "NO_PROXY", "HTTP_PROXY",
            "HTTPS_PROXY", "ALL_PROXY", "FTP_PROXY");

    /** Suffixes of variables whose value is a command line or options to one ({@code GIT_SSH_COMMAND}, …_OPTS). */
    private static final Set<String> READ_BEFORE_THE_PROGRAM_SUFFIXES = Set.of("_COMMAND", "_CMD", "_OPTS",
            "_OPTIONS", "_FLAGS", "_RSH", "_PROXY", "_PRELOAD", "_PATH", "_LIBRARY", "_CONF", "_CONFIG");

    private Variables() {
    }

    /**
     * Whether a request value may not go in the variable {@code name}, because something reads it before the program
     * does, or as more than data. Name variables that carry request values as your own ({@code HOOK_STATE}).
     */
    static boolean isReadBeforeTheProgram(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return READ_BEFORE_THE_PROGRAM.contains(upper)
                || READ_BEFORE_THE_PROGRAM_PREFIXES.stream().anyMatch(upper::startsWith)
                || READ_BEFORE_THE_PROGRAM_SUFFIXES.stream().anyMatch(upper::endsWith);
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
