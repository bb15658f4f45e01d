package io.hookgateway.security.alexa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hookgateway.config.ConfigException;
import io.hookgateway.hooks.Authenticator.Reason;
import io.hookgateway.hooks.Authenticator;
import io.hookgateway.hooks.FakeHookRequest;
import io.hookgateway.processors.OptionParsing;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each check of an Alexa request on its own: a request signed as Alexa signs it passes; one wrong in one way fails
 * with the reason it should. The chain comes from a local server and certificate authority ({@link LocalAmazon}).
 */
class AlexaAuthTypeTest {

    static final String SKILL = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555";
    private static final ProcessorContext.Static HOOK = OptionParsing.hook("skill", Path.of(""));

    @TempDir
    static Path directory;

    private static LocalAmazon amazon;
    private static Authenticator auth;

    @BeforeAll
    static void start() throws Exception {
        amazon = LocalAmazon.start(directory);
        OptionParsing parsing = new OptionParsing();
        auth = amazon.authType().parse(parsing.node("hooks[0].auth.alexa", "application-id: " + SKILL), HOOK);
        assertThat(parsing.messages()).isEmpty();
    }

    @AfterAll
    static void stop() {
        amazon.close();
    }

    private static String intent() {
        return amazon.body(SKILL, "IntentRequest", "\"intent\": {\"name\": \"TurnOnIntent\"}");
    }

    private static FakeHookRequest.Builder request(String body) {
        return FakeHookRequest.builder().hookName("skill").body(body);
    }

    private static FakeHookRequest signed(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return request(body).header("SignatureCertChainUrl", LocalAmazon.CHAIN_URL)
                .header("Signature-256", amazon.sign(bytes)).build();
    }

    private static Reason failure(FakeHookRequest request) {
        Authenticator.Verdict verdict = auth.check(request);
        return verdict.passed() ? null : verdict.failure();
    }

    @Test
    void readsTheBodyOffTheEventLoop() {
        assertThat(auth.readsBody()).isTrue();
        assertThat(auth.blocking()).isTrue();
    }

