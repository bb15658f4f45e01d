package io.hookgateway.security.signatures;

import static io.hookgateway.security.signatures.SignatureFields.field;
import static io.hookgateway.security.signatures.SignatureFields.signatures;

import io.hookgateway.config.ConfigNode;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.security.signatures.Hmac.Algorithm;
import io.hookgateway.security.signatures.SignatureFields.Encoding;
import io.hookgateway.security.signatures.SignatureFields.Field;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The senders whose signatures are read exactly as their documentation writes them, each a way of {@code auth} by
 * the sender's name. What each signs, where it puts the signature, and what the replay cache remembers a delivery by:
 *
 * <table>
 *   <caption>Presets</caption>
 *   <tr><th>way</th><th>signature</th><th>signed content</th><th>timestamp</th><th>remembered by</th></tr>
 *   <tr><td>{@code github}</td><td>{@code X-Hub-Signature-256: sha256=<hex>}; {@code X-Hub-Signature: sha1=<hex>}
 *       only with {@code allow-sha1: true}</td><td>the body</td><td>none</td><td>{@code X-GitHub-Delivery} and the
 *       signature</td></tr>
 *   <tr><td>{@code stripe}</td><td>{@code Stripe-Signature: t=<seconds>,v1=<hex>[,v1=<hex>...]}; HMAC-SHA256 keyed
 *       with the secret as written, {@code whsec_} included</td><td>{@code t.body}</td><td>{@code t}</td><td>the
 *       signature</td></tr>
 *   <tr><td>{@code slack}</td><td>{@code X-Slack-Signature: v0=<hex>}</td><td>{@code v0:timestamp:body}</td>
 *       <td>{@code X-Slack-Request-Timestamp}</td><td>the signature</td></tr>
 *   <tr><td>{@code shopify}</td><td>{@code X-Shopify-Hmac-Sha256: <base64>}</td><td>the body</td><td>none</td>
 *       <td>{@code X-Shopify-Webhook-Id} and the signature</td></tr>
 *   <tr><td>{@code standard-webhooks}</td><td>{@code webhook-signature: v1,<base64> [v1,<base64>...]}; a
 *       {@code whsec_} secret is base64 after the prefix</td><td>{@code id.timestamp.body}</td>
 *       <td>{@code webhook-timestamp}</td><td>{@code webhook-id} (signed)</td></tr>
 * </table>
 *
 * An id that is not signed could be changed by whoever replays a delivery, so such a delivery is remembered by its
 * signature too; the id then still stops the sender's own redelivery of an event within the window.
 */
public final class SenderPresets {

    private SenderPresets() {
    }

    /** {@code github}: GitHub's webhooks (docs.github.com, "Validating webhook deliveries"). */
    public static final class GitHub extends SignatureAuthType {
        public GitHub() {
            super("github", "\"${GITHUB_WEBHOOK_SECRET}\"");
        }

        @Override
        Reader reader(ConfigNode node, List<byte[]> secrets, ProcessorContext.Static context) {
            // SHA-1 is broken for collisions; GitHub still sends it beside SHA-256 for old receivers only.
            boolean allowSha1 = node.bool("allow-sha1", false);
            Reader sha256 = bodyWithUnsignedId("X-Hub-Signature-256", "sha256=", Encoding.HEX,
                    new Hmac(Algorithm.SHA256, secrets), "X-GitHub-Delivery");
            if (!allowSha1) {
                return sha256;
            }
            Reader sha1 = bodyWithUnsignedId("X-Hub-Signature", "sha1=", Encoding.HEX,
                    new Hmac(Algorithm.SHA1, secrets), "X-GitHub-Delivery");
            return new Reader(request -> {
                Delivery delivery = sha256.read().apply(request);
                return delivery == Delivery.MISSING ? sha1.read().apply(request) : delivery;
            }, false);
        }
    }

    /** {@code stripe}: Stripe's webhooks (docs.stripe.com/webhooks, "Verify signatures manually"). */
    public static final class Stripe extends SignatureAuthType {
        public Stripe() {
            super("stripe", "\"${STRIPE_WEBHOOK_SECRET}\"");
        }

        @Override
        Reader reader(ConfigNode node, List<byte[]> secrets, ProcessorContext.Static context) {
            Hmac hmac = new Hmac(Algorithm.SHA256, secrets);
            return Reader.signedIn("Stripe-Signature", true, (request, value) -> {
                // One timestamp; v1 signatures, several while a secret is rolled; v0 and any other scheme skipped, as
                // Stripe's libraries do.
                List<String> t = SignatureFields.items(value, ',', "t=", 1);
                long seconds = t == null || t.isEmpty() ? -1 : SignatureFields.timestamp(t.get(0));
                List<byte[]> signatures = signatures(value, ',', "v1=", Encoding.HEX, hmac.algorithm().length());
                if (seconds < 0 || signatures == null) {
                    return Delivery.MALFORMED;
                }
                SignedContent content = SignedContent.builder().field(t.get(0)).text(".").body().build();
                return Delivery.signed(hmac, signatures, content).at(seconds);
            });
        }
    }

