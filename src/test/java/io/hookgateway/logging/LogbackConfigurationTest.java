package io.hookgateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped logging configuration ({@link GatewayLogConfigurator}, not the tests' own {@code logback-test.xml}),
 * applied to a logger context of its own whose console output is captured: every line it writes, message and stack trace, has its control and bidi formatting
 * characters escaped, in the plain format and in the JSON one (each line parsed back with Jackson). Access lines are
 * written apart, by {@link AccessLog} ({@link AccessLogTest}).
 */
class LogbackConfigurationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String HOSTILE_CHARACTERS = "\r\n\t\u0000\u001b\u007f\u0085\u009b\u2028\u2029\u061c\u200e"
            + "\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u00ad\ufeff\uffff\ud800";

    private LoggerContext context;
    private final Console console = new Console();

    @BeforeEach
    void loadTheShippedConfiguration() throws Exception {
        context = new LoggerContext();
        // What logback's SLF4J provider gives the context it makes; events cannot be built without it.
        context.setMDCAdapter(new LogbackMDCAdapter());
        GatewayLogConfigurator.apply(context, Level.INFO);
        assertThat(context.getStatusManager().getCopyOfStatusList())
                .as("configuration warnings and errors").noneMatch(s -> s.getLevel() >= Status.WARN);
        ConsoleAppender<ILoggingEvent> stdout =
                (ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME)
                        .getAppender(GatewayLogConfigurator.APPENDER);
        stdout.setOutputStream(console);
    }

    @AfterEach
    void stopLogging() {
        LogFormat.use(LogFormat.PLAIN);
        context.stop();
        assertThat(context.getStatusManager().getCopyOfStatusList())
                .as("errors while logging").noneMatch(s -> s.getLevel() >= Status.ERROR);
    }

    static Stream<String> hostileCharacters() {
        return HOSTILE_CHARACTERS.codePoints().mapToObj(Character::toString);
    }

    @ParameterizedTest
    @MethodSource("hostileCharacters")
    void escapesAHostileCharacterInAMessageArgument(String character) {
        context.getLogger("io.hookgateway.processors.command.CommandProcessor")
                .warn("hook '{}': run {} ended failed (exit code 1); stderr: {}", "lights", "42",
                        "before" + character + "2026-01-01T00:00:00.000Z INFO  forged line");

        String line = onlyLine(console.text());
        assertThat(line).contains("stderr: before\\").contains("forged line");
        assertSafe(line);
    }

    @Test
    void escapesEveryHostileCharacterInOneMessage() {
        context.getLogger("io.hookgateway.GatewayServer").info("value: {}", HOSTILE_CHARACTERS);

        String line = onlyLine(console.text());
        assertThat(line).endsWith("value: \\r\\n\\t\\u0000\\u001B\\u007F\\u0085\\u009B\\u2028\\u2029\\u061C\\u200E"
                + "\\u200F\\u202A\\u202B\\u202C\\u202D\\u202E\\u2066\\u2067\\u2068\\u2069\\u200B\\u00AD\\uFEFF\\uFFFF"
                + "\\uD800");
    }

    @Test
    void escapesTheClassAndMessageOfEveryThrowableOfAStackTraceButKeepsItsLines() {
        IllegalStateException failure = new IllegalStateException("bad value 'on\r\nINFO  forged\u202e'",
                new IllegalArgumentException("\u001b[2Jcleared"));
        failure.addSuppressed(new RuntimeException("suppressed\u2028too"));

        context.getLogger("io.hookgateway.routing.HookRouter").error("hook 'x' failed (error id {})", "abc", failure);

        List<String> lines = lines(console.text());
        assertThat(lines.get(0)).endsWith("hook 'x' failed (error id abc)");
        assertThat(lines.get(1)).isEqualTo(
                "java.lang.IllegalStateException: bad value 'on\\r\\nINFO  forged\\u202E'");
        assertThat(lines).anySatisfy(l -> assertThat(l).endsWith("Suppressed: java.lang.RuntimeException: "
                + "suppressed\\u2028too"));
        assertThat(lines).anySatisfy(l -> assertThat(l).isEqualTo(
                "Caused by: java.lang.IllegalArgumentException: \\u001B[2Jcleared"));
        assertThat(lines).noneMatch(l -> l.startsWith("INFO"));
        assertThat(lines.stream().filter(l -> l.stripLeading().startsWith("at "))).hasSizeGreaterThan(3);
        // Stack frames are indented with tabs by logback; nothing else of a control kind is left.
        lines.forEach(l -> assertSafe(l.replace("\t", "")));
    }

    @Test
    void jsonFormatWritesOneObjectALineWithEveryHostileCharacterEscaped() throws Exception {
        LogFormat.use(LogFormat.JSON);
        context.getLogger("io.hookgateway.GatewayServer").info("value: {}", HOSTILE_CHARACTERS);

        String line = onlyLine(console.text());
        assertSafe(line);
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("logger").asText()).isEqualTo("io.hookgateway.GatewayServer");
        assertThat(json.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        // The value comes back as it was, but for the lone surrogate, which UTF-8 cannot carry.
        assertThat(json.get("message").asText())
                .isEqualTo("value: " + HOSTILE_CHARACTERS.replace('\ud800', '\ufffd'));
    }

    @Test
    void jsonFormatCarriesTheStackTraceInOneField() throws Exception {
        LogFormat.use(LogFormat.JSON);
        IllegalStateException failure = new IllegalStateException("bad value 'on\r\nINFO  forged\u202e'",
                new IllegalArgumentException("\u001b[2Jcleared"));
        context.getLogger("io.hookgateway.routing.HookRouter").error("hook 'x' failed (error id {})", "abc",
                failure);

        String line = onlyLine(console.text());
        assertSafe(line);
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("level").asText()).isEqualTo("ERROR");
        assertThat(json.get("message").asText()).isEqualTo("hook 'x' failed (error id abc)");
        assertThat(json.get("exception").asText())
                .startsWith("java.lang.IllegalStateException: bad value 'on\r\nINFO  forged\u202e'")
                .contains("Caused by: java.lang.IllegalArgumentException: \u001b[2Jcleared", "\tat ");
    }

    @Test
    void logbackFindsItAsAService() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(GatewayLogConfigurator.class);
    }

    @Test
    void leavesTheTestsOwnConfigurationToLogback() {
        LoggerContext other = new LoggerContext();
        assertThat(new GatewayLogConfigurator().configure(other)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(other.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(GatewayLogConfigurator.APPENDER)).isNull();
    }

    @Test
    void logsTheGatewayAtTheGivenLevelAndLibrariesAtWarn() {
        assertThat(context.getLogger("io.hookgateway.routing.HookRouter").isInfoEnabled()).isTrue();
        assertThat(context.getLogger("io.hookgateway.routing.HookRouter").isDebugEnabled()).isFalse();
        assertThat(context.getLogger("io.netty.channel.DefaultChannelPipeline").isInfoEnabled()).isFalse();
        assertThat(context.getLogger("com.fasterxml.jackson").isWarnEnabled()).isTrue();
        assertThat(context.getLogger("com.fasterxml.jackson").isInfoEnabled()).isFalse();
    }

    @Test
    void readsTheLevelFromAWordAndTakesInfoForNoneOrNonsense() {
        assertThat(GatewayLogConfigurator.level("debug")).isEqualTo(Level.DEBUG);
        assertThat(GatewayLogConfigurator.level(" WARN ")).isEqualTo(Level.WARN);
        assertThat(GatewayLogConfigurator.level(null)).isEqualTo(Level.INFO);
        assertThat(GatewayLogConfigurator.level("")).isEqualTo(Level.INFO);
        assertThat(GatewayLogConfigurator.level("loud")).isEqualTo(Level.INFO);
    }

    static List<String> lines(String text) {
        assertThat(text).endsWith("\n");
        return Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1));
    }

    static String onlyLine(String text) {
        List<String> lines = lines(text);
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }

    static void assertSafe(String line) {
        assertThat(line.codePoints().filter(LogText::isUnsafe).filter(c -> c != '\\')
                .mapToObj(c -> String.format("U+%04X", c))).as("unescaped characters in: " + line).isEmpty();
    }

    /** The console's bytes; logback writes each line from the thread that logs it. */
    private static final class Console extends ByteArrayOutputStream {
        synchronized String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }
}
