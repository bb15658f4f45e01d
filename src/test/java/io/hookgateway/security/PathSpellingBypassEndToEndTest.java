package io.hookgateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestProcessors;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One path, one decision: routing and auth see the same canonical path, so no spelling of a protected hook's path,
 * nor of the state URL of its async runs, reaches a processor without passing the hook's auth. Each spelling is sent
 * without credentials; the answer is a refusal (401, or the 404 of a hidden hook), a 400 for a path the gateway does
 * not take, or a 404 for another path, and nothing runs. The same spellings with the credentials show which of them
 * are the hook's own path, so the refusals are the auth's and not a missed route.
 */
class PathSpellingBypassEndToEndTest {

    private static final String TOKEN = "tok-bypass-7c1";

    private static final String CONFIG = """
            server: {access-log: false}
            hooks:
              - name: lamp
                path: /hooks/lamp/on
                auth: {bearer: {token: "${TOKEN}"}}
                processor: {type: test-echo}
              - name: jobs
                path: /jobs
                auth: {header-key: {header: X-Key, key: "${TOKEN}"}}
                processor: {type: test-resources, declares: ["/executions/{execution}"]}
            """;

    @RegisterExtension
    static final GatewayExtension gateway =
            new GatewayExtension(() -> TestGateway.start(CONFIG, Map.of("TOKEN", TOKEN)));

    /** Every way of writing {@code /hooks/lamp/on} a parser somewhere might take for it. */
    private static final List<String> HOOK_SPELLINGS = List.of(
            "/hooks/lamp/on", "/hooks%2Flamp/on", "/hooks%2flamp%2fon", "/hooks/lamp%2Fon", "%2Fhooks/lamp/on",
            "/hooks/x/%2e%2e/lamp/on", "/hooks/x/%2E%2E/lamp/on", "/hooks/x/.%2e/lamp/on", "/hooks/x/%2e./lamp/on",
            "/%2e/hooks/lamp/on", "/hooks/./lamp/on", "/hooks/x/../lamp/on", "/hooks/lamp/on/.", "/hooks/lamp/on/..",
            "/x/../hooks/lamp/on", "/../hooks/lamp/on", "/hooks/%c0%af/lamp/on", "/hooks%c0%aflamp/on",
            "/hooks/%c0%ae%c0%ae/lamp/on", "/hooks/x/%c0%ae%c0%ae/lamp/on", "/hooks%e0%80%aflamp/on",
            "/hooks/lamp/on%00", "/hooks/lamp%00/on", "/hooks/lamp/on%00.json", "//hooks//lamp//on",
            "/hooks///lamp/on", "///hooks/lamp/on", "/hooks/lamp;x/on", "/hooks/lamp/on;", "/hooks/lamp/on;a=b",
            "/hooks;/lamp/on", "/HOOKS/LAMP/ON", "/Hooks/lamp/on", "/hooks/lamp/ON", "/hooks/lamp/on/",
            "/hooks/lamp/on//", "/hooks\\lamp\\on", "/hooks/lamp\\on", "/hooks%5clamp%5con", "/hooks%5Clamp/on",
            "http://other.example/hooks/lamp/on", "http://gateway.test/hooks/lamp/on", "HTTP://X/hooks/lamp/on",
            "https://gateway.test:443/hooks/lamp/on", "//other.example/hooks/lamp/on", "hooks/lamp/on",
            "/hooks/lamp/on?x=1", "/hooks/lamp/on#f", "/hooks/l%61mp/on", "/hooks/lamp/%6Fn", "/%68ooks/lamp/on",
            "/hooks/lamp/on%20", "/hooks/lamp/on%09", "/hooks/lamp/on%0a", "/hooks/lamp/on%0d%0a", "/hooks/lamp/o%6e",
            "/hooks/lamp/on%2f", "/hooks/lamp/on%2F%2e", "/hooks/lamp/on%", "/hooks/lamp/on%2", "/hooks/lamp/on%zz",
            "/hooks/lamp/on%u002f", "/hooks/lamp/on\u00a0", "/hooks/lamp/on%c2%a0", "/hooks/lamp/%ef%bc%8fon",
            "/hooks/lamp/on%ef%bb%bf", "/hooks/lamp/%e2%80%8bon", "*", "/hooks/lamp/on;/../on");

    /** The same for the state URL of an async run, {@code /jobs/executions/1}. */
    private static final List<String> STATE_SPELLINGS = HOOK_SPELLINGS.stream()
            .filter(s -> s.contains("/hooks/lamp/on") || s.contains("hooks%") || s.contains("lamp%"))
            .map(s -> s.replace("hooks", "jobs").replace("lamp", "executions").replace("/on", "/1")
                    .replace("%2Fon", "%2F1").replace("%2fon", "%2f1").replace("%6Fn", "1").replace("o%6e", "1"))
            .toList();

    @BeforeEach
    void reset() {
        TestProcessors.reset();
    }

    static Stream<String> hookSpellings() {
        return HOOK_SPELLINGS.stream();
    }

    static Stream<String> stateSpellings() {
        return STATE_SPELLINGS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hookSpellings")
    void noSpellingOfTheHooksPathRunsItWithoutTheToken(String target) throws Exception {
        RawHttp.Response answer = gateway.exchange("POST " + target + " HTTP/1.1\r\nHost: gateway.test\r\n"
                + "Content-Length: 2\r\n\r\nhi");

        assertThat(answer.status()).as(target + " -> " + answer.statusLine()).isIn(400, 401, 404, 405);
        assertThat(TestProcessors.invocations("lamp")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stateSpellings")
    void noSpellingOfTheStateUrlReadsItWithoutTheKey(String target) throws Exception {
        RawHttp.Response answer = gateway.exchange("GET " + target + " HTTP/1.1\r\nHost: gateway.test\r\n\r\n");

        assertThat(answer.status()).as(target + " -> " + answer.statusLine()).isIn(400, 404, 405);
        assertThat(answer.bodyText()).doesNotContain("resource");
    }

    /** Which spellings are the hook's own path: those the token opens. Every other one routes nowhere. */
    @Test
    void theSpellingsThatAreTheHooksPathAreThoseThatRunItWithTheToken() throws Exception {
        int opened = 0;
        for (String target : HOOK_SPELLINGS) {
            RawHttp.Response answer = gateway.exchange("POST " + target + " HTTP/1.1\r\nHost: gateway.test\r\n"
                    + "Authorization: Bearer " + TOKEN + "\r\nContent-Length: 2\r\n\r\nhi");
            if (answer.status() == 200) {
                opened++;
            } else {
                assertThat(answer.status()).as(target).isIn(400, 404, 405);
            }
        }
        assertThat(opened).as("spellings of the hook's own path").isGreaterThan(5);
        assertThat(TestProcessors.invocations("lamp")).isEqualTo(opened);
    }
}
