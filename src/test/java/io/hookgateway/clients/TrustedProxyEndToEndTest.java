package io.hookgateway.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hookgateway.testing.Await;
import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.LogCapture;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestProcessors;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A proxy at 127.0.0.1 is trusted to name its clients; nobody else is. Over real sockets: the right-most untrusted
 * address is the client, for the rules, {@code ${client.ip}} and the access log alike; a header from an untrusted
 * peer, or a spoofed hop left of the proxy's, changes nothing; an address written any way but its one literal form
 * cannot slip past a rule.
 */
class TrustedProxyEndToEndTest {

    private static final String HOOKS = """
            hooks:
              - name: office
                path: /office
                methods: [GET]
                clients: {allow: [10.0.0.0/8, "2001:db8::/32"], deny: [10.0.0.13]}
                processor: {type: test-echo}
              - name: whoami
                path: /whoami
                methods: [GET]
                processor: {type: respond, body: "${client.ip}"}
            """;

    @RegisterExtension
    static final GatewayExtension xff = new GatewayExtension(() -> TestGateway.startOn(Loopback.bind(),
            TestGateway.parse("""
                    server:
                      trusted-proxies: [127.0.0.1]
                      clients: {deny: [203.0.113.66]}
                    """ + HOOKS, Map.of())));

    @RegisterExtension
    static final GatewayExtension forwarded = new GatewayExtension(() -> TestGateway.startOn(Loopback.bind(),
            TestGateway.parse("""
                    server:
                      trusted-proxies: [127.0.0.1]
                      forwarded-header: Forwarded
                    """ + HOOKS, Map.of())));

    private static RawHttp.Response get(GatewayExtension gateway, String from, String host, String path,
                                        String... fields) throws IOException {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: gateway.test\r\n");
        for (String field : fields) {
            request.append(field).append("\r\n");
        }
        try (RawHttp client = RawHttp.connect(from, host, gateway.port())) {
            return client.send(request.append("\r\n").toString()).read();
        }
    }

    private static RawHttp.Response viaProxy(String path, String... fields) throws IOException {
        return get(xff, null, "127.0.0.1", path, fields);
    }

    /**
     * Waits for the access line that starts with {@code start} and ends with {@code end} and the request's id; it is
     * written once the answer is, and the client may read that a moment before.
     */
    static void awaitAccessLine(LogCapture log, String start, String end) throws InterruptedException {
        Pattern tail = Pattern.compile(Pattern.quote(end) + " id=[0-9a-f]{16}$");
        Await.until(Duration.ofSeconds(5), () -> "an access line " + start + "... " + end + " in " + log.messages(),
                () -> log.messages().stream().anyMatch(line -> line.startsWith(start) && tail.matcher(line).find()));
    }

    private static double ipRefusals(GatewayExtension gateway, String hook) {
        return gateway.counter("hook.gateway.auth.failures", "hook", hook, "reason", "ip");
    }

    @Test
    void theAddressATrustedProxyNamesIsTheClientEverywhere() throws Exception {
        try (LogCapture log = LogCapture.gateway()) {
            assertThat(viaProxy("/office", "X-Forwarded-For: 10.1.2.3").status()).isEqualTo(200);
            assertThat(viaProxy("/whoami", "X-Forwarded-For: 10.1.2.3").bodyText()).isEqualTo("10.1.2.3");

            awaitAccessLine(log, "GET /office hook=office status=200 ", " client=10.1.2.3");
            awaitAccessLine(log, "GET /whoami hook=whoami status=200 ", " client=10.1.2.3");
        }
        assertThat(viaProxy("/office", "X-Forwarded-For: 10.0.0.13").status()).isEqualTo(403);
        assertThat(TestProcessors.invocations("office")).isEqualTo(1);
        // Without the header the proxy itself is the client.
        assertThat(viaProxy("/whoami").bodyText()).isEqualTo("127.0.0.1");
        assertThat(viaProxy("/office").status()).isEqualTo(403);
    }

