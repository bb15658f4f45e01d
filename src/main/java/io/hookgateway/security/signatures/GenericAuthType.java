package io.hookgateway.security.signatures;

import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.security.signatures.Hmac.Algorithm;
import io.hookgateway.security.signatures.SignatureFields.Encoding;
import io.hookgateway.security.signatures.SignatureFields.Field;
import java.util.List;
import java.util.Locale;

/**
 * {@code generic}: an HMAC signature written however a sender writes it. It covers adnanh/webhook's
 * {@code payload-hmac-sha1}, {@code payload-hmac-sha256} and {@code payload-hmac-sha512} rules (a hex HMAC of the
 * body, with an optional {@code sha256=} prefix, several separated by commas), and senders that sign a timestamp or an
 * id with the body.
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><td>{@code header}</td><td>required: the field the signature is in</td></tr>
 *   <tr><td>{@code algorithm}</td><td>{@code sha256}; or {@code sha1}, {@code sha512}</td></tr>
 *   <tr><td>{@code encoding}</td><td>{@code hex}; or {@code base64}</td></tr>
 *   <tr><td>{@code prefix}</td><td>none: text before each signature, as {@code sha256=}; one without it is
 *       skipped</td></tr>
 *   <tr><td>{@code separator}</td><td>{@code ,}: between several signatures in the field ({@code ,} {@code ;}
 *       {@code |} or a space)</td></tr>
 *   <tr><td>{@code signed-content}</td><td><code>${body}</code>: what was signed ({@link ContentTemplate})</td></tr>
 *   <tr><td>{@code timestamp-header}</td><td>none: a field holding the signed timestamp, in seconds; it must be in
 *       {@code signed-content}, or anyone could refresh it. With it, {@code tolerance} applies</td></tr>
 *   <tr><td>{@code delivery-header}</td><td>none: a field holding a delivery id, remembered against replay</td></tr>
 * </table>
 */
public final class GenericAuthType extends SignatureAuthType {

    private static final String SEPARATORS = ",;| ";
    private static final String BODY = "${body}";

    public GenericAuthType() {
        super("generic", "\"${WEBHOOK_SECRET}\"");
    }

    @Override
    Reader reader(ConfigNode node, List<byte[]> secrets, ProcessorContext.Static context) {
        String header = fieldName(node, "header", true);
        Algorithm algorithm = node.parsed("algorithm", Algorithm.SHA256, written -> {
            Algorithm parsed = Algorithm.of(written.toLowerCase(Locale.ROOT));
            if (parsed == null) {
                throw new IllegalArgumentException("must be sha1, sha256 or sha512, not '" + written + "'");
            }
            return parsed;
        });
        Encoding encoding = node.parsed("encoding", Encoding.HEX, written -> switch (written.toLowerCase(Locale.ROOT)) {
            case "hex" -> Encoding.HEX;
            case "base64" -> Encoding.BASE64;
            default -> throw new IllegalArgumentException("must be hex or base64, not '" + written + "'");
        });
        String prefix = node.string("prefix", "");
        Character separator = node.parsed("separator", ',', written -> {
            if (written.length() != 1 || SEPARATORS.indexOf(written.charAt(0)) < 0) {
                throw new IllegalArgumentException("must be one of , ; | or a space, not '" + written + "'");
            }
            return written.charAt(0);
        });
        ContentTemplate template = template(node);
        String timestampHeader = fieldName(node, "timestamp-header", false);
        String deliveryHeader = fieldName(node, "delivery-header", false);
        if (timestampHeader != null && !template.references(timestampHeader)) {
            node.problem("timestamp-header", "is not in signed-content, so anyone could change it and replay an old "
                    + "delivery; sign it, as signed-content: \"${header." + timestampHeader + "}.${body}\"");
        }
        if (!template.signsBody()) {
            node.problem("signed-content", "does not sign the body, so one signature would carry any body; put "
                    + BODY + " in it, as signed-content: \"${header.X-Timestamp}." + BODY + "\"");
        }
        if (header == null) {
            return null;
        }
        Hmac hmac = new Hmac(algorithm, secrets);
        boolean idSigned = deliveryHeader != null && template.references(deliveryHeader);
        return Reader.signedIn(header, timestampHeader != null, (request, value) -> {
            List<byte[]> signatures = SignatureFields.signatures(value, separator, prefix, encoding,
                    algorithm.length());
            long seconds = Delivery.NO_TIMESTAMP;
            if (timestampHeader != null) {
                Field timestamp = SignatureFields.field(request, timestampHeader);
                seconds = timestamp.present() ? SignatureFields.timestamp(timestamp.value()) : -1;
            }
            Field id = deliveryHeader == null ? Field.ABSENT : SignatureFields.id(request, deliveryHeader);
            SignedContent content = template.render(request);
            if (signatures == null || seconds == -1 || id.problem() != null || content == null) {
                return Delivery.MALFORMED;
            }
            Delivery delivery = Delivery.signed(hmac, signatures, content).withId(id.value(), idSigned);
            return timestampHeader == null ? delivery : delivery.at(seconds);
        });
    }

    /** {@code signed-content}, read as written: <code>$${</code> is the template's own escape. */
    private static ContentTemplate template(ConfigNode node) {
        String written = node.rawString("signed-content", BODY);
        try {
            return ContentTemplate.parse(written);
        } catch (IllegalArgumentException e) {
            node.problem("signed-content", node.isFromEnvironment("signed-content")
                    ? "is not a signed-content template; write ${body} and ${header.NAME} around literal text"
                    : e.getMessage());
            return ContentTemplate.parse(BODY);
        }
    }

    /** A header field's name at {@code key}; {@code null} when absent (reported when required) or not a name. */
    private static String fieldName(ConfigNode node, String key, boolean required) {
        String name = required ? node.requiredString(key, "name the header field the signature is in, as "
                + key + ": X-Signature") : node.string(key, null);
        if (name != null && !HeaderFields.isValidName(name)) {
            node.problem(key, "is not a header field name; use letters, digits and '-'");
            return null;
        }
        return name;
    }
}
