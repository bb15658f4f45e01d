package io.hookgateway.hooks.forward;

import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.template.Template;
import io.hookgateway.hooks.template.UrlEncoded;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code url} of a forward: a {@link Template} that knows where in the URL each request value falls.
 *
 * <ul>
 *   <li>Scheme and {@code ://} must be written out: a URL that is wholly a request value would let any caller pick
 *       where the gateway connects.</li>
 *   <li>A value in the path, query or fragment is percent-encoded, every byte but the unreserved characters of RFC 3986
 *       §2.3 ({@code A-Z a-z 0-9 - . _ ~}): IFTTT's {@code "turn on the lamp"} becomes one query value, and a value
 *       holding {@code /}, {@code ?}, {@code &} or {@code #} cannot change the URL's structure.</li>
 *   <li>A value in the host is inserted as it is but may hold only letters, digits, {@code -} and {@code .}, so it
 *       cannot add a port, user or path.</li>
 * </ul>
 *
 * <p>A URL without request values is parsed once, when the configuration is read; one with values is parsed per
 * request, and one that comes out invalid answers 502.
 */
final class UrlTemplate {

    private sealed interface Piece permits Text, Value {
    }

    private record Text(String text) implements Piece {
    }

    /** A request value; {@code encoded} unless it falls in the host. */
    private record Value(Template template, boolean encoded) implements Piece {
    }

    /** What stands in for each value when the URL is checked at load: valid as a host label and as a path segment. */
    private static final String PLACEHOLDER = "x";

    private final List<Piece> pieces;
    private final Target constant;
    private final boolean https;

    private UrlTemplate(List<Piece> pieces, Target skeleton, boolean isConstant) {
        this.pieces = List.copyOf(pieces);
        this.constant = isConstant ? skeleton : null;
        this.https = skeleton.https();
    }

    /**
     * Splits a compiled template into its literal text and its values, and checks the URL with a placeholder for each
     * value. Throws {@link IllegalArgumentException} with the reason, to be reported on the {@code url} key.
     */
    static UrlTemplate of(Template template) {
        List<Piece> pieces = new ArrayList<>();
        StringBuilder skeleton = new StringBuilder();
        template.visit(new Template.PartVisitor() {
            @Override
            public void literal(String text) {
                pieces.add(new Text(text));
                skeleton.append(text);
            }

            @Override
            public void reference(int index, Template single) {
                int schemeEnd = skeleton.indexOf("://");
                if (schemeEnd < 0) {
                    throw new IllegalArgumentException("must write out its scheme and host, as in "
                            + "http://192.168.1.20/...; request values may follow them");
                }
                boolean inHost = indexOfAny(skeleton, schemeEnd + 3) < 0;
                pieces.add(new Value(single, !inHost));
                skeleton.append(PLACEHOLDER);
            }
        });
        return new UrlTemplate(pieces, Target.parse(skeleton.toString()), template.isConstant());
    }

    /** Whether the URL is the same for every request (then it was fully checked at load). */
    boolean isConstant() {
        return constant != null;
    }

    boolean https() {
        return https;
    }

    /** The URL's target for this request; a URL that comes out invalid fails with 502 and the reason. */
    Target render(HookRequest request) {
        if (constant != null) {
            return constant;
        }
        StringBuilder url = new StringBuilder(64);
        for (Piece piece : pieces) {
            if (piece instanceof Text literal) {
                url.append(literal.text());
            } else {
                Value value = (Value) piece;
                String rendered = value.template().render(request);
                if (value.encoded()) {
                    UrlEncoded.encode(rendered, url);
                } else if (isHostText(rendered)) {
                    url.append(rendered);
                } else {
                    throw new HookException(502, "the downstream URL for this request is invalid: a request value "
                            + "in its host is not a host name");
                }
            }
        }
        try {
            return Target.parse(url.toString());
        } catch (IllegalArgumentException e) {
            throw new HookException(502, "the downstream URL for this request is invalid: it " + e.getMessage());
        }
    }

    private static boolean isHostText(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** Where the authority ends: the first {@code /}, {@code ?} or {@code #} from {@code from}, or -1. */
    private static int indexOfAny(CharSequence s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                return i;
            }
        }
        return -1;
    }
}