    /** {@code slack}: Slack's requests (docs.slack.dev, "Verifying requests from Slack"). */
    public static final class Slack extends SignatureAuthType {
        public Slack() {
            super("slack", "\"${SLACK_SIGNING_SECRET}\"");
        }

        @Override
        Reader reader(ConfigNode node, List<byte[]> secrets, ProcessorContext.Static context) {
            Hmac hmac = new Hmac(Algorithm.SHA256, secrets);
            return Reader.signedIn("X-Slack-Signature", true, (request, value) -> {
                Field timestamp = field(request, "X-Slack-Request-Timestamp");
                long seconds = timestamp.present() ? SignatureFields.timestamp(timestamp.value()) : -1;
                List<byte[]> signatures = signatures(value, (char) 0, "v0=", Encoding.HEX, hmac.algorithm().length());
                if (seconds < 0 || signatures == null) {
                    return Delivery.MALFORMED;
                }
                SignedContent content = SignedContent.builder().text("v0:").field(timestamp.value()).text(":")
                        .body().build();
                return Delivery.signed(hmac, signatures, content).at(seconds);
            });
        }
    }

    /** {@code shopify}: Shopify's webhooks (shopify.dev, "Verify webhooks"). */
    public static final class Shopify extends SignatureAuthType {
        public Shopify() {
            super("shopify", "\"${SHOPIFY_CLIENT_SECRET}\"");
        }

        @Override
        Reader reader(ConfigNode node, List<byte[]> secrets, ProcessorContext.Static context) {
            return bodyWithUnsignedId("X-Shopify-Hmac-Sha256", "", Encoding.BASE64,
                    new Hmac(Algorithm.SHA256, secrets), "X-Shopify-Webhook-Id");
        }
    }

    /**
     * A signature of the body alone, in {@code header}, with a delivery id in {@code idField}, not signed: GitHub's and
     * Shopify's.
     */
    private static SignatureAuthType.Reader bodyWithUnsignedId(String header, String prefix, Encoding encoding,
                                                               Hmac hmac, String idField) {
        return SignatureAuthType.Reader.signedIn(header, false, (request, value) -> {
            List<byte[]> signatures = signatures(value, (char) 0, prefix, encoding, hmac.algorithm().length());
            Field id = SignatureFields.id(request, idField);
            if (signatures == null || id.problem() != null) {
                return Delivery.MALFORMED;
            }
            return Delivery.signed(hmac, signatures, SignedContent.body()).withId(id.value(), false);
        });
    }

    /**
     * {@code standard-webhooks}: the Standard Webhooks specification (standardwebhooks.com, "Verifying webhook
     * authenticity"), which Svix and others send.
     */
    public static final class StandardWebhooks extends SignatureAuthType {
        static final String SECRET_PREFIX = "whsec_";

        public StandardWebhooks() {
            super("standard-webhooks", "\"${WEBHOOK_SECRET}\" (whsec_ and base64, as the sender shows it)");
        }

        /** The spec's symmetric secrets: {@code whsec_} (optional) and the key in base64. */
        @Override
        List<byte[]> keys(List<String> secrets, ConfigNode node) {
            List<byte[]> keys = new ArrayList<>(secrets.size());
            for (String secret : secrets) {
                String base64 = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
                try {
                    byte[] key = Base64.getDecoder().decode(base64.strip());
                    if (key.length > 0) {
                        keys.add(key);
                        continue;
                    }
                } catch (IllegalArgumentException e) {
                    // reported below, without the value
                }
                node.problem(node.has("secret") ? "secret" : "secrets", "is not a Standard Webhooks secret: write it "
                        + "as the sender shows it, whsec_ followed by the key in base64");
                return List.of();
            }
            return keys;
        }

        @Override
        Reader reader(ConfigNode node, List<byte[]> secrets, ProcessorContext.Static context) {
            Hmac hmac = new Hmac(Algorithm.SHA256, secrets);
            return Reader.signedIn("webhook-signature", true, (request, value) -> {
                Field id = field(request, "webhook-id");
                Field timestamp = field(request, "webhook-timestamp");
                long seconds = timestamp.present() ? SignatureFields.timestamp(timestamp.value()) : -1;
                // The spec: an id must not hold '.', which separates the parts of the signed content.
                if (!id.present() || !SignatureFields.isId(id.value()) || id.value().indexOf('.') >= 0
                        || seconds < 0) {
                    return Delivery.MALFORMED;
                }
                // Space-separated, so that several keys can sign at once; v1a (asymmetric) and others are skipped.
                List<byte[]> signatures = signatures(value, ' ', "v1,", Encoding.BASE64, hmac.algorithm().length());
                if (signatures == null) {
                    return Delivery.MALFORMED;
                }
                SignedContent content = SignedContent.builder().field(id.value()).text(".").field(timestamp.value())
                        .text(".").body().build();
                return Delivery.signed(hmac, signatures, content).at(seconds).withId(id.value(), true);
            });
        }
    }
}
