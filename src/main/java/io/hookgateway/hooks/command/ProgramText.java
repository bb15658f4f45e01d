package io.hookgateway.hooks.command;

import io.hookgateway.hooks.template.Template;
import io.hookgateway.hooks.template.TemplateException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rule that a request value never enters the text of a program: the script of {@code shell: true}, or the code
 * argument of {@code sh -c}, {@code python -c}, {@code perl -e} and the like. Such text is parsed as code, and no
 * quoting written around a value holds in every context a parser has: nested substitutions, arithmetic, here-documents,
 * {@code case} patterns, {@code eval}. GitHub's hardening guide for Actions gives the rule followed here: pass the value
 * in an environment variable and have the program read the variable ({@code "$NAME"}), which it takes as data.
 *
 * <p>Only the text as written is checked, when the configuration loads; nothing here looks at a request.
 */
final class ProgramText {

    /**
     * The programs known to read an argument as code, by the name of their file without a version ({@code python3.12}
     * is {@code python}), and how that code reads an environment variable. A shell's script is its first operand when
     * an option cluster holds {@code c} ({@code sh -ec 'script'}); the others take code from the word after their
     * inline-code option, or from the rest of the same word ({@code python -c'print(1)'}). Options that take a value
     * are listed so that their value is not taken for a script's path; a module option ({@code python -m}) names the
     * program, after which come its arguments.
     */
    private enum Interpreter {
        SHELL(Set.of("sh", "ash", "bash", "dash", "ksh", "mksh", "zsh"), "c", "", "oO", Set.of(), "\"$%s\""),
        PYTHON(Set.of("python", "pypy"), "c", "m", "WX", Set.of(), "os.environ[\"%s\"]"),
        PERL(Set.of("perl"), "eE", "", "", Set.of(), "$ENV{%s}"),
        RUBY(Set.of("ruby"), "e", "", "rIC", Set.of(), "ENV[\"%s\"]"),
        NODE(Set.of("node", "nodejs"), "ep", "", "r", Set.of("--eval", "--print"), "process.env.%s"),
        PHP(Set.of("php"), "r", "", "dcz", Set.of(), "getenv(\"%s\")");

        final Set<String> names;
        final String codeOptions;
        final String moduleOptions;
        final String valueOptions;
        final Set<String> longCodeOptions;
        final String readVariable;

        Interpreter(Set<String> names, String codeOptions, String moduleOptions, String valueOptions,
                    Set<String> longCodeOptions, String readVariable) {
            this.names = names;
            this.codeOptions = codeOptions;
            this.moduleOptions = moduleOptions;
            this.valueOptions = valueOptions;
            this.longCodeOptions = longCodeOptions;
            this.readVariable = readVariable;
        }

        static Interpreter of(Path program) {
            String name = program.getFileName().toString().replaceFirst("[0-9.]+$", "");
            for (Interpreter i : values()) {
                if (i.names.contains(name)) {
                    return i;
                }
            }
            return null;
        }
    }

    /** The name the script of {@code shell: true} sees as {@code $0}. */
    static final String SHELL_NAME = "hook-gateway";

    private ProgramText() {
    }

    /**
     * What is wrong with the script of {@code shell: true}, template text as written ({@code $${} kept): one message
     * per {@code ${…}} in it, naming it and saying what to write instead. Empty when the script may run.
     */
    static List<String> shellScriptProblems(String raw) {
        return code(Interpreter.SHELL, "the shell", raw, "the script of shell: true");
    }

    /**
     * What is wrong with the arguments of a program that reads one of them as code: a request value in the code, or
     * before it (where it could be taken for an option, {@code -c} among them, or for the script). Request values after
     * the code, or after a script's path, are the program's arguments, which it takes as data. Empty for any other
     * program.
     *
     * @param arguments the words after the program, as written ({@code $${} kept)
     */
    static List<String> argumentProblems(Path program, List<String> arguments) {
        Interpreter interpreter = Interpreter.of(program);
        if (interpreter == null) {
            return List.of();
        }
        String name = program.getFileName().toString();
        boolean shellScriptIsCode = false;
        boolean optionsEnded = false;
        for (int i = 0; i < arguments.size(); i++) {
            String word = arguments.get(i);
            String key = "command[" + (i + 1) + "]";
            String code = key + ", the code " + name + " runs,";
            boolean option = !optionsEnded && word.length() > 1
                    && (word.startsWith("-") || interpreter == Interpreter.SHELL && word.startsWith("+"));
            String before = key + " holds a request value before " + name + " has its script, where it could be "
                    + "read as an option (such as -c) or as the script itself; write the script's path, or its code, "
                    + "first, and the request values after it, as [" + name + ", handlers/script.sh, "
                    + "\"${query.name}\"]";
            boolean holdsReference = holdsRequestValue(word);
            if (!option) {
                // A shell's script, or the path of a script: what follows are its own arguments, data.
                return !holdsReference ? List.of()
                        : shellScriptIsCode ? code(interpreter, name, word, code) : List.of(before);
            }
            if (word.equals("--")) {
                optionsEnded = true;
            } else if (interpreter.longCodeOptions.contains(word)) {
                return i + 1 < arguments.size() ? code(interpreter, name, arguments.get(i + 1), code) : List.of();
            } else if (!word.startsWith("--")) {
                // Letters from a request value could be any option: only those written before it count.
                int written = holdsReference ? word.indexOf("${") : word.length();
                for (int at = 1; at < written; at++) {
                    char letter = word.charAt(at);
                    boolean last = at == word.length() - 1;
                    if (interpreter.codeOptions.indexOf(letter) >= 0 && interpreter == Interpreter.SHELL) {
                        shellScriptIsCode = true;
                    } else if (interpreter.codeOptions.indexOf(letter) >= 0) {
                        String text = !last ? word.substring(at + 1)
                                : i + 1 < arguments.size() ? arguments.get(i + 1) : "";
                        return code(interpreter, name, text, code);
                    } else if (interpreter.moduleOptions.indexOf(letter) >= 0) {
                        // python -m module: the module is the program, and what follows it is data.
                        return holdsReference ? List.of(before) : List.of();
                    } else if (interpreter.valueOptions.indexOf(letter) >= 0) {
                        // The option's value is the rest of the word, or the next word.
                        i += last ? 1 : 0;
                        break;
                    }
                }
            }
            if (holdsReference) {
                return List.of(before);
            }
        }
        return List.of();
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
                + " reads as code; pass the value in env: instead, as env: {" + variable + ": \"" + written
                + "\"}, and read it there as " + in.readVariable.formatted(variable);
        if (in == Interpreter.SHELL) {
            // The loader replaces an upper-case ${NAME} from the gateway's own environment before the shell runs.
            message += ", in double quotes (\"$${" + variable + "}\" where braces are needed: ${" + variable
                    + "} would be replaced from the gateway's own environment when the configuration loads)";
        }
        return message;
    }

    private static boolean holdsRequestValue(String word) {
        try {
            return !Template.compile(word).isConstant();
        } catch (TemplateException e) {
            return false;
        }
    }
}
