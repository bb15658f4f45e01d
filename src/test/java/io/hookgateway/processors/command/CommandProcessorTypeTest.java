package io.hookgateway.processors.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.processors.OptionParsing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code command}'s options: the program is fixed and found at load, every option is checked with its key path, and a
 * mistake says how to write it right.
 */
class CommandProcessorTypeTest {

    private static final String KEY = OptionParsing.PROCESSOR;

    @TempDir
    Path dir;

    private final CommandProcessorType type = new CommandProcessorType();
    private final OptionParsing parsing = new OptionParsing();

    @BeforeEach
    void scripts() throws Exception {
        Path run = dir.resolve("run.sh");
        Files.writeString(run, "#!/bin/sh\necho ok\n");
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        // Stand-ins named like interpreters: the rule goes by the program's name, whatever is installed here.
        Files.createDirectory(dir.resolve("bin"));
        for (String name : List.of("sh", "bash", "dash", "python3", "perl", "ruby", "node", "php")) {
            Files.copy(run, dir.resolve("bin").resolve(name));
        }
        Files.writeString(dir.resolve("plain.txt"), "not a program");
        Files.createDirectory(dir.resolve("work"));
    }

    private CommandOptions options(String yaml) {
        return parsing.parse(type, yaml, OptionParsing.hook("h", dir, "room"));
    }

    @Test
    void resolvesAProgramPathAgainstTheConfigurationsDirectory() {
        CommandOptions o = options("command: [./run.sh, '${path.room}', fixed]");
        assertThat(parsing.messages()).isEmpty();
        assertThat(o.program()).isEqualTo(dir.resolve("run.sh"));
        assertThat(o.arguments()).extracting(t -> t.source()).containsExactly("${path.room}", "fixed");
        assertThat(o.workingDirectory()).isEqualTo(dir);
        assertThat(o.mode()).isEqualTo(CommandOptions.Mode.SYNC);
        assertThat(o.timeout()).isNull();
        assertThat(o.statusFor(0)).isEqualTo(200);
        assertThat(o.statusFor(1)).isEqualTo(500);
    }

    @Test
    void findsABareProgramNameInPath() {
        assertThat(options("command: [sh, -c, 'true']").program().getFileName().toString()).isEqualTo("sh");
        assertThat(parsing.messages()).isEmpty();
    }

    @Test
    void refusesAProgramThatDoesNotExistAndSaysWhereItLooked() {
        options("command: [bin/missing.sh]");
        assertThat(parsing.messages()).singleElement().asString().startsWith(KEY + ".command: program 'bin/missing.sh' "
                + "does not exist (looked for " + dir.resolve("bin/missing.sh"));
    }

    @Test
    void pointsAtTheFileBesideTheConfigurationWhenABareNameIsNotInPath() {
        options("command: [run.sh]");
        assertThat(parsing.messages()).singleElement().asString()
                .endsWith("; to run the file beside the configuration, write ./run.sh");
    }

    @Test
    void refusesAProgramThatIsNotExecutable() {
        options("command: [./plain.txt]");
        assertThat(parsing.messages()).singleElement().asString().endsWith("is not executable; run chmod +x on it");
    }

    @Test
    void refusesAProgramChosenByTheRequest() {
        options("command: ['${query.program}', x]");
        assertThat(parsing.messages()).singleElement().asString()
                .contains("the program (first word) must be fixed", "request values may be arguments only");
    }

    @Test
    void suggestsAListWhenAProgramIsWrittenWithItsArgumentsInOneString() {
        options("command: './run.sh on'");
        assertThat(parsing.messages()).singleElement().asString()
                .endsWith("write the program and its arguments as a list");
    }

    @Test
    void runsAShellScriptAsFixedTextWithItsNameAsDollarZero() {
        CommandOptions o = options("shell: true\nenv: {ROOM: '${path.room}'}\n"
                + "command: 'echo \"$ROOM\" \"$${ROOM}s\" | tr a-z A-Z'");
        assertThat(parsing.messages()).isEmpty();
        assertThat(o.shell()).isTrue();
        assertThat(o.program()).isEqualTo(Path.of("/bin/sh"));
        // $${ is the template's escape for a literal ${, so the shell gets its own ${ROOM}.
        assertThat(o.arguments()).extracting(t -> t.render(null))
                .containsExactly("-c", "echo \"$ROOM\" \"${ROOM}s\" | tr a-z A-Z", ProgramText.SHELL_NAME);
        options("shell: true\ncommand: [echo, hi]");
        assertThat(parsing.messages()).singleElement().asString().contains("with shell: true is one string");
    }

