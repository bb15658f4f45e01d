package io.hookgateway.processors.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What /bin/sh (dash) and bash do with a variable in arithmetic, the facts behind the README's rule that a request
 * value never goes into {@code $(( ))} unchecked: the value is read as an expression, not as a number, so a name in it
 * reads another variable (a secret passed in env, say), and bash runs a command substitution in an array subscript.
 * (The check the README gives, with {@code case}, is exercised in {@link ShellContextsEndToEndTest}.)
 */
class ShellArithmeticTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String output) {
    }

    private Run run(String shell, String script, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(shell, "-c", script).directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("%s exits", shell).isTrue();
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).strip());
    }

    @Test
    void bothShellsReadANameInAnExpandedValueAsAnotherVariable() throws Exception {
        Map<String, String> env = Map.of("V", "HOOK_SECRET", "HOOK_SECRET", "4242");

        assertThat(run("/bin/sh", "echo $(($V + 0))", env).output()).isEqualTo("4242");
        assertThat(run("bash", "echo $(($V + 0))", env).output()).isEqualTo("4242");
    }

    @Test
    void bashReadsANameInTheVariableItselfAsAnotherVariableAndDashRefusesIt() throws Exception {
        Map<String, String> env = Map.of("V", "HOOK_SECRET", "HOOK_SECRET", "4242");

        assertThat(run("bash", "echo $((V + 0))", env).output()).isEqualTo("4242");
        Run dash = run("/bin/sh", "echo $((V + 0))", env);
        assertThat(dash.exitCode()).isNotZero();
        assertThat(dash.output()).contains("Illegal number: HOOK_SECRET");
    }

    @Test
    void bashRunsACommandSubstitutionInAnArraySubscriptOfTheValue() throws Exception {
        Map<String, String> env = Map.of("V", "a[$(touch MARKER)]");

        run("/bin/sh", "echo $((V + 1))", env);
        assertThat(dir.resolve("MARKER")).doesNotExist();
        run("bash", "echo $((V + 1))", env);
        assertThat(dir.resolve("MARKER")).exists();
    }

    @Test
    void neitherShellTakesALeadingZeroOrTwentyDigitsAsTheNumberTheyLookLike() throws Exception {
        for (String shell : new String[] {"/bin/sh", "bash"}) {
            // 08 is octal, and not a valid one; 20 digits overflow (bash wraps, dash refuses).
            assertThat(run(shell, "echo $((V + 0))", Map.of("V", "08")).exitCode()).as(shell).isNotZero();
            assertThat(run(shell, "echo $((V + 0))", Map.of("V", "99999999999999999999")).output()).as(shell)
                    .isNotEqualTo("99999999999999999999");
            // test(1) errors on 20 digits, which an `if` reads as false, so a range check passes it.
            assertThat(run(shell, "if [ \"$V\" -gt 100 ]; then echo over; else echo within; fi",
                    Map.of("V", "99999999999999999999")).output()).as(shell).endsWith("within");
        }
    }
}
