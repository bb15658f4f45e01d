package io.hookgateway.hooks;

/**
 * Character classes of RFC 9110 §5.6.2 and §5.5, as lookup tables: the decoder scans request bytes with them, and the
 * answer side checks the names and values a processor gives with the same tables.
 */
public final class HttpChars {

    public static final byte CR = '\r';
    public static final byte LF = '\n';
    public static final byte SP = ' ';
    public static final byte HTAB = '\t';

    private static final boolean[] TCHAR = new boolean[256];
    private static final boolean[] FIELD_CHAR = new boolean[256];
    private static final boolean[] TARGET_CHAR = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            TCHAR[c] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
        // field-vchar = VCHAR / obs-text, with SP and HTAB allowed inside a value.
        for (int c = 0x21; c <= 0x7e; c++) {
            FIELD_CHAR[c] = true;
        }
        // RFC 3986 §2: a request-target holds unreserved, reserved and '%' characters only; '"', '<', '>', '\',
        // '^', '`', '{', '|', '}' must be percent-encoded, and a fragment ('#') is never sent (RFC 9112 §3.2).
        for (int c = '0'; c <= '9'; c++) {
            TARGET_CHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TARGET_CHAR[c] = true;
            TARGET_CHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "-._~:/?[]@!$&'()*+,;=%".toCharArray()) {
            TARGET_CHAR[c] = true;
        }
        for (int c = 0x80; c <= 0xff; c++) {
            FIELD_CHAR[c] = true;
        }
        FIELD_CHAR[SP] = true;
        FIELD_CHAR[HTAB] = true;
    }

    private HttpChars() {
    }

    public static boolean isTchar(byte b) {
        return TCHAR[b & 0xff];
    }

    /** RFC 9110 §5.6.2: whether {@code c} may be part of a token, such as a field name. */
    public static boolean isTchar(char c) {
        return c <= 0xff && TCHAR[c];
    }

    public static boolean isFieldChar(byte b) {
        return FIELD_CHAR[b & 0xff];
    }

    /** RFC 9110 §5.5: whether {@code c} may be part of a field value (visible, SP, HTAB or obs-text). */
    public static boolean isFieldChar(char c) {
        return c <= 0xff && FIELD_CHAR[c];
    }

    public static boolean isTargetChar(byte b) {
        return TARGET_CHAR[b & 0xff];
    }

    public static boolean isWhitespace(byte b) {
        return b == SP || b == HTAB;
    }
}
