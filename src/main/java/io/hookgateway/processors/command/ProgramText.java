package io.hookgateway.processors.command;

import io.hookgateway.processors.template.Template;
import io.hookgateway.processors.template.TemplateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rule that a request value never enters the text of a program: the script of {@code shell: true}, or an argument
 * that a program reads as code ({@code sh -c}, {@code python -c}, {@code awk} program text, {@code pwsh -Command}).
 * Such text is parsed as code, and no quoting written around a value holds in every context a parser has: nested
 * substitutions, arithmetic, here-documents, {@code case} patterns, {@code eval}. GitHub's hardening guide for Actions
 * gives the rule followed here: pass the value in an environment variable and have the program read the variable
 * ({@code "$NAME"}), which it takes as data.
 *
 * <p>Without {@code shell: true} the check is a net, not a parser, and it leans towards refusing:
 * <ul>
 *   <li>A word that names a known {@link Interpreter} is taken for one wherever it stands, not only as the program:
 *       launchers ({@code env}, {@code timeout}, {@code sudo}, {@code xargs}, ...) run a later word as the program,
 *       and a script of the operator's own may run its arguments ({@code exec "$@"}). From that word to the first word
 *       that is surely data (after its code or script, where it reads no more options) a request value is refused.</li>
 *   <li>After a launcher, which word it runs depends on its options, and parsing every launcher's options is the
 *       kind of code that is wrong in a way nobody notices. So a request value is refused until a word the launcher
 *       surely runs: a path (with a {@code /}) of an executable file, or a known interpreter.</li>
 *   <li>Programs that join their words into a command line for a shell ({@code ssh}, {@code watch}) get no request
 *       value at all.</li>
 *   <li>Standard input with a request value is refused for an interpreter that reads its code from it (no script, no
 *       code option), and for {@code xargs} in front of an interpreter, which makes arguments from it.</li>
 * </ul>
 * Every refusal says what to write instead. The README says what no check can: never put a request value into code.
 *
 * <p>Only the text as written is checked, when the configuration loads; nothing here looks at a request.
 */
final class ProgramText {

    /** The name the script of {@code shell: true} sees as {@code $0}. */
    static final String SHELL_NAME = "hook-gateway";

    /** Programs that run another program named by one of their words, after options of their own. */
    private static final Set<String> LAUNCHERS = Set.of("env", "timeout", "nice", "nohup", "setsid", "stdbuf", "sudo",
            "doas", "busybox", "flock", "xargs", "chroot", "ionice", "taskset", "chrt", "unshare", "nsenter",
            "setpriv", "prlimit", "su", "runuser", "time", "strace", "ltrace", "valgrind", "firejail", "bwrap",
            "systemd-run", "numactl", "fakeroot", "unbuffer", "rlwrap", "tini", "dumb-init", "chpst", "setuidgid",
            "cgexec", "torsocks", "proxychains", "proxychains4", "xvfb-run", "dbus-run-session", "catchsegv",
            "pkexec", "sg");

    /** Programs that join the words after them into a command line that a shell runs. */
    private static final Set<String> SHELL_COMMAND_LINES = Set.of("ssh", "watch", "script", "parallel");

    private static final Pattern STANDARD_INPUT = Pattern.compile("-|/dev/stdin|/dev/fd/0|/proc/self/fd/0");

    /**
     * What the words of a command hand to programs that read code: the problems with {@code command}, and, when a
     * program in it reads code from standard input, what to say of a request value in {@code stdin} (else null).
     */
    record Findings(List<String> problems, String stdinProblem) {
    }

    private final Path program;
    private final List<String> words;
    private final Path configDirectory;
    private final List<String> problems = new ArrayList<>();
    private String stdinProblem;

    private ProgramText(Path program, List<String> words, Path configDirectory) {
        this.program = program;
        this.words = words;
        this.configDirectory = configDirectory;
    }

    /**
     * What is wrong with the script of {@code shell: true}, template text as written ({@code $${} kept): one message
     * per {@code ${…}} in it, naming it and saying what to write instead. Empty when the script may run.
     */
    static List<String> shellScriptProblems(String raw) {
        return code(Interpreter.SHELL, "the shell", raw, "the script of shell: true");
    }

