package io.hookgateway.processors.command;

import java.util.EnumSet;
import java.util.Set;

/**
 * The programs known to read code from their arguments or from standard input, with just enough of their command
 * lines for {@link ProgramText} to find the code and the first word that is surely data: which options carry code,
 * which carry a file of code, which carry some other value (so that the value is not taken for the script), and
 * whether options still count after the code. The short options listed as taking a value are those the programs'
 * manuals list; any other short option is taken for a flag. A long option written without {@code =} may take the next
 * word as its value: which ones do is not listed, so that word is never taken for the script. Programs change their
 * options between versions, and a table like this one cannot follow them all: it is a net under the rule, which the
 * README states plainly, that a request value never goes into code.
 */
enum Interpreter {

    //     names; where the code is; code, file-of-code, value and stdin option letters; long code options; flags;
    //     how the code reads an environment variable (null: it cannot)
    SHELL(Set.of("sh", "ash", "bash", "dash", "ksh", "mksh", "zsh", "yash", "posh", "rbash", "hush", "csh", "tcsh",
            "fish"), Code.OPERAND_AFTER_OPTION, "c", "", "oOC", "si", Set.of(), EnumSet.of(Flag.PLUS_OPTIONS),
            "\"$%s\""),
    PYTHON(Set.of("python", "pypy"), Code.OPTION, "c", "m", "WXQ", "", Set.of(), EnumSet.of(Flag.ENDS_OPTIONS),
            "os.environ[\"%s\"]"),
    PERL(Set.of("perl"), Code.OPTION, "eE", "", "I", "", Set.of(), EnumSet.noneOf(Flag.class), "$ENV{%s}"),
    RUBY(Set.of("ruby"), Code.OPTION, "e", "", "rICE", "", Set.of(), EnumSet.noneOf(Flag.class), "ENV[\"%s\"]"),
    NODE(Set.of("node", "nodejs"), Code.OPTION, "ep", "", "rC", "", Set.of("--eval", "--print"),
            EnumSet.noneOf(Flag.class), "process.env.%s"),
    PHP(Set.of("php"), Code.OPTION, "rBRE", "fF", "cdztS", "", Set.of(), EnumSet.noneOf(Flag.class), "getenv(\"%s\")"),
    LUA(Set.of("lua", "luajit"), Code.OPTION, "e", "", "lj", "", Set.of(), EnumSet.of(Flag.SCRIPT_AFTER_CODE),
            "os.getenv(\"%s\")"),
    TCL(Set.of("tclsh"), Code.OPTION, "", "", "", "", Set.of(), EnumSet.of(Flag.SINGLE_DASH_LONG_OPTIONS),
            "$::env(%s)"),
    AWK(Set.of("awk", "gawk", "mawk", "nawk"), Code.OPERAND, "e", "fE", "vFilW", "", Set.of("--source"),
            EnumSet.noneOf(Flag.class), "ENVIRON[\"%s\"]"),
    SED(Set.of("sed", "gsed"), Code.OPERAND, "e", "f", "l", "", Set.of("--expression"),
            EnumSet.of(Flag.OPTIONS_AFTER_OPERANDS), null),
    POWERSHELL(Set.of("pwsh", "powershell"), Code.EVERY_WORD, "", "", "", "", Set.of(), EnumSet.noneOf(Flag.class),
            "$env:%s");

    /** Where a program finds its code. */
    enum Code {
        /** A shell: the code option ({@code sh -c}) makes the first operand the code; else it is a script's path. */
        OPERAND_AFTER_OPTION,
        /** The value of a code option ({@code python -c CODE}); else the first operand is a script's path. */
        OPTION,
        /** The first operand ({@code awk '{print}'}), unless an option gave the code or a file of it. */
        OPERAND,
        /** Every word after the program: {@code pwsh -Command} joins them into one command, and takes abbreviations. */
        EVERY_WORD
    }

    enum Flag {
        /** Shell options also start with {@code +}, as in {@code +o}. */
        PLUS_OPTIONS,
        /** Options end with the code or the module ({@code python -c CODE -x}: {@code -x} is an argument). */
        ENDS_OPTIONS,
        /** Options go on after the operands, up to {@code --} (GNU getopt permutes: {@code sed p FILE -e CODE}). */
        OPTIONS_AFTER_OPERANDS,
        /** After code from an option, the first operand is still a script to run ({@code lua -e CODE SCRIPT}). */
        SCRIPT_AFTER_CODE,
        /** Long options start with one dash ({@code tclsh -encoding NAME}). */
        SINGLE_DASH_LONG_OPTIONS
    }

    final Set<String> names;
    final Code code;
    final String codeOptions;
    final String fileOptions;
    final String valueOptions;
    final String stdinOptions;
    final Set<String> longCodeOptions;
    final Set<Flag> flags;
    final String readVariable;

    Interpreter(Set<String> names, Code code, String codeOptions, String fileOptions, String valueOptions,
                String stdinOptions, Set<String> longCodeOptions, Set<Flag> flags, String readVariable) {
        this.names = names;
        this.code = code;
        this.codeOptions = codeOptions;
        this.fileOptions = fileOptions;
        this.valueOptions = valueOptions;
        this.stdinOptions = stdinOptions;
        this.longCodeOptions = longCodeOptions;
        this.flags = flags;
        this.readVariable = readVariable;
    }

    /** The interpreter a program is, by the name of its file without a version ({@code python3.12} is python). */
    static Interpreter named(String fileName) {
        String name = withoutVersion(fileName);
        for (Interpreter i : values()) {
            if (i.names.contains(name)) {
                return i;
            }
        }
        return null;
    }

    static String withoutVersion(String fileName) {
        return fileName.replaceFirst("[0-9.]+$", "");
    }

    boolean has(Flag flag) {
        return flags.contains(flag);
    }

    /** An option of this interpreter that takes code, for a message: {@code -c}, {@code -e}. */
    String codeOptionExample() {
        return codeOptions.isEmpty() ? "-c" : "-" + codeOptions.charAt(0);
    }
}
