package io.hookgateway.security;

import static io.hookgateway.testing.Requests.basicAuthorization;
import static io.hookgateway.testing.Requests.postJson;
import static io.hookgateway.testing.Requests.postWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestProcessors;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shared-secret way of {@code auth}, over a real socket: the right secret runs the hook; a wrong, missing,
 * truncated, extended, oversized or doubled one gets 401 or 403 with the same body, runs nothing (the recorder counts
 * no call) and is counted by reason. Secrets come from the environment, as they should in a real configuration.
 */
class SharedSecretAuthEndToEndTest {

    private static final String TOKEN = "tok-3a9f2c.Z_~+/=";
    private static final String OLD_TOKEN = "previous-token-7b1";
    private static final String KEY = "k3y-9f8e7d6c5b4a";
    private static final String PASSWORD = "correct horse battery staple";
    private static final String HASH = PasswordHash.create(PASSWORD.toCharArray());
    private static final String ALICE = basicAuthorization("alice:" + PASSWORD);

    private static final String CONFIG = """
            server: {access-log: false}
            hooks:
              - name: bearer
                path: /bearer
                auth: {bearer: {tokens: ["${TOKEN}", "${OLD_TOKEN}"]}}
                processor: {type: test-echo}
              - name: header
                path: /header
                auth: {header-key: {header: X-API-Key, key: "${KEY}"}}
                processor: {type: test-echo}
              - name: query
                path: /query
                auth: {query-key: {parameter: key, key: "${KEY}"}}
                processor: {type: test-echo}
              - name: json
                path: /json
                auth: {json-key: {pointer: /auth/key, key: "${KEY}"}}
                processor: {type: test-echo}
              - name: path
                path: /ifttt/{key}/lamp
                auth: {path-key: {variable: key, key: "${KEY}"}}
                processor: {type: test-echo}
              - name: basic
                path: /basic
                auth: {basic: {users: {alice: "${HASH}"}}}
                processor: {type: test-echo}
              - name: both
                path: /both
                auth:
                  all:
                    - bearer: {token: "${TOKEN}"}
                    - header-key: {header: X-API-Key, key: "${KEY}"}
                processor: {type: test-echo}
              - name: either
                path: /either
                auth:
                  any:
                    - bearer: {token: "${TOKEN}"}
                    - header-key: {header: X-API-Key, key: "${KEY}"}
                processor: {type: test-echo}
              - name: guarded
                path: /guarded
                auth: {bearer: {token: "${TOKEN}"}}
                guard: {equals: {value: "${header.X-Mode}", to: "on"}}
                processor: {type: test-echo}
              - name: resources
                path: /things
                auth: {bearer: {token: "${TOKEN}"}}
                processor: {type: test-resources, declares: [/state]}
            """;

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(() -> TestGateway.start(CONFIG,
            Map.of("TOKEN", TOKEN, "OLD_TOKEN", OLD_TOKEN, "KEY", KEY, "HASH", HASH)));

    @BeforeEach
    void reset() {
        TestProcessors.reset();
    }

