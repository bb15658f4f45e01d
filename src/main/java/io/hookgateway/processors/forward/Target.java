package io.hookgateway.processors.forward;

import io.netty.util.NetUtil;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where one forwarded request goes, taken apart from its URL: the connection ({@code https}, host, port) and what is
 * written on it ({@code Host} field, request-target).
 *
 * <p>{@link #hostPort()} is the only part of a URL that ever appears in an answer, a log line or a metric: paths and
 * query strings often carry secrets (IFTTT's key is a path segment of its trigger URL).
 *
 * @param https whether the connection is TLS
 * @param host the host name or IP address, without brackets, in lower case
 * @param port the port, the scheme's default when the URL names none
 * @param hostHeader the {@code Host} field: host, and the port when it is not the default (RFC 9110 §7.2)
 * @param requestTarget the origin-form request-target: path (at least {@code /}) and query (RFC 9112 §3.2.1)
 */
record Target(boolean https, String host, int port, String hostHeader, String requestTarget) {

    /** {@code host:port}, with brackets around an IPv6 address; safe to show. */
    String hostPort() {
        return NetUtil.toSocketAddressString(host, port);
    }

    /**
     * Parses and checks a complete URL. Problems are thrown as {@link IllegalArgumentException} whose message says
     * what is wrong without repeating the URL (it may hold a secret); it reads after "the URL ...".
     */
    static Target parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL: " + e.getReason().toLowerCase(Locale.ROOT)
                    + (e.getIndex() >= 0 ? " at position " + e.getIndex() : ""));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.isOpaque()) {
            throw new IllegalArgumentException("must start with http:// or https://");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not hold a user name or password; send credentials in a header "
                    + "instead (headers: {Authorization: ...})");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException(
                    "has no valid host name (letters, digits, '-' and '.'; or an IP address)");
        }
        boolean https = scheme.equals("https");
        int defaultPort = https ? 443 : 80;
        int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
        if (port == 0 || port > 65535) {
            throw new IllegalArgumentException("has port " + port + "; use 1 to 65535");
        }
        String hostHeader = port == defaultPort ? host : host + ":" + port;
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new Target(https, bareHost.toLowerCase(Locale.ROOT), port, hostHeader, target);
    }
}
