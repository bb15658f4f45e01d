package io.hookgateway.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.LogCapture;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.Requests;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestProcessors;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Allow and deny lists over real sockets, from real peer addresses: 127.0.0.1 and other 127.x addresses over IPv4,
 * {@code ::1} over IPv6, to one port listening on both. A refused client gets {@code 403 forbidden}, the body of every
 * other refusal, before its body is read and before the hook's auth; nothing runs; the refusal is counted as
 * {@code reason="ip"}.
 */
class ClientRulesEndToEndTest {

    private static final String TOKEN = "t0ken-for-the-locked-hook";
    private static final String CONFIG = """
            server:
              clients: {deny: [127.0.0.66]}
            hooks:
              - name: v4
                path: /v4
                clients: {allow: [127.0.0.1]}
                processor: {type: test-echo}
              - name: v6
                path: /v6
                clients: {allow: ["::1"]}
                processor: {type: test-echo}
              - name: holes
                path: /holes
                clients: {allow: [127.0.0.0/8], deny: [127.0.0.13]}
                processor: {type: test-echo}
              - name: locked
                path: /locked
                clients: {allow: [127.0.0.1, "::1"]}
                hidden: false
                auth: {bearer: {token: "${TOKEN}"}}
                processor: {type: test-echo}
              - name: lan
                path: /lan
                clients: {allow: [127.0.0.1]}
                auth: {header-key: {header: X-API-Key, key: "${TOKEN}"}}
                processor: {type: test-echo}
              - name: whoami
                path: /whoami
                methods: [GET]
                processor: {type: respond, body: "${client.ip} ${client.address}"}
            """;

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(() ->
            TestGateway.startOn(Loopback.bind(), TestGateway.parse(CONFIG, Map.of("TOKEN", TOKEN))));

    private static RawHttp.Response exchange(String from, String host, String request) throws IOException {
        try (RawHttp client = RawHttp.connect(from, host, gateway.port())) {
            return client.send(request).read();
        }
    }

    private static double ipRefusals(String hook) {
        return gateway.counter("hook.gateway.auth.failures", "hook", hook, "reason", "ip");
    }

