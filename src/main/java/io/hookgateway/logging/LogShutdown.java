package io.hookgateway.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/** The end of logging, just before the process exits: nothing already logged may be lost. */
public final class LogShutdown {

    private LogShutdown() {
    }

    /**
     * Writes out every line still queued in an asynchronous appender (each waits at most its {@code maxFlushTime}),
     * then stops logging. The appenders' threads are daemons, so without this an exit drops whatever they have not
     * yet written, such as the access lines of the last requests.
     */
    public static void flushAndStop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            flushAndStop(context);
        }
    }

    static void flushAndStop(LoggerContext context) {
        // Asynchronous appenders first, while the appenders they write to still run: stopping the context stops the
        // root logger's appenders before those of the loggers below it, and a queued line would then be dropped.
        for (Logger logger : context.getLoggerList()) {
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                Appender<ILoggingEvent> appender = it.next();
                if (appender instanceof AsyncAppenderBase) {
                    appender.stop();
                }
            }
        }
        context.stop();
    }
}
