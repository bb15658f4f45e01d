package io.hookgateway.config;

import static io.hookgateway.loader.ConfigPlaces.HOOK;
import static io.hookgateway.loader.ConfigPlaces.withHook;
import static io.hookgateway.loader.ConfigPlaces.withProcessor;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.loader.ConfigPlaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No configuration message shows what an environment variable holds: a secret put under the wrong key is named by
 * its {@code ${NAME}}, never printed, under every key the loader and each processor type read, in every shape a
 * parser might quote a part of (a number with a unit, a URL, a host and port, a path).
 */
class ConfigSecretsTest {

    /** The marker every secret shape carries: no message may contain it. */
    private static final String MARK = "SEKRIT";

    /** Shapes that parsers take apart: a word, a size or duration, a URL, host:port, a path, a list, a template. */
    private static final String[] SHAPES = {"MQTTSEKRIT", "5SEKRIT", "mqtt://SEKRIT:SEKRIT@SEKRIT/x", "SEKRIT:1883",
        "/SEKRIT/../x", "SEKRIT KEY", "SEKRIT,SEKRIT", "-SEKRIT", "on SEKRIT", "SEKRIT(?=x)", "${body}SEKRIT",
        "http://SEKRIT", "$SEKRIT", "SEKRIT{x}"};

    /** The problems of a configuration, or none when it loads. */
    private static List<String> problems(String yaml, String secret) {
        return ConfigPlaces.problems(yaml, Map.of("SECRET", secret));
    }

    /** Every place a secret could be written by mistake, whole and as a part of a longer value. */
    private static List<String> everyPlace() {
        List<String> places = new ArrayList<>(ConfigPlaces.everyPlace("'${SECRET}'"));
        places.addAll(List.of(
                withProcessor("forward", "headers", "{X-A: 'Bearer ${SECRET}'}"),
                withProcessor("forward", "url", "'http://${SECRET}/'"),
                withProcessor("mqtt", "topic", "'a/${SECRET}/b'"),
                withProcessor("mqtt", "port", "'x${SECRET}'"),
                withProcessor("mqtt", "host", "'x${SECRET}'"),
                withHook(HOOK + ", processor: {type: respond}, rules: {regex: {value: '${query.k}', pattern: "
                        + "'x${SECRET}('}}")));
        return places;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"MQTTSEKRIT", "5SEKRIT", "mqtt://SEKRIT:SEKRIT@SEKRIT/x", "SEKRIT:1883"})
    void theSweepReachesEveryKeyOfEveryProcessorType(String secret) {
        assertThat(everyPlace()).hasSizeGreaterThan(80);
        assertThat(everyPlace().stream().filter(yaml -> !problems(yaml, secret).isEmpty()))
                .as("places where a secret is a mistake, so a message could show it").hasSizeGreaterThan(40);
    }

    @Test
    void noMessageShowsAValueFromTheEnvironmentWhereverItIsWritten() {
        List<String> leaks = new ArrayList<>();
        for (String yaml : everyPlace()) {
            for (String secret : SHAPES) {
                for (String problem : problems(yaml, secret)) {
                    if (problem.contains(MARK)) {
                        leaks.add("SECRET=" + secret + " in\n" + yaml + "  -> " + problem);
                    }
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void aSecretUnderTheWrongKeyIsNamedByItsVariable() {
        assertThat(problems(withProcessor("mqtt", "port", "'${SECRET}'"), "MQTTSEKRIT")).containsExactly(
                "hooks[0].processor.port: must be a whole number from 1 to 65535, not the value of ${SECRET}");
        assertThat(problems(withProcessor("mqtt", "keep-alive", "'x-${SECRET}'"), "5SEKRIT")).containsExactly(
                "hooks[0].processor.keep-alive: the value of 'x-${SECRET}' is not a duration such as 10s or 500ms");
    }

    @Test
    void aValueWrittenInTheFileIsStillQuoted() {
        assertThat(problems(withProcessor("mqtt", "port", "http"), "x")).containsExactly(
                "hooks[0].processor.port: must be a whole number from 1 to 65535, not 'http'");
    }
}
