package io.hookgateway.clients;

/**
 * A range of IP addresses in CIDR notation (RFC 4632 §3.1, RFC 4291 §2.3): {@code 10.0.0.0/8}, {@code fd00::/8}, or one
 * address, {@code 10.0.0.1} ({@code /32}) or {@code ::1} ({@code /128}). An IPv4 range is held as the IPv4-mapped
 * IPv6 range it is ({@code 10.0.0.0/8} is {@code ::ffff:10.0.0.0/104}), so it matches an IPv4 client however it came.
 * An IPv6 range that covers {@code ::ffff:0:0/96} ({@code ::/0}, say) covers every IPv4 address too.
 */
public final class AddressRange {

    private static final String FORMS = "write an address such as 10.0.0.1 or \"::1\", or a range such as 10.0.0.0/8 "
            + "or \"fd00::/8\" (quote IPv6 in YAML)";

    private final long hi;
    private final long lo;
    private final long maskHi;
    private final long maskLo;
    private final String text;

    private AddressRange(IpAddress network, int bits, String text) {
        this.maskHi = bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
        this.maskLo = bits <= 64 ? 0 : bits == 128 ? -1L : -1L << (128 - bits);
        this.hi = network.hi & maskHi;
        this.lo = network.lo & maskLo;
        this.text = text;
    }

    /**
     * Reads a range as written in the configuration.
     *
     * @throws IllegalArgumentException saying what is wrong with it and what to write
     */
    public static AddressRange parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        IpAddress network = IpAddress.parse(address);
        if (network == null) {
            String why = address.indexOf('%') >= 0 ? " (a zone id such as %eth0 names an interface of this machine, "
                    + "not a client)" : "";
            throw new IllegalArgumentException("'" + text + "' is not an IP address or range" + why + "; " + FORMS);
        }
        boolean ipv4 = address.indexOf(':') < 0;
        int max = ipv4 ? 32 : 128;
        int bits = max;
        if (slash >= 0) {
            bits = prefixLength(text.substring(slash + 1));
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("'" + text + "' has no valid prefix length: an " + (ipv4
                        ? "IPv4" : "IPv6") + " range takes /0 to /" + max + "; " + FORMS);
            }
        }
        AddressRange range = new AddressRange(network, ipv4 ? bits + 96 : bits, text);
        if (range.hi != network.hi || range.lo != network.lo) {
            throw new IllegalArgumentException("'" + text + "' has bits set past its /" + bits + " prefix; write "
                    + new IpAddress(range.hi, range.lo) + "/" + bits + " for the range, or " + address
                    + " for the one address");
        }
        return range;
    }

    /** A prefix length in decimal without leading zeros, or -1. */
    private static int prefixLength(String digits) {
        if (digits.isEmpty() || digits.length() > 3 || (digits.length() > 1 && digits.charAt(0) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + c - '0';
        }
        return value;
    }

    public boolean contains(IpAddress address) {
        return (address.hi & maskHi) == hi && (address.lo & maskLo) == lo;
    }

    /** The range as written. */
    @Override
    public String toString() {
        return text;
    }
}
