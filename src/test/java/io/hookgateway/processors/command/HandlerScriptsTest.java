package io.hookgateway.processors.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scripts in {@code handlers/}, run as the gateway runs them (child processes with only the variables a hook
 * gives), under /bin/sh and bash: every class of hostile argument (numbers that are not plainly numbers, names that are
 * options, paths, globs, whitespace or foreign letters, refs and commits git would not take) ends with exit code 2,
 * before anything is written anywhere; valid arguments still do their work. The scripts are examples people copy.
 */
class HandlerScriptsTest {

    private static final Path HANDLERS = Path.of("handlers").toAbsolutePath();
    private static final List<String> SHELLS = List.of("/bin/sh", "bash");

    /** Not a name anywhere: options, paths, globs, whitespace, control and non-ASCII characters, code, too long. */
    private static final List<String> HOSTILE_NAMES = List.of("-", "-rf", "--help", ".", "..", "../x",
            "../../etc/passwd", "/", "/etc/passwd", "", " ", " a", "\t", "a\nb", "a\rb", "*", "?", "[a]", "a*", "{a,b}",
            "a;b", "k\u00fcche", "\u0663", "\u202ex", "$(touch MARKER)", "`touch MARKER`", "x".repeat(300));

    /** Not a number from 0 to 100 as written: too long, leading zeros, signs, spaces, other digits, expressions. */
    private static final List<String> HOSTILE_NUMBERS = List.of("99999999999999999999", "101", "1000", "007", "00",
            "01", "-1", "+5", "-0", " 5", "5 ", "5\n", "", "\u0663", "\uff15", "1e2", "0x10", "5.0", "1,5",
            "a[$(touch MARKER)]", "HOOK_SECRET", "$((1+1))");

    @TempDir
    Path sandbox;
    /** Where standard input is kept, outside the sandbox; a script that refuses its arguments need not read it. */
    @TempDir
    Path inputs;

    private Path work;
    private Path state;

    @BeforeEach
    void layout() throws IOException {
        // Two levels deep, so a ../.. that escaped the state directory would still land in the sandbox, and be seen.
        work = Files.createDirectories(sandbox.resolve("outer/inner/work"));
        state = Files.createDirectories(sandbox.resolve("outer/inner/state"));
    }

    private record Run(int exitCode, String stdout, String stderr) {
    }

