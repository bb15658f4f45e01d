package io.hookgateway.hooks.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Request values that would be code to a shell reach a command as data, and nothing but the configured program runs.
 * A recorder program writes exactly what it received (each argument NUL-terminated, and its environment); every hostile
 * value would, if interpreted, create a marker file, and the test checks that none appears. Both without a shell and
 * with {@code shell: true}, where values are positional parameters, outside quotes and inside double quotes.
 */
class CommandHostileValuesEndToEndTest {

    private static Path dir;
    private static Path marker;
    private static TestGateway gateway;

    /** Values that a shell would run; each tries to create the marker file. */
    static Stream<String> hostileValues() {
        String m = "MARKER";
        return Stream.of(
                "$(touch " + m + ")",
                "`touch " + m + "`",
                "; touch " + m,
                "| touch " + m,
                "&& touch " + m,
                "x\ntouch " + m,
                "x\r\ntouch " + m,
                "'; touch " + m + "; '",
                "\"; touch " + m + "; \"",
                "\\'; touch " + m + " #",
                "${IFS}touch${IFS}" + m,
                "* ? [a-z] ~root",
                "-rf /",
                "--output=" + m,
                "> " + m,
                "$(printf x > " + m + ")",
                "\u00e9\u00e8 \u2603 \ud83d\ude00");
    }

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("hook-gateway-hostile");
        marker = dir.resolve("MARKER");
        Path recorder = dir.resolve("record.sh");
        // Writes each argument followed by NUL, then the environment (also NUL-separated), exactly as received.
        Files.writeString(recorder, """
                #!/bin/sh
                out="$1"; shift
                for a in "$@"; do printf '%s\\0' "$a"; done > "$out.args"
                env -0 > "$out.env"
                """);
        Files.setPosixFilePermissions(recorder, PosixFilePermissions.fromString("rwxr-xr-x"));
        gateway = TestGateway.start("""
                server: {access-log: false}
                hooks:
                  - name: argv
                    path: /argv
                    processor:
                      type: command
                      working-directory: %1$s
                      command: [%1$s/record.sh, %1$s/argv, "${json:/v}", "${query.q:-}", "${header.X-V:-}"]
                      env: {FROM_REQUEST: "${json:/v}"}
                  - name: shell
                    path: /shell
                    processor:
                      type: command
                      shell: true
                      working-directory: %1$s
                      command: "%1$s/record.sh %1$s/shell ${json:/v} ${json:/missing:-a default; touch MARKER}"
                  - name: quoted
                    path: /quoted
                    processor:
                      type: command
                      shell: true
                      working-directory: %1$s
                      command: '%1$s/record.sh %1$s/quoted "got ${json:/v} and $(echo ${json:/v})"'
                """.formatted(dir));
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    @BeforeEach
    void noMarker() throws IOException {
        Files.deleteIfExists(marker);
    }

    private static RawHttp.Response post(String path, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send(("POST " + path + " HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            client.send(body);
            return client.read();
        }
    }

    private static String json(String value) {
        StringBuilder sb = new StringBuilder("{\"v\": \"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\0' -> sb.append("\\u0000");
                default -> sb.append(c);
            }
        }
        return sb.append("\"}").toString();
    }

    private static List<String> recorded(String name) throws IOException {
        String args = Files.readString(dir.resolve(name + ".args"), StandardCharsets.UTF_8);
        return Arrays.asList(args.split("\0", -1)).subList(0, args.split("\0", -1).length - 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileValues")
    void passesAHostileValueAsOneArgumentAndRunsNothingElse(String value) throws Exception {
        RawHttp.Response answer = post("/argv", json(value));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(recorded("argv")).containsExactly(value, "", "");
        assertThat(Files.readString(dir.resolve("argv.env"), StandardCharsets.UTF_8))
                .contains("FROM_REQUEST=" + value + "\0");
        assertThat(marker).doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileValues")
    void quotesAHostileValueAsOneShellWordAndRunsNothingElse(String value) throws Exception {
        RawHttp.Response answer = post("/shell", json(value));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(recorded("shell")).containsExactly(value, "a default; touch MARKER");
        assertThat(marker).doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileValues")
    void expandsAHostileValueInsideDoubleQuotesAndCommandSubstitutionAsData(String value) throws Exception {
        RawHttp.Response answer = post("/quoted", json(value));

        assertThat(answer.status()).isEqualTo(200);
        // $(echo v) runs echo with the value as one argument: the value is printed, never run.
        assertThat(recorded("quoted")).singleElement().asString().startsWith("got " + value + " and ");
        assertThat(marker).doesNotExist();
    }

    @Test
    void refusesANulByteWith400AndRunsNothing() throws Exception {
        Files.deleteIfExists(dir.resolve("argv.args"));
        RawHttp.Response answer = post("/argv", json("a\0; touch MARKER"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.bodyText()).contains("NUL byte");
        assertThat(dir.resolve("argv.args")).doesNotExist();
        assertThat(marker).doesNotExist();
    }

    @Test
    void takesAVeryLongValueUpToTheArgumentLimitAndRefusesBeyondIt() throws Exception {
        String longValue = "x".repeat(100_000);
        assertThat(post("/argv", json(longValue)).status()).isEqualTo(200);
        assertThat(recorded("argv").get(0)).hasSize(100_000);

        RawHttp.Response tooLong = post("/argv", json("y".repeat(CommandLine.MAX_ARGUMENT_BYTES + 1)));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.bodyText()).contains("the most a command argument can be is");
    }

    @Test
    void givesTheProgramOnlyItsDeclaredVariablesPathAndHome() throws Exception {
        assertThat(post("/argv", json("v")).status()).isEqualTo(200);

        List<String> names = Arrays.stream(Files.readString(dir.resolve("argv.env"), StandardCharsets.UTF_8)
                        .split("\0"))
                .filter(e -> !e.isEmpty())
                .map(e -> e.substring(0, e.indexOf('=')))
                .toList();
        // sh itself may add PWD, SHLVL and _.
        assertThat(names).contains("FROM_REQUEST", "PATH")
                .allMatch(n -> List.of("FROM_REQUEST", "PATH", "HOME", "PWD", "SHLVL", "_", "OLDPWD").contains(n));
    }
}
