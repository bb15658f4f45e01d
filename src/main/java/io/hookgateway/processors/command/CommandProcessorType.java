package io.hookgateway.processors.command;

import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.processors.ProcessorType;
import io.hookgateway.processors.template.Template;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code command}: runs a program, typically a script in {@code handlers/}, with values from the request.
 *
 * <pre>
 * processor:
 *   type: command
 *   command: [handlers/lights.sh, "${path.room}", "${json:/state:-off}"]   # the program, then its arguments
 *   env: {LIGHT_LEVEL: "${query.level:-100}"}     # variables; the program gets only these, PATH and HOME
 *   stdin: "${body}"                              # optional
 *   working-directory: handlers                   # default: the configuration's directory
 *   exit-codes: {0: 200, 3: 404, default: 500}    # exit code to HTTP status
 *   output: stdout                                # none (default) | stdout | combined
 *   max-output-size: 64KiB
 *   log-output: true                              # log a failed run's stderr (capped)
 *   timeout: 5m                                   # the command's own limit (async and stream runs: 10m default)
 *   async: false                                  # true: answer 202 at once, state at .../executions/{id}
 *   stream: false                                 # true: answer 200 at once and stream the output
 * </pre>
 *
 * <p>The program is fixed in the configuration; only its arguments, variables and input come from the request, and
 * they reach it as data (see {@link CommandLine}). {@code shell: true} runs {@code command} (one string) with
 * {@code /bin/sh -c}; that script is program text, so it may hold no request value at all ({@link ProgramText}): the
 * values go in {@code env:}, and the script reads them as {@code "$NAME"}.
 */
public final class CommandProcessorType implements ProcessorType<CommandOptions> {

    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final long MAX_OUTPUT_LIMIT = 16L * 1024 * 1024;
    static final Duration DEFAULT_BACKGROUND_TIMEOUT = Duration.ofMinutes(10);

    @Override
    public String name() {
        return "command";
    }