    /**
     * Checks a command without {@code shell: true}.
     *
     * @param program the program, resolved (its file name says what it is)
     * @param words the program as written, then its arguments, as written ({@code $${} kept)
     * @param configDirectory what a relative path is resolved against
     */
    static Findings check(Path program, List<String> words, Path configDirectory) {
        ProgramText text = new ProgramText(program, words, configDirectory);
        text.walk();
        return new Findings(List.copyOf(text.problems), text.stdinProblem);
    }

    private void walk() {
        String launcher = null;
        boolean xargs = false;
        int i = 0;
        while (i < words.size() && problems.isEmpty()) {
            String fixed = fixedText(words.get(i));
            String name = i == 0 ? program.getFileName().toString() : fixed == null ? null : fileName(fixed);
            String unversioned = name == null ? null : Interpreter.withoutVersion(name);
            boolean runs = i == 0 || launcher != null && fixed != null && isExecutableFile(fixed);
            Interpreter interpreter = name == null ? null : Interpreter.named(name);
            if (interpreter != null) {
                if (xargs && stdinProblem == null) {
                    stdinProblem = "carries a request value to xargs, which makes arguments for " + name + " from it: "
                            + "a value could land in its code (-I) or among its options; pass the value in env:";
                }
                launcher = null;
                i = new InterpreterWords(interpreter, name, i).read();
            } else if (runs && SHELL_COMMAND_LINES.contains(unversioned)) {
                shellCommandLine(name, i);
                return;
            } else if (runs) {
                launcher = LAUNCHERS.contains(unversioned) ? name : null;
                xargs |= unversioned.equals("xargs");
                i++;
            } else if (launcher != null && holdsRequestValue(words.get(i))) {
                problems.add(key(i) + " holds a request value where " + launcher + " may take it for the program it "
                        + "runs, or for one of its options; write that program as a path, with a '/' "
                        + "(handlers/script.sh, /usr/bin/curl), before the request values: the gateway does not read "
                        + launcher + "'s options, and takes the first path of an executable file for its program"
                        + (launcher.equals("env") ? " (a variable for the program goes in env:)" : ""));
            } else {
                i++;
            }
        }
    }

    /** The words of one interpreter, read from its name to its first word of data. */
    private final class InterpreterWords {

        private final Interpreter in;
        private final String name;
        private final int at;
        private int i;
        /** Whether an option gave the code, a file of it or a module, or said that it comes from standard input. */
        private boolean codeGiven;
        /** Whether the first operand is the code: awk's program, or a shell's script after -c. */
        private boolean operandIsCode;
        private boolean optionsEnded;
        /** The word taken for the value of a long option, which could be taken for the script too. */
        private int skipped = -1;
        /** The first word of data, once found. */
        private int data = -1;

        InterpreterWords(Interpreter in, String name, int at) {
            this.in = in;
            this.name = name;
            this.at = at;
        }

        /** Returns the index of the first word of data ({@code words.size()} when none, or after a problem). */
        int read() {
            int end = words.size();
            if (in.code == Interpreter.Code.EVERY_WORD) {
                for (i = at + 1; i < end; i++) {
                    problems.addAll(code(in, name, words.get(i), codeKey(i)));
                }
                readsCodeFromStdin(name);
                return end;
            }
            operandIsCode = in.code == Interpreter.Code.OPERAND;
            for (i = at + 1; i < end && data < 0 && problems.isEmpty(); i++) {
                String word = words.get(i);
                if (optionsEnded || !isOption(word)) {
                    operand(word);
                } else if (word.equals("--")) {
                    optionsEnded = true;
                    if (codeGiven && !in.has(Interpreter.Flag.SCRIPT_AFTER_CODE)) {
                        data = i + 1;
                    }
                } else if (word.startsWith("--") || in.has(Interpreter.Flag.SINGLE_DASH_LONG_OPTIONS)) {
                    longOption(word);
                } else {
                    letters(word);
                }
            }
            if (!problems.isEmpty()) {
                return end;
            }
            if (data < 0 && !codeGiven && !operandIsCode) {
                readsCodeFromStdin(name);
            }
            return data < 0 ? end : data;
        }

