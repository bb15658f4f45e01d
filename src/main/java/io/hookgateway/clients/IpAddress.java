package io.hookgateway.clients;

import io.hookgateway.hooks.UrlEncoded;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IP address as 128 bits. An IPv4 address is held in its IPv4-mapped IPv6 form, {@code ::ffff:a.b.c.d} (RFC 4291
 * §2.5.5.2), so one comparison serves both families, and an IPv4 client that reaches a dual-stack socket as
 * {@code ::ffff:10.0.0.1}, or is named so in a forwarding header, is {@code 10.0.0.1} to every rule.
 *
 * <p>Text is read strictly, as the one literal form each family has, because a header is text a client may have
 * written, and lenient readers disagree about what it means ({@code 010.0.0.1} is 8.0.0.1 to {@code inet_aton}):
 * <ul>
 *   <li>IPv4: four decimal numbers of 0 to 255 joined by dots, without leading zeros: {@code 10.0.0.1}. Not
 *       {@code 010.0.0.1}, {@code 0x0a.0.0.1}, {@code 10.1}, {@code 167772161}, {@code 10.0.0.1.}.</li>
 *   <li>IPv6 (RFC 4291 §2.2): eight groups of one to four hex digits, one {@code ::} standing for one or more groups of
 *       zeros, the last two groups optionally written as an IPv4 address as above. No zone id ({@code %eth0}), no
 *       brackets, no group of five digits.</li>
 * </ul>
 * Only ASCII digits and letters count: a full-width digit is not a digit. Nothing is ever looked up by name.
 */
public final class IpAddress {

    /** The upper 32 bits of the lower half of an IPv4-mapped address: {@code ::ffff:0:0/96}. */
    private static final long MAPPED = 0xffffL;

    final long hi;
    final long lo;

    IpAddress(long hi, long lo) {
        this.hi = hi;
        this.lo = lo;
    }

    /** The IPv4 address of 32 bits. */
    static IpAddress ipv4(long bits) {
        return new IpAddress(0, MAPPED << 32 | (bits & 0xffffffffL));
    }

    /** The address of a socket peer; its zone id, if any, is dropped. */
    public static IpAddress of(InetAddress address) {
        if (address == null) {
            return null;
        }
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return ipv4(readBits(bytes, 0, 4));
        }
        return new IpAddress(readBits(bytes, 0, 8), readBits(bytes, 8, 16));
    }

    private static long readBits(byte[] bytes, int from, int to) {
        long bits = 0;
        for (int i = from; i < to; i++) {
            bits = bits << 8 | (bytes[i] & 0xff);
        }
        return bits;
    }

    /** The address written as {@code text}, or {@code null} when it is not exactly one IP address literal. */
    public static IpAddress parse(CharSequence text) {
        return parse(text, 0, text.length());
    }

    /** The address written in {@code text} from {@code from} to {@code to} (exclusive), or {@code null}. */
    static IpAddress parse(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == ':') {
                return parseIpv6(text, from, to);
            }
        }
        long bits = parseIpv4(text, from, to);
        return bits < 0 ? null : ipv4(bits);
    }

    /** The 32 bits of a dotted-quad IPv4 address, or -1. */
    private static long parseIpv4(CharSequence text, int from, int to) {
        long bits = 0;
        int i = from;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (i >= to || text.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
            int start = i;
            int value = 0;
            while (i < to && i - start < 3 && isDigit(text.charAt(i))) {
                value = value * 10 + text.charAt(i) - '0';
                i++;
            }
            int length = i - start;
            // A leading zero is refused: some readers take 010 as octal (8), others as decimal (10).
            if (length == 0 || (length > 1 && text.charAt(start) == '0') || value > 255) {
                return -1;
            }
            bits = bits << 8 | value;
        }
        return i == to ? bits : -1;
    }

    private static IpAddress parseIpv6(CharSequence text, int from, int to) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = from;
        if (to - from >= 2 && text.charAt(i) == ':' && text.charAt(i + 1) == ':') {
            gap = 0;
            i += 2;
        }
        while (i < to) {
            if (count == 8) {
                return null;
            }
            int start = i;
            int value = 0;
            while (i < to && i - start < 5 && UrlEncoded.hexValue(text.charAt(i)) >= 0) {
                value = value << 4 | UrlEncoded.hexValue(text.charAt(i));
                i++;
            }
            if (i < to && text.charAt(i) == '.') {
                // The last 32 bits written as an IPv4 address, in two groups' place.
                long ipv4 = count <= 6 ? parseIpv4(text, start, to) : -1;
                if (ipv4 < 0) {
                    return null;
                }
                groups[count++] = (int) (ipv4 >>> 16);
                groups[count++] = (int) (ipv4 & 0xffff);
                i = to;
                break;
            }
            int length = i - start;
            if (length == 0 || length > 4) {
                return null;
            }
            groups[count++] = value;
            if (i == to) {
                break;
            }
            if (text.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < to && text.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i++;
            } else if (i == to) {
                return null;
            }
        }
        if (gap < 0 ? count != 8 : count == 8) {
            return null;
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = groups;
        } else {
            System.arraycopy(groups, 0, full, 0, gap);
            int after = count - gap;
            System.arraycopy(groups, gap, full, 8 - after, after);
        }
        long hi = 0;
        long lo = 0;
        for (int g = 0; g < 4; g++) {
            hi = hi << 16 | full[g];
            lo = lo << 16 | full[g + 4];
        }
        return new IpAddress(hi, lo);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Whether this is an IPv4 address (held as {@code ::ffff:a.b.c.d}). */
    public boolean isIpv4() {
        return hi == 0 && lo >>> 32 == MAPPED;
    }

    /** The address as a {@link InetAddress}: an {@link java.net.Inet4Address} for an IPv4 one. No lookup is made. */
    public InetAddress toInetAddress() {
        byte[] bytes;
        if (isIpv4()) {
            bytes = new byte[4];
            writeBits(lo, bytes, 0, 4);
        } else {
            bytes = new byte[16];
            writeBits(hi, bytes, 0, 8);
            writeBits(lo, bytes, 8, 16);
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes make an address", e);
        }
    }

    private static void writeBits(long bits, byte[] bytes, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            bytes[i] = (byte) bits;
            bits >>>= 8;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress other && other.hi == hi && other.lo == lo;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi) * 31 + Long.hashCode(lo);
    }

    /** Dotted for IPv4; for IPv6 the RFC 5952 form: lower case, the longest run of two or more zero groups as ::. */
    @Override
    public String toString() {
        if (isIpv4()) {
            return (lo >>> 24 & 0xff) + "." + (lo >>> 16 & 0xff) + "." + (lo >>> 8 & 0xff) + "." + (lo & 0xff);
        }
        int[] groups = new int[8];
        for (int g = 0; g < 4; g++) {
            groups[g] = (int) (hi >>> (48 - 16 * g) & 0xffff);
            groups[g + 4] = (int) (lo >>> (48 - 16 * g) & 0xffff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int g = 0; g < 8; ) {
            int run = 0;
            while (g + run < 8 && groups[g + run] == 0) {
                run++;
            }
            if (run > bestLength) {
                bestStart = g;
                bestLength = run;
            }
            g += Math.max(run, 1);
        }
        StringBuilder out = new StringBuilder(39);
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                out.append("::");
                g += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[g]));
        }
        return out.toString();
    }
}
