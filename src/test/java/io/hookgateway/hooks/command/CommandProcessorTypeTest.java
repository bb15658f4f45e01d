package io.hookgateway.hooks.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.hooks.OptionParsing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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
    void takesAShellScriptAsOneString() {
        CommandOptions o = options("shell: true\ncommand: 'echo ${path.room} \"at ${query.level:-9}\" | tr a-z A-Z'");
        assertThat(parsing.messages()).isEmpty();
        assertThat(o.program()).isEqualTo(Path.of("/bin/sh"));
        // Values become positional parameters: quoted outside quotes, bare inside double quotes.
        assertThat(o.shell().script()).isEqualTo("echo \"${1}\" \"at ${2}\" | tr a-z A-Z");
        options("shell: true\ncommand: [echo, hi]");
        assertThat(parsing.messages()).singleElement().asString().contains("with shell: true is one string");
    }

    @Test
    void refusesAShellValueTheShellWouldNotTakeAsData() {
        options("shell: true\ncommand: \"echo '${path.room}'\"");
        options("shell: true\ncommand: 'echo `cat ${path.room}`'");
        options("shell: true\ncommand: 'echo \\${path.room}'");
        options("shell: true\ncommand: 'echo \"${path.room}'");
        assertThat(parsing.messages()).containsExactly(
                KEY + ".command: the request value in single quotes would not be expanded; close the quotes around "
                        + "it, or use double quotes",
                KEY + ".command: the request value in backticks cannot be passed safely; use $( ... ) instead",
                KEY + ".command: the request value ${path.room} follows a backslash; remove the backslash",
                KEY + ".command: the script ends inside a quote, backtick or escape; close it");
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
