package io.hookgateway.hooks;

import java.util.Objects;

/**
 * A failure with an answer the client may see: a status and a short, safe message (no internals). Processors throw it,
 * or complete their stage with it, for outcomes such as a malformed JSON body (400) or a busy downstream (503).
 *
 * <p>What the operator needs but a stranger must not learn (a downstream's address, a broker's name, why it refused)
 * goes in the {@linkplain #logDetail() log detail}: the gateway then answers with the public message and an error id,
 * and logs the detail under that same id.
 */
public class HookException extends RuntimeException {

    /** 503 when the gateway's bounded worker pool has no room for blocking work; the client may retry shortly. */
    public static final HookException WORKERS_BUSY = new HookException(503, "the gateway is busy; try again shortly",
            HeaderFields.of("Retry-After", "1"), null);

    /** The answer to a request a hook's guard refuses: the same for every hook, so it says nothing of the guard. */
    public static final HookException FORBIDDEN = new HookException(403, "forbidden");

    /**
     * The answer to a path no hook is configured at, word for word; also what a hidden hook answers a request that
     * brings no credentials ({@link Gate}), so that a prober cannot tell the two apart.
     */
    public static final HookException NOT_FOUND = new HookException(404, "no hook is configured at this path");

    private final int status;
    private final HeaderFields headers;
    private final String logDetail;

    public HookException(int status, String publicMessage) {
        this(status, publicMessage, HeaderFields.empty(), null);
    }

    public HookException(int status, String publicMessage, HeaderFields headers, Throwable cause) {
        this(status, publicMessage, headers, cause, null);
    }

    private HookException(int status, String publicMessage, HeaderFields headers, Throwable cause, String logDetail) {
        super(publicMessage, cause, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 400..599: " + status);
        }
        this.status = status;
        this.headers = headers == null ? HeaderFields.empty() : headers;
        this.logDetail = logDetail;
    }

    /**
     * A failure whose client sees only {@code publicMessage} and an error id, while the log gets {@code logDetail}
     * under the same id: for what names the gateway's own surroundings, as {@code downstream 192.168.1.20:80 did not
     * answer within 10s}.
     */
    public static HookException withLogDetail(int status, String publicMessage, HeaderFields headers,
                                              String logDetail) {
        return new HookException(status, publicMessage, headers, null, Objects.requireNonNull(logDetail, "logDetail"));
    }

    public int status() {
        return status;
    }

    /** Extra header fields for the answer, such as {@code Retry-After}. */
    public HeaderFields headers() {
        return headers;
    }

    /** What only the log may see, or {@code null}: then the public message says all there is. */
    public String logDetail() {
        return logDetail;
    }
}
