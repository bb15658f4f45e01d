package io.hookgateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.pattern.DynamicConverter;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The gateway's logging, set up in code rather than by a {@code logback.xml}: logback's XML configuration (a SAX
 * parser, its model and the model's handlers, some 600 classes) took about 200 ms of a start that should take under
 * half a second. Found by logback through {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}.
 *
 * <p>What it sets up: one console appender, {@code STDOUT}, whose encoder ({@link GatewayEncoder}) writes the plain
 * pattern below or one JSON object a line; every message and stack trace has its control and bidi formatting characters
 * escaped ({@link EscapedMessageConverter}, {@link EscapedThrowableConverter}), so request values and program output
 * cannot add lines, move the cursor or reorder what a reader sees. The gateway logs at {@value #LEVEL_VARIABLE} (a
 * system property or the environment; {@code INFO} by default), Netty and every library at {@code WARN}. Access lines
 * do not come through here: {@link AccessLog} writes them to the same stdout, in the same format.
 *
 * <p>A {@code logback.configurationFile} system property or a {@code logback-test.xml} on the class path (the tests')
 * still wins: then logback's own configuration runs instead.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class GatewayLogConfigurator extends ContextAwareBase implements Configurator {

    /** The variable that sets the level of the gateway's own loggers. */
    public static final String LEVEL_VARIABLE = "HOOK_GATEWAY_LOG_LEVEL";
    /** The name of the console appender. */
    public static final String APPENDER = "STDOUT";
    /** The plain format's pattern. */
    static final String PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %-12logger{0} %escapedMessage%n%escapedException";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || GatewayLogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context, level(System.getProperty(LEVEL_VARIABLE, System.getenv(LEVEL_VARIABLE))));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets up {@code context} as the gateway runs, its own loggers at {@code level}. */
    public static void apply(LoggerContext context, Level level) {
        Map<String, Supplier<DynamicConverter<?>>> rules = new HashMap<>();
        rules.put("escapedMessage", EscapedMessageConverter::new);
        rules.put("escapedException", EscapedThrowableConverter::new);
        context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);

        GatewayEncoder encoder = new GatewayEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName(APPENDER);
        stdout.setEncoder(encoder);
        stdout.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stdout);
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("io.hookgateway").setLevel(level);
    }

    /** The level a word names (any case), {@code INFO} when none or not a level. */
    static Level level(String word) {
        return word == null || word.isBlank() ? Level.INFO : Level.toLevel(word.trim(), Level.INFO);
    }
}
