package io.hookgateway.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.clients.ClientBuckets;
import io.hookgateway.clients.ClientPolicy;
import io.hookgateway.clients.ForwardingHeader;
import io.hookgateway.clients.IpAddress;
import io.hookgateway.clients.RateLimit;
import io.hookgateway.clients.RateLimits;
import io.hookgateway.testing.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code trusted-proxies}, {@code forwarded-header}, {@code clients} and {@code rate-limit}: what they read as, and
 * every mistake named by its key path with the fix.
 */
class ClientsConfigTest {

    private static final String HOOK = "hooks:\n  - {name: h, path: /h, processor: {type: respond}}\n";

    @Test
    void readsThePortsPolicyAndTheHooksOwn() throws Exception {
        GatewayConfig config = TestGateway.parse("""
                server:
                  trusted-proxies: [10.0.0.2, "fd00::/8"]
                  forwarded-header: forwarded
                  clients: {allow: [10.0.0.0/8, "::1"], deny: 10.0.0.13}
                  rate-limit:
                    per-client: {requests: 10, per: 1m, burst: 20}
                    per-hook: {requests: 100, per: 1s}
                    max-clients: 2000
                hooks:
                  - name: own
                    path: /own
                    clients: {allow: ["2001:db8::/32"]}
                    rate-limit: {per-client: {requests: 1, per: 1h}}
                    processor: {type: respond}
                  - name: inherits
                    path: /inherits
                    processor: {type: respond}
                  - name: none
                    path: /none
                    rate-limit: {}
                    processor: {type: respond}
                """, Map.of());
        ClientPolicy policy = config.server().clients();

        assertThat(policy.trustedProxies().header()).isEqualTo(ForwardingHeader.FORWARDED);
        assertThat(policy.trustedProxies().proxies()).hasToString("[10.0.0.2, fd00::/8]");
        assertThat(policy.rules().allow()).hasToString("[10.0.0.0/8, ::1]");
        assertThat(policy.rules().deny()).hasToString("[10.0.0.13]");
        assertThat(policy.rules().serves(IpAddress.parse("10.1.1.1"))).isTrue();
        assertThat(policy.rules().serves(IpAddress.parse("10.0.0.13"))).isFalse();
        assertThat(policy.maxClients()).isEqualTo(2000);
        RateLimits defaults = new RateLimits(new RateLimit(10, Duration.ofMinutes(1), 20),
                new RateLimit(100, Duration.ofSeconds(1), 100));
        assertThat(policy.rateLimit()).isEqualTo(defaults);
        assertThat(config.hooks().get(0).rateLimit())
                .isEqualTo(new RateLimits(new RateLimit(1, Duration.ofHours(1), 1), null));
        assertThat(config.hooks().get(0).clients().allow()).hasToString("[2001:db8::/32]");
        assertThat(config.hooks().get(1).rateLimit()).isEqualTo(defaults);
        assertThat(config.hooks().get(1).clients().servesEveryone()).isTrue();
        assertThat(config.hooks().get(2).rateLimit().isNone()).isTrue();
    }

