package io.hookgateway.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.charset.StandardCharsets;

/**
 * The encoder of the console appender: the configured pattern for {@link LogFormat#PLAIN}, one JSON object a line
 * ({@link JsonLayout}) for {@link LogFormat#JSON}. The format is looked up for each line, so the configuration, read
 * after logging has begun, can switch it; the appenders in front (the access log's queue) stay as they are.
 */
public final class GatewayEncoder extends PatternLayoutEncoder {

    private final JsonLayout json = new JsonLayout();

    @Override
    public byte[] encode(ILoggingEvent event) {
        if (LogFormat.current() == LogFormat.JSON) {
            return json.doLayout(event).getBytes(StandardCharsets.UTF_8);
        }
        return super.encode(event);
    }
}
