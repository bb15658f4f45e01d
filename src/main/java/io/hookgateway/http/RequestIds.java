package io.hookgateway.http;

import io.hookgateway.hooks.HeaderFields;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The id of each request: the client's {@value #HEADER} when it is well-formed, else one of the gateway's own. The id
 * is echoed in the answer's {@value #HEADER}, written in the access log and rendered by {@code ${request.id}}, so that
 * a sender, the gateway and what the hook calls downstream can be tied together.
 *
 * <p>A client's id is kept when the request carries the field exactly once and its value is 1 to
 * {@value #MAX_LENGTH} characters of {@code A-Z a-z 0-9 . _ : -}: enough for UUIDs, ULIDs and the ids proxies and
 * SaaS senders write, and nothing that could split a log line, a header or a template's output (no space, no
 * control, no quote, no non-ASCII). Any other value, and a repeated field (which of the two would be meant?), is
 * replaced rather than refused: the id serves tracing, and a sender's odd header is no reason to lose its webhook.
 *
 * <p>A generated id is 16 lowercase hex digits, 64 random bits from {@link ThreadLocalRandom}: unique across gateways
 * and restarts without coordination, and without a counter shared by the event loops. It is not a secret.
 */
public final class RequestIds {

    /** The request and answer field that carries the id. */
    public static final String HEADER = "X-Request-Id";
    /** The longest id taken from a client. */
    public static final int MAX_LENGTH = 128;

    private static final boolean[] ID_CHAR = new boolean[128];
    /** Lowercase digits; {@link HexFormat#toHexDigits(long)} builds the id's string without an intermediate copy. */
    private static final HexFormat HEX = HexFormat.of();

    static {
        for (int c = '0'; c <= '9'; c++) {
            ID_CHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            ID_CHAR[c] = true;
            ID_CHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "._:-".toCharArray()) {
            ID_CHAR[c] = true;
        }
    }

    private RequestIds() {
    }

    /** The id of a request with these fields: the client's when well-formed and sent once, else a new one. */
    public static String of(HeaderFields headers) {
        String sent = null;
        for (int i = 0; i < headers.size(); i++) {
            if (headers.name(i).equalsIgnoreCase(HEADER)) {
                if (sent != null) {
                    return generate();
                }
                sent = headers.value(i);
            }
        }
        return sent != null && isWellFormed(sent) ? sent : generate();
    }

    /** Whether a client's id is kept: 1 to {@value #MAX_LENGTH} characters of {@code A-Z a-z 0-9 . _ : -}. */
    public static boolean isWellFormed(String id) {
        int length = id.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            if (c >= ID_CHAR.length || !ID_CHAR[c]) {
                return false;
            }
        }
        return true;
    }

    /** A new id: 16 lowercase hex digits. */
    public static String generate() {
        return HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