    @Override
    public CommandOptions parseOptions(ConfigNode node, ProcessorContext.Static context) {
        boolean shell = node.bool("shell", false);
        boolean given = node.has("command");
        List<String> words = node.rawStrings("command", List.of());
        if (words.isEmpty() && (!given || node.isEmptyList("command"))) {
            node.problem("command", (given ? "is empty" : "is required") + "; write the program and its arguments "
                    + "as a list, such as [handlers/lights.sh, \"${path.room}\"]");
        }
        Path program = null;
        ProgramText.Findings findings = null;
        List<Template> arguments = new ArrayList<>();
        if (shell && words.size() > 1) {
            node.problem("command", "with shell: true is one string, the script for /bin/sh; join the words into "
                    + "one, or set shell: false to pass them as separate arguments");
        } else if (shell && words.size() == 1) {
            List<String> problems = ProgramText.shellScriptProblems(words.get(0));
            problems.forEach(p -> node.problem("command", p));
            if (problems.isEmpty()) {
                // /bin/sh -c SCRIPT NAME: the script is fixed text, and its variables come from env: as data.
                program = Path.of("/bin/sh");
                arguments.add(Template.compile("-c"));
                arguments.add(Template.compile(words.get(0)));
                arguments.add(Template.compile(ProgramText.SHELL_NAME));
            }
        } else if (!words.isEmpty()) {
            program = resolveProgram(node, words.get(0), context.configDirectory());
            findings = program == null ? null : ProgramText.check(program, words, context.configDirectory());
            List<String> problems = findings == null ? List.of() : findings.problems();
            problems.forEach(p -> node.problem("command", p));
            if (!problems.isEmpty()) {
                // The code's references were explained above; compiling them as templates would say it again.
                program = null;
            }
            for (int i = 1; i < words.size() && program != null; i++) {
                Template t = template(node, "command[" + i + "]", words.get(i), context);
                if (t != null) {
                    arguments.add(t);
                }
            }
        }
        Path workingDirectory = workingDirectory(node, context.configDirectory());
        Map<String, Template> environment = new LinkedHashMap<>();
        ConfigNode envNode = node.object("env");
        if (envNode != null) {
            for (String name : envNode.names()) {
                if (!VARIABLE.matcher(name).matches()) {
                    envNode.problem(name, "is not a valid variable name; use letters, digits and '_', not starting "
                            + "with a digit");
                    continue;
                }
                Template t = Template.read(envNode, name, null, context);
                if (t != null && !t.isConstant() && Variables.isReadBeforeTheProgram(name)) {
                    envNode.problem(name, "may not carry a request value: the shell, the dynamic loader or an "
                            + "interpreter reads " + name + " before the program runs, as code, options or a place to "
                            + "load code from; name the variable HOOK_" + name + " and read that");
                } else if (t != null) {
                    environment.put(name, t);
                }
            }
        }
        // Standard input written as JSON is read by the program as JSON: its values stay inside their strings.
        Template stdin = node.has("stdin") ? Template.readDocument(node, "stdin", null, context, null) : null;
        if (stdin != null && !stdin.isConstant() && findings != null && findings.stdinProblem() != null) {
            node.problem("stdin", findings.stdinProblem());
        }
        Map<Integer, Integer> exitStatuses = new LinkedHashMap<>();
        int defaultStatus = readExitCodes(node, exitStatuses);
        CommandOptions.Output output = node.parsed("output", CommandOptions.Output.NONE, text -> switch (text) {
            case "none" -> CommandOptions.Output.NONE;
            case "stdout" -> CommandOptions.Output.STDOUT;
            case "combined" -> CommandOptions.Output.COMBINED;
            default -> throw new IllegalArgumentException("'" + text + "' is not an output; use none, stdout or "
                    + "combined");
        });
        long maxOutput = node.size("max-output-size", 64 * 1024, 0, MAX_OUTPUT_LIMIT);
        boolean logOutput = node.bool("log-output", true);
        boolean async = node.bool("async", false);
        boolean stream = node.bool("stream", false);
        if (async && stream) {
            node.problem("stream", "and async cannot both be true: a run either answers at once with an id, or "
                    + "streams its output");
        }
        CommandOptions.Mode mode = async ? CommandOptions.Mode.ASYNC
                : stream ? CommandOptions.Mode.STREAM : CommandOptions.Mode.SYNC;
        Duration timeout = node.duration("timeout", mode == CommandOptions.Mode.SYNC ? null
                : DEFAULT_BACKGROUND_TIMEOUT, Duration.ofMillis(10), Duration.ofDays(1));
        CommandOptions.AsyncLimits asyncLimits = new CommandOptions.AsyncLimits(
                node.integer("async-max-running", 2, 1, 1000),
                node.integer("async-max-queued", 16, 0, 10_000),
                node.duration("async-keep", Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofDays(7)),
                node.integer("async-max-kept", 100, 1, 100_000));
        if (!async) {
            for (String key : List.of("async-max-running", "async-max-queued", "async-keep", "async-max-kept")) {
                if (node.has(key)) {
                    node.problem(key, "only applies with async: true");
                }
            }
        } else if (context.pathVariables() != null && context.pathVariables().contains(EXECUTION_VARIABLE)) {
            node.problem("async", "needs the path variable name '" + EXECUTION_VARIABLE + "' for its state URL; "
                    + "rename {" + EXECUTION_VARIABLE + "} in the hook's path");
        }
        node.finish();
        if (program == null) {
            return null;
        }
        return new CommandOptions(program, arguments, shell, workingDirectory, environment, stdin, exitStatuses,
                defaultStatus, output, maxOutput, logOutput, timeout, mode, asyncLimits);
    }

    /** The path variable of the state URL of an asynchronous run: {@code <hook path>/executions/{execution}}. */
    static final String EXECUTION_VARIABLE = "execution";
    /** Where an asynchronous run's state is read, under the hook's path. */
    static final String STATE_PATH = "/executions/{" + EXECUTION_VARIABLE + "}";

