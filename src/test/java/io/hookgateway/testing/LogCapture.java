package io.hookgateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The gateway's log lines while a test runs, captured from Logback, for what the log must keep and an answer must not
 * show: the details behind an answer's error id ({@code (error id 3f2a...)}), which the router logs under that id
 * before it answers. Open it before the traffic and close it after.
 */
public final class LogCapture implements AutoCloseable {

    private static final Pattern ERROR_ID = Pattern.compile("\\(error id ([0-9a-f]+)\\)");

    private final Logger logger;
    private final Queue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }
    };

    private LogCapture(Logger logger) {
        this.logger = logger;
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
    }

    /** Captures every line of the gateway's own loggers ({@code io.hookgateway.*}) from now on. */
    public static LogCapture gateway() {
        return new LogCapture((Logger) LoggerFactory.getLogger("io.hookgateway"));
    }

    /** Captures the lines one class logs from now on. */
    public static LogCapture of(Class<?> type) {
        return new LogCapture((Logger) LoggerFactory.getLogger(type));
    }

    /** The error id an answer's body names; fails when it names none. */
    public static String errorId(String answer) {
        Matcher id = ERROR_ID.matcher(answer);
        assertThat(id.find()).as("an error id in the answer %s", answer).isTrue();
        return id.group(1);
    }

    /** Every line captured so far, each as its level and message: {@code WARN hook 'x' answered 502 ...}. */
    public List<String> lines() {
        return events.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    /**
     * Every line captured so far with what a log file would show of its exception (each cause's class and message),
     * for what must never reach a log at all.
     */
    public List<String> linesWithExceptions() {
        return events.stream().map(e -> {
            StringBuilder line = new StringBuilder(e.getLevel() + " " + e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            }
            return line.toString();
        }).toList();
    }

    /** Every message captured so far, formatted, without its level, in order. */
    public List<String> messages() {
        return events.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** The one line that logs the error id named by {@code answer}; fails when there is not exactly one. */
    public String lineFor(String answer) {
        String id = "(error id " + errorId(answer) + ")";
        List<String> logged = lines().stream().filter(line -> line.contains(id)).toList();
        assertThat(logged).as("log lines with %s", id).hasSize(1);
        return logged.get(0);
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
