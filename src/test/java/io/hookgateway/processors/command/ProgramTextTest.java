package io.hookgateway.processors.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The net under the rule that a request value never goes into code, in argv mode: every interpreter, with and without
 * options before its code, behind every launcher, and where the value is data after all. Commands are written as in
 * the configuration; the rule goes by the programs' names, so none of them needs to be installed.
 */
class ProgramTextTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    static Path dir;

    @BeforeAll
    static void programs() throws IOException {
        // What a launcher runs is told by its path: these exist and can run.
        Files.createDirectories(dir.resolve("bin"));
        for (String name : List.of("run.sh", "bin/env", "bin/ssh", "bin/python3")) {
            Path file = Files.writeString(dir.resolve(name), "#!/bin/sh\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(dir.resolve("lock"), "");
    }

    /** Checks a command written as a YAML flow list, its program's name being its first word's. */
    private static ProgramText.Findings check(String command) {
        try {
            List<String> words = YAML.readValue(command, new TypeReference<List<String>>() { });
            return ProgramText.check(Path.of(words.get(0)), words, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(command, e);
        }
    }

    private static List<String> problems(String command) {
        return check(command).problems();
    }

    // The code of every interpreter, with and without options before it.
    static Stream<String> codeWithAValue() {
        return Stream.of(
                "[sh, -c, 'echo ${query.q}']",
                "[/usr/bin/bash, -ec, 'echo \"${query.q}\"']",
                "[bash, -o, pipefail, -c, 'echo ${query.q}']",
                "[bash, +o, pipefail, -x, -c, 'echo ${query.q}', bash]",
                "[bash, --rcfile, /dev/null, -c, 'echo ${query.q}']",
                "[dash, -c, --, 'echo ${query.q}']",
                "[zsh, -c, 'echo ${query.q}']",
                "[fish, -C, 'set x 1', -c, 'echo ${query.q}']",
                "[tcsh, -c, 'echo ${query.q}']",
                "[python3, -c, 'print(\"${query.q}\")']",
                "[python3.12, '-cprint(\"${query.q}\")']",
                "[python3, -W, ignore, -X, dev, -c, 'print(\"${query.q}\")']",
                "[pypy3, -u, -c, 'print(\"${query.q}\")']",
                "[perl, -e, 'print \"${query.q}\"']",
                "[perl, -lne, 'print \"${query.q}\"']",
                "[perl, -I, lib, -E, 'say \"${query.q}\"']",
                "[ruby, -r, json, -e, 'puts \"${query.q}\"']",
                "[node, -e, 'console.log(\"${query.q}\")']",
                "[node, --require, ./x.js, --eval, 'console.log(\"${query.q}\")']",
                "[node, '--eval=console.log(\"${query.q}\")']",
                "[nodejs, -p, '\"${query.q}\"']",
                "[php, -r, 'echo \"${query.q}\";']",
                "[php, -d, display_errors=1, -B, 'echo \"${query.q}\";']",
                "[lua, -e, 'print(\"${query.q}\")']",
                "[lua5.4, -l, socket, -e, 'print(\"${query.q}\")']",
                "[luajit, -e, 'print(\"${query.q}\")']",
                "[awk, 'BEGIN { print \"${query.q}\" }']",
                "[awk, -F, ':', -v, x=1, '$1 == \"${query.q}\" { print }', /etc/passwd]",
                "[gawk, -e, 'BEGIN { print \"${query.q}\" }']",
                "[gawk, '--source=BEGIN { print \"${query.q}\" }']",
                "[mawk, -W, interactive, '{ print \"${query.q}\" }']",
                "[nawk, '{ print \"${query.q}\" }']",
                "[sed, 's/x/${query.q}/']",
                "[sed, -n, '/${query.q}/p', file]",
                "[sed, -e, 's/x/y/', -e, '1e ${query.q}']",
                "[gsed, --expression, '1e ${query.q}']",
                "[sed, '--expression=1e ${query.q}']",
                "[sed, p, file, -e, '1e ${query.q}']",
                "[pwsh, -Command, 'Write-Output \"${query.q}\"']",
                "[pwsh, -NoProfile, -c, 'Write-Output', '${query.q}']",
                "[powershell, -File, x.ps1, '${query.q}']");
    }

    @ParameterizedTest
    @MethodSource("codeWithAValue")
    void refusesARequestValueInTheCodeOfEveryInterpreter(String command) {
        assertThat(problems(command)).singleElement().asString()
                .contains("${query.q} in command[", "would put a request value into program text")
                .containsAnyOf("env: {Q: \"${query.q}\"}", "sed cannot read a variable");
    }

    @Test
    void showsTheSafeFormInTheLanguageOfEachInterpreter() {
        assertThat(problems("[python3, -c, 'print(\"${json:/user/name}\")']")).singleElement().asString()
                .contains("env: {NAME: \"${json:/user/name}\"}", "os.environ[\"NAME\"]");
        assertThat(problems("[perl, -e, 'print \"${query.q}\"']")).singleElement().asString().contains("$ENV{Q}");
        assertThat(problems("[awk, '{ print \"${header.X-Room}\" }']")).singleElement().asString()
                .contains("env: {X_ROOM: \"${header.X-Room}\"}", "ENVIRON[\"X_ROOM\"]");
        assertThat(problems("[lua, -e, 'print(\"${request.id}\")']")).singleElement().asString()
                .contains("env: {REQUEST_ID: \"${request.id}\"}", "os.getenv(\"REQUEST_ID\")");
        assertThat(problems("[pwsh, -c, 'echo ${query.path}']")).singleElement().asString()
                .contains("env: {HOOK_PATH: \"${query.path}\"}", "$env:HOOK_PATH");
        assertThat(problems("[sed, 's/x/${query.q}/']")).singleElement().asString()
                .contains("sed cannot read a variable", "[handlers/script.sh, \"${query.q}\"]");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[bash, '${query.q}']",
            "[sh, -e, '${query.q}', x]",
            "[python3, '${query.a}', '${query.b}']",
            "[python3, -m, '${query.module}']",
            "[perl, '-${query.flag}', script.pl]",
            "[node, --require, '${query.q}', x.js]",
            "[awk, -f, '${query.file}']",
            "[awk, -v, 'x=${query.q}', '{ print x }']",
            "[sed, -f, '${query.q}', file]",
            "[lua, -l, '${query.q}', -e, 'x()']",
            "[php, -d, '${query.q}', -r, 'x();']",
            "[tclsh, -encoding, '${query.q}', x.tcl]",
            "[ruby, '-W${query.level}', x.rb]"})
    void refusesARequestValueWhereAnInterpreterCouldTakeItForAnOptionOrItsScript(String command) {
        assertThat(problems(command)).singleElement().asString()
                .contains("holds a request value before", "has its script", "could be read as an option");
    }

    @Test
    void saysWhenALongOptionMayHaveTakenTheWordMeantForTheScript() {
        assertThat(problems("[node, --no-warnings, x.js, '${query.q}']")).singleElement().asString()
                .contains("command[3] holds a request value before node has its script",
                        "(x.js was taken for the value of --no-warnings, as the gateway cannot tell which long "
                                + "options take one)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[perl, -e, 'print @ARGV', '${query.q}']",
            "[ruby, -e, 'p ARGV', '${query.q}']",
            "[node, -e, 'console.log(process.argv)', '${query.q}']",
            "[php, -r, 'var_dump($argv);', '${query.q}']",
            "[sed, -e, 's/x/y/', '${query.file}']",
            "[sed, 's/x/y/', file, '${query.file}']",
            "[awk, -f, prog.awk, '${query.file}']",
            "[sh, -s, '${query.q}']"})
    void refusesARequestValueWhereOptionsGoOnAfterTheCodeAndShowsWhereTheyEnd(String command) {
        // perl -e 'print 1' '-eprint 2' runs both; GNU sed and node read options after operands too.
        assertThat(problems(command)).singleElement().asString()
                .contains("still reads options after its code", "write -- before the request values");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[lua, -e, 'x = 1', '${query.q}']",
            "[lua, -e, 'x = 1', --, '${query.q}']"})
    void refusesARequestValueWhereLuaStillTakesItForTheScript(String command) {
        assertThat(problems(command)).singleElement().asString().contains("before lua has its script");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[sh, -c, 'echo \"$1\"', sh, '${query.q}']",
            "[sh, -c, 'echo \"$0\"', '${query.q}']",
            "[bash, ./run.sh, '${query.q}', -c, '${query.q}']",
            "[python3, -c, 'import sys; print(sys.argv[1])', '${query.q}']",
            "[python3, -m, json.tool, '${query.q}']",
            "[python3, -u, handlers/x.py, '${query.q}', -c, '${query.q}']",
            "[perl, -e, 'print @ARGV', --, '${query.q}']",
            "[perl, -e, 'print @ARGV', fixed, '${query.q}']",
            "[perl, handlers/x.pl, '${query.q}']",
            "[ruby, -e, 'p ARGV', --, '${query.q}']",
            "[node, -e, 'console.log(process.argv)', --, '${query.q}']",
            "[php, -r, 'var_dump($argv);', --, '${query.q}']",
            "[lua, -e, 'x = 1', handlers/x.lua, '${query.q}']",
            "[awk, '{ print }', '${query.file}']",
            "[awk, -f, prog.awk, --, '${query.file}']",
            "[sed, -e, 's/x/y/', --, '${query.file}']",
            "[sed, 's/x/y/', --, '${query.file}']",
            "[tclsh, x.tcl, '${query.q}']",
            "[sh, -s, --, '${query.q}']",
            "[./run.sh, -c, '${query.q}']"})
    void passesRequestValuesAfterTheCodeAsData(String command) {
        assertThat(problems(command)).isEmpty();
    }

    // Launchers: the interpreter behind them, with and without options between them.
    static Stream<String> launchers() {
        return Stream.of("env", "env X=1 -u HOME", "/usr/bin/env -i PATH=/bin", "timeout 5", "timeout -s KILL 5s",
                "nice", "nice -n 5", "nohup", "setsid -w", "stdbuf -oL", "sudo", "sudo -u www-data -E", "doas -u x",
                "busybox", "flock ./lock", "flock -w 5 ./lock", "xargs", "xargs -0 -n 1", "chroot /srv",
                "ionice -c 3", "taskset 0x1", "chrt -b 0", "time", "su -s", "runuser -u x --",
                "sudo env X=1 timeout 5 nice -n 5", "./bin/env X=1");
    }

    static Stream<String> launchedCode() {
        return launchers().flatMap(launcher -> Stream.of("sh, -c, 'echo ${query.q}'", "bash, -ec, 'echo ${query.q}'",
                        "python3, -c, 'print(\"${query.q}\")'", "awk, '{ print \"${query.q}\" }'",
                        "sed, -e, '1e ${query.q}'", "lua, -e, 'print(\"${query.q}\")'", "pwsh, -c, 'echo ${query.q}'")
                .map(code -> "[" + String.join(", ", launcher.split(" ")) + ", " + code + "]"));
    }

    @ParameterizedTest
    @MethodSource("launchedCode")
    void findsTheInterpreterBehindEveryLauncher(String command) {
        assertThat(problems(command)).singleElement().asString()
                .contains("${query.q} in command[", "would put a request value into program text");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[env, '${query.program}']",
            "[env, 'X=${query.q}', ./run.sh]",
            "[env, -S, 'sh -c \"echo ${query.q}\"']",
            "[env, -S, 'sh -c \"echo $1\" sh', '${query.q}']",
            "[timeout, 5, '${query.program}', x]",
            "[timeout, '${query.seconds}', ./run.sh]",
            "[xargs, -I, '{}', '${query.q}']",
            "[sudo, -u, bob, '${query.program}']",
            "[busybox, '${query.applet}', x]",
            "[flock, ./lock, -c, 'echo ${query.q}']",
            "[nice, -n, 5, curl, '${query.url}']",
            "[./bin/env, '${query.program}']",
            "[timeout, 5, ./bin/env, '${query.program}']"})
    void refusesARequestValueBeforeTheProgramALauncherRuns(String command) {
        assertThat(problems(command)).singleElement().asString()
                .contains("may take it for the program it runs, or for one of its options",
                        "write that program as a path, with a '/'");
    }

    @Test
    void pointsAVariableForTheProgramAtEnv() {
        assertThat(problems("[env, 'X=${query.q}', ./run.sh]")).singleElement().asString()
                .endsWith("(a variable for the program goes in env:)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[timeout, 5, ./run.sh, '${query.q}']",
            "[env, X=1, -u, HOME, ./run.sh, '${query.q}', -c, '${query.q}']",
            "[nice, -n, 5, ./run.sh, '${query.q}']",
            "[sudo, -u, www-data, ./run.sh, '${query.q}']",
            "[flock, -w, 5, ./lock, ./run.sh, '${query.q}']",
            "[timeout, 5, ./bin/env, X=1, ./run.sh, '${query.q}']",
            "[timeout, 5, ./bin/python3, handlers/x.py, '${query.q}']",
            "[xargs, -0, sh, -c, 'echo \"$@\"', sh, '${query.q}']"})
    void passesRequestValuesAfterTheProgramALauncherRuns(String command) {
        assertThat(problems(command)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[ssh, host, ./run.sh, '${query.q}']",
            "[ssh, -o, BatchMode=yes, host, '${query.q}']",
            "[watch, -n, 5, ./run.sh, '${query.q}']",
            "[script, -q, -c, './run.sh ${query.q}', /dev/null]",
            "[parallel, ./run.sh, ':::', '${query.q}']",
            "[timeout, 5, ./bin/ssh, host, ./run.sh, '${query.q}']"})
    void refusesAnyRequestValueAfterAProgramThatRunsItsWordsAsACommandLine(String command) {
        assertThat(problems(command)).singleElement().asString()
                .contains("joins the words after it into a command line that a shell reads as code");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[find, ., -name, '*.txt', -exec, sh, -c, 'echo ${query.q}', ';']",
            "[./run.sh, --then, python3, -c, 'print(\"${query.q}\")']",
            "[sh, -c, 'exec \"$@\"', sh, perl, -e, 'print \"${query.q}\"']"})
    void takesAWordNamingAnInterpreterForOneWhereverItStands(String command) {
        assertThat(problems(command)).singleElement().asString().contains("would put a request value into program text");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[sh]", "[bash, -s, x]", "[bash, -i]", "[sh, /dev/stdin]", "[python3]", "[python3, -]",
            "[python3, -u]", "[perl]", "[perl, -w, -]", "[ruby]", "[node]", "[php]", "[lua]", "[tclsh]",
            "[awk, -f, -]", "[sed, -f, /dev/stdin, file]", "[pwsh]", "[pwsh, -Command, -]", "[env, python3]",
            "[ssh, host]", "[xargs, -I, '{}', sh, -c, 'echo {}']", "[xargs, perl, -e, 'print @ARGV']"})
    void findsAProgramThatReadsCodeOrItsArgumentsFromStandardInput(String command) {
        assertThat(check(command).stdinProblem()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[./run.sh]", "[sh, -c, cat]", "[sh, ./run.sh]", "[python3, handlers/x.py]",
            "[python3, -c, 'import sys; sys.stdin.read()']", "[awk, '{ print }']", "[sed, p]", "[xargs, ./run.sh]",
            "[perl, -ne, print]", "[timeout, 5, ./run.sh]"})
    void letsStandardInputBeDataForAProgramThatHasItsCode(String command) {
        assertThat(check(command).stdinProblem()).isNull();
    }
}