    @Test
    void passesARequestSignedAsAlexaSignsIt() {
        Authenticator.Verdict verdict = auth.check(signed(intent()));

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.challenge()).isNull();
    }

    @Test
    void passesWithTheChainUrlWrittenAnotherWay() {
        String body = intent();
        FakeHookRequest request = request(body)
                .header("SignatureCertChainUrl", "HTTPS://S3.AMAZONAWS.COM:443/echo.api/../echo.api/"
                        + LocalAmazon.GOOD)
                .header("Signature-256", amazon.sign(body.getBytes(StandardCharsets.UTF_8))).build();

        assertThat(failure(request)).isNull();
    }

    @Test
    void refusesARequestWithoutTheHeaderFieldsAs401() {
        String body = intent();
        String signature = amazon.sign(body.getBytes(StandardCharsets.UTF_8));

        assertThat(failure(request(body).build())).isEqualTo(Reason.MISSING);
        assertThat(failure(request(body).header("Signature-256", signature).build())).isEqualTo(Reason.MISSING);
        assertThat(failure(request(body).header("SignatureCertChainUrl", LocalAmazon.CHAIN_URL).build()))
                .isEqualTo(Reason.MISSING);
        assertThat(failure(request(body).header("SignatureCertChainUrl", LocalAmazon.CHAIN_URL)
                .header("Signature", signature).build())).as("the SHA-1 signature is not read").isEqualTo(Reason.MISSING);
        assertThat(Reason.MISSING.status()).isEqualTo(401);
    }

    @Test
    void refusesHeaderFieldsThatCannotBeReadAs401() {
        String body = intent();
        String signature = amazon.sign(body.getBytes(StandardCharsets.UTF_8));

        assertThat(failure(request(body).header("SignatureCertChainUrl", LocalAmazon.CHAIN_URL)
                .header("Signature-256", "not base64!").build())).isEqualTo(Reason.MALFORMED);
        assertThat(failure(request(body).header("SignatureCertChainUrl", LocalAmazon.CHAIN_URL)
                .header("Signature-256", "QUJD".repeat(400)).build())).as("too long").isEqualTo(Reason.MALFORMED);
        assertThat(failure(request(body).header("SignatureCertChainUrl", "https://s3.amazonaws.com/echo.api/a b")
                .header("Signature-256", signature).build())).isEqualTo(Reason.MALFORMED);
        assertThat(failure(request(body).header("SignatureCertChainUrl", LocalAmazon.CHAIN_URL)
                .header("SignatureCertChainUrl", LocalAmazon.CHAIN_URL)
                .header("Signature-256", signature).build())).as("twice").isEqualTo(Reason.MALFORMED);
        assertThat(Reason.MALFORMED.status()).isEqualTo(401);
    }

    @Test
    void refusesAChainUrlAmazonWouldNotUseWithoutFetchingIt() {
        String body = intent();
        FakeHookRequest request = request(body)
                .header("SignatureCertChainUrl", "https://s3.amazonaws.com:563/echo.api/" + LocalAmazon.GOOD)
                .header("Signature-256", amazon.sign(body.getBytes(StandardCharsets.UTF_8))).build();

        assertThat(failure(request)).isEqualTo(Reason.MISMATCH);
        assertThat(Reason.MISMATCH.status()).isEqualTo(403);
    }

    @Test
    void refusesAChainThatIsNotAmazons() {
        String body = intent();
        FakeHookRequest request = request(body)
                .header("SignatureCertChainUrl", LocalAmazon.urlOf(LocalAmazon.FOREIGN_ROOT))
                .header("Signature-256", amazon.signWithAnotherKey(body.getBytes(StandardCharsets.UTF_8))).build();

        assertThat(failure(request)).as("signed by the foreign chain's own key").isEqualTo(Reason.MISMATCH);
    }

    @Test
    void refusesASignatureByAnotherKey() {
        String body = intent();
        FakeHookRequest request = request(body).header("SignatureCertChainUrl", LocalAmazon.CHAIN_URL)
                .header("Signature-256", amazon.signWithAnotherKey(body.getBytes(StandardCharsets.UTF_8))).build();

        assertThat(failure(request)).isEqualTo(Reason.MISMATCH);
    }

    @Test
    void refusesABodyChangedAfterItWasSigned() {
        String body = intent();
        String signature = amazon.sign(body.getBytes(StandardCharsets.UTF_8));
        String changed = body.replace("TurnOnIntent", "TurnOffIntent");
        String reformatted = body.replace(", ", ",");

        assertThat(failure(request(changed).header("SignatureCertChainUrl", LocalAmazon.CHAIN_URL)
                .header("Signature-256", signature).build())).isEqualTo(Reason.MISMATCH);
        assertThat(failure(request(reformatted).header("SignatureCertChainUrl", LocalAmazon.CHAIN_URL)
                .header("Signature-256", signature).build())).as("the same JSON, other bytes")
                .isEqualTo(Reason.MISMATCH);
        assertThat(failure(request(body + " ").header("SignatureCertChainUrl", LocalAmazon.CHAIN_URL)
                .header("Signature-256", signature).build())).isEqualTo(Reason.MISMATCH);
    }

    @Test
    void refusesASignatureOfTheWrongLength() {
        String body = intent();
        String signature = amazon.sign(body.getBytes(StandardCharsets.UTF_8));

        assertThat(failure(request(body).header("SignatureCertChainUrl", LocalAmazon.CHAIN_URL)
                .header("Signature-256", signature.substring(0, 16)).build())).isEqualTo(Reason.MISMATCH);
    }

    @Test
    void takesATimestampWithin150SecondsEitherWay() {
        String body = intent();
        try {
            amazon.clock().advance(Duration.ofSeconds(149));
            assertThat(failure(signed(body))).isNull();
            amazon.clock().advance(Duration.ofSeconds(-298));
            assertThat(failure(signed(body))).isNull();
        } finally {
            amazon.clock().advance(Duration.ofSeconds(149));
        }
    }

    @Test
    void refusesATimestampMoreThan150SecondsAwayAsExpired() {
        String body = intent();
        try {
            amazon.clock().advance(Duration.ofSeconds(151));
            assertThat(failure(signed(body))).as("a request played again later").isEqualTo(Reason.EXPIRED);
            amazon.clock().advance(Duration.ofSeconds(-302));
            assertThat(failure(signed(body))).as("from the future").isEqualTo(Reason.EXPIRED);
        } finally {
            amazon.clock().advance(Duration.ofSeconds(151));
        }
        assertThat(Reason.EXPIRED.status()).isEqualTo(403);
    }

    /** A body with these parts; {@code session} may be empty, the timestamp member too. */
    private static String body(String session, String contextApplication, String timestampMember) {
        return "{\"version\": \"1.0\", " + session + "\"context\": {\"System\": {\"application\": "
                + "{\"applicationId\": \"" + contextApplication + "\"}}}, \"request\": {\"type\": \"LaunchRequest\", "
                + timestampMember + "\"locale\": \"en-US\"}}";
    }

    private static String session(String applicationId) {
        return "\"session\": {\"application\": {\"applicationId\": \"" + applicationId + "\"}}, ";
    }

    private static String timestamp(String value) {
        return "\"timestamp\": \"" + value + "\", ";
    }

    @Test
    void refusesASignedBodyWithoutAReadableTimestamp() {
        String now = amazon.clock().instant().toString();
        assertThat(failure(signed(body(session(SKILL), SKILL, timestamp(now))))).isNull();

        assertThat(failure(signed(body(session(SKILL), SKILL, timestamp("yesterday"))))).isEqualTo(Reason.MALFORMED);
        assertThat(failure(signed(body(session(SKILL), SKILL, "")))).isEqualTo(Reason.MALFORMED);
        assertThat(failure(signed(body(session(SKILL), SKILL, "\"timestamp\": 1700000000000, "))))
                .isEqualTo(Reason.MALFORMED);
        assertThat(failure(signed("not json"))).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void refusesAnotherSkillsRequest() {
        String other = amazon.body("amzn1.ask.skill.someone-else", "IntentRequest", "");

        assertThat(failure(signed(other))).isEqualTo(Reason.MISMATCH);
    }

    @Test
    void readsTheApplicationIdWhereverItIs() {
        String now = timestamp(amazon.clock().instant().toString());
        String other = "amzn1.ask.skill.someone-else";

        assertThat(failure(signed(body("", SKILL, now)))).as("context only, as in AudioPlayer requests").isNull();
        assertThat(failure(signed(body(session(other), SKILL, now)))).as("both must be ours")
                .isEqualTo(Reason.MISMATCH);
        assertThat(failure(signed(body(session(SKILL), other, now)))).as("both must be ours")
                .isEqualTo(Reason.MISMATCH);
        assertThat(failure(signed(body("", "", now).replace("applicationId", "appId")))).as("none")
                .isEqualTo(Reason.MISMATCH);
    }

    @Test
    void takesSeveralSkills() {
        OptionParsing parsing = new OptionParsing();
        Authenticator two = amazon.authType().parse(parsing.node("hooks[0].auth.alexa",
                "application-ids: [amzn1.ask.skill.other, " + SKILL + "]"), HOOK);

        assertThat(parsing.messages()).isEmpty();
        assertThat(two.check(signed(intent())).passed()).isTrue();
    }

    @Test
    void reportsOptionsThatWouldLeaveTheSkillOpen() {
        assertThat(problems("{}")).containsExactly("hooks[0].auth.alexa.application-id: is required: the skill's id "
                + "from the Alexa developer console, as application-id: amzn1.ask.skill.... (or application-ids: "
                + "[...] for several skills)");
        assertThat(problems("application-ids: []")).containsExactly(
                "hooks[0].auth.alexa.application-ids: is empty; list at least one skill's id");
        assertThat(problems("application-id: \"  \"")).containsExactly(
                "hooks[0].auth.alexa.application-id: holds an empty id; write the skill's id, as amzn1.ask.skill....");
        assertThat(problems("{application-id: a, application-ids: [b]}")).containsExactly(
                "hooks[0].auth.alexa.application-ids: and application-id are both given; write one list");
        assertThat(problems("{application-id: a, timestamp-tolerance: 151s}")).hasSize(1)
                .allSatisfy(p -> assertThat(p).startsWith("hooks[0].auth.alexa.timestamp-tolerance:"));
        assertThat(problems("{application-id: a, signature: x}")).hasSize(1)
                .allSatisfy(p -> assertThat(p).startsWith("hooks[0].auth.alexa.signature: unknown key"));
    }

    @Test
    void reportsAnUnsetSkillIdOnce() {
        String yaml = """
                hooks:
                  - name: skill
                    path: /skill
                    auth: {alexa: {application-id: "${ALEXA_SKILL_ID}"}}
                    processor: {type: alexa}
                """;
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> TestGateway.parse(yaml, Map.of()));

        assertThat(e.problems()).extracting(Object::toString).containsExactly("hooks[0].auth.alexa.application-id: "
                + "environment variable ALEXA_SKILL_ID is not set; set it, or give a default as "
                + "${ALEXA_SKILL_ID:-default}");
    }

    private static java.util.List<String> problems(String yaml) {
        OptionParsing parsing = new OptionParsing();
        amazon.authType().parse(parsing.node("hooks[0].auth.alexa", yaml), HOOK);
        return parsing.messages();
    }
}
