package io.hookgateway.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.config.ConfigException;
import io.hookgateway.processors.ProcessorRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a reload compares: which listener keys differ from the running configuration (they need a restart), and which
 * hooks are configured as they run ({@link HookConfig#sameAs}), so that they are kept with their state.
 */
class RestartKeysTest {

    private static final String HOOKS = """
            hooks:
              - name: a
                path: /a
                auth: {bearer: {token: "${TOKEN}"}}
                processor: {type: respond, body: "hello ${json:/name}"}
              - name: b
                path: /b
                processor: {type: respond, body: bee}
            """;

    private static GatewayConfig parse(String yaml) throws ConfigException {
        return parse(yaml, "a-token-long-enough-for-anyone-0123456789");
    }

    private static GatewayConfig parse(String yaml, String token) throws ConfigException {
        return new ConfigLoader(ProcessorRegistry.load(), name -> name.equals("TOKEN") ? token : null)
                .parse(yaml, "gateway.yaml", Path.of("").toAbsolutePath(), false);
    }

    @Test
    void theSameFileNeedsNoRestartAndKeepsEveryHook() throws Exception {
        GatewayConfig running = parse(HOOKS);
        GatewayConfig next = parse(HOOKS);

        assertThat(RestartKeys.between(running, next)).isEmpty();
        for (int i = 0; i < running.hooks().size(); i++) {
            assertThat(running.hooks().get(i).sameAs(next.hooks().get(i))).isTrue();
        }
    }

    @Test
    void listenerThreadAndConnectionLimitKeysNeedARestart() throws Exception {
        GatewayConfig running = parse(HOOKS);
        GatewayConfig next = parse("""
                server: {bind: 127.0.0.1, port: 9090, io-threads: 2, worker-threads: 4, max-connections: 10,
                         idle-timeout: 5s, rate-limit: {max-clients: 500}}
                metrics: {port: 9091}
                """ + HOOKS);

        assertThat(RestartKeys.between(running, next)).containsExactly("server.bind", "server.port",
                "server.io-threads", "server.worker-threads", "server.max-connections", "server.idle-timeout",
                "server.rate-limit.max-clients", "metrics.port");
    }

    @Test
    void clientRulesBodyLimitsAndDrainTimeoutApplyLive() throws Exception {
        GatewayConfig running = parse(HOOKS);
        GatewayConfig next = parse("""
                server: {max-body-size: 2MiB, drain-timeout: 3s, trusted-proxies: [10.0.0.1],
                         clients: {deny: [10.0.0.13]}, rate-limit: {per-client: {requests: 5, per: 1m}}}
                """ + HOOKS);

        assertThat(RestartKeys.between(running, next)).isEmpty();
    }

    @Test
    void aHookChangesWithItsTextItsEnvironmentOrTheServerDefaultsItTakes() throws Exception {
        GatewayConfig running = parse(HOOKS);

        assertThat(sameAs(running, parse(HOOKS.replace("bee", "bees")))).containsExactly(true, false);
        assertThat(sameAs(running, parse(HOOKS, "another-token-long-enough-for-anyone-012345"))).containsExactly(
                false, true);
        assertThat(sameAs(running, parse("server: {max-body-size: 2MiB}\n" + HOOKS))).containsExactly(false, false);
        assertThat(sameAs(running, parse("server: {access-log: false}\n" + HOOKS))).containsExactly(false, false);
        assertThat(sameAs(running, parse("server: {rate-limit: {per-hook: {requests: 5, per: 1m}}}\n" + HOOKS)))
                .containsExactly(false, false);
        assertThat(sameAs(running, parse("server: {idle-timeout: 5s}\n" + HOOKS))).containsExactly(true, true);
    }

    private static List<Boolean> sameAs(GatewayConfig running, GatewayConfig next) {
        return running.hooks().stream().map(hook -> next.hooks().stream()
                .anyMatch(other -> other.name().equals(hook.name()) && hook.sameAs(other))).toList();
    }

    @Test
    void theWrittenMappingNeverPrintsWhatItHolds() throws Exception {
        HookConfig hook = parse(HOOKS).hooks().get(0);

        assertThat(hook.written().toString()).isEqualTo("<hook mapping>");
        assertThat(hook.toString()).doesNotContain("a-token-long-enough-for-anyone");
    }
}
