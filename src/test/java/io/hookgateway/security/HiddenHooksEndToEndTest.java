package io.hookgateway.security;

import static io.hookgateway.testing.Requests.postWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestProcessors;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a prober learns. A hook with an {@code auth} whose scheme has no challenge hides by default: a request that
 * brings no credentials (or a path segment that is not the key) gets, byte for byte, what a path without a hook
 * gets, with a body or without, by any method; and the connection goes on as it would. Bearer and Basic must name their scheme (401 with
 * {@code WWW-Authenticate}); {@code hidden: false} answers 401 instead; a request that brings wrong credentials is
 * told so (403), since its sender knows the hook is there.
 */
class HiddenHooksEndToEndTest {

    private static final String CONFIG = """
            server: {access-log: false}
            hooks:
              - name: lamp
                path: /lamp
                auth: {header-key: {header: X-API-Key, key: "${KEY}"}}
                processor: {type: test-echo}
              - name: ifttt
                path: /ifttt/{key}/lamp
                methods: [POST, PUT]
                auth: {path-key: {variable: key, key: "${KEY}"}}
                processor: {type: test-echo}
              - name: signed
                path: /signed
                auth: {json-key: {pointer: /key, key: "${KEY}"}}
                processor: {type: test-echo}
              - name: github
                path: /github
                auth: {github: {secret: "${KEY}"}}
                processor: {type: test-echo}
              - name: shown
                path: /shown
                hidden: false
                auth: {header-key: {header: X-API-Key, key: "${KEY}"}}
                processor: {type: test-echo}
              - name: bearer
                path: /bearer
                auth: {bearer: {token: "${KEY}"}}
                processor: {type: test-echo}
            """;

    @RegisterExtension
    static final GatewayExtension gateway =
            new GatewayExtension(() -> TestGateway.start(CONFIG, Map.of("KEY", "k3y-hidden-1")));

    @BeforeEach
    void reset() {
        TestProcessors.reset();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "POST /lamp HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi",
        "POST /lamp HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /lamp HTTP/1.1\r\nHost: h\r\n\r\n",
        "OPTIONS /lamp HTTP/1.1\r\nHost: h\r\n\r\n",
        "DELETE /lamp HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi",
        "POST /ifttt/guess/lamp HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi",
        "GET /ifttt/guess/lamp HTTP/1.1\r\nHost: h\r\n\r\n",
        "POST /signed HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
        // What a prober sends everywhere (curl -d x): a body that is not JSON holds no key either.
        "POST /signed HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi",
        "POST /signed HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 1\r\n\r\n{",
        // A signed hook sees from the head that no signature came: a client that waits for 100 Continue, or sends
        // more than the hook would take, gets at once what a path without a hook answers (not 100, not 413).
        "POST /github HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n",
        "POST /github HTTP/1.1\r\nHost: h\r\nContent-Length: 1000000000\r\n\r\n",
    })
    void aRequestWithoutCredentialsGetsWhatAPathWithoutAHookGets(String request) throws Exception {
        String nowhere = request.replaceFirst(" /[^ ]*", " /nowhere");

        RawHttp.Response hidden = gateway.exchange(request);
        RawHttp.Response unknown = gateway.exchange(nowhere);

        assertThat(hidden.status()).isEqualTo(404);
        // Byte for byte, but for the value of the request's id, which differs from request to request (not its length).
        assertThat(sameId(hidden.rawText())).isEqualTo(sameId(unknown.rawText()));
        assertThat(TestProcessors.invocations("lamp") + TestProcessors.invocations("ifttt")
                + TestProcessors.invocations("signed") + TestProcessors.invocations("github")).isZero();
    }

    @Test
    void theConnectionGoesOnAsAfterAPathWithoutAHook() throws Exception {
        String body = "x".repeat(10_000);
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send("POST /lamp HTTP/1.1\r\nHost: h\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                    + "POST /lamp HTTP/1.1\r\nHost: h\r\nX-API-Key: k3y-hidden-1\r\nContent-Length: 2\r\n\r\nhi");

            RawHttp.Response refused = client.read();
            RawHttp.Response served = client.read();

            assertThat(refused.status()).isEqualTo(404);
            assertThat(refused.header("Connection")).isNull();
            assertThat(served.status()).isEqualTo(200);
        }
    }

    @Test
    void aMissingCredentialIsStillCountedUnderItsHook() throws Exception {
        double before = gateway.counter("hook.gateway.auth.failures", "hook", "lamp", "reason", "missing");

        gateway.exchange(postWith("/lamp"));

        assertThat(gateway.counter("hook.gateway.auth.failures", "hook", "lamp", "reason", "missing"))
                .isEqualTo(before + 1);
    }

    @Test
    void wrongCredentialsAreToldSo() throws Exception {
        assertThat(gateway.exchange(postWith("/lamp", "X-API-Key: wrong")).status()).isEqualTo(403);
    }

    @Test
    void aHookThatDoesNotHideAndASchemeWithAChallengeAnswer401() throws Exception {
        RawHttp.Response shown = gateway.exchange(postWith("/shown"));
        RawHttp.Response bearer = gateway.exchange(postWith("/bearer"));

        assertThat(shown.status()).isEqualTo(401);
        assertThat(shown.header("WWW-Authenticate")).isNull();
        assertThat(bearer.status()).isEqualTo(401);
        assertThat(bearer.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"hook-gateway\"");
        assertThat(gateway.exchange("GET /shown HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(405);
    }

    @Test
    void theRightCredentialsStillPass() throws Exception {
        assertThat(gateway.exchange(postWith("/lamp", "X-API-Key: k3y-hidden-1")).status()).isEqualTo(200);
        assertThat(gateway.exchange(postWith("/ifttt/k3y-hidden-1/lamp")).status()).isEqualTo(200);
    }

    private static String sameId(String answer) {
        return answer.replaceFirst("\r\nX-Request-Id: [0-9a-f]{16}\r\n", "\r\nX-Request-Id: 0123456789abcdef\r\n");
    }
}
