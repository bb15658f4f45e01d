package io.hookgateway.http;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Field names as Strings, for {@link CrlfLines}: a name that webhook senders commonly send, spelled exactly as here,
 * is the same String every time instead of a new one per request. The names keep the case they were sent in (a hook
 * may show them), so each common name is listed in its usual spellings.
 */
final class FieldNames {

    private static final String[] COMMON = {
        "Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Charset", "Accept-Language", "Connection",
        "Content-Type", "Content-Length", "Content-Encoding", "Transfer-Encoding", "Expect", "Authorization",
        "Cache-Control", "Pragma", "Date", "Cookie", "Origin", "Referer", "Upgrade",
        "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Real-IP", "X-Request-Id", "Forwarded", "Via",
        "X-Hub-Signature", "X-Hub-Signature-256", "X-GitHub-Event", "X-GitHub-Delivery", "X-GitHub-Hook-ID",
        "X-Gitlab-Event", "X-Gitlab-Token", "Stripe-Signature", "Signature", "SignatureCertChainUrl",
        "host", "user-agent", "accept", "accept-encoding", "connection", "content-type", "content-length",
        "transfer-encoding", "expect", "authorization", "x-forwarded-for", "x-forwarded-proto", "x-request-id",
        "x-hub-signature", "x-hub-signature-256", "x-github-event", "x-github-delivery", "stripe-signature",
    };
    private static final int MAX_LENGTH = 32;
    /** The common names by length, as bytes and as Strings. */
    private static final byte[][][] BYTES = new byte[MAX_LENGTH + 1][][];
    private static final String[][] NAMES = new String[MAX_LENGTH + 1][];

    static {
        for (int length = 0; length <= MAX_LENGTH; length++) {
            List<String> names = new ArrayList<>();
            for (String name : COMMON) {
                if (name.length() == length) {
                    names.add(name);
                }
            }
            NAMES[length] = names.toArray(String[]::new);
            BYTES[length] = names.stream().map(n -> n.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
        }
    }

    private FieldNames() {
    }

    /** The name of {@code length} bytes from {@code start}: a shared String for a common name, else a new one. */
    static String of(ByteBuf in, int start, int length) {
        if (length <= MAX_LENGTH) {
            byte[][] candidates = BYTES[length];
            for (int c = 0; c < candidates.length; c++) {
                if (matches(in, start, candidates[c])) {
                    return NAMES[length][c];
                }
            }
        }
        return in.toString(start, length, StandardCharsets.US_ASCII);
    }

    /** Whether the bytes from {@code start} are {@code name}'s. */
    static boolean matches(ByteBuf in, int start, byte[] name) {
        for (int i = 0; i < name.length; i++) {
            if (in.getByte(start + i) != name[i]) {
                return false;
            }
        }
        return true;
    }
}
