package io.hookgateway.security.alexa;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.Requests;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestProcessors;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code alexa} way over a real socket, with Amazon played by {@link LocalAmazon}: a request signed as Alexa signs
 * it runs the hook; one without the header fields gets 401, a wrong signature, chain, skill or a stale timestamp 403,
 * each with the same body, counted by reason, and nothing runs (the recorder counts no call).
 */
class AlexaAuthEndToEndTest {

    private static final String SKILL = AlexaAuthTypeTest.SKILL;
    private static final String CONFIG = """
            server: {access-log: false}
            hooks:
              - name: skill
                path: /alexa
                auth: {alexa: {application-id: "${SKILL_ID}"}}
                processor: {type: test-echo}
            """;

    @TempDir
    static Path directory;

    private static LocalAmazon amazon;

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(() -> {
        amazon = LocalAmazon.start(directory);
        return TestGateway.start(CONFIG, Map.of("SKILL_ID", SKILL), amazon.authTypes());
    });

    @AfterAll
    static void stopAmazon() {
        amazon.close();
    }

    private static String intent() {
        return amazon.body(SKILL, "IntentRequest", "\"intent\": {\"name\": \"TurnOnIntent\"}");
    }

    private static RawHttp.Response post(String body, String... fields) throws Exception {
        return gateway.exchange(Requests.postJson("/alexa", body, fields));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends {@code body} with {@code fields}, expects a refusal, and checks that nothing ran and it was counted. */
    private static void assertRefused(int status, String reason, String body, String... fields) throws Exception {
        double before = gateway.counter("hook.gateway.auth.failures", "hook", "skill", "reason", reason);

        RawHttp.Response answer = post(body, fields);

        assertThat(answer.status()).as(answer.rawText()).isEqualTo(status);
        assertThat(answer.bodyText()).isEqualTo(status == 401 ? "unauthorized\n" : status == 403 ? "forbidden\n"
                : "no hook is configured at this path\n");
        assertThat(answer.header("WWW-Authenticate")).isNull();
        assertThat(TestProcessors.invocations("skill")).isZero();
        assertThat(gateway.counter("hook.gateway.auth.failures", "hook", "skill", "reason", reason))
                .isEqualTo(before + 1);
    }

    @Test
    void runsTheHookForARequestSignedAsAlexaSignsIt() throws Exception {
        String body = intent();

        RawHttp.Response answer = post(body, amazon.signedFields(utf8(body)));

        assertThat(answer.status()).as(answer.rawText()).isEqualTo(200);
        assertThat(TestProcessors.invocations("skill")).isEqualTo(1);
    }

    @Test
    void fetchesTheChainOnceForManyRequests() throws Exception {
        for (int i = 0; i < 3; i++) {
            String body = intent();
            assertThat(post(body, amazon.signedFields(utf8(body))).status()).isEqualTo(200);
        }
        assertThat(amazon.fetches(LocalAmazon.GOOD)).isEqualTo(1);
    }

    @Test
    void verifiesTheBodyAsItCameInChunks() throws Exception {
        String body = intent();
        byte[] bytes = utf8(body);
        int half = bytes.length / 2;
        String chunked = "POST /alexa HTTP/1.1\r\nHost: gateway.test\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nSignatureCertChainUrl: " + LocalAmazon.CHAIN_URL + "\r\n"
                + "Signature-256: " + amazon.sign(bytes) + "\r\n\r\n"
                + Integer.toHexString(half) + "\r\n" + new String(bytes, 0, half, StandardCharsets.ISO_8859_1) + "\r\n"
                + Integer.toHexString(bytes.length - half) + "\r\n"
                + new String(bytes, half, bytes.length - half, StandardCharsets.ISO_8859_1) + "\r\n0\r\n\r\n";

        assertThat(gateway.exchange(chunked).status()).isEqualTo(200);
    }

    @Test
    void aRealClientsSignedRequestRunsTheHook() throws Exception {
        String body = intent();
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri("/alexa"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        String[] fields = amazon.signedFields(utf8(body));
        for (String field : fields) {
            int colon = field.indexOf(": ");
            request.header(field.substring(0, colon), field.substring(colon + 2));
        }

        HttpResponse<String> answer = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
    }

    /** The hook hides by default: without its signature, it answers as a path without a hook. */
    @Test
    void answersARequestWithoutItsHeaderFieldsAsAPathWithoutAHook() throws Exception {
        String body = intent();

        assertRefused(404, "missing", body);
        assertRefused(404, "missing", body, "SignatureCertChainUrl: " + LocalAmazon.CHAIN_URL);
        assertRefused(404, "missing", body, "Signature-256: " + amazon.sign(utf8(body)));
    }

    @Test
    void refusesUnreadableHeaderFieldsWith401() throws Exception {
        String body = intent();

        assertRefused(401, "malformed", body, "SignatureCertChainUrl: " + LocalAmazon.CHAIN_URL,
                "Signature-256: %%%");
        assertRefused(401, "malformed", body, "SignatureCertChainUrl: https://s3.amazonaws.com/echo.api/a\\b",
                "Signature-256: " + amazon.sign(utf8(body)));
    }

    @Test
    void refusesAChainUrlThatIsNotAmazonsWith403AndFetchesNothing() throws Exception {
        String body = intent();
        String signature = "Signature-256: " + amazon.sign(utf8(body));

        for (String url : new String[] {"http://s3.amazonaws.com/echo.api/" + LocalAmazon.GOOD,
                "https://s3.amazonaws.com.evil.com/echo.api/" + LocalAmazon.GOOD,
                "https://s3.amazonaws.com@evil.com/echo.api/" + LocalAmazon.GOOD,
                "https://s3.amazonaws.com/echo.api/../" + LocalAmazon.GOOD,
                "https://s3.amazonaws.com:563/echo.api/" + LocalAmazon.GOOD}) {
            assertRefused(403, "mismatch", body, "SignatureCertChainUrl: " + url, signature);
        }
    }

    @Test
    void refusesAWrongSignatureOrChainWith403() throws Exception {
        String body = intent();

        assertRefused(403, "mismatch", body, "SignatureCertChainUrl: " + LocalAmazon.CHAIN_URL,
                "Signature-256: " + amazon.signWithAnotherKey(utf8(body)));
        assertRefused(403, "mismatch", body.replace("TurnOnIntent", "TurnOffIntent"), amazon.signedFields(utf8(body)));
        assertRefused(403, "mismatch", body, "SignatureCertChainUrl: " + LocalAmazon.urlOf(LocalAmazon.WRONG_NAME),
                "Signature-256: " + amazon.sign(utf8(body)));
    }

    @Test
    void refusesAnotherSkillWith403() throws Exception {
        String body = amazon.body("amzn1.ask.skill.someone-else", "LaunchRequest", "");

        assertRefused(403, "mismatch", body, amazon.signedFields(utf8(body)));
    }

    @Test
    void refusesARequestPlayedAgainLaterAsExpired() throws Exception {
        String body = intent();
        String[] fields = amazon.signedFields(utf8(body));
        assertThat(post(body, fields).status()).isEqualTo(200);
        TestProcessors.reset();

        amazon.clock().advance(Duration.ofSeconds(151));
        try {
            assertRefused(403, "expired", body, fields);
        } finally {
            amazon.clock().advance(Duration.ofSeconds(-151));
        }
    }
}
