package io.hookgateway.http;

import static io.hookgateway.hooks.HttpChars.SP;

import io.hookgateway.hooks.HookMethods;
import io.hookgateway.hooks.HttpChars;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;

/**
 * The parts of one request line (RFC 9112 §3), for {@link HeaderLineDecoder}: method, target (raw, and as canonical
 * path and raw query) and version. One instance per decoder, parsed afresh for each request.
 */
final class RequestLine {

    /** Stops a scan at the first byte that is not a token character (RFC 9110 §5.6.2). */
    private static final ByteProcessor NOT_TCHAR = b -> HttpChars.isTchar(b);
    /** Stops a scan at the first byte a request target may not hold. */
    private static final ByteProcessor NOT_TARGET_CHAR = b -> HttpChars.isTargetChar(b);
    private static final HttpMethod[] METHODS = HookMethods.ALL.stream().map(HttpMethod::valueOf)
            .toArray(HttpMethod[]::new);
    private static final byte[][] METHOD_NAMES = HookMethods.ALL.stream()
            .map(name -> name.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    private static final long HTTP_1_1 = versionWord("HTTP/1.1");
    private static final long HTTP_1_0 = versionWord("HTTP/1.0");

    private HttpMethod method;
    private String rawTarget;
    private String path;
    private String rawQuery;
    private HttpVersion version;

    /** Forgets the last request's line. */
    void reset() {
        method = null;
        rawTarget = null;
        path = null;
        rawQuery = null;
        version = null;
    }

    /** The method, or {@code null} when the line failed before it was read. */
    HttpMethod method() {
        return method;
    }

    /** The request target as sent, or {@code null} when the line failed before it was read. */
    String rawTarget() {
        return rawTarget;
    }

    String path() {
        return path;
    }

    String rawQuery() {
        return rawQuery;
    }

    /** The version, or {@code null} when the line failed before it was read. */
    HttpVersion version() {
        return version;
    }

    /** RFC 9112 §3: request-line = method SP request-target SP HTTP-version, exactly one SP between parts. */
    RequestFailure parse(ByteBuf in, int start, int end) {
        int sp1 = in.indexOf(start, end, SP);
        if (sp1 <= start) {
            return RequestFailure.BAD_REQUEST_LINE;
        }
        if (in.forEachByte(start, sp1 - start, NOT_TCHAR) >= 0) {
            return RequestFailure.BAD_METHOD;
        }
        int sp2 = in.indexOf(sp1 + 1, end, SP);
        if (sp2 < 0 || sp2 == sp1 + 1 || in.indexOf(sp2 + 1, end, SP) >= 0) {
            return RequestFailure.BAD_REQUEST_LINE;
        }
        method = method(in, start, sp1 - start);
        if (method == null) {
            // RFC 9110 §9.1: 501 for a method we do not implement; CONNECT and TRACE included. The refusal names it.
            method = HttpMethod.valueOf(in.toString(start, sp1 - start, StandardCharsets.US_ASCII));
            return RequestFailure.METHOD_NOT_IMPLEMENTED;
        }
        if (in.forEachByte(sp1 + 1, sp2 - sp1 - 1, NOT_TARGET_CHAR) >= 0) {
            return RequestFailure.BAD_TARGET;
        }
        rawTarget = in.toString(sp1 + 1, sp2 - sp1 - 1, StandardCharsets.US_ASCII);
        RequestFailure versionFailure = parseVersion(in, sp2 + 1, end);
        if (versionFailure != null) {
            return versionFailure;
        }
        return parseTarget();
    }

    /**
     * The hook method spelled by the bytes (exactly, upper case), matched against the constants without making a
     * String; {@code null} for any other method.
     */
    private static HttpMethod method(ByteBuf in, int start, int length) {
        for (int m = 0; m < METHODS.length; m++) {
            byte[] name = METHOD_NAMES[m];
            if (name.length == length && FieldNames.matches(in, start, name)) {
                return METHODS[m];
            }
        }
        return null;
    }

    /** RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT; we speak 1.0 and 1.1. */
    private RequestFailure parseVersion(ByteBuf in, int start, int end) {
        if (end - start != 8) {
            return RequestFailure.BAD_REQUEST_LINE;
        }
        // Eight bytes, read as one long: the versions every client sends cost a comparison each.
        long word = in.getLong(start);
        if (word == HTTP_1_1) {
            version = HttpVersion.HTTP_1_1;
            return null;
        }
        if (word == HTTP_1_0) {
            version = HttpVersion.HTTP_1_0;
            return null;
        }
        if (in.getByte(start) != 'H' || in.getByte(start + 1) != 'T'
                || in.getByte(start + 2) != 'T' || in.getByte(start + 3) != 'P' || in.getByte(start + 4) != '/'
                || !isDigit(in.getByte(start + 5)) || in.getByte(start + 6) != '.' || !isDigit(in.getByte(start + 7))) {
            return RequestFailure.BAD_REQUEST_LINE;
        }
        if (in.getByte(start + 5) == '1') {
            // RFC 9110 §2.5: a higher minor version of a major version we speak is processed as the highest we know.
            version = HttpVersion.HTTP_1_1;
            return null;
        }
        return RequestFailure.UNSUPPORTED_VERSION;
    }

    /** RFC 9112 §3.2: origin-form, absolute-form (reduced to its path), or asterisk-form for OPTIONS only. */
    private RequestFailure parseTarget() {
        String target = rawTarget;
        int pathStart;
        if (target.charAt(0) == '/') {
            pathStart = 0;
        } else if (target.equals("*")) {
            if (!HttpMethod.OPTIONS.equals(method)) {
                return RequestFailure.BAD_TARGET;
            }
            path = "*";
            return null;
        } else {
            int authority = schemeEnd(target);
            if (authority < 0) {
                return RequestFailure.BAD_TARGET;
            }
            int slash = authority;
            while (slash < target.length() && target.charAt(slash) != '/' && target.charAt(slash) != '?') {
                slash++;
            }
            if (slash == authority || target.lastIndexOf('@', slash) >= authority
                    || !HeadFraming.isValidHost(target.substring(authority, slash))) {
                // RFC 9110 §4.2.4: userinfo in an http(s) URI is to be treated as an error; and the authority
                // must be a host with an optional numeric port, like Host.
                return RequestFailure.BAD_TARGET;
            }
            pathStart = slash;
        }
        int question = target.indexOf('?', pathStart);
        String rawPath = question < 0 ? target.substring(pathStart) : target.substring(pathStart, question);
        rawQuery = question < 0 ? null : target.substring(question + 1);
        if (rawPath.isEmpty()) {
            rawPath = "/";
        }
        path = RequestPath.canonicalize(rawPath);
        return path == null ? RequestFailure.BAD_PATH : null;
    }

    /** The index after {@code http://} or {@code https://} (any case), or -1. */
    private static int schemeEnd(String target) {
        if (target.regionMatches(true, 0, "http://", 0, 7)) {
            return 7;
        }
        if (target.regionMatches(true, 0, "https://", 0, 8)) {
            return 8;
        }
        return -1;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static long versionWord(String version) {
        return Unpooled.wrappedBuffer(version.getBytes(StandardCharsets.US_ASCII)).getLong(0);
    }
}
