package io.hookgateway.processors.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@code --check} on a configuration file: the gateway's own main, in a child JVM, as an operator runs it. */
final class GatewayCheck {

    /** How {@code --check} exited, and what it wrote (standard output and error together). */
    record Result(int status, String output) {
    }

    private GatewayCheck() {
    }

    static Result run(Path config) throws Exception {
        Process check = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.hookgateway.HookGateway",
                "--check", "--config", config.toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).as(output).isTrue();
        return new Result(check.exitValue(), output);
    }
}
