package io.hookgateway.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hookgateway.config.ConfigException;
import io.hookgateway.config.ConfigProblems;
import io.hookgateway.logging.LogFormat;
import io.hookgateway.testing.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code logging.format}: plain by default, json on request, anything else refused with the words to use. */
class LoggingConfigTest {

    private static final String HOOKS = """
            hooks: [{name: post, path: /post, processor: {type: respond, body: SUCCESS}}]
            """;

    @Test
    void isPlainByDefault() throws Exception {
        assertThat(TestGateway.parse(HOOKS, Map.of()).logFormat()).isEqualTo(LogFormat.PLAIN);
        assertThat(TestGateway.parse("logging: {}\n" + HOOKS, Map.of()).logFormat()).isEqualTo(LogFormat.PLAIN);
    }

    @Test
    void takesJsonInAnyCaseAndFromTheEnvironment() throws Exception {
        assertThat(TestGateway.parse("logging: {format: JSON}\n" + HOOKS, Map.of()).logFormat())
                .isEqualTo(LogFormat.JSON);
        assertThat(TestGateway.parse("logging: {format: \"${FORMAT:-plain}\"}\n" + HOOKS, Map.of("FORMAT", "json"))
                .logFormat()).isEqualTo(LogFormat.JSON);
    }

    @Test
    void refusesAnotherFormatAndAnUnknownKey() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> TestGateway.parse("logging: {format: xml, level: debug}\n" + HOOKS, Map.of()));
        assertThat(e.problems()).extracting(ConfigProblems.Problem::keyPath)
                .containsExactlyInAnyOrder("logging.format", "logging.level");
        assertThat(e.getMessage()).contains("'xml' is not a log format; use plain (text lines) or json");
    }
}