    @Test
    void anIpv4AllowListServesOnlyItsAddresses() throws Exception {
        assertThat(exchange(null, "127.0.0.1", Requests.post("/v4", "on")).status()).isEqualTo(200);
        assertThat(TestProcessors.invocations("v4")).isEqualTo(1);

        assumeTrue(Loopback.IPV6, "no IPv6 loopback");
        RawHttp.Response refused = exchange(null, "::1", Requests.post("/v4", "on"));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.bodyText()).isEqualTo("forbidden\n");
        assertThat(TestProcessors.invocations("v4")).isEqualTo(1);
        assertThat(ipRefusals("v4")).isEqualTo(1);
    }

    @Test
    void anIpv6AllowListServesOnlyItsAddresses() throws Exception {
        assumeTrue(Loopback.IPV6, "no IPv6 loopback");

        assertThat(exchange(null, "::1", Requests.post("/v6", "on")).status()).isEqualTo(200);
        assertThat(exchange(null, "127.0.0.1", Requests.post("/v6", "on")).status()).isEqualTo(403);
        assertThat(TestProcessors.invocations("v6")).isEqualTo(1);
    }

    @Test
    void aDenyMakesAHoleInAnAllow() throws Exception {
        assumeTrue(Loopback.MANY_IPV4, "no loopback address but 127.0.0.1");

        assertThat(exchange("127.0.0.2", "127.0.0.1", Requests.post("/holes", "on")).status()).isEqualTo(200);
        assertThat(exchange("127.0.0.13", "127.0.0.1", Requests.post("/holes", "on")).status()).isEqualTo(403);
        assertThat(TestProcessors.invocations("holes")).isEqualTo(1);
    }

    @Test
    void thePortsDenyHoldsForEveryPathWithTheSameAnswer() throws Exception {
        assumeTrue(Loopback.MANY_IPV4, "no loopback address but 127.0.0.1");
        double before = ipRefusals("unmatched");

        RawHttp.Response known = exchange("127.0.0.66", "127.0.0.1", Requests.get("/whoami"));
        RawHttp.Response unknown = exchange("127.0.0.66", "127.0.0.1", Requests.get("/no/such/hook"));
        RawHttp.Response allowedByTheHook = exchange("127.0.0.66", "127.0.0.1", Requests.post("/holes", "on"));

        // Whether a path has a hook is not told either: the same 403 for each.
        assertThat(known.status()).isEqualTo(403);
        assertThat(unknown.status()).isEqualTo(403);
        assertThat(allowedByTheHook.status()).isEqualTo(403);
        assertThat(unknown.bodyText()).isEqualTo(known.bodyText()).isEqualTo("forbidden\n");
        assertThat(ipRefusals("whoami")).isEqualTo(1);
        assertThat(ipRefusals("unmatched")).isEqualTo(before + 1);
        assertThat(TestProcessors.invocations("holes")).isZero();
        assertThat(exchange("127.0.0.65", "127.0.0.1", Requests.get("/whoami")).status()).isEqualTo(200);
    }

    @Test
    void refusesAnAddressBeforeTheAuthAndBeforeTheBody() throws Exception {
        assumeTrue(Loopback.MANY_IPV4, "no loopback address but 127.0.0.1");
        double missing = gateway.counter("hook.gateway.auth.failures", "hook", "locked", "reason", "missing");

        try (RawHttp client = RawHttp.connect("127.0.0.2", "127.0.0.1", gateway.port())) {
            // No token, and a body announced that the client holds back until 100 Continue.
            RawHttp.Response answer = client.send("POST /locked HTTP/1.1\r\nHost: gateway.test\r\n"
                    + "Content-Length: 1000000\r\nExpect: 100-continue\r\n\r\n").read();

            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.bodyText()).isEqualTo("forbidden\n");
            assertThat(answer.header("WWW-Authenticate")).isNull();
            assertThat(answer.header("Connection")).isEqualTo("close");
        }
        assertThat(ipRefusals("locked")).isEqualTo(1);
        assertThat(gateway.counter("hook.gateway.auth.failures", "hook", "locked", "reason", "missing"))
                .isEqualTo(missing);
        // From an allowed address the auth is asked, and a token passes.
        assertThat(exchange(null, "127.0.0.1", Requests.post("/locked", "on")).status()).isEqualTo(401);
        assertThat(exchange(null, "127.0.0.1", "POST /locked HTTP/1.1\r\nHost: gateway.test\r\nAuthorization: "
                + "Bearer " + TOKEN + "\r\nContent-Length: 2\r\n\r\non").status()).isEqualTo(200);
        assertThat(TestProcessors.invocations("locked")).isEqualTo(1);
    }

    @Test
    void aHiddenHookAnswersAClientItDoesNotServeAsAPathWithoutAHook() throws Exception {
        assumeTrue(Loopback.MANY_IPV4, "no loopback address but 127.0.0.1");
        // The prober names its requests, so that the two answers are comparable byte for byte.
        String request = Requests.post("/lan", "on").replaceFirst("\r\n", "\r\nX-Request-Id: probe-1\r\n");

        // A prober outside the allow list walking paths must not find the hook by its 403.
        RawHttp.Response refused = exchange("127.0.0.2", "127.0.0.1", request);
        RawHttp.Response nowhere = exchange("127.0.0.2", "127.0.0.1", request.replace("/lan", "/nowhere"));

        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.rawText()).isEqualTo(nowhere.rawText());
        assertThat(ipRefusals("lan")).isEqualTo(1);
        assertThat(TestProcessors.invocations("lan")).isZero();
        // Once served, the hook's own auth decides.
        assertThat(exchange(null, "127.0.0.1", "POST /lan HTTP/1.1\r\nHost: gateway.test\r\nX-API-Key: " + TOKEN
                + "\r\nContent-Length: 2\r\n\r\non").status()).isEqualTo(200);
    }

    @Test
    void templatesAndTheAccessLogNameThePeer() throws Exception {
        try (LogCapture log = LogCapture.gateway()) {
            assertThat(exchange(null, "127.0.0.1", Requests.get("/whoami")).bodyText())
                    .isEqualTo("127.0.0.1 127.0.0.1");
            TrustedProxyEndToEndTest.awaitAccessLine(log, "GET /whoami hook=whoami status=200 ", " client=127.0.0.1");
        }
        assumeTrue(Loopback.IPV6, "no IPv6 loopback");
        assertThat(exchange(null, "::1", Requests.get("/whoami")).bodyText())
                .isEqualTo("0:0:0:0:0:0:0:1 0:0:0:0:0:0:0:1");
    }

    @Test
    void anIpv4ClientOfADualStackPortIsItsIpv4Address() throws Exception {
        assumeTrue(Loopback.IPV6 && Loopback.MANY_IPV4, "no IPv6 loopback, or no loopback address but 127.0.0.1");

        // The socket sees ::ffff:127.0.0.2; every rule and template sees 127.0.0.2.
        assertThat(exchange("127.0.0.2", "127.0.0.1", Requests.get("/whoami")).bodyText())
                .isEqualTo("127.0.0.2 127.0.0.2");
    }
}
