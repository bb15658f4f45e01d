package io.hookgateway.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %escapedMessage} in a logback pattern: the event's message with its arguments filled in, every control and
 * bidi formatting character escaped ({@link LogText}). The arguments are where request values and program output
 * reach the log, so the message is escaped after they are in it.
 */
public final class EscapedMessageConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return LogText.escape(event.getFormattedMessage());
    }
}
