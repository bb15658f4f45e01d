package io.hookgateway.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import org.junit.jupiter.api.Test;

/**
 * A reload keeps the buckets of the hooks it does not change: a client that used its requests is still refused after
 * a reload that changed another hook, and the port's new client rules apply to the next request. A hook whose limit
 * changed starts with full buckets under its new limit.
 */
class RateLimitReloadEndToEndTest {

    private static String config(String otherBody, String limit, String deny) {
        return """
                server:
                  trusted-proxies: [127.0.0.1]
                  clients: {deny: [%s]}
                hooks:
                  - name: limited
                    path: /limited
                    rate-limit: {per-client: {requests: %s, per: 1h}, per-hook: {requests: 100, per: 1h}}
                    processor: {type: respond, body: limited}
                  - name: other
                    path: /other
                    processor: {type: respond, body: %s}
                """.formatted(deny, limit, otherBody);
    }

    private static int status(TestGateway gateway, String path, String client) throws Exception {
        return gateway.exchange("POST " + path + " HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: " + client
                + "\r\nContent-Length: 0\r\n\r\n").status();
    }

    @Test
    void bucketsOfAnUnchangedHookSurviveAReloadAndTheNewRulesApplyAtOnce() throws Exception {
        try (TestGateway gateway = TestGateway.start(config("one", "2", "192.0.2.99"))) {
            assertThat(status(gateway, "/limited", "198.51.100.1")).isEqualTo(200);
            assertThat(status(gateway, "/limited", "198.51.100.1")).isEqualTo(200);
            assertThat(status(gateway, "/limited", "198.51.100.1")).isEqualTo(429);

            assertThat(gateway.reload(config("two", "2", "198.51.100.7")).unchanged()).containsExactly("limited");

            assertThat(status(gateway, "/limited", "198.51.100.1")).isEqualTo(429);
            assertThat(status(gateway, "/limited", "198.51.100.2")).isEqualTo(200);
            assertThat(status(gateway, "/other", "198.51.100.7")).isEqualTo(403);
            RawHttp.Response other = gateway.exchange("POST /other HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
            assertThat(other.bodyText()).isEqualTo("two");

            assertThat(gateway.reload(config("two", "3", "198.51.100.7")).changed()).containsExactly("limited");
            assertThat(status(gateway, "/limited", "198.51.100.1")).isEqualTo(200);
        }
    }
}
