package io.hookgateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestProcessors;
import io.hookgateway.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's curl lines, run by the real curl: {@code --user} for Basic, {@code -H 'Authorization: Bearer …'}, a key
 * in a header and in the query. The right credentials run the hook; wrong or missing ones do not. The metrics port
 * never serves a hook, with or without them.
 */
class CurlAuthEndToEndTest {

    private static final String TOKEN = "curl-token-51e";
    private static final String PASSWORD = "curl pass phrase";

    private static final String CONFIG = """
            server: {access-log: false}
            hooks:
              - name: lamp
                path: /lamp
                auth: {bearer: {token: "${TOKEN}"}}
                processor: {type: respond, body: "lamp on\\n"}
              - name: basic
                path: /basic
                auth: {basic: {users: {alice: "${HASH}"}}}
                processor: {type: respond, body: "hello alice\\n"}
              - name: key
                path: /key
                auth: {header-key: {header: X-API-Key, key: "${TOKEN}"}}
                processor: {type: respond, body: "key ok\\n"}
              - name: ifttt
                path: /ifttt
                auth: {query-key: {parameter: key, key: "${TOKEN}"}}
                processor: {type: respond, body: "ifttt ok\\n"}
            """;

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(() -> TestGateway.start(CONFIG,
            Map.of("TOKEN", TOKEN, "HASH", PasswordHash.create(PASSWORD.toCharArray()))));

    private Path curl;

    @BeforeEach
    void findCurl() {
        curl = Tools.require("curl", "curl");
        TestProcessors.reset();
    }

    @Test
    void bearerTokenAsTheReadmeSendsIt() throws Exception {
        assertThat(curl("-H", "Authorization: Bearer " + TOKEN, "-d", "on", url("/lamp")))
                .isEqualTo("200 lamp on\n");
        assertThat(curl("-H", "Authorization: Bearer nope", "-d", "on", url("/lamp"))).isEqualTo("403 forbidden\n");
        assertThat(curl("-d", "on", url("/lamp"))).isEqualTo("401 unauthorized\n");
    }

    @Test
    void basicWithCurlUser() throws Exception {
        assertThat(curl("--user", "alice:" + PASSWORD, "-d", "on", url("/basic"))).isEqualTo("200 hello alice\n");
        assertThat(curl("--user", "alice:wrong", "-d", "on", url("/basic"))).isEqualTo("403 forbidden\n");
        assertThat(curl("--user", "bob:" + PASSWORD, "-d", "on", url("/basic"))).isEqualTo("403 forbidden\n");
        assertThat(curl("-d", "on", url("/basic"))).isEqualTo("401 unauthorized\n");
    }

    @Test
    void keysInAHeaderAndInTheQuery() throws Exception {
        assertThat(curl("-H", "X-API-Key: " + TOKEN, "-d", "on", url("/key"))).isEqualTo("200 key ok\n");
        assertThat(curl("-H", "X-API-Key: nope", "-d", "on", url("/key"))).isEqualTo("403 forbidden\n");
        assertThat(curl("-d", "on", url("/ifttt?key=" + TOKEN))).isEqualTo("200 ifttt ok\n");
        assertThat(curl("-d", "on", url("/ifttt?key=nope"))).isEqualTo("403 forbidden\n");
    }

    @Test
    void theMetricsPortNeverServesAHook() throws Exception {
        String metrics = "http://127.0.0.1:" + gateway.metricsPort();
        for (String path : List.of("/lamp", "/basic", "/key", "/ifttt?key=" + TOKEN)) {
            assertThat(curl("-H", "Authorization: Bearer " + TOKEN, "--user", "alice:" + PASSWORD, "-d", "on",
                    metrics + path)).as(path).startsWith("404 ");
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + gateway.port() + path;
    }

    /** Runs curl; its status code and the body, as {@code "200 body"}. */
    private String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(curl.toString(), "-s", "--max-time", "10", "-w",
                "\n%{http_code}"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
        int split = output.lastIndexOf('\n');
        return output.substring(split + 1) + " " + output.substring(0, split);
    }
}
