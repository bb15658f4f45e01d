package io.hookgateway.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A program a test drives, such as {@code curl} or {@code openssl}, found on the {@code PATH}. Without it the test is
 * skipped, unless {@code HOOK_GATEWAY_REQUIRE_TOOLS=1} (as in CI, whose {@code .ci/run} installs it), when it fails.
 */
public final class Tool {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String executable;

    private Tool(String executable) {
        this.executable = executable;
    }

    /** The program, or a skipped (with tools required, failed) test; {@code debianPackage} is where it comes from. */
    public static Tool require(String name, String debianPackage) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                File candidate = new File(dir, name);
                if (candidate.isFile() && candidate.canExecute()) {
                    return new Tool(candidate.getPath());
                }
            }
        }
        String message = name + " is not installed; install the Debian package " + debianPackage
                + " (sudo apt-get install " + debianPackage + ")";
        if ("1".equals(System.getenv("HOOK_GATEWAY_REQUIRE_TOOLS"))) {
            fail(message);
        }
        Assumptions.assumeTrue(false, message);
        throw new AssertionError("unreachable");
    }

    /** What a run printed, and how it ended. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /** Runs the program with these arguments and nothing on its standard input, in {@code directory}. */
    public Result run(Path directory, String... arguments) throws IOException, InterruptedException {
        return run(directory, "", List.of(arguments));
    }

    /** Runs the program with these arguments and {@code input} on its standard input, in {@code directory}. */
    public Result run(Path directory, String input, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).directory(directory.toFile()).start();
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try (var stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException closedEarly) {
            // The program did not read its input: nothing more to give it.
        }
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + TIMEOUT.toSeconds() + " s");
        }
        return new Result(process.exitValue(), out.join(), err.join());
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e.getMessage() + ")";
            }
        });
    }
}
