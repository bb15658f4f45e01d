package io.hookgateway.processors.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.Requests;
import io.hookgateway.testing.TestGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request values that would be code to a shell reach a command without a shell as data, and nothing but the
 * configured program runs. A {@link Recorder} writes exactly what it received; every hostile value would, if
 * interpreted, create a marker file, and the test checks that none appears. (The same values through
 * {@code shell: true}: {@link ShellContextsEndToEndTest}.)
 */
class CommandHostileValuesEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Path marker;
    private static Recorder recorder;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        marker = dir.resolve(HostileValues.MARKER);
        recorder = Recorder.in(dir);
        gateway = TestGateway.start("""
                server: {access-log: false}
                hooks:
                  - name: argv
                    path: /argv
                    processor:
                      type: command
                      working-directory: %1$s
                      command: [%2$s, %3$s, "${json:/v}", "${query.q:-}", "${header.X-V:-}"]
                      env: {FROM_REQUEST: "${json:/v}"}
                """.formatted(dir, recorder.program(), recorder.as("argv")));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @BeforeEach
    void noMarker() throws IOException {
        Files.deleteIfExists(marker);
        recorder.clear("argv");
    }

    private static RawHttp.Response post(String value) throws IOException {
        return gateway.exchange(Requests.postJson("/argv", JSON.writeValueAsString(Map.of("v", value))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("io.hookgateway.processors.command.HostileValues#all")
    void passesAHostileValueAsOneArgumentAndRunsNothingElse(String value) throws Exception {
        RawHttp.Response answer = post(value);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(recorder.arguments("argv")).containsExactly(value, "", "");
        assertThat(recorder.environment("argv")).contains("FROM_REQUEST=" + value);
        assertThat(marker).doesNotExist();
    }

    @Test
    void refusesANulByteWith400AndRunsNothing() throws Exception {
        RawHttp.Response answer = post("a\0; touch MARKER");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.bodyText()).contains("NUL byte");
        assertThat(dir.resolve("argv.args")).doesNotExist();
        assertThat(marker).doesNotExist();
    }

    @Test
    void takesAVeryLongValueUpToTheArgumentLimitAndRefusesBeyondIt() throws Exception {
        String longValue = "x".repeat(100_000);
        assertThat(post(longValue).status()).isEqualTo(200);
        assertThat(recorder.arguments("argv").get(0)).hasSize(100_000);

        RawHttp.Response tooLong = post("y".repeat(CommandLine.MAX_ARGUMENT_BYTES + 1));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.bodyText()).contains("the most a command argument can be is");
    }

    @Test
    void givesTheProgramOnlyItsDeclaredVariablesPathAndHome() throws Exception {
        assertThat(post("v").status()).isEqualTo(200);

        List<String> names = recorder.environment("argv").stream().map(e -> e.substring(0, e.indexOf('='))).toList();
        // sh itself may add PWD, SHLVL and _.
        assertThat(names).contains("FROM_REQUEST", "PATH")
                .allMatch(n -> List.of("FROM_REQUEST", "PATH", "HOME", "PWD", "SHLVL", "_", "OLDPWD").contains(n));
    }
}