        private boolean isOption(String word) {
            return word.length() > 1
                    && (word.startsWith("-") || in.has(Interpreter.Flag.PLUS_OPTIONS) && word.startsWith("+"));
        }

        /** A word that is not an option: the code, a script's path, or the first argument after code. */
        private void operand(String word) {
            if (operandIsCode && !codeGiven) {
                problems.addAll(code(in, name, word, codeKey(i)));
            } else if (holdsRequestValue(word)) {
                problems.add(codeGiven && !in.has(Interpreter.Flag.SCRIPT_AFTER_CODE) ? afterCode(i)
                        : before(i, skipped == i - 1 ? words.get(skipped) + " was taken for the value of "
                                + words.get(skipped - 1) + ", as the gateway cannot tell which long options take one"
                                : null));
            } else if (!codeGiven && STANDARD_INPUT.matcher(word).matches()) {
                readsCodeFromStdin(name);
            }
            if (operandIsCode && !codeGiven && in.code == Interpreter.Code.OPERAND_AFTER_OPTION) {
                // The word after a shell's code is the name the code sees as $0 (sh -c CODE sh ARGS), never run.
                data = Math.min(i + 2, words.size());
            } else if (optionsEnded || !in.has(Interpreter.Flag.OPTIONS_AFTER_OPERANDS)) {
                data = i + 1;
            }
            codeGiven = true;
        }

        private void longOption(String word) {
            int equals = word.indexOf('=');
            String option = equals < 0 ? word : word.substring(0, equals);
            if (in.longCodeOptions.contains(option)) {
                int codeAt = equals < 0 ? i + 1 : i;
                String code = equals < 0 ? wordAt(codeAt) : word.substring(equals + 1);
                problems.addAll(code(in, name, code, codeKey(codeAt)));
                given(codeAt);
            } else if (holdsRequestValue(word)) {
                problems.add(codeGiven ? afterCode(i) : before(i, null));
            } else if (equals < 0 && i + 1 < words.size() && !isOption(words.get(i + 1))
                    && !holdsRequestValue(words.get(i + 1))) {
                // Which long options take a value is not listed: the next word may be this one's, never the script.
                skipped = ++i;
            }
        }

        /** A cluster of one-letter options, {@code -ec}, some of which may take the rest of the word or the next. */
        private void letters(String word) {
            boolean holdsValue = holdsRequestValue(word);
            // Letters from a request value could be any option: only those written before it count.
            int written = holdsValue ? word.indexOf("${") : word.length();
            for (int letter = 1; letter < written; letter++) {
                char c = word.charAt(letter);
                boolean last = letter == word.length() - 1;
                int valueAt = last ? i + 1 : i;
                String value = last ? wordAt(i + 1) : word.substring(letter + 1);
                if (in.codeOptions.indexOf(c) >= 0 && in.code == Interpreter.Code.OPERAND_AFTER_OPTION) {
                    operandIsCode = true;
                } else if (in.codeOptions.indexOf(c) >= 0) {
                    problems.addAll(code(in, name, value, codeKey(valueAt)));
                    given(valueAt);
                    return;
                } else if (in.fileOptions.indexOf(c) >= 0 || in.valueOptions.indexOf(c) >= 0) {
                    boolean file = in.fileOptions.indexOf(c) >= 0;
                    if (holdsRequestValue(value)) {
                        problems.add(before(valueAt, null));
                    } else if (file && STANDARD_INPUT.matcher(value).matches()) {
                        readsCodeFromStdin(name);
                    }
                    if (file) {
                        given(valueAt);
                    } else {
                        i = valueAt;
                    }
                    return;
                } else if (in.stdinOptions.indexOf(c) >= 0) {
                    readsCodeFromStdin(name);
                    codeGiven = true;
                }
            }
            if (holdsValue) {
                problems.add(codeGiven && !in.has(Interpreter.Flag.SCRIPT_AFTER_CODE) ? afterCode(i) : before(i, null));
            }
        }

        /** An option gave the code, or a file of it, in the word at {@code where}. */
        private void given(int where) {
            codeGiven = true;
            if (in.has(Interpreter.Flag.ENDS_OPTIONS)) {
                data = where + 1;
            }
            i = where;
        }

        private String codeKey(int index) {
            return key(index) + ", the code " + name + " runs,";
        }

