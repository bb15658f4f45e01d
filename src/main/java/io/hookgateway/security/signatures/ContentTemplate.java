package io.hookgateway.security.signatures;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.security.signatures.SignatureFields.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * The signed content of a {@code generic} way, written as a template over the raw bytes: {@code ${body}} is the body
 * as received, {@code ${header.NAME}} a header field's value as received, anything else is literal text (UTF-8), and
 * <code>$${</code> writes a literal <code>${</code>. For example {@code "${header.X-Timestamp}.${body}"}.
 *
 * <p>Unlike the processors' templates, nothing here is decoded, escaped or re-encoded: the content is the bytes the
 * sender signed, or the signature could not match.
 */
final class ContentTemplate {

    /** A part: literal text, the body ({@code header == null && text == null}), or a header field. */
    private record Part(String text, String header) {
        static final Part BODY = new Part(null, null);
    }

    private final List<Part> parts;

    private ContentTemplate(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /** Compiles {@code written}; throws {@link IllegalArgumentException} saying what is wrong with it. */
    static ContentTemplate parse(String written) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < written.length()) {
            if (written.startsWith("$${", i)) {
                literal.append("${");
                i += 3;
                continue;
            }
            if (!written.startsWith("${", i)) {
                literal.append(written.charAt(i++));
                continue;
            }
            int end = written.indexOf('}', i + 2);
            if (end < 0) {
                throw new IllegalArgumentException("has a ${ that is never closed; write ${body} or ${header.NAME}, "
                        + "or $${ for a literal ${");
            }
            String ref = written.substring(i + 2, end);
            Part part;
            if (ref.equals("body")) {
                part = Part.BODY;
            } else if (ref.startsWith("header.") && HeaderFields.isValidName(ref.substring(7))) {
                part = new Part(null, ref.substring(7));
            } else {
                throw new IllegalArgumentException("may use ${body} and ${header.NAME}, the bytes as received, not ${"
                        + ref + "}");
            }
            if (literal.length() > 0) {
                parts.add(new Part(literal.toString(), null));
                literal.setLength(0);
            }
            parts.add(part);
            i = end + 1;
        }
        if (literal.length() > 0) {
            parts.add(new Part(literal.toString(), null));
        }
        return new ContentTemplate(parts);
    }

    /** Whether the template signs the named header field. */
    boolean references(String header) {
        return parts.stream().anyMatch(part -> part.header() != null && part.header().equalsIgnoreCase(header));
    }

    /** Whether the template signs the body. */
    boolean signsBody() {
        return parts.contains(Part.BODY);
    }

    /** The content {@code request} signed; {@code null} when a field it names is missing, repeated or too long. */
    SignedContent render(HookRequest request) {
        SignedContent.Builder content = SignedContent.builder();
        for (Part part : parts) {
            if (part.text() != null) {
                content.text(part.text());
            } else if (part.header() == null) {
                content.body();
            } else {
                Field field = SignatureFields.field(request, part.header());
                if (!field.present()) {
                    return null;
                }
                content.field(field.value());
            }
        }
        return content.build();
    }
}
