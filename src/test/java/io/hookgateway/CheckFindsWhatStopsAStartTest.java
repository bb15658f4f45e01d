package io.hookgateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever would stop the gateway from starting because of its configuration is found by {@code --check} (exit 2,
 * with the key path), not at start (exit 1): routes that clash with a processor's own resources, hooks that share an
 * MQTT connection but disagree, a CA file that is not PEM, an address that is not one. And what {@code --check}
 * passes starts.
 */
class CheckFindsWhatStopsAStartTest {

    private static final String ASYNC = "processor: {type: command, command: [/bin/sh, -c, 'true'], async: true}";
    private static final String RESPOND = "processor: {type: respond}";

    @TempDir
    Path dir;

    /** Runs {@code --check} on {@code yaml}; returns the exit status and what went to standard error. */
    private String check(String yaml, String... options) throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.yaml"), yaml);
        Files.writeString(dir.resolve("not-a-ca.pem"), "not a certificate\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = new String[options.length + 3];
        args[0] = "--check";
        args[1] = "--config";
        args[2] = file.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        int status;
        try (PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = HookGateway.run(args, Map.of(), out, e);
        }
        return status + " " + err.toString(StandardCharsets.UTF_8);
    }

    /** Writes out the shorthands of the cases: ASYNC, RESPOND and MQTT(extra options). */
    private static String expand(String yaml) {
        return yaml.replace("ASYNC", ASYNC).replace("RESPOND", RESPOND).replaceAll("MQTT\\(([^)]*)\\)",
                "{type: mqtt, host: 127.0.0.1, port: 1, username: u, topic: t$1}");
    }

    static Stream<Arguments> configurationsThatCannotStart() {
        return Stream.of(
                Arguments.of("a hook on an async hook's state path, under another variable name", """
                        - {name: a, path: /run, ASYNC}
                        - {name: b, path: '/run/executions/{id}', methods: [GET], RESPOND}
                        """, "hooks[1].path: /run/executions/{id} matches exactly the requests of "
                        + "/run/executions/{execution} (the resource that hooks[0].processor serves)"),
                Arguments.of("an async hook whose state path another hook has, under another variable name", """
                        - {name: b, path: '/run/executions/{id}', methods: [GET], RESPOND}
                        - {name: a, path: /run, ASYNC}
                        """, "hooks[1].processor: /run/executions/{execution} matches exactly the requests of "
                        + "/run/executions/{id} (hooks[0].path)"),
                Arguments.of("a GET hook on an async hook's state path", """
                        - {name: a, path: /run, ASYNC}
                        - {name: b, path: '/run/executions/{execution}', methods: [GET], RESPOND}
                        """, "hooks[1].methods: GET /run/executions/{execution} is already taken by "
                        + "hooks[0].processor"),
                Arguments.of("two mqtt hooks on one connection with different passwords", """
                        - {name: a, path: /a, processor: MQTT(, password: one)}
                        - {name: b, path: /b, processors: [MQTT(, password: two), {type: respond}]}
                        """, "hooks[1].processors[0]: publishes to MQTT broker 127.0.0.1:1 over the same connection "
                        + "as hooks[0].processor (the same client-id; without one, the same username and tls) but "
                        + "with a different password; give them the same settings"),
                Arguments.of("two mqtt hooks on one connection with other keep-alives and timeouts", """
                        - {name: a, path: /a, processor: MQTT()}
                        - {name: b, path: /b, processor: MQTT(, keep-alive: 10s, connect-timeout: 1s)}
                        """, "but with a different keep-alive, connect-timeout"),
                Arguments.of("a CA file that holds no certificate", """
                        - {name: a, path: /a, processor: MQTT(, tls: true, tls-ca-file: not-a-ca.pem)}
                        """, "hooks[0].processor.tls-ca-file: cannot be used: "),
                Arguments.of("a bind address that is not one", """
                        - {name: a, path: /a, RESPOND}
                        server: {bind: no-such-host.invalid}
                        """, "server.bind: 'no-such-host.invalid' is neither an IP address nor a name this machine "
                        + "resolves"),
                Arguments.of("a metrics bind address that is not one", """
                        - {name: a, path: /a, RESPOND}
                        metrics: {bind: '256.1.1.1'}
                        """, "metrics.bind: '256.1.1.1' is neither an IP address nor a name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurationsThatCannotStart")
    void checkExits2WithTheKeyPath(String what, String hooks, String problem) throws Exception {
        String yaml = "hooks:\n" + expand(hooks.replaceAll("(?m)^- ", "  - "));

        assertThat(check(yaml)).startsWith("2 invalid configuration in ").contains(problem);
    }

    @Test
    void aBindAddressGivenOnTheCommandLineIsCheckedToo() throws Exception {
        assertThat(check("hooks:\n  - {name: a, path: /a, " + RESPOND + "}\n", "--bind", "no-such-host.invalid"))
                .startsWith("2 hook-gateway: --bind 'no-such-host.invalid' is neither an IP address nor a name this "
                        + "machine resolves");
    }

    @Test
    void whatCheckPassesStarts() throws Exception {
        String yaml = """
                hooks:
                  - {name: a, path: /run, ASYNC}
                  - {name: b, path: '/run/executions/{execution}', methods: [POST, DELETE], RESPOND}
                  - {name: c, path: '/run/executions/{execution}/log', methods: [GET], RESPOND}
                  - {name: d, path: /d, processor: MQTT(, password: same)}
                  - {name: e, path: /e, processors: [MQTT(, password: same), {type: respond}]}
                  - {name: f, path: /f, processor: MQTT(, client-id: other, password: other)}
                """;
        yaml = expand(yaml);

        assertThat(check(yaml)).isEqualTo("0 ");
        try (TestGateway gateway = TestGateway.start(yaml)) {
            assertThat(gateway.server().hookPort()).isPositive();
        }
    }
}
