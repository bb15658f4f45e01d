package io.hookgateway.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The {@link LogFormat#JSON} line of an event: one object and a newline,
 * {@code {"time":"2026-01-01T12:00:00.123Z","level":"INFO","logger":"io.hookgateway.access","message":"…"}}, with
 * {@code "exception"} (the stack trace as text) when there is one. Access lines ({@link AccessLog}) begin with the
 * same members and add their fields. Strings are escaped by {@link JsonText}: a value can neither end the line nor
 * forge a field.
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {

    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);

    /** The text of the last second formatted, shared by the threads that write lines; lines come many a second. */
    private volatile Second second = new Second(Long.MIN_VALUE, "");

    private record Second(long epochSecond, String text) {
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder out = new StringBuilder(256);
        append(out, event);
        return out.toString();
    }

    /** Appends the event's line, newline included. */
    public void append(StringBuilder out, ILoggingEvent event) {
        out.append('{');
        JsonText.appendName(out, "time");
        out.append('"');
        appendTime(out, event.getTimeStamp());
        out.append("\",");
        JsonText.appendName(out, "level");
        out.append('"').append(event.getLevel().toString()).append("\",");
        JsonText.appendName(out, "logger");
        JsonText.appendString(out, event.getLoggerName());
        out.append(',');
        JsonText.appendName(out, "message");
        JsonText.appendString(out, event.getFormattedMessage());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            out.append(',');
            JsonText.appendName(out, "exception");
            JsonText.appendString(out, ThrowableProxyUtil.asString(thrown));
        }
        out.append("}\n");
    }

    /** ISO 8601 in UTC with milliseconds, {@code 2026-01-01T12:00:00.123Z}; the date and time formatted once a second. */
    private void appendTime(StringBuilder out, long epochMillis) {
        long epochSecond = Math.floorDiv(epochMillis, 1000);
        Second s = second;
        if (s.epochSecond() != epochSecond) {
            s = new Second(epochSecond, SECONDS.format(Instant.ofEpochSecond(epochSecond)));
            second = s;
        }
        int millis = (int) Math.floorMod(epochMillis, 1000);
        out.append(s.text());
        if (millis < 100) {
            out.append('0');
        }
        if (millis < 10) {
            out.append('0');
        }
        out.append(millis).append('Z');
    }
}