    @Override
    public List<String> subResourcePaths(CommandOptions options) {
        return options.mode() == CommandOptions.Mode.ASYNC ? List.of(STATE_PATH) : List.of();
    }

    @Override
    public HookProcessor create(CommandOptions options, ProcessorContext context) {
        return new CommandProcessor(options, context);
    }

    private static Template template(ConfigNode node, String key, String text, ProcessorContext.Static context) {
        try {
            Template t = Template.compile(text);
            for (String variable : t.pathVariables()) {
                if (context.pathVariables() != null && !context.pathVariables().contains(variable)) {
                    node.problem(key.startsWith("command") ? null : key, "${path." + variable + "} in " + key
                            + " is not a variable of this hook's path");
                    return null;
                }
            }
            return t;
        } catch (IllegalArgumentException e) {
            node.problem(null, key + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * The program must be fixed: a request value never chooses what runs. A name with a '/' is a file relative to
     * the configuration's directory; a bare name is looked up in PATH now, so a typo is found at load, not at 3 am.
     */
    private static Path resolveProgram(ConfigNode node, String word, Path configDirectory) {
        if (word.contains("${")) {
            node.problem("command", "the program (first word) must be fixed, not '" + word + "'; request values "
                    + "may be arguments only");
            return null;
        }
        if (word.indexOf('/') >= 0) {
            Path path = configDirectory.resolve(word).normalize();
            if (!Files.isRegularFile(path)) {
                node.problem("command", "program '" + word + "' does not exist" + lookedFor(node, "command", path)
                        + (word.indexOf(' ') >= 0 ? "; write the program and its arguments as a list" : ""));
                return null;
            }
            if (!Files.isExecutable(path)) {
                node.problem("command", "program " + path + " is not executable; run chmod +x on it");
                return null;
            }
            return path;
        }
        String pathVariable = System.getenv("PATH");
        if (pathVariable != null) {
            for (String dir : pathVariable.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(word);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate.toAbsolutePath();
                }
            }
        }
        String fix;
        if (word.indexOf(' ') >= 0) {
            fix = "; write the program and its arguments as a list";
        } else if (Files.isRegularFile(configDirectory.resolve(word))) {
            fix = "; to run the file beside the configuration, write ./" + word;
        } else {
            fix = "; write its path, such as handlers/" + word;
        }
        node.problem("command", "program '" + word + "' is not in PATH (" + pathVariable + ")" + fix);
        return null;
    }

    private static Path workingDirectory(ConfigNode node, Path configDirectory) {
        String text = node.string("working-directory", null);
        if (text == null) {
            return configDirectory;
        }
        Path dir = configDirectory.resolve(text).normalize();
        if (!Files.isDirectory(dir)) {
            node.problem("working-directory", "'" + text + "' is not a directory"
                    + lookedFor(node, "working-directory", dir));
        }
        return dir;
    }

    /** Where a file was looked for, unless the path is made from the environment, which may hold a secret. */
    private static String lookedFor(ConfigNode node, String key, Path path) {
        return node.isFromEnvironment(key) ? "" : " (looked for " + path + ")";
    }

    /** Reads {@code exit-codes: {0: 200, 3: 404, default: 500}}; returns the default status. */
    private static int readExitCodes(ConfigNode node, Map<Integer, Integer> statuses) {
        statuses.put(0, 200);
        int defaultStatus = 500;
        ConfigNode codes = node.object("exit-codes");
        if (codes == null) {
            return defaultStatus;
        }
        for (String key : codes.names()) {
            int status = codes.integer(key, 500, 200, 599);
            if (key.toLowerCase(Locale.ROOT).equals("default")) {
                defaultStatus = status;
                continue;
            }
            try {
                int code = Integer.parseInt(key.trim());
                if (code < 0 || code > 255) {
                    throw new NumberFormatException();
                }
                statuses.put(code, status);
            } catch (NumberFormatException e) {
                codes.problem(key, "is not an exit code; use 0 to 255, or default");
            }
        }
        return defaultStatus;
    }
}
