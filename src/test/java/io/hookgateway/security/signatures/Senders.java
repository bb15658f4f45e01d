package io.hookgateway.security.signatures;

import static io.hookgateway.security.signatures.Signing.base64;
import static io.hookgateway.security.signatures.Signing.hex;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Each signing sender as its documentation describes it, played by the tests: what it signs, with which key, and how
 * it writes the signature and the fields beside it. Written from the senders' documentation, not from the gateway's
 * code, so that the two can disagree.
 */
final class Senders {

    private Senders() {
    }

    /** One delivery: its body, the time it was signed at (seconds), and its id. */
    record Signed(String body, long seconds, String id) {
    }

    /**
     * A sender.
     *
     * @param hook            the hook (and path) that takes its deliveries in the tests' configuration
     * @param algorithm       {@code sha1}, {@code sha256} or {@code sha512}
     * @param signatureField  the field its signature is in
     * @param timestamped     whether it signs a timestamp
     * @param contentType     what its body is
     * @param content         what it signs of a delivery
     * @param written         how it writes a MAC in the signature field
     * @param otherAlgorithm  a signature field of another algorithm, or another version, over the same delivery
     * @param otherEncoding   how the MAC would look in the encoding it does not use
     * @param others          the fields besides the signature
     */
    record Sender(String hook, String algorithm, String signatureField, boolean timestamped, String contentType,
                  BiFunction<Signed, String, String> content, BiFunction<Signed, byte[], String> written,
                  BiFunction<Signed, byte[], String> otherAlgorithm, BiFunction<Signed, byte[], String> otherEncoding,
                  Function<Signed, List<String>> others, boolean keyIsBase64) {

        /** The key bytes of a secret as written in the configuration. */
        byte[] key(String secret) {
            return keyIsBase64 ? Base64.getDecoder().decode(secret.substring("whsec_".length()))
                    : secret.getBytes(StandardCharsets.UTF_8);
        }

        /** The MAC of the delivery under {@code secret}, with {@link javax.crypto.Mac}. */
        byte[] mac(Signed delivery, String secret) {
            return Signing.mac(algorithm, key(secret), content.apply(delivery, path()));
        }

        /** The same, computed by {@code openssl dgst}. */
        byte[] openssl(Signed delivery, String secret) {
            return Signing.openssl(algorithm, key(secret), content.apply(delivery, path()));
        }

        String path() {
            return "/" + hook;
        }

        /** A body for a delivery, different each time. */
        String body(String unique) {
            return contentType.startsWith("application/x-www-form-urlencoded")
                    ? "Body=" + unique + "&From=%2B15551234567&To=%2B15557654321"
                    : "{\"event\": \"push\", \"n\": \"" + unique + "\"}";
        }

        /** The request of {@code delivery} with {@code signature} as the signature field's value, and the others. */
        List<String> fields(Signed delivery, String signature) {
            List<String> fields = new ArrayList<>(others.apply(delivery));
            if (signature != null) {
                fields.add(signatureField + ": " + signature);
            }
            return fields;
        }
    }

    static final String TWILIO_URL = "https://hooks.example.com";

    static final Sender GITHUB = new Sender("github", "sha256", "X-Hub-Signature-256", false, "application/json",
            (d, path) -> d.body(), (d, mac) -> "sha256=" + hex(mac),
            (d, mac) -> "sha1=" + hex(Arrays.copyOf(mac, 20)), (d, mac) -> "sha256=" + base64(mac),
            d -> List.of("X-GitHub-Event: push", "X-GitHub-Delivery: " + d.id()), false);

    static final Sender STRIPE = new Sender("stripe", "sha256", "Stripe-Signature", true, "application/json",
            (d, path) -> d.seconds() + "." + d.body(), (d, mac) -> "t=" + d.seconds() + ",v1=" + hex(mac),
            (d, mac) -> "t=" + d.seconds() + ",v0=" + hex(mac), (d, mac) -> "t=" + d.seconds() + ",v1=" + base64(mac),
            d -> List.of(), false);

    static final Sender SLACK = new Sender("slack", "sha256", "X-Slack-Signature", true, "application/json",
            (d, path) -> "v0:" + d.seconds() + ":" + d.body(), (d, mac) -> "v0=" + hex(mac),
            (d, mac) -> "v1=" + hex(mac), (d, mac) -> "v0=" + base64(mac),
            d -> List.of("X-Slack-Request-Timestamp: " + d.seconds()), false);

    static final Sender SHOPIFY = new Sender("shopify", "sha256", "X-Shopify-Hmac-Sha256", false,
            "application/json", (d, path) -> d.body(), (d, mac) -> base64(mac),
            (d, mac) -> base64(Arrays.copyOf(mac, 20)), (d, mac) -> hex(mac),
            d -> List.of("X-Shopify-Topic: orders/create", "X-Shopify-Webhook-Id: " + d.id()), false);

    static final Sender STANDARD = new Sender("standard", "sha256", "webhook-signature", true, "application/json",
            (d, path) -> d.id() + "." + d.seconds() + "." + d.body(), (d, mac) -> "v1," + base64(mac),
            (d, mac) -> "v1a," + base64(mac), (d, mac) -> "v1," + hex(mac),
            d -> List.of("webhook-id: " + d.id(), "webhook-timestamp: " + d.seconds()), true);

    /** Twilio signs the URL it called and the form's fields, sorted by name, each name then its value. */
    static final Sender TWILIO = new Sender("twilio", "sha1", "X-Twilio-Signature", false,
            "application/x-www-form-urlencoded",
            (d, path) -> TWILIO_URL + path + "Body" + d.body().substring(5, d.body().indexOf('&'))
                    + "From+15551234567To+15557654321",
            (d, mac) -> base64(mac), (d, mac) -> base64(Signing.mac("sha256", "x", d.body())), (d, mac) -> hex(mac),
            d -> List.of(), false);

    /** A sender of the {@code generic} hook: SHA-512, base64, a prefix, a signed timestamp and a delivery id. */
    static final Sender GENERIC = new Sender("generic", "sha512", "X-Signature", true, "application/json",
            (d, path) -> d.seconds() + "." + d.body(), (d, mac) -> "sha512=" + base64(mac),
            (d, mac) -> "sha256=" + base64(Arrays.copyOf(mac, 32)), (d, mac) -> "sha512=" + hex(mac),
            d -> List.of("X-Timestamp: " + d.seconds(), "X-Delivery: " + d.id()), false);

    static final List<Sender> ALL = List.of(GITHUB, STRIPE, SLACK, SHOPIFY, STANDARD, TWILIO, GENERIC);

    static Sender named(String hook) {
        return ALL.stream().filter(s -> s.hook().equals(hook)).findFirst().orElseThrow();
    }
}