    private Run run(String shell, String script, List<String> args, String stdin) throws Exception {
        List<String> command = new ArrayList<>(List.of(shell, HANDLERS.resolve(script).toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
        builder.environment().clear();
        builder.environment().putAll(Map.of("PATH", "/usr/bin:/bin", "HOOK_SECRET", "42",
                "LIGHTS_STATE_DIR", state.resolve("lights").toString(),
                "NOTIFY_LOG", state.resolve("notifications.log").toString(),
                "DEPLOY_LOG", state.resolve("deploys.log").toString(), "DEPLOY_STEP_SECONDS", "0"));
        builder.redirectInput(Files.writeString(inputs.resolve("stdin"), stdin, StandardCharsets.UTF_8).toFile());
        Process process = builder.start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("%s exits", command).isTrue();
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private List<String> everythingInTheSandbox() throws IOException {
        try (Stream<Path> files = Files.walk(sandbox)) {
            return files.map(p -> sandbox.relativize(p).toString()).sorted().toList();
        }
    }

    static Stream<Arguments> hostileArguments() {
        List<Arguments> cases = new ArrayList<>();
        for (String n : HOSTILE_NUMBERS) {
            cases.add(Arguments.of("lights.sh", List.of("kitchen", "on", n)));
        }
        for (String n : concat(HOSTILE_NAMES, List.of("a b", "Kitchen", "a.b", "a_b", "x".repeat(33)))) {
            cases.add(Arguments.of("lights.sh", List.of(n, "on", "50")));
        }
        for (String s : List.of("ON", "", "on ", "yes", "true", "1", "-", "on\n", "off;")) {
            cases.add(Arguments.of("lights.sh", List.of("kitchen", s, "50")));
        }
        for (List<String> count : List.<List<String>>of(List.of(), List.of("kitchen"), List.of("k", "on", "5", "x"))) {
            cases.add(Arguments.of("lights.sh", count));
        }
        for (String n : concat(HOSTILE_NAMES, List.of("a!", "x".repeat(65)))) {
            cases.add(Arguments.of("notify.sh", List.of(n)));
        }
        cases.add(Arguments.of("notify.sh", List.of("a", "b")));
        String ref = "refs/heads/main";
        String commit = "9f3c2a1";
        for (String n : HOSTILE_NAMES) {
            cases.add(Arguments.of("deploy.sh", List.of(n, ref, commit)));
            cases.add(Arguments.of("deploy.sh", List.of("me/" + n, ref, commit)));
            cases.add(Arguments.of("deploy.sh", List.of(n + "/x", ref, commit)));
            if (!n.equals("a;b")) {
                cases.add(Arguments.of("deploy.sh", List.of("me/x", "refs/heads/" + n, commit)));
            }
            cases.add(Arguments.of("deploy.sh", List.of("me/x", ref, n)));
        }
        for (String r : List.of("main", "refs/heads/", "refs/remotes/origin/main", "refs/heads/a..b",
                "refs/heads/x.lock", "refs/heads/x.lock/y", "refs/heads/x/", "refs/heads/a//b", "refs/heads/@{1}",
                "refs/heads/x.", "refs/heads/.hidden", "refs/heads/x/.y", "refs/heads/x/-y", "refs/heads/a b")) {
            cases.add(Arguments.of("deploy.sh", List.of("me/x", r, commit)));
        }
        // Twenty nines are twenty hexadecimal digits, an abbreviated commit id: the one number a commit may be.
        for (String c : concat(HOSTILE_NUMBERS.subList(1, HOSTILE_NUMBERS.size()), List.of("abc", "9F3C2A1", "ggggggg", "0".repeat(40), "9f3c2a1 ",
                " 9f3c2a1", "9f3c2a1\n", "-9f3c2a1", "a".repeat(65), "\u0663".repeat(7)))) {
            cases.add(Arguments.of("deploy.sh", List.of("me/x", ref, c)));
        }
        for (String r : List.of("me", "me/x/y", "a-".repeat(20) + "/x", "me/" + "x".repeat(101), "-me/x", "me/-x")) {
            cases.add(Arguments.of("deploy.sh", List.of(r, ref, commit)));
        }
        cases.add(Arguments.of("deploy.sh", List.of("me/x", ref)));
        return SHELLS.stream().flatMap(shell -> cases.stream().map(c -> Arguments.of(shell, c.get()[0], c.get()[1])));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    @ParameterizedTest(name = "[{index}] {0} {1} {2}")
    @MethodSource("hostileArguments")
    void refusesAHostileArgumentWithExitCode2BeforeWritingAnything(String shell, String script, List<String> args)
            throws Exception {
        List<String> before = everythingInTheSandbox();

        Run run = run(shell, script, args, "a message");

        assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isEqualTo(2);
        assertThat(run.stderr()).startsWith(script.replace(".sh", "") + ": ");
        assertThat(run.stdout()).isEmpty();
        assertThat(everythingInTheSandbox()).as("files in the sandbox").isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void switchesLightsWithEveryValidFormOfItsArguments(String shell) throws Exception {
        assertThat(run(shell, "lights.sh", List.of("kitchen", "on", "60"), "").stdout())
                .isEqualTo("kitchen light on at 60%\n");
        assertThat(Files.readString(state.resolve("lights/kitchen"))).isEqualTo("on 60\n");
        assertThat(run(shell, "lights.sh", List.of("living-room", "off"), "").stdout())
                .isEqualTo("living-room light off\n");
        assertThat(Files.readString(state.resolve("lights/living-room"))).isEqualTo("off\n");
        assertThat(run(shell, "lights.sh", List.of("hall", "on"), "").exitCode()).isZero();
        assertThat(Files.readString(state.resolve("lights/hall"))).isEqualTo("on 100\n");
        for (String level : List.of("0", "9", "10", "99", "100")) {
            String room = "r" + level + "-" + "x".repeat(28 - level.length());
            assertThat(run(shell, "lights.sh", List.of(room, "on", level), "").exitCode()).as(level).isZero();
            assertThat(Files.readString(state.resolve("lights").resolve(room))).isEqualTo("on " + level + "\n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void recordsANotificationOnOneLineWithControlCharactersAsSpaces(String shell) throws Exception {
        Run run = run(shell, "notify.sh", List.of("Front door 2.0"), "opened\r\n\tby \u001b[31mme\u0000\u007f ok");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).isEqualTo("notified: Front door 2.0\n");
        assertThat(Files.readAllLines(state.resolve("notifications.log"))).singleElement().asString()
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\tFront door 2\\.0\topened   by  \\[31mme   ok");
        assertThat(run(shell, "notify.sh", List.of(), "").exitCode()).isZero();
        assertThat(Files.readAllLines(state.resolve("notifications.log")).get(1)).endsWith("\tnotification\t");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void recordsC1ControlsAndCharactersThatReorderOrHideTextAsSpaces(String shell) throws Exception {
        StringBuilder hostile = new StringBuilder("a");
        for (int c : new int[] {0x80, 0x85, 0x9b, 0x9f, 0x061c, 0x200b, 0x200e, 0x200f, 0x202a, 0x202e, 0x2060,
                0x2066, 0x2069, 0xfeff}) {
            hostile.appendCodePoint(c).append('b');
        }

        assertThat(run(shell, "notify.sh", List.of("t"), hostile.toString()).exitCode()).isZero();

        assertThat(Files.readAllLines(state.resolve("notifications.log"))).singleElement().asString()
                .endsWith("\tt\ta b b b b b b b b b b b b b b")
                .matches("[\\x20-\\x7e\\t]*");
        assertThat(run(shell, "notify.sh", List.of("t"), "caf\u00e9 \u20ac \u00a0ok").exitCode()).isZero();
        assertThat(Files.readAllLines(state.resolve("notifications.log")).get(1)).endsWith("\tcaf\u00e9 \u20ac \u00a0ok");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void takesAMessageUpTo4096BytesAndRefusesALongerOne(String shell) throws Exception {
        assertThat(run(shell, "notify.sh", List.of("t"), "\u00e9".repeat(2048)).exitCode()).isZero();
        assertThat(Files.readString(state.resolve("notifications.log"))).contains("\u00e9".repeat(2048));

        Run over = run(shell, "notify.sh", List.of("t"), "x".repeat(4097));
        assertThat(over.exitCode()).isEqualTo(2);
        assertThat(over.stderr()).isEqualTo("notify: message must be at most 4096 bytes\n");
        assertThat(Files.readAllLines(state.resolve("notifications.log"))).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void deploysWithEveryValidFormOfItsArguments(String shell) throws Exception {
        String full = "0123456789abcdef0123456789abcdef01234567";
        for (List<String> args : List.of(List.of("me/garden-lights", "refs/heads/main", "9f3c2a1"),
                List.of("my-org/.github", "refs/tags/v1.2.3", full),
                List.of("a/b_c.d", "refs/heads/feature/x-1", full + "0123456789abcdef01234567"))) {
            Run run = run(shell, "deploy.sh", args, "");
            assertThat(run.exitCode()).as("%s: %s", args, run.stderr()).isZero();
            assertThat(run.stdout()).endsWith("deploy: done, " + String.join(" ", args.subList(0, 2)) + " at "
                    + args.get(2) + "\n");
        }
        assertThat(Files.readAllLines(state.resolve("deploys.log"))).hasSize(3);
    }

    static Stream<String> shells() {
        return SHELLS.stream();
    }

    @Test
    void everyHandlerIsCoveredHere() throws IOException {
        try (Stream<Path> files = Files.list(HANDLERS)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sh")))
                    .containsExactlyInAnyOrder("lights.sh", "notify.sh", "deploy.sh");
        }
    }
}