    @Test
    void refusesEveryRequestValueInAShellScriptAndShowsTheSafeForm() {
        options("shell: true\ncommand: 'find . -name \"${query.name}\" -newer ${path.room:-x}'");
        assertThat(parsing.messages()).containsExactly(
                KEY + ".command: ${query.name} in the script of shell: true would put a request value into program "
                        + "text, which the shell reads as code; pass the value in env: instead, as env: {NAME: "
                        + "\"${query.name}\"}, and read it there as \"$NAME\", in double quotes (\"$${NAME}\" where "
                        + "braces are needed: ${NAME} would be replaced from the gateway's own environment when the "
                        + "configuration loads)",
                KEY + ".command: ${path.room:-x} in the script of shell: true would put a request value into "
                        + "program text, which the shell reads as code; pass the value in env: instead, as env: "
                        + "{ROOM: \"${path.room:-x}\"}, and read it there as \"$ROOM\", in double quotes (\"$${ROOM}\" "
                        + "where braces are needed: ${ROOM} would be replaced from the gateway's own environment when "
                        + "the configuration loads)");
    }

    @Test
    void pointsAShellsOwnBracedParameterAtItsEscape() {
        options("shell: true\ncommand: 'for i in 1 2; do echo ${i} ${1} ${i%x}; done; echo ${'");
        String invalid = KEY + ".command: the script of shell: true is not valid template text: ";
        String hint = "; a ${…} meant for the shell itself is written $${…}, or $NAME without braces";
        assertThat(parsing.messages()).satisfiesExactly(
                m -> assertThat(m).startsWith(invalid + "'${i}' refers to an unknown value").endsWith(hint),
                m -> assertThat(m).startsWith(invalid + "'${1}' refers to an unknown value").endsWith(hint),
                m -> assertThat(m).startsWith(invalid + "'${i%x}' refers to an unknown value").endsWith(hint),
                m -> assertThat(m).isEqualTo(invalid + "'${' at position 51 has no closing '}'; write $${ for a "
                        + "literal ${"));
    }

    @Test
    void refusesARequestValueInTheCodeAnInterpreterRunsFromItsArguments() {
        for (String command : List.of(
                "[./bin/sh, -c, 'echo ${query.q}']",
                "[./bin/bash, -e, -c, 'echo \"${query.q}\"', bash]",
                "[./bin/bash, -ec, 'echo ${query.q}']",
                "[./bin/bash, -o, pipefail, -c, 'echo ${query.q}']",
                "[./bin/dash, -c, --, 'echo ${query.q}']",
                "[./bin/python3, -c, 'print(\"${query.q}\")']",
                "[./bin/python3, '-c print(\"${query.q}\")']",
                "[./bin/python3, -W, ignore, -c, 'print(\"${query.q}\")']",
                "[./bin/perl, -e, 'print \"${query.q}\"']",
                "[./bin/ruby, -e, 'puts \"${query.q}\"']",
                "[./bin/node, --eval, 'console.log(\"${query.q}\")']",
                "[./bin/php, -r, 'echo \"${query.q}\";']")) {
            OptionParsing parsing = new OptionParsing();
            CommandOptions o = parsing.parse(type, "command: " + command, OptionParsing.hook("h", dir));
            assertThat(o).as(command).isNull();
            assertThat(parsing.messages()).as(command).singleElement().asString()
                    .contains("${query.q} in command[", "would put a request value into program text",
                            "env: {Q: \"${query.q}\"}");
        }
    }

    @Test
    void refusesARequestValueWhereAnInterpreterCouldTakeItForAnOptionOrItsScript() {
        for (String command : List.of("[./bin/bash, '${query.q}']", "[./bin/sh, -e, '${query.q}', x]",
                "[./bin/python3, '${query.a}', '${query.b}']", "[./bin/perl, '-${query.flag}', script.pl]")) {
            OptionParsing parsing = new OptionParsing();
            assertThat(parsing.parse(type, "command: " + command, OptionParsing.hook("h", dir))).as(command).isNull();
            assertThat(parsing.messages()).as(command).singleElement().asString()
                    .contains("holds a request value before", "has its script", "could be read as an option");
        }
    }

    @Test
    void passesRequestValuesAfterAnInterpretersScriptOrCodeAsData() {
        for (String command : List.of(
                "[./bin/sh, -c, 'echo \"$1\"', sh, '${query.q}']",
                "[./bin/bash, ./run.sh, '${query.q}', -c, '${query.q}']",
                "[./bin/python3, -m, json.tool, '${query.q}']",
                "[./bin/python3, -c, 'import sys; print(sys.argv[1])', '${query.q}']",
                "[./run.sh, -c, '${query.q}']")) {
            OptionParsing parsing = new OptionParsing();
            assertThat(parsing.parse(type, "command: " + command, OptionParsing.hook("h", dir))).as(command)
                    .isNotNull();
            assertThat(parsing.messages()).as(command).isEmpty();
        }
    }

    @Test
    void refusesARequestValueOnStandardInputThatAnInterpreterReadsAsCode() {
        options("command: [./bin/python3]\nstdin: '${body}'");
        assertThat(parsing.messages()).singleElement().asString().startsWith(KEY + ".stdin: carries a request value to "
                + "python3, which reads its code from standard input here");
        for (String yaml : List.of("command: [./bin/python3]\nstdin: 'print(1)'",
                "command: [./bin/python3, ./run.sh]\nstdin: '${body}'")) {
            OptionParsing parsing = new OptionParsing();
            assertThat(parsing.parse(type, yaml, OptionParsing.hook("h", dir))).as(yaml).isNotNull();
            assertThat(parsing.messages()).as(yaml).isEmpty();
        }
    }

