package io.hookgateway.http;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.UrlEncoded;
import io.netty.handler.codec.http.HttpVersion;

/**
 * What the fields of a complete request head say about the message, for {@link HeaderLineDecoder}: whether its Host is
 * acceptable, how its body is framed (RFC 9112 §6: Transfer-Encoding or Content-Length, never both), whether it
 * expects 100-continue, and whether the connection persists after it. One instance per decoder, read afresh for each
 * head.
 */
final class HeadFraming {

    private long contentLength;
    private boolean chunked;
    private boolean expectContinue;
    private boolean keepAlive;

    // What the fields read so far say; reset for each head.
    private int hosts;
    private String host;
    private int transferEncodings;
    private int codings;
    private boolean chunkedLast;
    private boolean codingAfterChunked;
    private boolean otherCoding;
    private int contentLengths;
    /** The first Content-Length member, as a region of the value it stands in. */
    private String firstLength;
    private int firstLengthStart;
    private int firstLengthEnd;
    private boolean lengthsDiffer;
    private boolean unsupportedExpectation;
    private boolean close;
    private boolean keepAliveOption;
    /** The list member last found by {@link #member}. */
    private int memberStart;
    private int memberTrimmedEnd;
    private int memberEnd;

    /**
     * Reads the head's fields; returns why the request must be refused, or {@code null}. One pass over the fields,
     * and list members are read where they stand: no list, no split, no String per member.
     */
    RequestFailure read(HeaderFields headers, HttpVersion version) {
        contentLength = RequestHead.NO_CONTENT_LENGTH;
        chunked = false;
        expectContinue = false;
        hosts = 0;
        host = null;
        transferEncodings = 0;
        codings = 0;
        chunkedLast = false;
        codingAfterChunked = false;
        otherCoding = false;
        contentLengths = 0;
        firstLength = null;
        lengthsDiffer = false;
        unsupportedExpectation = false;
        close = false;
        keepAliveOption = false;
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (name.equalsIgnoreCase("host")) {
                if (hosts++ == 0) {
                    host = headers.value(i);
                }
            } else if (name.equalsIgnoreCase("content-length")) {
                contentLengths++;
                readContentLength(headers.value(i));
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                transferEncodings++;
                readTransferEncoding(headers.value(i));
            } else if (name.equalsIgnoreCase("connection")) {
                readConnection(headers.value(i));
            } else if (name.equalsIgnoreCase("expect")) {
                readExpect(headers.value(i));
            }
        }
        return judge(version);
    }

    /** What the fields read say, checked in the order the RFCs' errors rank. */
    private RequestFailure judge(HttpVersion version) {
        if (hosts > 1 || (hosts == 0 && version == HttpVersion.HTTP_1_1)) {
            // RFC 9112 §3.2: 400 to an HTTP/1.1 request without exactly one Host...
            return RequestFailure.BAD_HOST;
        }
        if (hosts == 1 && !isValidHost(host)) {
            // ...or with an invalid one.
            return RequestFailure.INVALID_HOST;
        }
        if (transferEncodings > 0) {
            if (contentLengths > 0 || version == HttpVersion.HTTP_1_0) {
                // RFC 9112 §6.1: both framings at once is a smuggling attempt; TE on HTTP/1.0 is faulty framing.
                return RequestFailure.AMBIGUOUS_FRAMING;
            }
            if (codingAfterChunked || codings == 0 || !chunkedLast) {
                // §7: chunked MUST NOT be applied twice, and it is the final coding; §6.3: without a final chunked
                // the length of a request cannot be known: 400, then close.
                return RequestFailure.BAD_TRANSFER_ENCODING;
            }
            if (otherCoding) {
                // We apply no other coding.
                return RequestFailure.UNSUPPORTED_TRANSFER_ENCODING;
            }
            chunked = true;
        } else if (contentLengths > 0) {
            contentLength = lengthsDiffer ? -1 : parseDecimal(firstLength, firstLengthStart, firstLengthEnd);
            if (contentLength < 0) {
                return RequestFailure.BAD_CONTENT_LENGTH;
            }
        }
        if (version == HttpVersion.HTTP_1_1) {
            // RFC 9110 §10.1.1: an HTTP/1.0 client cannot mean it, so the expectation is ignored there.
            if (unsupportedExpectation) {
                return RequestFailure.UNSUPPORTED_EXPECTATION;
            }
        } else {
            expectContinue = false;
        }
        // RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive".
        keepAlive = !close && (version == HttpVersion.HTTP_1_1 || keepAliveOption);
        return null;
    }

    /**
     * RFC 9110 §8.6 / RFC 9112 §6.3: Content-Length = 1*DIGIT. Repeated fields or a list are accepted only when every
     * member is written identically (RFC 9110 §8.6 allows merging identical values, and "05" is not "5"); a sign, a
     * space inside, an empty list member or an overflow is refused.
     */
    private void readContentLength(String value) {
        for (int from = 0; from <= value.length(); from = memberEnd + 1) {
            member(value, from);
            if (firstLength == null) {
                firstLength = value;
                firstLengthStart = memberStart;
                firstLengthEnd = memberTrimmedEnd;
            } else {
                int length = firstLengthEnd - firstLengthStart;
                lengthsDiffer |= memberTrimmedEnd - memberStart != length
                        || !value.regionMatches(memberStart, firstLength, firstLengthStart, length);
            }
        }
    }

    /** RFC 9112 §6.1 and §7: the codings in order; chunked must be the final one, once. */
    private void readTransferEncoding(String value) {
        for (int from = 0; from <= value.length(); from = memberEnd + 1) {
            member(value, from);
            if (memberStart < memberTrimmedEnd) {
                codingAfterChunked |= chunkedLast;
                codings++;
                chunkedLast = memberIs(value, "chunked");
                otherCoding |= !chunkedLast;
            }
        }
    }

    private void readConnection(String value) {
        for (int from = 0; from <= value.length(); from = memberEnd + 1) {
            member(value, from);
            close |= memberIs(value, "close");
            keepAliveOption |= memberIs(value, "keep-alive");
        }
    }

    /** Every member of every Expect field must be 100-continue; empty members are ignored (RFC 9110 §5.6.1.2). */
    private void readExpect(String value) {
        for (int from = 0; from <= value.length(); from = memberEnd + 1) {
            member(value, from);
            if (memberStart < memberTrimmedEnd) {
                boolean continues = memberIs(value, "100-continue");
                expectContinue |= continues;
                unsupportedExpectation |= !continues;
            }
        }
    }

    /**
     * Finds the list member (RFC 9110 §5.6.1) of {@code value} that starts at {@code from}: it ends at the next comma
     * or the end ({@link #memberEnd}), and without its optional whitespace spans {@link #memberStart} to
     * {@link #memberTrimmedEnd}.
     */
    private void member(String value, int from) {
        int comma = value.indexOf(',', from);
        memberEnd = comma < 0 ? value.length() : comma;
        memberStart = skipOws(value, from, memberEnd);
        memberTrimmedEnd = trimOws(value, memberStart, memberEnd);
    }

    private boolean memberIs(String value, String token) {
        return memberTrimmedEnd - memberStart == token.length()
                && value.regionMatches(true, memberStart, token, 0, token.length());
    }

    private static int skipOws(String value, int from, int to) {
        while (from < to && isOws(value.charAt(from))) {
            from++;
        }
        return from;
    }

    private static int trimOws(String value, int from, int to) {
        while (to > from && isOws(value.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    /** Field values hold no other control characters (the decoder refuses them), so OWS is all there is to trim. */
    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    /** The declared body length, or {@link RequestHead#NO_CONTENT_LENGTH}. */
    long contentLength() {
        return contentLength;
    }

    boolean chunked() {
        return chunked;
    }

    boolean expectContinue() {
        return expectContinue;
    }

    boolean keepAlive() {
        return keepAlive;
    }

    /**
     * RFC 9110 §7.2: Host = uri-host [ ":" port ], where uri-host is a reg-name (unreserved, pct-encoded and
     * sub-delims), an IPv4 address, or an IP-literal in brackets. An empty value is allowed.
     */
    static boolean isValidHost(String host) {
        int end = host.length();
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && host.indexOf(']') < colon) {
            for (int i = colon + 1; i < end; i++) {
                if (host.charAt(i) < '0' || host.charAt(i) > '9') {
                    return false;
                }
            }
            end = colon;
        }
        if (end > 0 && host.charAt(0) == '[') {
            if (host.charAt(end - 1) != ']') {
                return false;
            }
            for (int i = 1; i < end - 1; i++) {
                char c = host.charAt(i);
                if (!(UrlEncoded.hexValue(c) >= 0 || c == ':' || c == '.' || c == 'v' || c == 'V')) {
                    return false;
                }
            }
            return end > 2;
        }
        for (int i = 0; i < end; i++) {
            char c = host.charAt(i);
            boolean unreserved = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (!unreserved && "!$&'()*+,;=%".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The decimal number from {@code start} to {@code end}, or -1 when it is not one. */
    private static long parseDecimal(CharSequence s, int start, int end) {
        int i = start;
        if (i == end) {
            return -1;
        }
        // Leading zeros add nothing; eighteen significant digits cannot overflow a long, and no body anywhere near
        // that size is accepted anyway.
        while (i < end - 1 && s.charAt(i) == '0') {
            i++;
        }
        if (end - i > 18) {
            return -1;
        }
        long result = 0;
        for (int k = start; k < end; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (k >= i) {
                result = result * 10 + (c - '0');
            }
        }
        return result;
    }

}
