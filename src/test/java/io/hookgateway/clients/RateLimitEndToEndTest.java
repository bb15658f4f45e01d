package io.hookgateway.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestProcessors;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rate limits over real sockets, the clients named by a trusted proxy at 127.0.0.1 so that one test can be many
 * clients: 429 with {@code Retry-After} before the body and before auth, nothing run, counted as {@code reason="rate"};
 * the server's limit for hooks without their own; and the map of buckets held to its bound while a flood of distinct
 * addresses goes through.
 */
class RateLimitEndToEndTest {

    private static final int MAX_CLIENTS = 500;

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension("""
            server:
              trusted-proxies: [127.0.0.1]
              rate-limit:
                per-client: {requests: 1, per: 1h}
                max-clients: %d
            hooks:
              - name: limited
                path: /limited
                rate-limit: {per-client: {requests: 2, per: 1h}}
                auth: {header-key: {header: X-Key, key: right-key}}
                processor: {type: test-echo}
              - name: whole
                path: /whole
                rate-limit: {per-hook: {requests: 3, per: 1h}}
                processor: {type: test-echo}
              - name: defaulted
                path: /defaulted
                processor: {type: test-echo}
              - name: unlimited
                path: /unlimited
                rate-limit: {}
                processor: {type: test-echo}
              - name: flood
                path: /flood
                methods: [GET]
                access-log: false
                processor: {type: respond, body: "${client.ip}"}
            """.formatted(MAX_CLIENTS));

    private static String post(String path, String client, String... fields) {
        StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: gateway.test\r\n"
                + "X-Forwarded-For: " + client + "\r\nX-Key: right-key\r\n");
        for (String field : fields) {
            request.append(field).append("\r\n");
        }
        return request.append("Content-Length: 2\r\n\r\non").toString();
    }

    /** A GET without a body: a refusal of it leaves the connection open for the next request. */
    private static String get(String path, String client) {
        return "GET " + path + " HTTP/1.1\r\nHost: gateway.test\r\nX-Forwarded-For: " + client + "\r\n\r\n";
    }

    private static RawHttp.Response send(String path, String client) throws IOException {
        return gateway.exchange(post(path, client));
    }

    private static double rateRefusals(String hook) {
        return gateway.counter("hook.gateway.auth.failures", "hook", hook, "reason", "rate");
    }

    @Test
    void answers429WithRetryAfterOnceAClientHasUsedItsRequests() throws Exception {
        assertThat(send("/limited", "198.51.100.1").status()).isEqualTo(200);
        assertThat(send("/limited", "198.51.100.1").status()).isEqualTo(200);

        RawHttp.Response refused = send("/limited", "198.51.100.1");

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.bodyText()).isEqualTo("too many requests\n");
        // Two an hour: the next one in half an hour, in whole seconds rounded up.
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1790L, 1800L);
        assertThat(TestProcessors.invocations("limited")).isEqualTo(2);
        assertThat(rateRefusals("limited")).isEqualTo(1);
        // Another client has requests of its own.
        assertThat(send("/limited", "198.51.100.2").status()).isEqualTo(200);
    }

    @Test
    void refusesBeforeTheAuthAndBeforeTheBody() throws Exception {
        send("/limited", "198.51.100.3");
        send("/limited", "198.51.100.3");
        double mismatches = gateway.counter("hook.gateway.auth.failures", "hook", "limited", "reason", "mismatch");

        try (RawHttp client = RawHttp.connect(gateway.port())) {
            RawHttp.Response answer = client.send("POST /limited HTTP/1.1\r\nHost: gateway.test\r\n"
                    + "X-Forwarded-For: 198.51.100.3\r\nX-Key: wrong\r\nContent-Length: 1000000\r\n"
                    + "Expect: 100-continue\r\n\r\n").read();

            assertThat(answer.status()).isEqualTo(429);
            assertThat(answer.header("Retry-After")).isNotNull();
            assertThat(answer.header("Connection")).isEqualTo("close");
        }
        assertThat(gateway.counter("hook.gateway.auth.failures", "hook", "limited", "reason", "mismatch"))
                .isEqualTo(mismatches);
    }

    @Test
    void anIpv6ClientIsLimitedByItsSlash64() throws Exception {
        assertThat(send("/defaulted", "2001:db8:1:2::1").status()).isEqualTo(200);
        assertThat(send("/defaulted", "2001:db8:1:2:ffff::2").status()).isEqualTo(429);
        assertThat(send("/defaulted", "2001:db8:1:3::1").status()).isEqualTo(200);
    }

    @Test
    void aHookLimitCountsEveryClient() throws Exception {
        assertThat(send("/whole", "192.0.2.1").status()).isEqualTo(200);
        assertThat(send("/whole", "192.0.2.2").status()).isEqualTo(200);
        assertThat(send("/whole", "192.0.2.3").status()).isEqualTo(200);

        RawHttp.Response refused = send("/whole", "192.0.2.4");

        assertThat(refused.status()).isEqualTo(429);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1190L, 1200L);
        assertThat(TestProcessors.invocations("whole")).isEqualTo(3);
        assertThat(rateRefusals("whole")).isEqualTo(1);
    }

    @Test
    void aHookWithoutItsOwnLimitTakesTheServersAndAnEmptyOneHasNone() throws Exception {
        assertThat(send("/defaulted", "192.0.2.10").status()).isEqualTo(200);
        assertThat(send("/defaulted", "192.0.2.10").status()).isEqualTo(429);
        for (int i = 0; i < 20; i++) {
            assertThat(send("/unlimited", "192.0.2.10").status()).isEqualTo(200);
        }
        assertThat(TestProcessors.invocations("unlimited")).isEqualTo(20);
    }

    @Test
    void theBucketsStayWithinTheirBoundWhileAFloodOfAddressesGoesThrough() throws Exception {
        String limited = "203.0.113.200";
        assertThat(gateway.exchange(get("/flood", limited)).status()).isEqualTo(200);
        int flood = 2000;
        int limitedAdmitted = 0;
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            for (int i = 0; i < flood; i++) {
                String address = "100.64." + (i >> 8) + "." + (i & 0xff);
                RawHttp.Response answer = client.send(get("/flood", address)).read();
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.bodyText()).isEqualTo(address);
                if (i % 20 == 0 && client.send(get("/flood", limited)).read().status() != 429) {
                    limitedAdmitted++;
                }
            }
        }

        assertThat(limitedAdmitted).isZero();
        assertThat(gateway.gauge("hook.gateway.rate.limit.clients")).isLessThanOrEqualTo(MAX_CLIENTS);
        assertThat(gateway.counter("hook.gateway.rate.limit.evictions"))
                .isGreaterThanOrEqualTo(flood - MAX_CLIENTS);
    }

    @Test
    void showsTheBucketsAndTheirBoundOnMetrics() throws Exception {
        send("/defaulted", "192.0.2.77");
        String scrape = new String(java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(gateway.metricsUri("/metrics")).timeout(Duration.ofSeconds(5))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body());

        assertThat(scrape).contains("hook_gateway_rate_limit_clients ", "hook_gateway_rate_limit_evictions_total ",
                "hook_gateway_auth_failures_total{hook=\"defaulted\",reason=\"rate\"}");
    }
}