    @Test
    void trustsNoProxyServesEveryoneAndLimitsNothingByDefault() throws Exception {
        GatewayConfig config = TestGateway.parse(HOOK, Map.of());

        assertThat(config.server().clients()).isEqualTo(ClientPolicy.DEFAULT);
        assertThat(config.hooks().get(0).rateLimit().isNone()).isTrue();
        assertThat(ClientPolicy.DEFAULT.maxClients()).isEqualTo(ClientBuckets.DEFAULT_MAX_CLIENTS);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "server: {clients: {allow: [10.0.0.0/8, 10.0.0.0/33]}} "
                    + "| server.clients.allow[1]: '10.0.0.0/33' has no valid prefix length: an IPv4 range takes /0 to "
                    + "/32; write an address such as 10.0.0.1 or \"::1\", or a range such as 10.0.0.0/8 or "
                    + "\"fd00::/8\" (quote IPv6 in YAML)",
            "server: {clients: {deny: 10.0.0.1/8}} "
                    + "| server.clients.deny: '10.0.0.1/8' has bits set past its /8 prefix; write 10.0.0.0/8 for the "
                    + "range, or 10.0.0.1 for the one address",
            "server: {trusted-proxies: [localhost]} "
                    + "| server.trusted-proxies[0]: 'localhost' is not an IP address or range; write an address such "
                    + "as 10.0.0.1 or \"::1\", or a range such as 10.0.0.0/8 or \"fd00::/8\" (quote IPv6 in YAML)",
            "server: {trusted-proxies: ['fe80::1%eth0']} "
                    + "| server.trusted-proxies[0]: 'fe80::1%eth0' is not an IP address or range (a zone id such as "
                    + "%eth0 names an interface of this machine, not a client); write an address such as 10.0.0.1 or "
                    + "\"::1\", or a range such as 10.0.0.0/8 or \"fd00::/8\" (quote IPv6 in YAML)",
            "server: {clients: {allow: []}} "
                    + "| server.clients.allow: is empty; list addresses or ranges, as [10.0.0.0/8, \"::1\"], or "
                    + "remove allow",
            "server: {clients: {alow: [10.0.0.0/8]}} "
                    + "| server.clients.alow: unknown key; did you mean 'allow'? Keys allowed here: allow, deny",
            "server: {trusted-proxies: [10.0.0.2], forwarded-header: X-Real-IP} "
                    + "| server.forwarded-header: 'X-Real-IP' is not a header the gateway reads a client's address "
                    + "from; write X-Forwarded-For or Forwarded, whichever your proxy sets",
            "server: {forwarded-header: Forwarded} "
                    + "| server.forwarded-header: is set, but no header is read without server.trusted-proxies; list "
                    + "your proxies' addresses there, or remove forwarded-header",
            "server: {rate-limit: {per-client: {per: 1m}}} "
                    + "| server.rate-limit.per-client.requests: is required: how many requests each period allows, "
                    + "as requests: 10",
            "server: {rate-limit: {per-hook: {requests: 5}}} "
                    + "| server.rate-limit.per-hook.per: is required: the period, as per: 1m (or 1s, 1h)",
            "server: {rate-limit: {per-client: {requests: 5, per: 25h}}} "
                    + "| server.rate-limit.per-client.per: must be from 1ms to 24h, not 25h",
            "server: {rate-limit: {per-client: {requests: 5, per: 1m, burst: 0}}} "
                    + "| server.rate-limit.per-client.burst: must be from 1 to 100000, not 0",
            "server: {rate-limit: {max-clients: 10}} "
                    + "| server.rate-limit.max-clients: must be from 100 to 10000000, not 10",
    })
    void namesEachMistakeByItsKeyWithTheFix(String server, String problem) {
        assertThat(problems(server + "\n" + HOOK)).containsExactly(problem);
    }

    @Test
    void aHooksRulesAndLimitsAreCheckedTheSameWay() {
        assertThat(problems("""
                hooks:
                  - name: h
                    path: /h
                    clients: {allow: ["2001:db8::/129"], deny: [010.0.0.1]}
                    rate-limit: {per-client: {requests: 1, per: 1h}, max-clients: 5}
                    processor: {type: respond}
                """)).containsExactly(
                "hooks[0].clients.allow[0]: '2001:db8::/129' has no valid prefix length: an IPv6 range takes /0 to "
                        + "/128; write an address such as 10.0.0.1 or \"::1\", or a range such as 10.0.0.0/8 or "
                        + "\"fd00::/8\" (quote IPv6 in YAML)",
                "hooks[0].clients.deny[0]: '010.0.0.1' is not an IP address or range; write an address such as "
                        + "10.0.0.1 or \"::1\", or a range such as 10.0.0.0/8 or \"fd00::/8\" (quote IPv6 in YAML)",
                "hooks[0].rate-limit.max-clients: unknown key. Keys allowed here: per-client, per-hook");
    }

    @Test
    void aMisspeltKeyOfALimitIsNamedWithTheOneMeant() {
        assertThat(problems("server: {rate-limit: {per-client: {reqests: 5, per: 1m}}}\n" + HOOK)).containsExactly(
                "server.rate-limit.per-client.requests: is required: how many requests each period allows, as "
                        + "requests: 10",
                "server.rate-limit.per-client.reqests: unknown key; did you mean 'requests'? Keys allowed here: "
                        + "requests, per, burst");
    }

    @Test
    void anAddressListFromAnUnsetOrEmptyVariableIsAnErrorNeverAnOpenDoor() {
        String yaml = "server: {clients: {allow: [\"${OFFICE}\"]}}\n" + HOOK;

        assertThat(problems(yaml, Map.of())).containsExactly("server.clients.allow[0]: environment variable "
                + "OFFICE is not set; set it, or give a default as ${OFFICE:-default}");
        assertThat(problems(yaml, Map.of("OFFICE", ""))).singleElement().asString()
                .startsWith("server.clients.allow[0]: '' is not an IP address or range");
    }

    private static List<String> problems(String yaml) {
        return problems(yaml, Map.of());
    }

    private static List<String> problems(String yaml, Map<String, String> env) {
        return ConfigPlaces.problems(yaml, env);
    }
}
