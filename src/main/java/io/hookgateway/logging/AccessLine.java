package io.hookgateway.logging;

/**
 * The values of one access log line, and the two ways to write them: {@link #appendPlain} and
 * {@link #appendJsonFields}. Both append to a {@link StringBuilder} a caller may reuse, without
 * {@code String.format}, boxing or a JSON mapper, so that a writer that batches lines into per-thread buffers can use
 * them as they are.
 *
 * <p>Logged as the one argument of {@code "{}"}: the plain format's line is then {@link #toString()}, and the JSON
 * format ({@link JsonLayout}) finds the values in the event's argument.
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

    /**
     * {@code POST /post hook=post status=200 in=48B out=57B time=0.42ms client=192.0.2.7 id=1f3a...}; request text in
     * it (the path) is escaped by the plain format's converter, as every message is.
     */
    public void appendPlain(StringBuilder out) {
        out.append(method).append(' ').append(path).append(" hook=").append(hook).append(" status=").append(status)
                .append(" in=").append(bytesIn).append("B out=").append(bytesOut).append("B time=");
        appendMillis(out, nanos);
        out.append("ms client=").append(client == null ? "-" : client).append(" id=").append(requestId);
    }

    /** {@code "POST /post 200"}: the message of the line in the JSON format, whose fields say the rest. */
    public void appendSummary(StringBuilder out) {
        out.append(method).append(' ').append(path).append(' ').append(status);
    }

    /**
     * The values as JSON members, each preceded by a comma: {@code ,"request_id":"…","hook":"…","method":"…",
     * "path":"…","status":200,"duration_ms":0.42,"bytes_in":48,"bytes_out":57,"client":"…"}.
     */
    public void appendJsonFields(StringBuilder out) {
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

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(128);
        appendPlain(out);
        return out.toString();
    }
}
