package io.hookgateway.security.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.hooks.Authenticator;
import io.hookgateway.hooks.Authenticator.Reason;
import io.hookgateway.hooks.Authenticator.Verdict;
import io.hookgateway.hooks.FakeHookRequest;
import io.hookgateway.hooks.HookRequest;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * Each preset checked against the example its sender publishes: the secret, the content and the signature exactly as
 * the sender's documentation (or its own libraries' tests) gives them, judged at a clock near the example's timestamp.
 * A byte changed anywhere in what was signed must then fail. Senders that publish no example (Stripe, Shopify, GitLab)
 * are checked against signatures computed independently, with {@code openssl} and {@link javax.crypto.Mac}, in
 * {@link SignatureAuthEndToEndTest}.
 */
class PublishedExamplesTest {

    private static Verdict check(Authenticator auth, HookRequest request) {
        return auth.check(request);
    }

    /**
     * GitHub, "Validating webhook deliveries", section "Testing the webhook payload validation":
     * https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries (github/docs,
     * content/webhooks/using-webhooks/validating-webhook-deliveries.md).
     */
    @Test
    void gitHubsDocumentedTestValues() {
        Authenticator github = Ways.parse(new SenderPresets.GitHub(), "secret: \"It's a Secret to Everybody\"",
                Clock.systemUTC());
        String signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

        assertThat(check(github, FakeHookRequest.builder().header("X-Hub-Signature-256", signature)
                .body("Hello, World!").build()).passed()).isTrue();
        assertThat(check(github, FakeHookRequest.builder().header("X-Hub-Signature-256", signature)
                .body("Hello, World?").build()).failure()).isEqualTo(Reason.MISMATCH);
    }

    /**
     * Slack, "Verifying requests from Slack", the worked example of a slash command:
     * https://api.slack.com/authentication/verifying-requests-from-slack (now docs.slack.dev).
     */
    @Test
    void slacksDocumentedExample() {
        String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGl"
                + "gcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        String signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
        Authenticator slack = Ways.parse(new SenderPresets.Slack(), "secret: 8f742231b10e8888abcd99yyyzzz85a5",
                Ways.at(1531420618L + 60));

        assertThat(check(slack, slackRequest("1531420618", signature, body)).passed()).isTrue();
        assertThat(check(slack, slackRequest("1531420619", signature, body)).failure()).isEqualTo(Reason.MISMATCH);
        assertThat(check(slack, slackRequest("1531420618", signature, body.replace("foobar", "foobaz"))).failure())
                .isEqualTo(Reason.MISMATCH);
        // The same example judged an hour later is too old.
        Authenticator later = Ways.parse(new SenderPresets.Slack(), "secret: 8f742231b10e8888abcd99yyyzzz85a5",
                Ways.at(1531420618L + 3600));
        assertThat(check(later, slackRequest("1531420618", signature, body)).failure()).isEqualTo(Reason.EXPIRED);
    }

    private static HookRequest slackRequest(String timestamp, String signature, String body) {
        return FakeHookRequest.builder().header("X-Slack-Request-Timestamp", timestamp)
                .header("X-Slack-Signature", signature).header("Content-Type", "application/x-www-form-urlencoded")
                .body(body).build();
    }

    /**
     * Standard Webhooks, the reference libraries' signing test ("sign function works" in
     * libraries/javascript/src/webhook.test.ts of github.com/standard-webhooks/standard-webhooks; the same vector is
     * in the Python, Go, Rust and Java tests there), and its multi-signature test.
     */
    @Test
    void standardWebhooksPublishedVector() {
        String id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        String body = "{\"test\": 2432232314}";
        String signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        Clock clock = Ways.at(1614265330L + 10);
        // With and without the whsec_ prefix, as the libraries accept both.
        for (String secret : new String[] {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                                            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}) {
            Authenticator standard = Ways.parse(new SenderPresets.StandardWebhooks(), "secret: " + secret, clock);
            assertThat(check(standard, standardRequest(id, "1614265330", signature, body)).passed()).isTrue();
        }
        Authenticator standard = Ways.parse(new SenderPresets.StandardWebhooks(),
                "secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", clock);
        // "multi sig payload is valid": wrong v1 and v2 signatures around the right one.
        String wrong = "Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
        String several = "v1," + wrong + " v2," + wrong + " " + signature + " v1," + wrong;
        Authenticator fresh = Ways.parse(new SenderPresets.StandardWebhooks(),
                "secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", clock);
        assertThat(check(fresh, standardRequest(id, "1614265330", several, body)).passed()).isTrue();
        // The id and the timestamp are signed with the body.
        assertThat(check(standard, standardRequest(id + "x", "1614265330", signature, body)).failure())
                .isEqualTo(Reason.MISMATCH);
        assertThat(check(standard, standardRequest(id, "1614265331", signature, body)).failure())
                .isEqualTo(Reason.MISMATCH);
        assertThat(check(standard, standardRequest(id, "1614265330", signature, body.replace('2', '3'))).failure())
                .isEqualTo(Reason.MISMATCH);
    }

    private static HookRequest standardRequest(String id, String timestamp, String signature, String body) {
        return FakeHookRequest.builder().header("webhook-id", id).header("webhook-timestamp", timestamp)
                .header("webhook-signature", signature).body(body).build();
    }