    @Test
    void refusesARequestValueInAVariableReadBeforeTheProgramRuns() {
        options("""
                command: [./run.sh]
                env: {BASH_ENV: '${query.a}', LD_PRELOAD: '${query.b}', PATH: '/x:${query.c}', IFS: '${query.d}',
                      NODE_OPTIONS: '${query.e}', PATH_TO_FILE: '${query.f}', LD_LIBRARY_PATH: /opt/lib}
                """);
        assertThat(parsing.messages()).containsExactly(
                KEY + ".env.BASH_ENV: may not carry a request value: the shell, the dynamic loader or an interpreter "
                        + "reads BASH_ENV before the program runs, as code, options or a place to load code from; "
                        + "name the variable HOOK_BASH_ENV and read that",
                KEY + ".env.LD_PRELOAD: may not carry a request value: the shell, the dynamic loader or an "
                        + "interpreter reads LD_PRELOAD before the program runs, as code, options or a place to load "
                        + "code from; name the variable HOOK_LD_PRELOAD and read that",
                KEY + ".env.PATH: may not carry a request value: the shell, the dynamic loader or an interpreter "
                        + "reads PATH before the program runs, as code, options or a place to load code from; name "
                        + "the variable HOOK_PATH and read that",
                KEY + ".env.IFS: may not carry a request value: the shell, the dynamic loader or an interpreter "
                        + "reads IFS before the program runs, as code, options or a place to load code from; name the "
                        + "variable HOOK_IFS and read that",
                KEY + ".env.NODE_OPTIONS: may not carry a request value: the shell, the dynamic loader or an "
                        + "interpreter reads NODE_OPTIONS before the program runs, as code, options or a place to "
                        + "load code from; name the variable HOOK_NODE_OPTIONS and read that");
    }

    @Test
    void readsExitCodesOutputAndTheRest() {
        CommandOptions o = options("""
                command: [./run.sh]
                exit-codes: {0: 204, 3: 404, default: 502}
                output: combined
                max-output-size: 2KiB
                log-output: false
                working-directory: work
                env: {LEVEL: '${query.level:-100}'}
                stdin: '${body}'
                timeout: 5s
                """);
        assertThat(parsing.messages()).isEmpty();
        assertThat(o.statusFor(0)).isEqualTo(204);
        assertThat(o.statusFor(3)).isEqualTo(404);
        assertThat(o.statusFor(7)).isEqualTo(502);
        assertThat(o.output()).isEqualTo(CommandOptions.Output.COMBINED);
        assertThat(o.maxOutputBytes()).isEqualTo(2048);
        assertThat(o.logOutput()).isFalse();
        assertThat(o.workingDirectory()).isEqualTo(dir.resolve("work"));
        assertThat(o.environment()).containsOnlyKeys("LEVEL");
        assertThat(o.stdin().isWholeBody()).isTrue();
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void reportsEachBadOptionAtItsKey() {
        options("""
                command: [./run.sh, '${path.nope}']
                exit-codes: {300: 200, x: 500, 1: 99}
                output: everything
                working-directory: nowhere
                env: {'1BAD': x}
                async: true
                stream: true
                """);
        assertThat(parsing.messages()).containsExactlyInAnyOrder(
                KEY + ": ${path.nope} in command[1] is not a variable of this hook's path",
                KEY + ".working-directory: 'nowhere' is not a directory (looked for " + dir.resolve("nowhere") + ")",
                KEY + ".env.1BAD: is not a valid variable name; use letters, digits and '_', not starting with a digit",
                KEY + ".exit-codes.300: is not an exit code; use 0 to 255, or default",
                KEY + ".exit-codes.x: is not an exit code; use 0 to 255, or default",
                KEY + ".exit-codes.1: must be from 200 to 599, not 99",
                KEY + ".output: 'everything' is not an output; use none, stdout or combined",
                KEY + ".stream: and async cannot both be true: a run either answers at once with an id, or streams "
                        + "its output");
    }

    @Test
    void givesBackgroundRunsATimeoutAndAsyncLimitsOnlyToAsyncHooks() {
        CommandOptions async = options("command: [./run.sh]\nasync: true\nasync-max-running: 1\nasync-keep: 10m");
        assertThat(parsing.messages()).isEmpty();
        assertThat(async.timeout()).isEqualTo(CommandProcessorType.DEFAULT_BACKGROUND_TIMEOUT);
        assertThat(async.async().maxRunning()).isEqualTo(1);
        assertThat(async.async().keep()).isEqualTo(Duration.ofMinutes(10));
        options("command: [./run.sh]\nasync-max-running: 1");
        assertThat(parsing.messages()).singleElement().asString()
                .endsWith("async-max-running: only applies with async: true");
    }

    @Test
    void requiresACommand() {
        options("output: stdout");
        assertThat(parsing.messages()).singleElement().asString().startsWith(KEY + ".command: is required");
    }
}
