package io.hookgateway.clients;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header field a trusted proxy names the client in, and how one of its field lines is read: into the hops it names,
 * the farthest first, as the proxies appended them. A hop that is not an IP address ({@code unknown}, an obfuscated
 * name, anything malformed) is {@code null} in that list; the walk that reaches it cannot tell who the client is.
 */
public enum ForwardingHeader {

    /**
     * {@code X-Forwarded-For: client, proxy1, proxy2}: comma-separated addresses, each IPv4 ({@code 203.0.113.9}), IPv6
     * ({@code 2001:db8::1} or {@code [2001:db8::1]}), and either bracketed one or an IPv4 one may carry a port
     * ({@code 203.0.113.9:4711}, {@code [2001:db8::1]:4711}), as some proxies write them.
     */
    X_FORWARDED_FOR("X-Forwarded-For") {
        @Override
        List<IpAddress> hops(String line) {
            List<IpAddress> hops = new ArrayList<>(4);
            int start = 0;
            while (start <= line.length()) {
                int comma = line.indexOf(',', start);
                int end = comma < 0 ? line.length() : comma;
                String element = trimOws(line, start, end);
                // RFC 9110 §5.6.1.2: empty list elements are ignored.
                if (!element.isEmpty()) {
                    hops.add(node(element, true));
                }
                start = end + 1;
            }
            return hops;
        }
    },

    /**
     * {@code Forwarded: for=192.0.2.60;proto=https, for="[2001:db8::1]:4711"} (RFC 7239): comma-separated elements of
     * {@code name=value} pairs, the value a token or a quoted string; the hop is the element's {@code for} parameter,
     * an IPv4 address or a bracketed IPv6 one (RFC 7239 §6), with an optional port. An element without {@code for}, or
     * with {@code for=unknown} or an obfuscated {@code for=_name}, names no address. A line that does not follow the
     * grammar (an unclosed quote, a pair without {@code =}, two {@code for} in one element) cannot be split into
     * elements at all, so none of it is read.
     */
    FORWARDED("Forwarded") {
        @Override
        List<IpAddress> hops(String line) {
            ForwardedParser parser = new ForwardedParser(line);
            return parser.hops();
        }
    };

    private final String fieldName;

    ForwardingHeader(String fieldName) {
        this.fieldName = fieldName;
    }

    /** The field's name, as the configuration and the README write it. */
    public String fieldName() {
        return fieldName;
    }

    /** The header named {@code name} in any case, or {@code null}. */
    public static ForwardingHeader named(String name) {
        for (ForwardingHeader header : values()) {
            if (header.fieldName.equalsIgnoreCase(name)) {
                return header;
            }
        }
        return null;
    }

    /** The hops one field line names, the farthest first; {@code null} when the line cannot be read at all. */
    abstract List<IpAddress> hops(String line);

    private static String trimOws(String s, int from, int to) {
        while (from < to && isOws(s.charAt(from))) {
            from++;
        }
        while (to > from && isOws(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * The address a node names: {@code a.b.c.d[:port]} or {@code [IPv6][:port]}, and with {@code bareIpv6} an IPv6
     * address without brackets (and so without a port); {@code null} for anything else.
     */
    static IpAddress node(String s, boolean bareIpv6) {
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            // Brackets hold IPv6 only: [10.0.0.1] is no literal (RFC 3986 §3.2.2).
            if (close < 0 || s.lastIndexOf(':', close) < 0) {
                return null;
            }
            IpAddress address = IpAddress.parse(s, 1, close);
            return address != null && (close == s.length() - 1 || isPort(s, close + 1)) ? address : null;
        }
        int colon = s.indexOf(':');
        if (colon < 0) {
            return IpAddress.parse(s);
        }
        if (s.indexOf(':', colon + 1) < 0) {
            // One colon: an IPv4 address and a port (an IPv6 address has at least two).
            IpAddress address = IpAddress.parse(s, 0, colon);
            return address != null && isPort(s, colon) ? address : null;
        }
        return bareIpv6 ? IpAddress.parse(s) : null;
    }

    /** Whether {@code s} from {@code at} is {@code :} and a port: 1 to 5 digits, or an obfuscated {@code _name}. */
    private static boolean isPort(String s, int at) {
        if (at >= s.length() - 1 || s.charAt(at) != ':') {
            return false;
        }
        String port = s.substring(at + 1);
        if (port.charAt(0) == '_') {
            return port.length() > 1
                    && port.chars().skip(1).allMatch(c -> isAlphaNumeric(c) || c == '.' || c == '_' || c == '-');
        }
        return port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9')
                && Integer.parseInt(port) <= 65535;
    }

    private static boolean isAlphaNumeric(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Reads one {@code Forwarded} field line by the grammar of RFC 7239 §4, with RFC 9110's list and quoting rules. */
    private static final class ForwardedParser {
        private final String line;
        private int at;

        ForwardedParser(String line) {
            this.line = line;
        }

        List<IpAddress> hops() {
            List<IpAddress> hops = new ArrayList<>(4);
            while (true) {
                skipOws();
                if (at == line.length()) {
                    return hops;
                }
                if (line.charAt(at) == ',') {
                    // An empty element (RFC 9110 §5.6.1.2).
                    at++;
                    continue;
                }
                String forValue = null;
                while (true) {
                    if (at < line.length() && isTchar(line.charAt(at))) {
                        String name = token();
                        if (at == line.length() || line.charAt(at) != '=') {
                            return null;
                        }
                        at++;
                        String value = value();
                        if (value == null) {
                            return null;
                        }
                        if (name.toLowerCase(Locale.ROOT).equals("for")) {
                            if (forValue != null) {
                                return null;
                            }
                            forValue = value;
                        }
                    }
                    skipOws();
                    if (at == line.length() || line.charAt(at) == ',') {
                        break;
                    }
                    if (line.charAt(at) != ';') {
                        return null;
                    }
                    at++;
                    skipOws();
                }
                hops.add(forValue == null ? null : node(forValue, false));
                if (at < line.length()) {
                    at++;
                }
            }
        }

        private String token() {
            int start = at;
            while (at < line.length() && isTchar(line.charAt(at))) {
                at++;
            }
            return line.substring(start, at);
        }

        /** A token, or a quoted string unquoted; {@code null} when neither is there. */
        private String value() {
            if (at < line.length() && line.charAt(at) == '"') {
                at++;
                StringBuilder text = new StringBuilder();
                while (at < line.length()) {
                    char c = line.charAt(at++);
                    if (c == '"') {
                        return text.toString();
                    }
                    if (c == '\\') {
                        if (at == line.length()) {
                            return null;
                        }
                        c = line.charAt(at++);
                    }
                    if (c < 0x20 && c != '\t' || c == 0x7f) {
                        return null;
                    }
                    text.append(c);
                }
                return null;
            }
            String token = token();
            return token.isEmpty() ? null : token;
        }

        private void skipOws() {
            while (at < line.length() && isOws(line.charAt(at))) {
                at++;
            }
        }

        /** RFC 9110 §5.6.2. */
        private static boolean isTchar(char c) {
            return isAlphaNumeric(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }
}
