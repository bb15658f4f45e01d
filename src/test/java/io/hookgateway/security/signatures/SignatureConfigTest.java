package io.hookgateway.security.signatures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hookgateway.config.ConfigException;
import io.hookgateway.config.ConfigProblems;
import io.hookgateway.testing.TestGateway;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The signature ways' options as the loader reads them: a missing or blank secret is an error that names the key and
 * never the value; each way's own options are checked; and no message shows a value from the environment, under any
 * key any of these ways reads.
 */
class SignatureConfigTest {

    /** The ways with the options each needs besides its secret. */
    private static final Map<String, String> WAYS = Map.of(
            "github", "", "gitlab", "", "stripe", "", "slack", "", "shopify", "", "standard-webhooks", "",
            "twilio", "url: 'https://hooks.example.com', ", "generic", "header: X-Signature, ");

    private static String hook(String auth) {
        return "hooks:\n  - {name: h, path: /h, processor: {type: respond}, auth: " + auth + "}\n";
    }

    private static String way(String name, String options) {
        return hook("{" + name + ": {" + WAYS.get(name) + options + "}}");
    }

    private static List<String> problems(String yaml, Map<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> TestGateway.parse(yaml, env));
        return e == null ? List.of() : e.problems().stream().map(ConfigProblems.Problem::toString).toList();
    }

    private static List<String> problems(String yaml) {
        return problems(yaml, Map.of("SECRET", "s3cret-value", "BLANK", "  "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"github", "gitlab", "stripe", "slack", "shopify", "standard-webhooks", "twilio", "generic"})
    void everyWayLoadsWithASecretAndRefusesToLoadWithoutOne(String name) {
        boolean base64 = name.equals("standard-webhooks");
        String secret = base64 ? "whsec_c2VjcmV0LWtleS1vZi0yNC1ieXRlcy1sb25n" : "${SECRET}";
        String another = base64 ? "whsec_YW5vdGhlci1rZXktb2YtMjQtYnl0ZXM=" : "another-${SECRET}";
        assertThat(problems(way(name, "secret: '" + secret + "'"))).isEmpty();
        assertThat(problems(way(name, "secrets: ['" + secret + "', '" + another + "']"))).isEmpty();

        assertThat(problems(way(name, ""))).singleElement().asString()
                .startsWith("hooks[0].auth." + name + ".secret: is required: the secret to accept");
        assertThat(problems(way(name, "secret: '${BLANK}'"))).containsExactly("hooks[0].auth." + name
                + ".secret: uses environment variable BLANK, which is empty; set it, or the hook would take requests "
                + "without the secret");
        assertThat(problems(way(name, "secrets: [a-secret, '']"))).containsExactly("hooks[0].auth." + name
                + ".secrets: holds an empty secret, which would let a request without one in; write the secret");
        assertThat(problems(way(name, "secret: x, secrets: [y]"))).singleElement().asString()
                .contains("and secret are both given");
    }

    @Test
    void aWayWithoutASignedTimestampHasAReplayWindowAndNoTolerance() {
        assertThat(problems(way("github", "secret: x, replay-window: 1h"))).isEmpty();
        assertThat(problems(way("github", "secret: x, tolerance: 1m"))).containsExactly("hooks[0].auth.github."
                + "tolerance: does not apply: github signs no timestamp to judge; replay-window says how long a "
                + "delivery is remembered against replay");
        assertThat(problems(way("gitlab", "secret: x, tolerance: 1m"))).hasSize(1);
        assertThat(problems(way("stripe", "secret: x, replay-window: 1m"))).containsExactly("hooks[0].auth.stripe."
                + "replay-window: is not needed: stripe signs a timestamp, and a delivery is remembered for as long "
                + "as its timestamp is within tolerance; set tolerance instead");
        assertThat(problems(way("stripe", "secret: x, tolerance: 10m"))).isEmpty();
        assertThat(problems(way("stripe", "secret: x, tolerance: 25h"))).containsExactly(
                "hooks[0].auth.stripe.tolerance: must be from 1s to 24h, not 25h");
        assertThat(problems(way("slack", "secret: x, replay-cache-size: 3"))).containsExactly(
                "hooks[0].auth.slack.replay-cache-size: must be from 16 to 10000000, not 3");
    }

    @Test
    void gitHubTakesSha1OnlyWhenAsked() {
        assertThat(problems(way("github", "secret: x, allow-sha1: true"))).isEmpty();
        assertThat(problems(way("github", "secret: x, allow-sha1: maybe"))).containsExactly(
                "hooks[0].auth.github.allow-sha1: must be true or false, not 'maybe'");
    }

    @Test
    void twilioNeedsTheUrlItCalls() {
        assertThat(problems(way("generic", "secret: x").replace("header: X-Signature, ", "")
                .replace("generic", "twilio"))).singleElement().asString()
                .startsWith("hooks[0].auth.twilio.url: is required: the URL Twilio calls up to the path");
        assertThat(problems(hook("{twilio: {secret: x, url: 'https://hooks.example.com/sms?x=1'}}")))
                .singleElement().asString().startsWith("hooks[0].auth.twilio.url: 'https://hooks.example.com/sms?x=1' "
                        + "is not the URL Twilio calls up to the path");
        assertThat(problems(hook("{twilio: {secret: x, url: 'ftp://hooks.example.com'}}"))).hasSize(1);
        assertThat(problems(hook("{twilio: {secret: x, url: 'https://hooks.example.com/gateway/'}}"))).isEmpty();
    }

    @Test
    void aStandardWebhooksSecretIsBase64AndNoMessageShowsIt() {
        assertThat(problems(way("standard-webhooks", "secret: '${SECRET}'"), Map.of("SECRET", "whsec_not*base64!")))
                .containsExactly("hooks[0].auth.standard-webhooks.secret: is not a Standard Webhooks secret: write it "
                        + "as the sender shows it, whsec_ followed by the key in base64");
    }

    @Test
    void genericChecksHowTheSignatureIsWritten() {
        assertThat(problems(hook("{generic: {secret: x}}"))).singleElement().asString()
                .startsWith("hooks[0].auth.generic.header: is required; name the header field");
        assertThat(problems(way("generic", "secret: x, algorithm: md5"))).containsExactly(
                "hooks[0].auth.generic.algorithm: must be sha1, sha256 or sha512, not 'md5'");
        assertThat(problems(way("generic", "secret: x, encoding: base32"))).containsExactly(
                "hooks[0].auth.generic.encoding: must be hex or base64, not 'base32'");
        assertThat(problems(way("generic", "secret: x, separator: '='"))).containsExactly(
                "hooks[0].auth.generic.separator: must be one of , ; | or a space, not '='");
        assertThat(problems(way("generic", "secret: x, signed-content: '${json:/a}.${body}'"))).containsExactly(
                "hooks[0].auth.generic.signed-content: may use ${body} and ${header.NAME}, the bytes as received, not "
                        + "${json:/a}");
        assertThat(problems(way("generic", "secret: x, signed-content: '${body'"))).singleElement().asString()
                .contains("has a ${ that is never closed");
        assertThat(problems(way("generic", "secret: x, timestamp-header: X-Timestamp"))).containsExactly(
                "hooks[0].auth.generic.timestamp-header: is not in signed-content, so anyone could change it and "
                        + "replay an old delivery; sign it, as signed-content: \"${header.X-Timestamp}.${body}\"");
        assertThat(problems(way("generic", "secret: x, timestamp-header: X-Timestamp, "
                + "signed-content: '${header.x-timestamp}.$${literal}.${body}'"))).isEmpty();
        // A signature that leaves the body out would carry any body a holder of one signature cares to send.
        assertThat(problems(way("generic", "secret: x, timestamp-header: X-Timestamp, "
                + "signed-content: '${header.X-Timestamp}'"))).containsExactly(
                "hooks[0].auth.generic.signed-content: does not sign the body, so one signature would carry any body; "
                        + "put ${body} in it, as signed-content: \"${header.X-Timestamp}.${body}\"");
        assertThat(problems(way("generic", "secret: x, delivery-header: 'X Delivery'"))).containsExactly(
                "hooks[0].auth.generic.delivery-header: is not a header field name; use letters, digits and '-'");
    }

    @Test
    void noMessageShowsAValueFromTheEnvironmentUnderAnyKeyOfAnyWay() {
        String[] shapes = {"SEKRIT", "5SEKRIT", "whsec_SEKRIT", "https://SEKRIT/x?y", "${body}SEKRIT", "SEKRIT{x}",
            "sha9SEKRIT", "-SEKRIT", "SEKRIT,SEKRIT", "trueSEKRIT"};
        List<String> leaks = new ArrayList<>();
        int places = 0;
        for (String name : WAYS.keySet()) {
            for (String key : keysAllowed(name)) {
                for (String shape : shapes) {
                    for (String value : List.of("'${SECRET}'", "['${SECRET}']", "'x${SECRET}'")) {
                        places++;
                        String yaml = hook("{" + name + ": {" + WAYS.get(name).replace(key + ": ", "ignored-" + key
                                + ": ") + key + ": " + value + (key.startsWith("secret") ? "" : ", secret: s") + "}}");
                        for (String problem : problems(yaml, Map.of("SECRET", shape))) {
                            if (problem.contains("SEKRIT")) {
                                leaks.add(shape + " under " + name + "." + key + " -> " + problem);
                            }
                        }
                    }
                }
            }
        }
        assertThat(places).isGreaterThan(500);
        assertThat(leaks).isEmpty();
    }

    /** The keys a way takes, as the loader lists them after an unknown key. */
    private static List<String> keysAllowed(String name) {
        String listing = problems(way(name, "secret: s, zzzzzzzzzz: 1")).stream()
                .filter(p -> p.contains("Keys allowed here: ")).findFirst().orElseThrow();
        return Arrays.asList(listing.substring(listing.indexOf("Keys allowed here: ") + 19).split(", "));
    }
}
