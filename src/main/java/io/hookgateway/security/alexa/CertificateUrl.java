package io.hookgateway.security.alexa;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules for an Alexa request's {@code SignatureCertChainUrl}, from Amazon's "Host a custom skill as a web service"
 * (verify the signature certificate URL): after normalising it, the scheme is {@code https} and the host
 * {@code s3.amazonaws.com} (both in any case), the path starts with {@code /echo.api/} (in this case exactly), and the
 * port, if given, is 443. Anything else is not a URL Amazon would use, and is never fetched.
 *
 * <p>Normalising follows RFC 3986 §6.2.2: percent-encoded unreserved characters are decoded ({@code %2e} is a dot),
 * then dot segments removed (§5.2.4), so {@code /echo.api/../echo.api/cert.pem} is {@code /echo.api/cert.pem} and
 * {@code /echo.api/%2e%2e/x} is {@code /x}. What is fetched, and cached, is the normalised URL, never the header as
 * written. Stricter than Amazon's list, and for the same reason: a URL with user information, a query or a fragment is
 * not one Amazon sends, so it is refused too.
 */
final class CertificateUrl {

    static final String SCHEME = "https";
    static final String HOST = "s3.amazonaws.com";
    static final int PORT = 443;
    static final String PATH_PREFIX = "/echo.api/";

    private CertificateUrl() {
    }

    /** The header's text as an absolute URI, or {@code null} when it is not one (RFC 3986 syntax). */
    static URI parse(String text) {
        try {
            URI uri = new URI(text);
            return uri.isAbsolute() && !uri.isOpaque() ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The URL normalised, {@code https://s3.amazonaws.com/echo.api/...}, or {@code null} when Amazon would not use it. */
    static URI amazons(URI url) {
        if (!asciiEqualsIgnoreCase(url.getScheme(), SCHEME)
                || url.getRawUserInfo() != null
                // A host that is not a plain host name (a registry-based authority) is null.
                || !asciiEqualsIgnoreCase(url.getHost(), HOST)
                || url.getPort() != -1 && url.getPort() != PORT
                || url.getRawQuery() != null
                || url.getRawFragment() != null
                || url.getRawPath() == null) {
            return null;
        }
        String path = removeDotSegments(decodeUnreserved(url.getRawPath()));
        if (!path.startsWith(PATH_PREFIX)) {
            return null;
        }
        return URI.create(SCHEME + "://" + HOST + path);
    }

    /**
     * Whether {@code text} is {@code expected} (lower-case ASCII) in any case, ASCII only: Java's case-insensitive
     * comparison would also take the long s ({@code ſ}) for an {@code s} and the Kelvin sign for a {@code k}.
     */
    private static boolean asciiEqualsIgnoreCase(String text, String expected) {
        if (text == null || text.length() != expected.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char lower = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
            if (lower != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 3986 §6.2.2.2: a percent-encoded unreserved character ({@code ALPHA DIGIT - . _ ~}) is that character;
     * other percent-encodings stay, in upper case (§6.2.2.1), so an encoded slash never becomes a separator.
     */
    static String decodeUnreserved(String rawPath) {
        if (rawPath.indexOf('%') < 0) {
            return rawPath;
        }
        StringBuilder out = new StringBuilder(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            // java.net.URI has checked that every '%' is followed by two hex digits.
            if (c == '%' && i + 2 < rawPath.length()) {
                int value = Integer.parseInt(rawPath.substring(i + 1, i + 3), 16);
                if (isUnreserved(value)) {
                    out.append((char) value);
                } else {
                    out.append('%').append(Character.toUpperCase(rawPath.charAt(i + 1)))
                            .append(Character.toUpperCase(rawPath.charAt(i + 2)));
                }
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isUnreserved(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                || c == '_' || c == '~';
    }

    /**
     * RFC 3986 §5.2.4 for an absolute path: {@code .} segments go, each {@code ..} takes the segment before it (none
     * above the root), and a path that ends in either ends in a slash.
     */
    static String removeDotSegments(String path) {
        if (!path.startsWith("/")) {
            return path;
        }
        String[] segments = path.split("/", -1);
        List<String> out = new ArrayList<>(segments.length);
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals(".") || segment.equals("..")) {
                if (segment.equals("..") && !out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                if (last) {
                    out.add("");
                }
            } else {
                out.add(segment);
            }
        }
        return "/" + String.join("/", out);
    }
}
