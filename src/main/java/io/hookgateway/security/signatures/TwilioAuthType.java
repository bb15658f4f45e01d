package io.hookgateway.security.signatures;

import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.UrlEncoded;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.security.ConstantTime;
import io.hookgateway.security.signatures.Hmac.Algorithm;
import io.hookgateway.security.signatures.SignatureFields.Encoding;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code twilio}: Twilio's webhooks (twilio.com/docs/usage/security). {@code X-Twilio-Signature} is the base64
 * HMAC-SHA1, keyed with the account's auth token, of the full URL Twilio called, followed for a form POST by every
 * parameter's name and value, sorted by name. A JSON body is signed instead through a {@code bodySHA256} query
 * parameter, the hex SHA-256 of the body, which is checked too.
 *
 * <p><b>The URL.</b> Twilio signs the URL as it called it, with the scheme and host it was given. Behind a proxy or a
 * TLS terminator the gateway cannot know them, so {@code url} says what they were: the URL up to the path, with any
 * path prefix the proxy removes ({@code https://hooks.example.com}, or {@code https://example.com/gateway}); the path
 * and query are the request's, as received. Write it exactly as in Twilio's console, port included if it has one.
 *
 * <pre>
 * auth: {twilio: {secret: "${TWILIO_AUTH_TOKEN}", url: "https://hooks.example.com"}}
 * </pre>
 *
 * Twilio signs no timestamp and no id: a delivery is remembered by its signature for {@code replay-window}.
 */
public final class TwilioAuthType extends SignatureAuthType {

    private static final String BODY_SHA256 = "bodySHA256";

    public TwilioAuthType() {
        super("twilio", "\"${TWILIO_AUTH_TOKEN}\"");
    }

    @Override
    Reader reader(ConfigNode node, List<byte[]> secrets, ProcessorContext.Static context) {
        String base = node.parsed("url", null, TwilioAuthType::base);
        if (base == null) {
            if (!node.has("url")) {
                node.problem("url", "is required: the URL Twilio calls up to the path, as its console shows it (the "
                        + "gateway behind a proxy cannot know the scheme and host), as url: https://hooks.example.com");
            }
            return null;
        }
        Hmac hmac = new Hmac(Algorithm.SHA1, secrets);
        return Reader.signedIn("X-Twilio-Signature", false, (request, value) -> read(request, value, base, hmac));
    }

    /** The URL up to the path: http or https, a host, no query, fragment or user; without a trailing slash. */
    static String base(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL; write the one Twilio calls, up to the "
                    + "path, as https://hooks.example.com");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("'" + url + "' is not the URL Twilio calls up to the path; write "
                    + "http:// or https://, the host, and any path prefix, with no query, as "
                    + "https://hooks.example.com");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static Delivery read(HookRequest request, String field, String base, Hmac hmac) {
        List<byte[]> signatures = SignatureFields.signatures(field, (char) 0, "", Encoding.BASE64,
                hmac.algorithm().length());
        if (signatures == null) {
            return Delivery.MALFORMED;
        }
        SignedContent.Builder content = SignedContent.builder().text(base + pathAndQuery(request.rawTarget()));
        List<String> bodyHash = request.queryParameters().get(BODY_SHA256);
        if (bodyHash != null) {
            if (bodyHash.size() != 1 || !bodyMatches(request, bodyHash.get(0))) {
                return bodyHash.size() != 1 ? Delivery.MALFORMED : Delivery.MISMATCH;
            }
        } else if (isForm(request)) {
            // Sorted by name (Twilio: "sort the list of POST variables by the parameter name"), then by value for a
            // name given more than once.
            Map<String, List<String>> sorted =
                    new TreeMap<>(UrlEncoded.parse(request.bodyText(StandardCharsets.UTF_8)));
            sorted.forEach((name, values) -> {
                List<String> ordered = new ArrayList<>(values);
                ordered.sort(null);
                for (String one : ordered) {
                    content.text(name).text(one);
                }
            });
        } else if (request.bodyLength() > 0) {
            // Twilio signs a body as form fields, or by its bodySHA256; any other body (on a GET, say, whose signature
            // covers the URL alone) is one it did not sign.
            return Delivery.MISMATCH;
        }
        return Delivery.signed(hmac, signatures, content.build());
    }

    /** The path and query of a request-target: itself in origin form, its part after the authority in absolute form. */
    static String pathAndQuery(String rawTarget) {
        if (rawTarget.startsWith("/")) {
            return rawTarget;
        }
        int authority = rawTarget.indexOf("://");
        int path = authority < 0 ? -1 : rawTarget.indexOf('/', authority + 3);
        return path < 0 ? "/" : rawTarget.substring(path);
    }

    private static boolean isForm(HookRequest request) {
        String type = request.headers().get("Content-Type");
        return request.method().equals("POST") && type != null
                && type.strip().toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /** Whether the body's SHA-256 is {@code hex}, compared in constant time. */
    private static boolean bodyMatches(HookRequest request, String hex) {
        byte[] expected = Encoding.HEX.decode(hex.toLowerCase(Locale.ROOT), 32);
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        SignedContent.body().feed(request, sha256::update);
        byte[] actual = sha256.digest();
        return expected != null && ConstantTime.equal(actual, expected);
    }
}
