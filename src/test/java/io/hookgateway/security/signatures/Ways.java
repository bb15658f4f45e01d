package io.hookgateway.security.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.Authenticator;
import io.hookgateway.processors.OptionParsing;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Signature ways built from YAML options as the loader builds them, judged by a clock the test chooses. */
final class Ways {

    private Ways() {
    }

    /** A clock stopped at {@code epochSeconds}. */
    static Clock at(long epochSeconds) {
        return Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
    }

    /** The way {@code type} with these options, which must read without a problem. */
    static Authenticator parse(SignatureAuthType type, String yaml, Clock clock) {
        OptionParsing parsing = new OptionParsing();
        ConfigNode node = parsing.node("hooks[0].auth." + type.name(), yaml);
        Authenticator auth = type.parse(node, OptionParsing.hook("test-hook", Path.of(".")), clock);
        assertThat(parsing.messages()).isEmpty();
        assertThat(auth).isNotNull();
        return auth;
    }
}
