package io.hookgateway.logging;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** The end of logging, just before the process exits: nothing already logged may be lost. */
public final class LogShutdown {

    private LogShutdown() {
    }

    /**
     * Writes out every access line still held ({@link AccessLog#close()}, waiting at most five seconds), then stops
     * logback. The access log's writer is a daemon, so without this an exit drops the lines of the last requests.
     */
    public static void flushAndStop() {
        try {
            AccessLog.stdout().close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