    @Test
    void whatIsLeftOfTheRightMostUntrustedAddressIsNeverBelieved() throws Exception {
        // A client at 203.0.113.9 wrote "10.1.2.3" itself; the proxy appended the address it saw.
        assertThat(viaProxy("/whoami", "X-Forwarded-For: 10.1.2.3, 203.0.113.9").bodyText())
                .isEqualTo("203.0.113.9");
        assertThat(viaProxy("/office", "X-Forwarded-For: 10.1.2.3, 203.0.113.9").status()).isEqualTo(403);
        // The same with a line of its own: several field lines are one list, in order.
        assertThat(viaProxy("/office", "X-Forwarded-For: 10.1.2.3", "X-Forwarded-For: 203.0.113.9").status())
                .isEqualTo(403);
        assertThat(viaProxy("/whoami", "X-Forwarded-For: 203.0.113.9", "X-Forwarded-For: 10.1.2.3").bodyText())
                .isEqualTo("10.1.2.3");
        // Hops that are trusted proxies themselves are passed over.
        assertThat(viaProxy("/whoami", "X-Forwarded-For: 10.1.2.3, 127.0.0.1, ::ffff:127.0.0.1").bodyText())
                .isEqualTo("10.1.2.3");
        assertThat(TestProcessors.invocations("office")).isZero();
    }

    @Test
    void anUntrustedPeersHeaderIsIgnored() throws Exception {
        assumeTrue(Loopback.MANY_IPV4, "no loopback address but 127.0.0.1");

        assertThat(get(xff, "127.0.0.2", "127.0.0.1", "/office", "X-Forwarded-For: 10.1.2.3").status())
                .isEqualTo(403);
        assertThat(get(xff, "127.0.0.2", "127.0.0.1", "/whoami", "X-Forwarded-For: 10.1.2.3").bodyText())
                .isEqualTo("127.0.0.2");
        assertThat(get(forwarded, "127.0.0.2", "127.0.0.1", "/whoami", "Forwarded: for=10.1.2.3").bodyText())
                .isEqualTo("127.0.0.2");
        assertThat(TestProcessors.invocations("office")).isZero();
    }

    @Test
    void anUntrustedIpv6PeersHeaderIsIgnored() throws Exception {
        assumeTrue(Loopback.IPV6, "no IPv6 loopback");

        assertThat(get(xff, null, "::1", "/office", "X-Forwarded-For: 10.1.2.3").status()).isEqualTo(403);
        assertThat(get(xff, null, "::1", "/whoami", "X-Forwarded-For: 10.1.2.3").bodyText())
                .isEqualTo("0:0:0:0:0:0:0:1");
    }

    @Test
    void theServersDenyListAppliesToTheNamedClientForEveryPath() throws Exception {
        double unmatched = ipRefusals(xff, "unmatched");

        assertThat(viaProxy("/whoami", "X-Forwarded-For: 203.0.113.66").status()).isEqualTo(403);
        assertThat(viaProxy("/nowhere", "X-Forwarded-For: 203.0.113.66").status()).isEqualTo(403);
        assertThat(viaProxy("/nowhere", "X-Forwarded-For: 203.0.113.67").status()).isEqualTo(404);
        assertThat(ipRefusals(xff, "whoami")).isEqualTo(1);
        assertThat(ipRefusals(xff, "unmatched")).isEqualTo(unmatched + 1);
    }

