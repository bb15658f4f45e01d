package io.hookgateway.logging;

/**
 * The values of one access log line, and the two ways to write them, {@link #appendPlain} and {@link #appendJson}.
 * Both append to a {@link StringBuilder} the {@link AccessLog} reuses, without {@code String.format}, boxing or a JSON
 * mapper, and both escape what a request sent as their format requires ({@link LogText}, {@link JsonText}): a line
 * stays one line whatever the path or the request id holds.
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

    /** {@code POST /post hook=post status=200 in=48B out=57B time=0.42ms client=192.0.2.7 id=1f3a...}. */
    public void appendPlain(StringBuilder out) {
        // Each value is escaped on its own: LogText escapes character by character, so this is the line escaped whole.
        LogText.appendEscaped(out, method);
        out.append(' ');
        LogText.appendEscaped(out, path);
        out.append(" hook=");
        LogText.appendEscaped(out, hook);
        out.append(" status=").append(status).append(" in=").append(bytesIn).append("B out=").append(bytesOut)
                .append("B time=");
        appendMillis(out, nanos);
        out.append("ms client=");
        LogText.appendEscaped(out, client == null ? "-" : client);
        out.append(" id=");
        LogText.appendEscaped(out, requestId);
    }

    /**
     * The message and the values as JSON members, each preceded by a comma: {@code ,"message":"POST /post 200",
     * "request_id":"…","hook":"…","method":"…","path":"…","status":200,"duration_ms":0.42,"bytes_in":48,
     * "bytes_out":57,"client":"…"}.
     */
    public void appendJson(StringBuilder out) {
        member(out, "message").append('"');
        JsonText.appendEscaped(out, method);
        out.append(' ');
        JsonText.appendEscaped(out, path);
        out.append(' ').append(status).append('"');
        stringMember(out, "request_id", requestId);
        stringMember(out, "hook", hook);
        stringMember(out, "method", method);
        stringMember(out, "path", path);
        member(out, "status").append(status);
        appendMillis(member(out, "duration_ms"), nanos);
        member(out, "bytes_in").append(bytesIn);
        member(out, "bytes_out").append(bytesOut);
        stringMember(out, "client", client);
    }

    /** {@code ,"name":} ready for a value. */
    private static StringBuilder member(StringBuilder out, String name) {
        out.append(',');
        JsonText.appendName(out, name);
        return out;
    }

    private static void stringMember(StringBuilder out, String name, String value) {
        JsonText.appendString(member(out, name), value);
    }

    /** Nanoseconds as milliseconds with two decimals, rounded: 423_456 as {@code 0.42}. */
    static void appendMillis(StringBuilder out, long nanos) {
        long hundredths = (Math.max(nanos, 0) + 5_000) / 10_000;
        long fraction = hundredths % 100;
        out.append(hundredths / 100).append('.');
        if (fraction < 10) {
            out.append('0');
        }
        out.append(fraction);
    }
}
