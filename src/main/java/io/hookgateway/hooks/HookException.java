package io.hookgateway.hooks;

/**
 * A failure with an answer the client may see: a status and a short, safe message (no internals). Processors throw it,
 * or complete their stage with it, for outcomes such as a malformed JSON body (400) or a busy downstream (503).
 */
public class HookException extends RuntimeException {

    /** 503 when the gateway's bounded worker pool has no room for blocking work; the client may retry shortly. */
    public static final HookException WORKERS_BUSY = new HookException(503, "the gateway is busy; try again shortly",
            HeaderFields.of("Retry-After", "1"), null);

    private final int status;
    private final HeaderFields headers;

    public HookException(int status, String publicMessage) {
        this(status, publicMessage, HeaderFields.empty(), null);
    }

    public HookException(int status, String publicMessage, HeaderFields headers, Throwable cause) {
        super(publicMessage, cause, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 400..599: " + status);
        }
        this.status = status;
        this.headers = headers == null ? HeaderFields.empty() : headers;
    }

    public int status() {
        return status;
    }

    /** Extra header fields for the answer, such as {@code Retry-After}. */
    public HeaderFields headers() {
        return headers;
    }
}