    static Stream<Arguments> passing() {
        return Stream.of(
                Arguments.of("bearer", postWith("/bearer", "Authorization: Bearer " + TOKEN)),
                Arguments.of("bearer", postWith("/bearer", "Authorization: Bearer " + OLD_TOKEN)),
                Arguments.of("bearer", postWith("/bearer", "authorization: bearer " + TOKEN)),
                Arguments.of("header", postWith("/header", "X-API-Key: " + KEY)),
                Arguments.of("header", postWith("/header", "x-api-key: " + KEY)),
                Arguments.of("query", postWith("/query?key=" + KEY)),
                Arguments.of("json", postJson("/json", "{\"auth\": {\"key\": \"" + KEY + "\"}, \"on\": true}")),
                Arguments.of("path", postWith("/ifttt/" + KEY + "/lamp")),
                Arguments.of("basic", postWith("/basic", ALICE)),
                Arguments.of("both", postWith("/both", "Authorization: Bearer " + TOKEN, "X-API-Key: " + KEY)),
                Arguments.of("either", postWith("/either", "Authorization: Bearer " + TOKEN)),
                Arguments.of("either", postWith("/either", "X-API-Key: " + KEY)),
                Arguments.of("guarded", postWith("/guarded", "Authorization: Bearer " + TOKEN, "X-Mode: on")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("passing")
    void theRightSecretRunsTheHook(String hook, String request) throws Exception {
        RawHttp.Response answer = gateway.exchange(request);

        assertThat(answer.status()).as(answer.rawText()).isEqualTo(200);
        assertThat(TestProcessors.invocations(hook)).isEqualTo(1);
    }

    static Stream<Arguments> refused() {
        String oversized = "k".repeat(6000);
        return Stream.of(
                // bearer: missing, another scheme, no token, not the token syntax, wrong, truncated, extended, two
                refusal("bearer", 401, "missing", postWith("/bearer")),
                refusal("bearer", 401, "missing", postWith("/bearer", basicAuthorization("a:b"))),
                refusal("bearer", 401, "malformed", postWith("/bearer", "Authorization: Bearer")),
                refusal("bearer", 401, "malformed", postWith("/bearer", "Authorization: Bearer a b")),
                refusal("bearer", 401, "malformed", postWith("/bearer", "Authorization: Bearer =abc")),
                refusal("bearer", 403, "mismatch", postWith("/bearer", "Authorization: Bearer wrong")),
                refusal("bearer", 403, "mismatch",
                        postWith("/bearer", "Authorization: Bearer " + TOKEN.substring(0, TOKEN.length() - 1))),
                refusal("bearer", 403, "mismatch", postWith("/bearer", "Authorization: Bearer x" + TOKEN)),
                // the token ends in '=', after which nothing may follow (RFC 6750 §2.1)
                refusal("bearer", 401, "malformed", postWith("/bearer", "Authorization: Bearer " + TOKEN + "x")),
                refusal("bearer", 403, "mismatch", postWith("/bearer", "Authorization: Bearer " + oversized)),
                refusal("bearer", 401, "malformed", postWith("/bearer", "Authorization: Bearer " + TOKEN,
                        "Authorization: Bearer " + TOKEN)),
                // header-key
                refusal("header", 404, "missing", postWith("/header")),
                refusal("header", 404, "missing", postWith("/header", "X-API-Key: ")),
                refusal("header", 403, "mismatch", postWith("/header", "X-API-Key: " + KEY.toUpperCase())),
                refusal("header", 403, "mismatch", postWith("/header", "X-API-Key: " + KEY.substring(1))),
                refusal("header", 403, "mismatch", postWith("/header", "X-API-Key: " + oversized)),
                refusal("header", 401, "malformed", postWith("/header", "X-API-Key: " + KEY, "X-API-Key: " + KEY)),
                // query-key
                refusal("query", 404, "missing", postWith("/query")),
                refusal("query", 404, "missing", postWith("/query?key=")),
                refusal("query", 404, "missing", postWith("/query?Key=" + KEY)),
                refusal("query", 403, "mismatch", postWith("/query?key=" + KEY + "%00")),
                refusal("query", 401, "malformed", postWith("/query?key=" + KEY + "&key=" + KEY)),
                // json-key
                refusal("json", 404, "missing", postJson("/json", "{\"auth\": {}}")),
                refusal("json", 404, "missing", postJson("/json", "{}")),
                refusal("json", 403, "mismatch", postJson("/json", "{\"auth\": {\"key\": \"nope\"}}")),
                // A body that is not JSON (cut short, a key twice) holds no key that can be read: a hidden hook
                // answers it as a path without a hook, as it answers the body any prober sends.
                refusal("json", 404, "malformed", postJson("/json", "{\"auth\": {\"key\": \"" + KEY + "\"")),
                refusal("json", 404, "malformed",
                        postJson("/json", "{\"auth\": {\"key\": \"x\", \"key\": \"" + KEY + "\"}}")),
                refusal("json", 404, "malformed", postWith("/json")),
                // path-key
                refusal("path", 404, "mismatch", postWith("/ifttt/" + KEY + "x/lamp")),
                refusal("path", 404, "mismatch", postWith("/ifttt/guess/lamp")),
                // basic
                refusal("basic", 401, "missing", postWith("/basic")),
                refusal("basic", 401, "malformed", postWith("/basic", "Authorization: Basic !!!")),
                refusal("basic", 401, "malformed", postWith("/basic", basicAuthorization("alice"))),
                refusal("basic", 403, "mismatch", postWith("/basic", basicAuthorization("alice:wrong"))),
                refusal("basic", 403, "mismatch",
                        postWith("/basic", basicAuthorization("mallory:" + PASSWORD))),
                // all: one is not enough; any: a wrong one is still refused
                refusal("both", 404, "missing", postWith("/both", "Authorization: Bearer " + TOKEN)),
                refusal("both", 401, "missing", postWith("/both", "X-API-Key: " + KEY)),
                refusal("either", 403, "mismatch", postWith("/either", "X-API-Key: wrong")),
                refusal("either", 401, "missing", postWith("/either")),
                // the guard still applies once the caller is known
                refusal("guarded", 403, "guard", postWith("/guarded", "Authorization: Bearer " + TOKEN)),
                refusal("guarded", 401, "missing", postWith("/guarded", "X-Mode: on")));
    }

    @ParameterizedTest(name = "{0} {1} {2}: {3}")
    @MethodSource("refused")
    void aWrongOrMissingSecretIsRefusedAndRunsNothing(String hook, int status, String reason, String request)
            throws Exception {
        double before = gateway.counter("hook.gateway.auth.failures", "hook", hook, "reason", reason);

        RawHttp.Response answer = gateway.exchange(request);

        assertThat(answer.status()).as(answer.rawText()).isEqualTo(status);
        // The body says only the status, whatever failed; never which check, nor the secret. Without credentials,
        // a hook whose way has no challenge answers as a path without a hook.
        assertThat(answer.bodyText()).isEqualTo(status == 401 ? "unauthorized\n" : status == 403 ? "forbidden\n"
                : "no hook is configured at this path\n");
        assertThat(answer.rawText()).doesNotContain(KEY).doesNotContain(TOKEN);
        assertThat(TestProcessors.invocations(hook)).isZero();
        assertThat(gateway.counter("hook.gateway.auth.failures", "hook", hook, "reason", reason))
                .isEqualTo(before + 1);
    }

    @Test
    void aMissingBearerTokenGetsTheSchemesChallenge() throws Exception {
        RawHttp.Response answer = gateway.exchange(postWith("/bearer"));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"hook-gateway\"");
        assertThat(gateway.exchange(postWith("/bearer", "Authorization: Bearer a b")).header("WWW-Authenticate"))
                .isEqualTo("Bearer realm=\"hook-gateway\", error=\"invalid_request\"");
        assertThat(gateway.exchange(postWith("/basic")).header("WWW-Authenticate"))
                .isEqualTo("Basic realm=\"hook-gateway\", charset=\"UTF-8\"");
        assertThat(gateway.exchange(postWith("/header")).header("WWW-Authenticate")).isNull();
    }

    @Test
    void aHeadOnlyCheckRefusesBeforeTheBodyIsAskedFor() throws Exception {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send("POST /header HTTP/1.1\r\nHost: h\r\nX-API-Key: wrong\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 1000000\r\n\r\n");

            RawHttp.Response answer = client.read();

            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.rawText()).doesNotContain("100 Continue");
        }
    }

    @Test
    void theHooksOwnResourcesAreBehindItsAuth() throws Exception {
        assertThat(gateway.exchange("GET /things/state HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(401);
        assertThat(gateway.exchange("GET /things/state HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer nope\r\n\r\n")
                .status()).isEqualTo(403);
        RawHttp.Response allowed = gateway.exchange(
                "GET /things/state HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.bodyText()).isEqualTo("resource /state {}\n");
    }

    @Test
    void everyReasonOfAHookWithAuthIsCountedFromZero() {
        for (String reason : new String[] {"missing", "malformed", "mismatch", "expired", "replayed", "guard"}) {
            assertThat(gateway.server().metrics().registry().find("hook.gateway.auth.failures")
                    .tags("hook", "header", "reason", reason).counter()).as(reason).isNotNull();
        }
    }

    private static Arguments refusal(String hook, int status, String reason, String request) {
        return Arguments.of(hook, status, reason, request);
    }
}
