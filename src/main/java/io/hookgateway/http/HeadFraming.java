package io.hookgateway.http;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.template.UrlEncoded;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

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

    /** Reads the head's fields; returns why the request must be refused, or {@code null}. */
    RequestFailure read(HeaderFields headers, HttpVersion version) {
        contentLength = RequestHead.NO_CONTENT_LENGTH;
        chunked = false;
        expectContinue = false;
        int hosts = headers.count("host");
        if (hosts > 1 || (hosts == 0 && version == HttpVersion.HTTP_1_1)) {
            // RFC 9112 §3.2: 400 to an HTTP/1.1 request without exactly one Host...
            return RequestFailure.BAD_HOST;
        }
        if (hosts == 1 && !isValidHost(headers.get("host"))) {
            // ...or with an invalid one.
            return RequestFailure.INVALID_HOST;
        }
        List<String> transferEncodings = headers.getAll("transfer-encoding");
        List<String> contentLengths = headers.getAll("content-length");
        if (!transferEncodings.isEmpty()) {
            if (!contentLengths.isEmpty() || version == HttpVersion.HTTP_1_0) {
                // RFC 9112 §6.1: both framings at once is a smuggling attempt; TE on HTTP/1.0 is faulty framing.
                return RequestFailure.AMBIGUOUS_FRAMING;
            }
            RequestFailure failure = checkTransferEncoding(transferEncodings);
            if (failure != null) {
                return failure;
            }
            chunked = true;
        } else if (!contentLengths.isEmpty()) {
            contentLength = parseContentLength(contentLengths);
            if (contentLength < 0) {
                return RequestFailure.BAD_CONTENT_LENGTH;
            }
        }
        if (version == HttpVersion.HTTP_1_1) {
            // RFC 9110 §10.1.1: an HTTP/1.0 client cannot mean it, so the expectation is ignored there. Every member
            // of every Expect field must be 100-continue; empty list members are ignored (RFC 9110 §5.6.1.2).
            for (String expect : headers.getAll("expect")) {
                for (String member : expect.split(",")) {
                    String m = member.trim();
                    if (m.isEmpty()) {
                        continue;
                    }
                    if (!m.equalsIgnoreCase("100-continue")) {
                        return RequestFailure.UNSUPPORTED_EXPECTATION;
                    }
                    expectContinue = true;
                }
            }
        }
        keepAlive = isKeepAlive(headers, version);
        return null;
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

    /** RFC 9112 §6.1 and §7: chunked must be the final coding, once; we apply no other coding, so refuse them. */
    private static RequestFailure checkTransferEncoding(List<String> values) {
        int codings = 0;
        boolean chunkedLast = false;
        boolean other = false;
        for (String value : values) {
            for (String element : value.split(",", -1)) {
                String coding = element.trim();
                if (coding.isEmpty()) {
                    continue;
                }
                if (chunkedLast) {
                    // Something after chunked, including a second chunked (§7: MUST NOT apply chunked twice).
                    return RequestFailure.BAD_TRANSFER_ENCODING;
                }
                codings++;
                if (coding.equalsIgnoreCase("chunked")) {
                    chunkedLast = true;
                } else {
                    other = true;
                }
            }
        }
        if (codings == 0 || !chunkedLast) {
            // §6.3: without a final chunked the length of a request cannot be known: 400, then close.
            return RequestFailure.BAD_TRANSFER_ENCODING;
        }
        return other ? RequestFailure.UNSUPPORTED_TRANSFER_ENCODING : null;
    }

    /**
     * RFC 9110 §8.6 / RFC 9112 §6.3: Content-Length = 1*DIGIT. Repeated fields or a list are accepted only when every
     * value is written identically (RFC 9110 §8.6 allows merging identical values, and "05" is not "5"); a sign, a
     * space inside, an empty list member or an overflow is refused (returns -1).
     */
    static long parseContentLength(List<String> values) {
        String first = null;
        for (String value : values) {
            for (String member : value.split(",", -1)) {
                String m = member.strip();
                if (first == null) {
                    first = m;
                } else if (!first.equals(m)) {
                    return -1;
                }
            }
        }
        return first == null ? -1 : parseDecimal(first, 0, first.length());
    }

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

    /** RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive". */
    private static boolean isKeepAlive(HeaderFields headers, HttpVersion version) {
        boolean close = false;
        boolean keepAlive = false;
        for (int i = 0; i < headers.size(); i++) {
            if (!headers.name(i).equalsIgnoreCase("connection")) {
                continue;
            }
            for (String option : headers.value(i).split(",")) {
                String o = option.trim();
                if (o.equalsIgnoreCase("close")) {
                    close = true;
                } else if (o.equalsIgnoreCase("keep-alive")) {
                    keepAlive = true;
                }
            }
        }
        if (close) {
            return false;
        }
        return version == HttpVersion.HTTP_1_1 || keepAlive;
    }
}
