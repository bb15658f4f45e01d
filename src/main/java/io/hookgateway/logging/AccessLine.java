package io.hookgateway.logging;

/**
 * The values of one access log line, and the two ways to write them, {@link #writePlain} and {@link #writeJson}.
 * Both append UTF-8 bytes to a {@link LineBytes} the {@link AccessLog} reuses, without {@code String.format}, boxing,
 * a JSON mapper or an intermediate {@code String}, and both escape what a request sent as their format requires
 * ({@link LogText}, {@link JsonText}): a line stays one line whatever the path or the request id holds.
 *
 * @param requestId the request's id ({@code X-Request-Id})
 * @param method the method, or {@code "-"} when the head could not be read
 * @param path the path as logs show it (a secret segment hidden), or {@code "-"}
 * @param hook the hook's name, or {@code unmatched}
 * @param status the answer's status
 * @param bytesIn the body bytes received
 * @param bytesOut the answer's bytes, head included
 * @param nanos from the first byte of the request to the answer written
 * @param client the client's IP address, or {@code null} when unknown
 */
public record AccessLine(String requestId, String method, String path, String hook, int status, long bytesIn,
                         long bytesOut, long nanos, String client) {

    private static final byte[] HOOK = LineBytes.ascii(" hook=");
    private static final byte[] STATUS = LineBytes.ascii(" status=");
    private static final byte[] IN = LineBytes.ascii(" in=");
    private static final byte[] OUT = LineBytes.ascii("B out=");
    private static final byte[] TIME = LineBytes.ascii("B time=");
    private static final byte[] CLIENT = LineBytes.ascii("ms client=");
    private static final byte[] ID = LineBytes.ascii(" id=");
    private static final byte[] NO_CLIENT = LineBytes.ascii("-");

    private static final byte[] MESSAGE_MEMBER = member("message");
    private static final byte[] REQUEST_ID_MEMBER = member("request_id");
    private static final byte[] HOOK_MEMBER = member("hook");
    private static final byte[] METHOD_MEMBER = member("method");
    private static final byte[] PATH_MEMBER = member("path");
    private static final byte[] STATUS_MEMBER = member("status");
    private static final byte[] DURATION_MEMBER = member("duration_ms");
    private static final byte[] BYTES_IN_MEMBER = member("bytes_in");
    private static final byte[] BYTES_OUT_MEMBER = member("bytes_out");
    private static final byte[] CLIENT_MEMBER = member("client");

    /** {@code POST /post hook=post status=200 in=48B out=57B time=0.42ms client=192.0.2.7 id=1f3a...}. */
    void writePlain(LineBytes out) {
        // Each value is escaped on its own: LogText escapes character by character, so this is the line escaped whole.
        out.appendPlain(method).append(' ').appendPlain(path)
                .append(HOOK).appendPlain(hook)
                .append(STATUS).append(status).append(IN).append(bytesIn).append(OUT).append(bytesOut)
                .append(TIME).appendMillis(nanos)
                .append(CLIENT);
        if (client == null) {
            out.append(NO_CLIENT);
        } else {
            out.appendPlain(client);
        }
        out.append(ID).appendPlain(requestId);
    }

    /**
     * The message and the values as JSON members, each preceded by a comma: {@code ,"message":"POST /post 200",
     * "request_id":"…","hook":"…","method":"…","path":"…","status":200,"duration_ms":0.42,"bytes_in":48,
     * "bytes_out":57,"client":"…"}.
     */
    void writeJson(LineBytes out) {
        out.append(MESSAGE_MEMBER).append('"').appendJson(method).append(' ').appendJson(path)
                .append(' ').append(status).append('"')
                .append(REQUEST_ID_MEMBER).appendJsonString(requestId)
                .append(HOOK_MEMBER).appendJsonString(hook)
                .append(METHOD_MEMBER).appendJsonString(method)
                .append(PATH_MEMBER).appendJsonString(path)
                .append(STATUS_MEMBER).append(status)
                .append(DURATION_MEMBER).appendMillis(nanos)
                .append(BYTES_IN_MEMBER).append(bytesIn)
                .append(BYTES_OUT_MEMBER).append(bytesOut)
                .append(CLIENT_MEMBER).appendJsonString(client);
    }

    /** {@code ,"name":} ready for a value; the name is one of the gateway's own, never request text. */
    private static byte[] member(String name) {
        StringBuilder text = new StringBuilder(",");
        JsonText.appendName(text, name);
        return LineBytes.ascii(text.toString());
    }
}
