package io.hookgateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import io.hookgateway.logging.AccessLog;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The gateway's log lines while a test runs, captured from Logback (and, for {@link #gateway()}, from the
 * {@link AccessLog} as it writes them), for what the log must keep and an answer must not show: the details behind an
 * answer's error id ({@code (error id 3f2a...)}), which the router logs under that id before it answers. Open it
 * before the traffic and close it after.
 */
public final class LogCapture implements AutoCloseable {

    private static final Pattern ERROR_ID = Pattern.compile("\\(error id ([0-9a-f]+)\\)");
    /** A plain access line as written: the time, the level and the logger's column, then the message. */
    private static final Pattern PLAIN_ACCESS_LINE = Pattern.compile("\\S+ (INFO) +access +(.*)");

    private final Logger logger;
    private final Queue<Entry> events = new ConcurrentLinkedQueue<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            events.add(new Entry(event.getLevel().toString(), event.getFormattedMessage(), event.getThrowableProxy()));
        }
    };
    private final Consumer<String> accessLines = this::accessLine;
    private final boolean accessLog;

    /** A captured line: its level, its message with the arguments in, and what it says of an exception. */
    private record Entry(String level, String message, IThrowableProxy thrown) {
    }

    private LogCapture(Logger logger, boolean accessLog) {
        this.logger = logger;
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
        this.accessLog = accessLog;
        if (accessLog) {
            AccessLog.stdout().tap(accessLines);
        }
    }

    /**
     * Captures every line of the gateway's own loggers ({@code io.hookgateway.*}) and every access line from now on.
     */
    public static LogCapture gateway() {
        return new LogCapture((Logger) LoggerFactory.getLogger("io.hookgateway"), true);
    }

    /** Captures the lines one class logs from now on. */
    public static LogCapture of(Class<?> type) {
        return new LogCapture((Logger) LoggerFactory.getLogger(type), false);
    }

    /** An access line as written: a plain one as its level and message, a JSON one whole. */
    private void accessLine(String written) {
        Matcher plain = PLAIN_ACCESS_LINE.matcher(written);
        events.add(plain.matches() ? new Entry(plain.group(1), plain.group(2), null) : new Entry("INFO", written, null));
    }

    /** The error id an answer's body names; fails when it names none. */
    public static String errorId(String answer) {
        Matcher id = ERROR_ID.matcher(answer);
        assertThat(id.find()).as("an error id in the answer %s", answer).isTrue();
        return id.group(1);
    }

    /** Every line captured so far, each as its level and message: {@code WARN hook 'x' answered 502 ...}. */
    public List<String> lines() {
        return events.stream().map(e -> e.level() + " " + e.message()).toList();
    }

    /**
     * Every line captured so far with what a log file would show of its exception (each cause's class and message),
     * for what must never reach a log at all.
     */
    public List<String> linesWithExceptions() {
        return events.stream().map(e -> {
            StringBuilder line = new StringBuilder(e.level() + " " + e.message());
            for (IThrowableProxy t = e.thrown(); t != null; t = t.getCause()) {
                line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            }
            return line.toString();
        }).toList();
    }

    /** Every message captured so far, formatted, without its level, in order. */
    public List<String> messages() {
        return events.stream().map(Entry::message).toList();
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
        if (accessLog) {
            AccessLog.stdout().untap(accessLines);
        }
    }
}
