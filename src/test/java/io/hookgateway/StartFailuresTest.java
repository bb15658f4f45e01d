package io.hookgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hookgateway.config.ConfigException;
import io.hookgateway.testing.TestGateway;
import org.junit.jupiter.api.Test;

/** Configuration problems that only show when processors are built are still reported as configuration problems. */
class StartFailuresTest {

    @Test
    void reportsTwoMqttHooksThatShareAConnectionButDisagreeAsAConfigurationProblem() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> TestGateway.start("""
                hooks:
                  - name: a
                    path: /a
                    processor: {type: mqtt, host: 127.0.0.1, port: 1, client-id: gw, username: u, password: one,
                                topic: t}
                  - name: b
                    path: /b
                    processor: {type: mqtt, host: 127.0.0.1, port: 1, client-id: gw, username: u, password: two,
                                topic: t}
                """));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("test.yaml: hooks[1]:", "password");
    }
}