        private String before(int index, String why) {
            return key(index) + " holds a request value before " + name + " has its script, where it could be read "
                    + "as an option (such as " + in.codeOptionExample() + "), an option's value or the script itself; "
                    + "write the script's path, or its code, first, and the request values after it, as [" + name
                    + ", handlers/script.sh, \"${query.name}\"]" + (why == null ? "" : " (" + why + ")");
        }

        private String afterCode(int index) {
            return key(index) + " holds a request value where " + name + " still reads options after its code "
                    + "(another " + in.codeOptionExample() + " would be code); write -- before the request values, as ["
                    + name + ", …, --, \"" + words.get(index) + "\"]";
        }
    }

    private void shellCommandLine(String name, int at) {
        for (int i = at + 1; i < words.size() && problems.isEmpty(); i++) {
            if (holdsRequestValue(words.get(i))) {
                problems.add(key(i) + " holds a request value, and " + name + " joins the words after it into a "
                        + "command line that a shell reads as code; run a script of yours that takes the value as an "
                        + "argument, as [handlers/script.sh, \"${query.name}\"]");
            }
        }
        stdinProblem = "carries a request value to " + name + ", which may read commands, or the words of a command "
                + "line, from standard input; pass the value as an argument to a script of yours";
    }

    private void readsCodeFromStdin(String name) {
        if (stdinProblem == null) {
            stdinProblem = "carries a request value to " + name + ", which reads its code from standard input here "
                    + "(command gives it no script or code); give it the path of a script in command, and pass the "
                    + "value as an argument or in env:";
        }
    }

    /** One problem per request value in {@code text}, which {@code reader} runs as code, saying what to write instead. */
    private static List<String> code(Interpreter in, String reader, String text, String where) {
        List<String> problems = new ArrayList<>();
        Template template;
        try {
            template = Template.compile(text);
        } catch (TemplateException e) {
            String hint = in == Interpreter.SHELL ? "; a ${…} meant for the shell itself is written $${…}, or $NAME "
                    + "without braces" : "";
            e.problems().forEach(p -> problems.add(where + " is not valid template text: " + p
                    + (p.contains("$${") ? "" : hint)));
            return problems;
        }
        template.visit(new Template.PartVisitor() {
            @Override
            public void literal(String literal) {
            }

            @Override
            public void reference(int index, Template reference) {
                problems.add(explain(reference, in, where, reader));
            }
        });
        return problems;
    }

    private static String explain(Template reference, Interpreter in, String where, String reader) {
        String written = reference.source();
        String variable = Variables.suggestFor(reference);
        String message = written + " in " + where + " would put a request value into program text, which " + reader
                + " reads as code; ";
        if (in.readVariable == null) {
            return message + reader + " cannot read a variable: do the work in a script of yours that takes the value "
                    + "as an argument, as [handlers/script.sh, \"" + written + "\"]";
        }
        message += "pass the value in env: instead, as env: {" + variable + ": \"" + written + "\"}, and read it there "
                + "as " + in.readVariable.formatted(variable);
        if (in == Interpreter.SHELL) {
            // The loader replaces an upper-case ${NAME} from the gateway's own environment before the shell runs.
            message += ", in double quotes (\"$${" + variable + "}\" where braces are needed: ${" + variable
                    + "} would be replaced from the gateway's own environment when the configuration loads)";
        }
        return message;
    }

    private static String key(int i) {
        return "command[" + i + "]";
    }

    private String wordAt(int i) {
        return i < words.size() ? words.get(i) : "";
    }

    private boolean isExecutableFile(String word) {
        if (word.indexOf('/') < 0) {
            return false;
        }
        Path path = configDirectory.resolve(word).normalize();
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }

    private static String fileName(String word) {
        return word.substring(word.lastIndexOf('/') + 1);
    }

    /** The text of a word without request values, or null (a malformed word is reported where it is compiled). */
    private static String fixedText(String word) {
        try {
            return Template.compile(word).constantValue();
        } catch (TemplateException e) {
            return null;
        }
    }

    private static boolean holdsRequestValue(String word) {
        try {
            return !Template.compile(word).isConstant();
        } catch (TemplateException e) {
            return false;
        }
    }
}