    /** An IPv4-mapped address is the IPv4 address: allowed where that is, denied where that is. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "::ffff:10.1.2.3           | 200",
            "::ffff:a01:203            | 200",
            "[::ffff:10.1.2.3]:4711    | 200",
            "0:0:0:0:0:ffff:10.1.2.3   | 200",
            "10.1.2.3:4711             | 200",
            "2001:db8::5               | 200",
            "[2001:DB8:0:0::5]         | 200",
            "::ffff:10.0.0.13          | 403",
            "::ffff:a00:d              | 403",
            "0000:0000:0000:0000:0000:ffff:0a00:000d | 403",
            "10.0.0.13:80              | 403",
    })
    void everyLiteralFormOfAnAddressMeetsTheSameRule(String hop, int status) throws Exception {
        assertThat(viaProxy("/office", "X-Forwarded-For: " + hop).status()).isEqualTo(status);
    }

    /**
     * Spellings a lenient reader would take for an allowed address (10.0.0.8, 8.0.0.1, 10.0.0.1, ...), or could read
     * as anything at all: the client cannot be told, and is refused, even on a hook that serves everyone; it is not
     * taken for the proxy either.
     */
    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"010.0.0.1", "10.0.0.01", "0x0a.0.0.1", "0xa000001", "167772161", "10.1", "10.0.0.1.",
            "10.0.0.1%eth0", "fe80::1%eth0", "[fe80::1%25eth0]", "[10.0.0.1]", "12345::1", "unknown", "_proxy",
            "10.0.0.1 10.0.0.2", "::ffff:010.0.0.1", "10.0.0.1:99999", "localhost"})
    void anAddressWrittenAnyOtherWayIsNeverAllowed(String hop) throws Exception {
        double before = ipRefusals(xff, "whoami");

        assertThat(viaProxy("/office", "X-Forwarded-For: " + hop).status()).isEqualTo(403);
        RawHttp.Response whoami = viaProxy("/whoami", "X-Forwarded-For: " + hop);

        assertThat(whoami.status()).isEqualTo(403);
        assertThat(whoami.bodyText()).isEqualTo("forbidden\n");
        assertThat(ipRefusals(xff, "whoami")).isEqualTo(before + 1);
        assertThat(TestProcessors.invocations("office")).isZero();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "for=10.1.2.3                                      | 10.1.2.3",
            "for=\"10.1.2.3:4711\";proto=https                 | 10.1.2.3",
            "for=\"[2001:db8:cafe::17]:4711\"                  | 2001:db8:cafe:0:0:0:0:17",
            "For=\"[::ffff:10.1.2.3]\"                         | 10.1.2.3",
            "for=192.0.2.1, for=10.1.2.3;by=127.0.0.1          | 10.1.2.3",
            "for=10.1.2.3, for=127.0.0.1                       | 10.1.2.3",
            "for=10.1.2.3;ext=\"a, for=192.0.2.1\"             | 10.1.2.3",
    })
    void readsTheForwardedHeaderOfRfc7239(String header, String client) throws Exception {
        RawHttp.Response answer = get(forwarded, null, "127.0.0.1", "/whoami", "Forwarded: " + header);

        assertThat(answer.bodyText()).isEqualTo(client);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"for=unknown", "for=_hidden", "proto=https", "for=[2001:db8::1]", "for=\"10.1.2.3",
            "for=10.1.2.3;for=10.1.2.4", "for=010.1.2.3", "for=\"[10.1.2.3]\"", "for=\"192.0.2.1, for=10.1.2.3"})
    void cannotTellTheClientFromAForwardedHeaderItCannotRead(String header) throws Exception {
        assertThat(get(forwarded, null, "127.0.0.1", "/whoami", "Forwarded: " + header).status()).isEqualTo(403);
        assertThat(get(forwarded, null, "127.0.0.1", "/office", "Forwarded: " + header).status()).isEqualTo(403);
    }

    @Test
    void aForwardingPortReadsOnlyItsOwnHeader() throws Exception {
        // A proxy that sets Forwarded passes X-Forwarded-For through as the client wrote it.
        assertThat(get(forwarded, null, "127.0.0.1", "/whoami", "X-Forwarded-For: 10.1.2.3").bodyText())
                .isEqualTo("127.0.0.1");
        assertThat(viaProxy("/whoami", "Forwarded: for=10.1.2.3").bodyText()).isEqualTo("127.0.0.1");
    }
}
