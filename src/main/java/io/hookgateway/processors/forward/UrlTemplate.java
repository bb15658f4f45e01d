package io.hookgateway.processors.forward;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.UrlEncoded;
import io.hookgateway.processors.template.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code url} of a forward: a {@link Template} that knows where in the URL each request value falls.
 *
 * <ul>
 *   <li>Scheme and {@code ://} must be written out: a URL that is wholly a request value would let any caller pick
 *       where the gateway connects.</li>
 *   <li>A value in the path, query or fragment is percent-encoded, every byte but the unreserved characters of RFC 3986
 *       §2.3 ({@code A-Z a-z 0-9 - . _ ~}): IFTTT's {@code "turn on the lamp"} becomes one query value, and a value
 *       holding {@code /}, {@code ?}, {@code &} or {@code #} cannot change the URL's structure.</li>
 *   <li>A value in the path stays within one segment, and a segment it has a part in may not come out {@code .},
 *       {@code ..} or empty: those change the path itself ({@code /devices/../on} is {@code /on} once dot segments
 *       are removed, RFC 3986 §5.2.4; {@code /devices//on} names another resource than {@code /devices/x/on}).
 *       Encoding the dots would not help: {@code %2E} is {@code .} to a server that normalizes (§6.2.2.2).</li>
 *   <li>A value in the host is inserted as it is but may hold only letters, digits, {@code -} and {@code .}, so it
 *       cannot add a port, user or path.</li>
 * </ul>
 *
 * <p>A URL without request values is parsed once, when the configuration is read; one with values is parsed per
 * request, and one that a request's values make invalid answers 400: the fault is the request's, not the downstream's.
 */
final class UrlTemplate {

    private sealed interface Piece permits Text, Value {
    }

    private record Text(String text) implements Piece {
    }

    /** Where in the URL a request value falls, which decides how it is inserted. */
    private enum Place {
        HOST, PATH, QUERY_OR_FRAGMENT
    }

    private record Value(Template template, Place place) implements Piece {
    }

    /** The path segments that a request value may not make: they would move the path up, or to another resource. */
    private static final Set<String> PATH_CHANGING_SEGMENTS = Set.of("", ".", "..");

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
                int pathStart = indexOfAny(skeleton, schemeEnd + 3, "/?#");
                Place place = pathStart < 0 ? Place.HOST
                        : skeleton.charAt(pathStart) == '/' && indexOfAny(skeleton, pathStart, "?#") < 0 ? Place.PATH
                        : Place.QUERY_OR_FRAGMENT;
                pieces.add(new Value(single, place));
                skeleton.append(PLACEHOLDER);
            }
        });
        return new UrlTemplate(pieces, Target.parse(skeleton.toString()), template.isConstant());
    }

    /** Whether a value of the URL comes from the request's body. */
    boolean readsBody() {
        for (Piece piece : pieces) {
            if (piece instanceof Value value && value.template().readsBody()) {
                return true;
            }
        }
        return false;
    }

    /** Whether the URL is the same for every request (then it was fully checked at load). */
    boolean isConstant() {
        return constant != null;
    }

    boolean https() {
        return https;
    }

    /**
     * The URL's target for this request. Request values that would change the URL's structure, or make it invalid,
     * fail with 400; the answer never shows the URL, which may hold a secret.
     */
    Target render(HookRequest request) {
        if (constant != null) {
            return constant;
        }
        StringBuilder url = new StringBuilder(64);
        // Where each path value ended up, so that its whole segment can be checked once the text after it is there.
        List<Integer> pathValueEnds = new ArrayList<>(2);
        for (Piece piece : pieces) {
            if (piece instanceof Text literal) {
                url.append(literal.text());
                continue;
            }
            Value value = (Value) piece;
            String rendered = value.template().render(request);
            switch (value.place()) {
                case HOST -> {
                    if (!isHostText(rendered)) {
                        throw new HookException(400, "a request value in the downstream URL's host is not a host "
                                + "name (letters, digits, '-' and '.')");
                    }
                    url.append(rendered);
                }
                case PATH -> {
                    UrlEncoded.encode(rendered, url);
                    pathValueEnds.add(url.length());
                }
                case QUERY_OR_FRAGMENT -> UrlEncoded.encode(rendered, url);
            }
        }
        for (int end : pathValueEnds) {
            checkSegment(url, end);
        }
        try {
            return Target.parse(url.toString());
        } catch (IllegalArgumentException e) {
            throw HookException.withLogDetail(400, "the request's values make the downstream URL invalid",
                    HeaderFields.empty(), "the downstream URL for this request " + e.getMessage());
        }
    }

    /**
     * Refuses the path segment that holds the position {@code valueEnd} of {@code url} (the end of a request value) if
     * it is {@code .}, {@code ..} or empty. A percent-encoded value holds no {@code /}, {@code ?} or {@code #}, so the
     * segment's bounds are the literal text's.
     */
    private static void checkSegment(CharSequence url, int valueEnd) {
        int start = valueEnd;
        while (url.charAt(start - 1) != '/') {
            start--;
        }
        int end = indexOfAny(url, valueEnd, "/?#");
        if (end < 0) {
            end = url.length();
        }
        // Only a short segment can be one of them; a long one is not copied to find out.
        String segment = end - start <= 2 ? url.subSequence(start, end).toString() : null;
        if (segment != null && PATH_CHANGING_SEGMENTS.contains(segment)) {
            throw new HookException(400, "a request value makes a segment of the downstream URL's path '" + segment
                    + "'; '.', '..' and empty segments would change the path (RFC 3986 §5.2.4)");
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

    /** The first index from {@code from} of any of {@code chars} in {@code s}, or -1. */
    private static int indexOfAny(CharSequence s, int from, String chars) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