    /**
     * Twilio, "Webhooks security": the example of its request validator (auth token 12345, a form POST to
     * https://mycompany.com/myapp.php?foo=1&amp;bar=2), from TwilioDevEd/api-snippets,
     * security/signature_validation/signature_validation.3.x.js, the snippet twilio.com/docs/usage/security shows.
     */
    @Test
    void twiliosDocumentedExample() {
        Authenticator twilio = Ways.parse(new TwilioAuthType(), "{secret: '12345', url: 'https://mycompany.com'}",
                Clock.systemUTC());
        String form = "CallSid=CA1234567890ABCDE&Caller=%2B14158675310&Digits=1234&From=%2B14158675310"
                + "&To=%2B18005551212";

        assertThat(check(twilio, twilioRequest("foo=1&bar=2", form, "GvWf1cFY/Q7PnoempGyD5oXAezc=")).passed())
                .isTrue();
        assertThat(check(twilio, twilioRequest("foo=1&bar=3", form, "GvWf1cFY/Q7PnoempGyD5oXAezc=")).failure())
                .isEqualTo(Reason.MISMATCH);
        assertThat(check(twilio, twilioRequest("foo=1&bar=2", form.replace("1234&", "1235&"),
                "GvWf1cFY/Q7PnoempGyD5oXAezc=")).failure()).isEqualTo(Reason.MISMATCH);
    }

    private static HookRequest twilioRequest(String query, String form, String signature) {
        return FakeHookRequest.builder().path("/myapp.php").query(query)
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
                .body(form).build();
    }

    /**
     * adnanh/webhook's own tests of its payload-hmac-sha1/-sha256/-sha512 rules (checkPayloadSignatureTests and the
     * 256 and 512 tables in internal/hook/hook_test.go): payload {"a": "z"} with secret "secret", the signature bare or
     * with its prefix, and a comma-separated list in which one is right.
     */
    @Test
    void adnanhWebhookPayloadHmacVectors() {
        String body = "{\"a\": \"z\"}";
        String sha1 = "b17e04cbb22afa8ffbff8796fc1894ed27badd9e";
        String sha256 = "f417af3a21bd70379b5796d5f013915e7029f62c580fb0f500f59a35a6f04c89";
        String sha512 = "4ab17cc8ec668ead8bf498f87f8f32848c04d5ca3c9bcfcd3db9363f0deb44e580b329502a7fdff633d4d8fca301cc"
                + "5c94a55a2fec458c675fb0ff2655898324";

        assertPasses("{header: X-Signature, algorithm: sha1, secret: secret}", sha1, body);
        assertPasses("{header: X-Signature, algorithm: sha1, prefix: sha1=, secret: secret}", "sha1=" + sha1, body);
        assertPasses("{header: X-Signature, algorithm: sha1, prefix: sha1=, secret: secret}",
                "sha1=XXXe04cbb22afa8ffbff8796fc1894ed27badd9e,sha1=" + sha1, body);
        assertPasses("{header: X-Signature, prefix: sha256=, secret: secret}", "sha256=" + sha256, body);
        assertPasses("{header: X-Signature, prefix: sha256=, secret: secret}",
                "sha256=XXX7af3a21bd70379b5796d5f013915e7029f62c580fb0f500f59a35a6f04c89,sha256=" + sha256, body);
        assertPasses("{header: X-Signature, secret: secret}",
                "f9e66e179b6747ae54108f82f8ade8b3c25d76fd30afde6c395822c530196169", "");
        assertPasses("{header: X-Signature, algorithm: sha512, prefix: sha512=, secret: secret}", "sha512=" + sha512,
                body);
        assertPasses("{header: X-Signature, algorithm: sha512, secret: secret}",
                "b0e9650c5faf9cd8ae02276671545424104589b3656731ec193b25d01b07561c27637c2d4d68389d6cf5007a8632c26ec89ba"
                        + "80a01c77a6cdd389ec28db43901", "");

        // Their failures: a wrong signature, a wrong secret.
        Authenticator wrongSecret = Ways.parse(new GenericAuthType(), "{header: X-Signature, secret: secreX}",
                Clock.systemUTC());
        assertThat(check(wrongSecret, genericRequest(sha256, body)).failure()).isEqualTo(Reason.MISMATCH);
        Authenticator generic = Ways.parse(new GenericAuthType(), "{header: X-Signature, prefix: sha256=, "
                + "secret: secret}", Clock.systemUTC());
        assertThat(check(generic, genericRequest("sha256=" + sha256.replace('f', 'e'), body)).failure())
                .isEqualTo(Reason.MISMATCH);
        // "sha256=XXX..." is no hex at all: here that is malformed, not merely wrong.
        assertThat(check(generic, genericRequest("sha256=XXX" + sha256.substring(3), body)).failure())
                .isEqualTo(Reason.MALFORMED);
    }

    private static void assertPasses(String options, String signature, String body) {
        Authenticator generic = Ways.parse(new GenericAuthType(), options, Clock.systemUTC());
        assertThat(check(generic, genericRequest(signature, body)).passed()).as("%s: %s", options, signature).isTrue();
    }

    private static HookRequest genericRequest(String signature, String body) {
        return FakeHookRequest.builder().header("X-Signature", signature).body(body).build();
    }
}
