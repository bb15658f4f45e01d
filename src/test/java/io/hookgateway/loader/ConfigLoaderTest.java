package io.hookgateway.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hookgateway.clients.ClientPolicy;
import io.hookgateway.config.ConfigException;
import io.hookgateway.config.ConfigNode;
import io.hookgateway.config.ConfigProblems;
import io.hookgateway.config.MetricsConfig;
import io.hookgateway.hooks.FakeHookRequest;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.processors.ProcessorRegistry;
import io.hookgateway.processors.ProcessorType;
import io.hookgateway.processors.respond.RespondProcessorType;
import io.hookgateway.routing.ExecutionLimits;
import io.hookgateway.testing.TestGateway;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading {@code gateway.yaml}: every key reaches the configuration with its value, absent keys take their defaults,
 * and every mistake is reported with the key path it is at and what to write instead.
 */
class ConfigLoaderTest {

    /** The names the registry lists, sorted: the built-in types and this test class path's test types. */
    private static final String KNOWN_TYPES = String.join(", ", ProcessorRegistry.load().names());

    /** The smallest valid hook list, appended to configurations that test something else. */
    private static final String ONE_HOOK = """
            hooks:
              - name: h
                path: /h
                processor: {type: respond}
            """;

    private static GatewayConfig parse(String yaml) throws ConfigException {
        return TestGateway.parse(yaml, Map.of());
    }

    private static GatewayConfig parse(String yaml, Map<String, String> env) throws ConfigException {
        return TestGateway.parse(yaml, env);
    }

    /** The problems a configuration that must be refused is refused with. */
    private static List<ConfigProblems.Problem> problems(String yaml) {
        return problems(yaml, Map.of());
    }

    private static List<ConfigProblems.Problem> problems(String yaml, Map<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> TestGateway.parse(yaml, env));
        assertThat(e).as("configuration should have been refused:\n%s", yaml).isNotNull();
        assertThat(e.source()).isEqualTo("test.yaml");
        return e.problems();
    }

    /** The message of the one problem at {@code keyPath}, failing when there is none or more than one. */
    private static String problemAt(List<ConfigProblems.Problem> problems, String keyPath) {
        List<String> messages = problems.stream()
                .filter(p -> p.keyPath().equals(keyPath))
                .map(ConfigProblems.Problem::message)
                .toList();
        assertThat(messages).as("problems at %s among %s", keyPath, problems).hasSize(1);
        return messages.get(0);
    }

    private static List<String> keyPaths(List<ConfigProblems.Problem> problems) {
        return problems.stream().map(ConfigProblems.Problem::keyPath).toList();
    }

    private static RespondProcessorType.Options respondOptions(HookConfig hook) {
        assertThat(hook.processor().type().name()).isEqualTo("respond");
        return (RespondProcessorType.Options) hook.processor().options();
    }

    /** One respond hook on {@code path} answering with {@code body}, written between single quotes. */
    private static String respondHook(String path, String body) {
        return "hooks:\n  - {name: h, path: '" + path + "', processor: {type: respond, body: '" + body + "'}}\n";
    }

    /** The source text of the body template of the configuration's first hook, a respond hook. */
    private static String firstBody(GatewayConfig config) {
        return respondOptions(config.hooks().get(0)).body().source();
    }

    @Nested
    class ValidConfiguration {

        private static final String FULL = """
                server:
                  bind: 127.0.0.1
                  port: 9000
                  io-threads: 2
                  worker-threads: 4
                  worker-queue: 10
                  max-request-line-size: 4KiB
                  max-header-size: 8KiB
                  max-header-count: 50
                  max-body-size: 2MiB
                  max-connections: 500
                  request-head-timeout: 5s
                  request-body-timeout: 20s
                  idle-timeout: 30s
                  drain-timeout: 500ms
                  access-log: false
                  max-buffered-body-size: 32MiB
                metrics:
                  enabled: false
                  bind: 127.0.0.2
                  port: 9001
                hooks:
                  - name: lamp
                    path: /hooks/{device}/on
                    methods: [GET, PUT]
                    max-body-size: 16KiB
                    access-log: true
                    max-concurrent: 2
                    max-queued: 3
                    timeout: 5s
                    processor:
                      type: respond
                      status: 202
                      content-type: text/plain
                      headers:
                        X-Hook: "${hook.name}"
                        X-Device: "${path.device}"
                      body: "on ${path.device}"
                  - name: second
                    path: /second
                    processor:
                      type: respond
                """;

        @Test
        void readsEveryServerKeyWithItsValue() throws Exception {
            ServerConfig server = parse(FULL).server();

            assertThat(server).isEqualTo(new ServerConfig("127.0.0.1", 9000, 2, 4, 10, 4096, 8192, 50,
                    2 * 1024 * 1024, 500, Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(30),
                    Duration.ofMillis(500), false, 32 * 1024 * 1024, ClientPolicy.DEFAULT, true,
                    List.of()));
        }

        @Test
        void readsEveryMetricsKeyWithItsValue() throws Exception {
            assertThat(parse(FULL).metrics()).isEqualTo(new MetricsConfig(false, "127.0.0.2", 9001));
        }

        @Test
        void readsEveryHookKeyWithItsValue() throws Exception {
            HookConfig lamp = parse(FULL).hooks().get(0);

            assertThat(lamp.name()).isEqualTo("lamp");
            assertThat(lamp.path().text()).isEqualTo("/hooks/{device}/on");
            assertThat(lamp.path().variableNames()).containsExactly("device");
            assertThat(lamp.methods()).containsExactlyInAnyOrder("GET", "PUT");
            assertThat(lamp.maxBodyBytes()).isEqualTo(16 * 1024);
            assertThat(lamp.accessLog()).isTrue();
            assertThat(lamp.limits()).isEqualTo(new ExecutionLimits(2, 3, Duration.ofSeconds(5)));
        }

        @Test
        void readsEveryRespondOptionWithItsValue() throws Exception {
            RespondProcessorType.Options options = respondOptions(parse(FULL).hooks().get(0));

            assertThat(options.status()).isEqualTo(202);
            assertThat(options.headers()).containsOnlyKeys("Content-Type", "X-Hook", "X-Device");
            assertThat(options.headers().get("Content-Type").source()).isEqualTo("text/plain");
            assertThat(options.headers().get("X-Hook").source()).isEqualTo("${hook.name}");
            assertThat(options.headers().get("X-Device").source()).isEqualTo("${path.device}");
            assertThat(options.body().source()).isEqualTo("on ${path.device}");
        }

        @Test
        void keepsHooksInFileOrderAndRecordsTheSource() throws Exception {
            GatewayConfig config = parse(FULL);

            assertThat(config.hooks()).extracting(HookConfig::name).containsExactly("lamp", "second");
            assertThat(config.source()).isEqualTo("test.yaml");
            assertThat(config.isEmbeddedDefault()).isFalse();
            assertThat(config.directory()).isEqualTo(Path.of("").toAbsolutePath());
        }

        @Test
        void aHookWithoutItsOwnLimitsTakesTheServersBodyLimitAndAccessLog() throws Exception {
            HookConfig second = parse(FULL).hooks().get(1);

            assertThat(second.maxBodyBytes()).isEqualTo(2 * 1024 * 1024);
            assertThat(second.accessLog()).isFalse();
            assertThat(second.limits()).isEqualTo(ExecutionLimits.defaults());
        }

        @Test
        void givesEveryServerKeyItsDefaultWhenTheSectionIsAbsent() throws Exception {
            ServerConfig server = parse(ONE_HOOK).server();

            assertThat(server).isEqualTo(new ServerConfig("0.0.0.0", 8080, 0, 16, 256, 8 * 1024, 16 * 1024, 100,
                    1024 * 1024, 10_000, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
                    Duration.ofSeconds(10), true, 0, ClientPolicy.DEFAULT, true,
                    List.of()));
        }

        @Test
        void givesEveryMetricsKeyItsDefaultWhenTheSectionIsAbsent() throws Exception {
            assertThat(parse(ONE_HOOK).metrics()).isEqualTo(new MetricsConfig(true, "0.0.0.0", 8081));
        }

        @Test
        void givesTheRestOfASectionItsDefaultsWhenOnlySomeKeysAreWritten() throws Exception {
            GatewayConfig config = parse("server: {port: 9000}\nmetrics: {port: 9001}\n" + ONE_HOOK);

            assertThat(config.server().port()).isEqualTo(9000);
            assertThat(config.server().bind()).isEqualTo("0.0.0.0");
            assertThat(config.server().idleTimeout()).isEqualTo(Duration.ofSeconds(60));
            assertThat(config.metrics().port()).isEqualTo(9001);
            assertThat(config.metrics().enabled()).isTrue();
        }

        @Test
        void treatsANullSectionLikeAnAbsentOne() throws Exception {
            GatewayConfig config = parse("server: ~\nmetrics: null\n" + ONE_HOOK);

            assertThat(config.server().port()).isEqualTo(8080);
            assertThat(config.metrics().port()).isEqualTo(8081);
        }

        @Test
        void givesAHookItsDefaults() throws Exception {
            HookConfig hook = parse(ONE_HOOK).hooks().get(0);
            RespondProcessorType.Options options = respondOptions(hook);

            assertThat(hook.methods()).containsExactly("POST");
            assertThat(hook.maxBodyBytes()).isEqualTo(1024 * 1024);
            assertThat(hook.accessLog()).isTrue();
            assertThat(options.status()).isEqualTo(200);
            assertThat(options.headers()).isEmpty();
            assertThat(options.body().isConstant()).isTrue();
            assertThat(options.body().constantValue()).isEmpty();
        }

        @Test
        void acceptsMethodsInAnyCaseAndWithSpacesAndUpperCasesThem() throws Exception {
            HookConfig hook = parse("""
                    hooks:
                      - name: h
                        path: /h
                        methods: [get, ' Post ', pAtCh, delete, options, head, put]
                        processor: {type: respond}
                    """).hooks().get(0);

            assertThat(hook.methods())
                    .containsExactlyInAnyOrder("GET", "POST", "PATCH", "DELETE", "OPTIONS", "HEAD", "PUT");
        }

        @Test
        void takesASingleMethodWrittenWithoutAList() throws Exception {
            HookConfig hook = parse("""
                    hooks:
                      - name: h
                        path: /h
                        methods: put
                        processor: {type: respond}
                    """).hooks().get(0);

            assertThat(hook.methods()).containsExactly("PUT");
        }

        @Test
        void readsNumbersAndBooleansWrittenAsStrings() throws Exception {
            GatewayConfig config = parse("""
                    server: {port: '9000', access-log: 'FALSE', max-body-size: 2048}
                    metrics: {enabled: ' true '}
                    """ + ONE_HOOK);

            assertThat(config.server().port()).isEqualTo(9000);
            assertThat(config.server().accessLog()).isFalse();
            assertThat(config.server().maxBodyBytes()).isEqualTo(2048);
            assertThat(config.metrics().enabled()).isTrue();
        }

        @Test
        void letsOneHookPathTakeSeveralMethodsAcrossHooks() throws Exception {
            GatewayConfig config = parse("""
                    hooks:
                      - {name: a, path: /same, methods: [GET], processor: {type: respond}}
                      - {name: b, path: /same, methods: [POST], processor: {type: respond}}
                      - {name: c, path: '/same/{x}', processor: {type: respond}}
                      - {name: d, path: '/same/lit', processor: {type: respond}}
                    """);

            assertThat(config.hooks()).extracting(HookConfig::name).containsExactly("a", "b", "c", "d");
        }

        @Test
        void allowsMetricsOnTheServerPortWhenMetricsAreOffOrBothPortsAreChosenFreely() throws Exception {
            assertThat(parse("server: {port: 9000}\nmetrics: {enabled: false, port: 9000}\n" + ONE_HOOK)
                    .metrics().port()).isEqualTo(9000);
            assertThat(parse("server: {port: 0}\nmetrics: {port: 0}\n" + ONE_HOOK).metrics().port()).isZero();
        }

        @Test
        void acceptsHookNamesOfUpTo64LettersDigitsDotsUnderscoresAndDashes() throws Exception {
            String name = "A" + "b".repeat(62) + "9";
            assertThat(parse("hooks:\n  - {name: " + name + ", path: /a, processor: {type: respond}}\n"
                    + "  - {name: 0.x_y-z, path: /b, processor: {type: respond}}\n").hooks())
                    .extracting(HookConfig::name).containsExactly(name, "0.x_y-z");
        }

        @Test
        void treatsAnEmptyDocumentAsMissingHooksNotAsASyntaxError() {
            List<ConfigProblems.Problem> problems = problems("# only a comment\n");

            assertThat(keyPaths(problems)).containsExactly("hooks");
        }
    }

    @Nested
    class Refusals {

        /** One mistake each: the configuration, the key path reported, and words the message must contain. */
        static Stream<Arguments> mistakes() {
            return Stream.of(
                    // Unknown keys, with the nearest known key as a suggestion.
                    Arguments.of("hooks:\n  - {name: h, path: /h, metods: [POST], processor: {type: respond}}\n",
                            "hooks[0].metods", List.of("unknown key", "did you mean 'methods'?",
                                    "Keys allowed here: name, path, methods, max-body-size, access-log, "
                                            + "max-concurrent, max-queued, timeout, processor")),
                    Arguments.of("server: {prot: 1}\n" + ONE_HOOK,
                            "server.prot", List.of("unknown key", "did you mean 'port'?")),
                    Arguments.of("server: {idle_timeout: 5s}\n" + ONE_HOOK,
                            "server.idle_timeout", List.of("did you mean 'idle-timeout'?")),
                    Arguments.of("metrics: {enable: false}\n" + ONE_HOOK,
                            "metrics.enable", List.of("did you mean 'enabled'?")),
                    Arguments.of("server: {colour: red}\n" + ONE_HOOK,
                            "server.colour", List.of("unknown key", "Keys allowed here: bind, port, io-threads")),
                    Arguments.of("hooks:\n  - {name: h, path: /h, processor: {type: respond, bdy: x}}\n",
                            "hooks[0].processor.bdy", List.of("unknown key", "did you mean 'body'?")),
                    // Wrong types.
                    Arguments.of("server: {port: abc}\n" + ONE_HOOK,
                            "server.port", List.of("must be a whole number from 0 to 65535, not 'abc'")),
                    Arguments.of("server: {port: 80.5}\n" + ONE_HOOK,
                            "server.port", List.of("must be a whole number from 0 to 65535, not '80.5'")),
                    Arguments.of("server: {port: [80]}\n" + ONE_HOOK,
                            "server.port", List.of("must be a whole number from 0 to 65535, not a list")),
                    Arguments.of("server: {access-log: 'yes'}\n" + ONE_HOOK,
                            "server.access-log", List.of("must be true or false, not 'yes'")),
                    Arguments.of("metrics: {enabled: 1}\n" + ONE_HOOK,
                            "metrics.enabled", List.of("must be true or false, not '1'")),
                    Arguments.of("server: {bind: [a, b]}\n" + ONE_HOOK,
                            "server.bind", List.of("must be a string, not a list")),
                    Arguments.of("server: [port]\n" + ONE_HOOK,
                            "server", List.of("must be a mapping (key: value lines), not a list")),
                    Arguments.of("metrics: on\n" + ONE_HOOK,
                            "metrics", List.of("must be a mapping (key: value lines), not")),
                    Arguments.of("server: {idle-timeout: {s: 1}}\n" + ONE_HOOK,
                            "server.idle-timeout", List.of("must be a duration such as 10s, not a mapping")),
                    Arguments.of("server: {max-body-size: [1]}\n" + ONE_HOOK,
                            "server.max-body-size", List.of("must be a size such as 1MiB, not a list")),
                    // A body at a limit that could never fit the memory all bodies may hold.
                    Arguments.of("server: {max-buffered-body-size: 1MiB}\n" + ONE_HOOK,
                            "server.max-buffered-body-size", List.of("is 1MiB, and seven eighths of it, what large "
                                    + "bodies may take, is less than server.max-body-size (1MiB), so a body at that "
                                    + "limit would always be refused")),
                    Arguments.of("server: {max-body-size: 64KiB, max-buffered-body-size: 512KiB}\nhooks:\n"
                                    + "  - {name: big, path: /big, max-body-size: 1MiB, processor: {type: respond}}\n",
                            "server.max-buffered-body-size", List.of("is less than the max-body-size of hook 'big'")),
                    Arguments.of("server: {max-buffered-body-size: 1KiB}\n" + ONE_HOOK,
                            "server.max-buffered-body-size", List.of("must be from 64KiB")),
                    Arguments.of("hooks: {name: h}\n",
                            "hooks", List.of("must be a list (lines starting with '- '), not a mapping")),
                    Arguments.of("hooks: [just-a-name]\n",
                            "hooks[0]", List.of("must be a mapping (key: value lines), not 'just-a-name'")),
                    Arguments.of("hooks:\n  - {name: h, path: /h, methods: {POST: true}, processor: {type: respond}}\n",
                            "hooks[0].methods", List.of("must be a list of strings, not a mapping")),
                    Arguments.of("hooks:\n  - {name: h, path: /h, methods: [POST, [GET]], processor: {type: respond}}\n",
                            "hooks[0].methods[1]", List.of("must be a string, not a list")),
                    Arguments.of("hooks:\n  - {name: h, path: /h, processor: respond}\n",
                            "hooks[0].processor", List.of("must be a mapping (key: value lines), not 'respond'")),
                    Arguments.of("hooks:\n  - {name: h, path: /h, processor: {type: respond, headers: [X-A]}}\n",
                            "hooks[0].processor.headers", List.of("must be a mapping (key: value lines), not a list")),
                    Arguments.of("hooks:\n  - {name: h, path: /h, processor: {type: respond, headers: {X-A: [1]}}}\n",
                            "hooks[0].processor.headers.X-A", List.of("must be a string, not a list")),
                    Arguments.of("hooks:\n  - {name: h, path: /h, processor: {type: respond, body: {a: 1}}}\n",
                            "hooks[0].processor.body", List.of("must be a string, not a mapping")),
                    // Out of range.
                    Arguments.of("server: {port: 65536}\n" + ONE_HOOK,
                            "server.port", List.of("must be from 0 to 65535, not 65536")),
                    Arguments.of("server: {port: -1}\n" + ONE_HOOK,
                            "server.port", List.of("must be from 0 to 65535, not -1")),
                    Arguments.of("metrics: {port: 100000}\n" + ONE_HOOK,
                            "metrics.port", List.of("must be from 0 to 65535, not 100000")),
                    Arguments.of("server: {worker-threads: 0}\n" + ONE_HOOK,
                            "server.worker-threads", List.of("must be from 1 to 1024, not 0")),
                    Arguments.of("server: {max-header-count: 1001}\n" + ONE_HOOK,
                            "server.max-header-count", List.of("must be from 1 to 1000, not 1001")),
                    Arguments.of("hooks:\n  - {name: h, path: /h, processor: {type: respond, status: 199}}\n",
                            "hooks[0].processor.status", List.of("must be from 200 to 599, not 199")),
                    // Durations and sizes.
                    Arguments.of("server: {idle-timeout: 30}\n" + ONE_HOOK,
                            "server.idle-timeout", List.of("'30' has no unit; write e.g. 30s or 30ms")),
                    Arguments.of("server: {idle-timeout: 10d}\n" + ONE_HOOK,
                            "server.idle-timeout", List.of("unknown unit 'd'; use ms, s, m or h")),
                    Arguments.of("server: {idle-timeout: 50ms}\n" + ONE_HOOK,
                            "server.idle-timeout", List.of("must be from 100ms to 1h, not 50ms")),
                    Arguments.of("server: {drain-timeout: 11m}\n" + ONE_HOOK,
                            "server.drain-timeout", List.of("must be from 0s to 10m, not 11m")),
                    Arguments.of("server: {max-body-size: 65MiB}\n" + ONE_HOOK,
                            "server.max-body-size", List.of("must be from 0 to 64MiB, not 65MiB")),
                    Arguments.of("server: {max-header-size: 512}\n" + ONE_HOOK,
                            "server.max-header-size", List.of("must be from 1KiB to 256KiB, not 512")),
                    Arguments.of("server: {max-request-line-size: 8 kilobytes}\n" + ONE_HOOK,
                            "server.max-request-line-size", List.of("unknown unit 'kilobytes'; use B, KiB, MiB or GiB")),
                    Arguments.of("hooks:\n  - {name: h, path: /h, max-body-size: lots, processor: {type: respond}}\n",
                            "hooks[0].max-body-size", List.of("'lots' is not a size; write e.g. 1MiB, 16KiB or 512")),
                    // Hooks.
                    Arguments.of("hooks: []\n",
                            "hooks", List.of("is empty; add at least one hook")),
                    Arguments.of("hooks:\n  - {path: /h, processor: {type: respond}}\n",
                            "hooks[0].name", List.of("is required; give the hook a name such as 'lights-on'")),
                    Arguments.of("hooks:\n  - {name: '', path: /h, processor: {type: respond}}\n",
                            "hooks[0].name", List.of("is empty; give the hook a name")),
                    Arguments.of("hooks:\n  - {name: h, processor: {type: respond}}\n",
                            "hooks[0].path", List.of("is required; write the path the hook answers on, such as /post")),
                    Arguments.of("hooks:\n  - {name: h, path: /h}\n",
                            "hooks[0].processor", List.of("is required; for example: processor: {type: respond, body: OK}")),
                    Arguments.of("hooks:\n  - {name: h, path: /h, processor: {body: OK}}\n",
                            "hooks[0].processor.type", List.of("is required; name the processor type, one of: " + KNOWN_TYPES)),
                    Arguments.of("hooks:\n  - {name: h, path: /h, processor: {type: respnd}}\n",
                            "hooks[0].processor.type", List.of("'respnd' is not a processor type; did you mean 'respond'?",
                                    "Known types: " + KNOWN_TYPES)),
                    Arguments.of("hooks:\n  - {name: h, path: /h, methods: [POST, FETCH], processor: {type: respond}}\n",
                            "hooks[0].methods", List.of("'FETCH' is not a method a hook can take; "
                                    + "use DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT")),
                    Arguments.of("hooks:\n  - {name: h, path: /h, methods: [], processor: {type: respond}}\n",
                            "hooks[0].methods", List.of("is empty; list at least one method, such as [POST]")),
                    Arguments.of("hooks:\n  - {name: h, path: /h, processor: {type: respond, body: 'Hi ${path.x}'}}\n",
                            "hooks[0].processor.body", List.of("${path.x} is not a variable of this hook's path; "
                                    + "the path has none (write one as /hooks/{x})")),
                    Arguments.of("hooks:\n  - {name: h, path: '/d/{device}', processor: {type: respond, "
                                    + "headers: {X-D: '${path.dev}'}}}\n",
                            "hooks[0].processor.headers.X-D", List.of("${path.dev} is not a variable of this hook's path; "
                                    + "it has device")),
                    Arguments.of("hooks:\n  - {name: h, path: /h, processor: {type: respond, body: 'x ${nope}'}}\n",
                            "hooks[0].processor.body", List.of("'${nope}' refers to an unknown value; use body,")),
                    Arguments.of("hooks:\n  - {name: h, path: /h, processor: {type: respond, body: 'x ${body'}}\n",
                            "hooks[0].processor.body", List.of("has no closing '}'; write $${ for a literal ${")),
                    Arguments.of("server: {bind: ' '}\n" + ONE_HOOK,
                            "server.bind", List.of("is empty; write an address such as 0.0.0.0")),
                    Arguments.of("server: {port: 9000}\nmetrics: {port: 9000}\n" + ONE_HOOK,
                            "metrics.port", List.of("is the same as server.port (9000); metrics need a port of their "
                                    + "own, such as 8081")),
                    Arguments.of("server: {port: 8081}\n" + ONE_HOOK,
                            "metrics.port", List.of("is the same as server.port (8081)")));
        }

        @ParameterizedTest(name = "[{index}] {1}")
        @MethodSource("mistakes")
        void reportsEachMistakeAtItsKeyPathWithAFix(String yaml, String keyPath, List<String> words) {
            List<ConfigProblems.Problem> problems = problems(yaml);

            assertThat(problemAt(problems, keyPath)).contains(words);
        }

        @ParameterizedTest(name = "hook name ''{0}'' is refused")
        @ValueSource(strings = {"my hook", "-x", "_x", ".x", "a/b", "h\u00e9", "unmatched",
                "a12345678901234567890123456789012345678901234567890123456789012345"})
        void refusesInvalidHookNamesAndSaysWhatANameMayContain(String name) {
            String yaml = "hooks:\n  - {name: '" + name + "', path: /h, processor: {type: respond}}\n";

            assertThat(problemAt(problems(yaml), "hooks[0].name")).isEqualTo("'" + name
                    + "' is not a valid hook name; use up to 64 letters, digits, '.', '_' and '-', "
                    + "starting with a letter or digit ('unmatched' is reserved)");
        }

        static Stream<Arguments> badPaths() {
            return Stream.of(
                    Arguments.of("post", "'post' must start with '/'; write \"/post\""),
                    Arguments.of("/a?b=1", "'/a?b=1' must be a path only, without '?' or '#'"),
                    Arguments.of("/a#frag", "without '?' or '#'"),
                    Arguments.of("/a/../b", "is not a valid path: segment '..' has a bad %-escape, an encoded '/', "
                            + "is '.' or '..', or has a space (write %20) or a control character"),
                    Arguments.of("/a/%2F", "is not a valid path"),
                    Arguments.of("/a/%zz", "is not a valid path"),
                    Arguments.of("/h/{device", "segment '{device' mixes text and a variable; "
                            + "a variable must be a whole segment, as in /hooks/{device}/on"),
                    Arguments.of("/h/x{device}", "mixes text and a variable"),
                    Arguments.of("/h/{1st}", "variable '{1st}' must be a name of letters, digits, '_' and '-', "
                            + "starting with a letter"),
                    Arguments.of("/h/{}", "variable '{}' must be a name"),
                    Arguments.of("/h/{x}/{x}", "variable '{x}' appears twice"));
        }

        @ParameterizedTest(name = "path ''{0}'' is refused")
        @MethodSource("badPaths")
        void refusesBadPathPatternsAndSaysHowToWriteThem(String path, String message) {
            String yaml = "hooks:\n  - {name: h, path: '" + path + "', processor: {type: respond}}\n";

            assertThat(problemAt(problems(yaml), "hooks[0].path")).contains(message);
        }

        @Test
        void suggestsNoProcessorTypeWhenNoneIsClose() {
            String yaml = "hooks:\n  - {name: h, path: /h, processor: {type: mqtt-forwarder}}\n";

            assertThat(problemAt(problems(yaml), "hooks[0].processor.type"))
                    .contains("'mqtt-forwarder' is not a processor type", "Known types: " + KNOWN_TYPES)
                    .doesNotContain("did you mean");
        }

        @Test
        void suggestsNoKeyWhenNoKnownKeyIsClose() {
            String message = problemAt(problems("server: {colour: red}\n" + ONE_HOOK), "server.colour");

            assertThat(message).doesNotContain("did you mean");
        }

        @Test
        void reportsAMissingHooksListWithAnExampleToCopy() {
            String message = problemAt(problems("server: {port: 9000}\n"), "hooks");

            assertThat(message).isEqualTo("is missing; add at least one hook, e.g. hooks: [{name: post, path: /post, "
                    + "methods: [POST], processor: {type: respond, body: SUCCESS}}]");
        }

        @Test
        void refusesADocumentThatIsNotAMapping() {
            assertThat(problemAt(problems("- name: h\n  path: /h\n"), ""))
                    .isEqualTo("must be a mapping with the keys server, metrics, logging and hooks");
        }

        @Test
        void refusesTwoHooksOfOneNameAndNamesTheFirst() {
            List<ConfigProblems.Problem> problems = problems("""
                    hooks:
                      - {name: same, path: /a, processor: {type: respond}}
                      - {name: other, path: /b, processor: {type: respond}}
                      - {name: same, path: /c, processor: {type: respond}}
                    """);

            assertThat(problemAt(problems, "hooks[2].name"))
                    .isEqualTo("'same' is already the name of hooks[0]; hook names must be unique");
            assertThat(problems).hasSize(1);
        }

        @Test
        void refusesTwoHooksTakingTheSameMethodOnTheSamePath() {
            List<ConfigProblems.Problem> problems = problems("""
                    hooks:
                      - {name: a, path: /same, methods: [GET, POST], processor: {type: respond}}
                      - {name: b, path: /same/, methods: [post], processor: {type: respond}}
                    """);

            assertThat(problemAt(problems, "hooks[1].methods"))
                    .isEqualTo("POST /same is already taken by hooks[0]; give one of the hooks another path or method");
            assertThat(problems).hasSize(1);
        }

        @Test
        void refusesTwoPatternsOfOneShapeWithDifferentVariableNames() {
            List<ConfigProblems.Problem> problems = problems("""
                    hooks:
                      - {name: a, path: '/d/{device}/on', methods: [GET], processor: {type: respond}}
                      - {name: b, path: '/d/{id}/on', methods: [POST], processor: {type: respond}}
                    """);

            assertThat(problemAt(problems, "hooks[1].path")).isEqualTo("/d/{id}/on matches exactly the requests of "
                    + "/d/{device}/on (hooks[0].path); use one spelling of the variables for both, or different paths");
            assertThat(problems).hasSize(1);
        }

        @Test
        void reportsAYamlSyntaxErrorWithItsLineAndColumn() {
            List<ConfigProblems.Problem> problems = problems("""
                    server:
                      port: 1
                     bad: 2
                    """ + ONE_HOOK);

            assertThat(problems).hasSize(1);
            assertThat(problems.get(0).keyPath()).isEmpty();
            assertThat(problems.get(0).message()).startsWith("line 3, column 2: not valid YAML");
        }

        @Test
        void reportsAnUnclosedFlowListWithTheLineWhereItWasNoticed() {
            List<ConfigProblems.Problem> problems = problems("server:\n  port: [1\n" + ONE_HOOK);

            assertThat(problems).hasSize(1);
            assertThat(problems.get(0).message()).matches("line \\d+, column \\d+: not valid YAML: .+");
        }

        @Test
        void refusesADuplicateKeyAndSaysWhere() {
            List<ConfigProblems.Problem> problems = problems("""
                    server:
                      port: 9000
                      port: 9001
                    """ + ONE_HOOK);

            assertThat(problems).hasSize(1);
            assertThat(problems.get(0).message()).startsWith("line 3, column ").contains("Duplicate field 'port'");
        }

        @Test
        void refusesADuplicateHookKey() {
            List<ConfigProblems.Problem> problems = problems("""
                    hooks:
                      - name: a
                        path: /a
                        name: b
                        processor: {type: respond}
                    """);

            assertThat(problems).singleElement().satisfies(p ->
                    assertThat(p.message()).startsWith("line 4,").contains("Duplicate field 'name'"));
        }

        @Test
        void reportsEveryProblemOfTheFileAtOnceInFileOrder() {
            List<ConfigProblems.Problem> problems = problems("""
                    server:
                      port: 70000
                      idle-timeout: 5
                    metrics:
                      enabeld: true
                    hooks:
                      - name: bad name
                        path: nope
                        methods: [GET, FETCH]
                        processor: {type: respnd}
                      - name: ok
                        path: /ok
                        processor: {type: respond, status: 600}
                    """);

            assertThat(keyPaths(problems)).containsExactly(
                    "server.port", "server.idle-timeout", "metrics.enabeld",
                    "hooks[0].name", "hooks[0].path", "hooks[0].methods", "hooks[0].processor.type",
                    "hooks[1].processor.status");
        }

        @Test
        void formatsTheExceptionMessageWithTheFileOnEveryLine() {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse("""
                    server: {port: x}
                    hooks:
                      - {name: h, path: /h, metods: [GET], processor: {type: respond}}
                    """));

            assertThat(e.getMessage()).isEqualTo("""
                    invalid configuration in test.yaml (2 problems)
                      test.yaml: server.port: must be a whole number from 0 to 65535, not 'x'
                      test.yaml: hooks[0].metods: unknown key; did you mean 'methods'? Keys allowed here: name, \
                    path, methods, max-body-size, access-log, max-concurrent, max-queued, timeout, processor, \
                    processors, auth, hidden, guard, rules, on-mismatch, clients, rate-limit""");
        }

        @Test
        void formatsASingleProblemInTheSingular() {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse("hooks: []\n"));

            assertThat(e.getMessage()).isEqualTo("invalid configuration in test.yaml (1 problem)\n"
                    + "  test.yaml: hooks: is empty; add at least one hook");
        }
    }

    @Nested
    class EnvironmentVariables {

        @Test
        void replacesAVariableThatIsSet() throws Exception {
            GatewayConfig config = parse("server: {port: '${PORT}', bind: '${ADDR}'}\n" + ONE_HOOK,
                    Map.of("PORT", "9090", "ADDR", "127.0.0.1"));

            assertThat(config.server().port()).isEqualTo(9090);
            assertThat(config.server().bind()).isEqualTo("127.0.0.1");
        }

        @Test
        void replacesAnUnquotedVariable() throws Exception {
            GatewayConfig config = parse("server:\n  port: ${PORT}\n" + ONE_HOOK, Map.of("PORT", "9091"));

            assertThat(config.server().port()).isEqualTo(9091);
        }

        @Test
        void usesTheDefaultOnlyWhenTheVariableIsUnset() throws Exception {
            String yaml = "server: {port: '${PORT:-7070}', access-log: '${LOG:-false}'}\n" + ONE_HOOK;

            assertThat(parse(yaml, Map.of()).server().port()).isEqualTo(7070);
            assertThat(parse(yaml, Map.of()).server().accessLog()).isFalse();
            assertThat(parse(yaml, Map.of("PORT", "7171")).server().port()).isEqualTo(7171);
        }

        @Test
        void acceptsAnEmptyDefault() throws Exception {
            GatewayConfig config = parse(respondHook("/h", "a${SUFFIX:-}b"), Map.of());

            assertThat(firstBody(config)).isEqualTo("ab");
        }

        @Test
        void replacesSeveralVariablesInOneValueAndKeepsTheTextAround() throws Exception {
            GatewayConfig config = parse(respondHook("/h", "Hi ${WHO} from ${WHERE:-here}, ${body}"),
                    Map.of("WHO", "Ada"));

            assertThat(firstBody(config)).isEqualTo("Hi Ada from here, ${body}");
        }

        @Test
        void reportsAnUnsetVariableWithoutDefaultByNameAndKeyPath() {
            List<ConfigProblems.Problem> problems = problems(respondHook("/h", "token ${TOKEN}"));

            assertThat(problemAt(problems, "hooks[0].processor.body")).isEqualTo(
                    "environment variable TOKEN is not set; set it, or give a default as ${TOKEN:-default}");
        }

        @Test
        void reportsAnUnsetVariableInAListWithItsIndex() {
            List<ConfigProblems.Problem> problems = problems("""
                    hooks:
                      - name: h
                        path: /h
                        methods: [GET, '${SECOND_METHOD}']
                        processor: {type: respond}
                    """);

            assertThat(problems.get(0).keyPath()).isEqualTo("hooks[0].methods[1]");
            assertThat(problems.get(0).message()).contains("environment variable SECOND_METHOD is not set");
        }

        @Test
        void leavesAnEscapedVariableForTheTemplateWhichWritesItLiterally() throws Exception {
            GatewayConfig config = parse(respondHook("/h", "literal $${FOO}"), Map.of("FOO", "replaced"));

            RespondProcessorType.Options options = respondOptions(config.hooks().get(0));
            assertThat(options.body().source()).isEqualTo("literal $${FOO}");
            assertThat(options.body().render(FakeHookRequest.withBody(""))).isEqualTo("literal ${FOO}");
        }

        @Test
        void leavesLowerCaseReferencesForTheTemplateEvenWhenTheEnvironmentHasThem() throws Exception {
            Map<String, String> env = new HashMap<>();
            env.put("body", "from-env");
            env.put("path.name", "from-env");
            GatewayConfig config = parse(respondHook("/h/{name}", "${body} ${path.name} ${json:/a}"), env);

            assertThat(firstBody(config)).isEqualTo("${body} ${path.name} ${json:/a}");
        }

        @Test
        void doesNotReplaceInsideKeys() throws Exception {
            List<ConfigProblems.Problem> problems = problems("server: {'${KEY}': 1}\n" + ONE_HOOK,
                    Map.of("KEY", "port"));

            assertThat(keyPaths(problems)).containsExactly("server.${KEY}");
        }
    }

    @Nested
    class OtherSources {

        private final ConfigLoader loader = new ConfigLoader(ProcessorRegistry.load(), name -> null);

        @Test
        void acceptsTheSameConfigurationWrittenAsJson(@TempDir Path dir) throws Exception {
            String json = """
                    {
                      "server": {"port": 9000, "idle-timeout": "5s", "max-body-size": "4KiB"},
                      "metrics": {"enabled": false},
                      "hooks": [
                        {"name": "h", "path": "/h/{id}", "methods": ["get"],
                         "processor": {"type": "respond", "status": 201, "body": "id ${path.id}"}}
                      ]
                    }
                    """;

            GatewayConfig config = loader.parse(json, "test.json", dir, true);

            assertThat(config.server().port()).isEqualTo(9000);
            assertThat(config.server().idleTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(config.server().maxBodyBytes()).isEqualTo(4096);
            assertThat(config.metrics().enabled()).isFalse();
            HookConfig hook = config.hooks().get(0);
            assertThat(hook.methods()).isEqualTo(Set.of("GET"));
            assertThat(respondOptions(hook).status()).isEqualTo(201);
            assertThat(respondOptions(hook).body().source()).isEqualTo("id ${path.id}");
            assertThat(config.directory()).isEqualTo(dir);
        }

        @Test
        void reportsAJsonSyntaxErrorWithItsLineAndColumn(@TempDir Path dir) {
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> loader.parse("{\n  \"hooks\": [\n}\n", "test.json", dir, true));

            assertThat(e.source()).isEqualTo("test.json");
            assertThat(e.problems()).singleElement()
                    .satisfies(p -> assertThat(p.message()).startsWith("line 3, column 1: "));
        }

        @Test
        void refusesADuplicateJsonKey(@TempDir Path dir) {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse(
                    "{\"hooks\": [], \"hooks\": []}", "test.json", dir, true));

            assertThat(e.problems()).singleElement()
                    .satisfies(p -> assertThat(p.message()).contains("Duplicate field 'hooks'"));
        }

        @Test
        void loadsAFileAndResolvesAgainstItsDirectory(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("gw.yaml");
            Files.writeString(file, ONE_HOOK, StandardCharsets.UTF_8);

            GatewayConfig config = loader.load(file);

            assertThat(config.source()).isEqualTo(file.toString());
            assertThat(config.directory()).isEqualTo(dir.toAbsolutePath());
            assertThat(config.hooks()).extracting(HookConfig::name).containsExactly("h");
        }

        @Test
        void readsAFileEndingInJsonAsJson(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("gw.JSON");
            Files.writeString(file, "{\"hooks\": [{\"name\": \"j\", \"path\": \"/j\", "
                    + "\"processor\": {\"type\": \"respond\"}}]}", StandardCharsets.UTF_8);

            assertThat(loader.load(file).hooks()).extracting(HookConfig::name).containsExactly("j");
        }

        @Test
        void namesAMissingFileAndHowToGiveAnother(@TempDir Path dir) {
            Path file = dir.resolve("absent.yaml");

            assertThatThrownBy(() -> loader.load(file))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("file not found; check the path given with --config or HOOK_GATEWAY_CONFIG");
        }

        @Test
        void namesTheFileInEveryProblemOfAFile(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("bad.yaml");
            Files.writeString(file, "hooks:\n  - {name: h, path: /h, metods: [GET], processor: {type: respond}}\n",
                    StandardCharsets.UTF_8);

            ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.load(file));

            assertThat(e.source()).isEqualTo(file.toString());
            assertThat(e.getMessage()).contains(file + ": hooks[0].metods: unknown key");
        }
    }

    @Nested
    class ThirdPartyProcessorTypes {

        /** A type whose option parsing fails with an exception instead of reporting a problem. */
        public static final class ExplodingType implements ProcessorType<String> {
            @Override
            public String name() {
                return "exploding";
            }

            @Override
            public String parseOptions(ConfigNode options, ProcessorContext.Static context) {
                throw new IllegalStateException("boom");
            }

            @Override
            public HookProcessor create(String options, ProcessorContext context) {
                throw new UnsupportedOperationException();
            }
        }

        /** A type that reads one option, {@code url}, the way a well-behaved plug-in does. */
        public static final class ForwardType implements ProcessorType<String> {
            @Override
            public String name() {
                return "relay";
            }

            @Override
            public String parseOptions(ConfigNode options, ProcessorContext.Static context) {
                String url = options.requiredString("url", "write the URL to relay to");
                options.finish();
                return url;
            }

            @Override
            public HookProcessor create(String options, ProcessorContext context) {
                throw new UnsupportedOperationException();
            }
        }

        /** Problems of a configuration read with the two types above on the class path beside {@code respond}. */
        private List<ConfigProblems.Problem> problemsWith(Path dir, String yaml) throws IOException {
            Path services = dir.resolve("META-INF/services/" + ProcessorType.class.getName());
            Files.createDirectories(services.getParent());
            Files.writeString(services, ExplodingType.class.getName() + "\n" + ForwardType.class.getName() + "\n",
                    StandardCharsets.UTF_8);
            try (URLClassLoader classes = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                    ConfigLoaderTest.class.getClassLoader())) {
                ConfigLoader loader = new ConfigLoader(ProcessorRegistry.load(classes), name -> null);
                ConfigException e = catchThrowableOfType(ConfigException.class,
                        () -> loader.parse(yaml, "test.yaml", dir, false));
                assertThat(e).isNotNull();
                return e.problems();
            }
        }

        @Test
        void reportsATypeThatFailsWhileReadingItsOptionsAtTheProcessorKey(@TempDir Path dir) throws Exception {
            List<ConfigProblems.Problem> problems = problemsWith(dir,
                    "hooks:\n  - {name: h, path: /h, processor: {type: exploding}}\n");

            assertThat(problemAt(problems, "hooks[0].processor"))
                    .isEqualTo("processor 'exploding' could not read its options: boom");
        }

        @Test
        void givesAThirdPartyTypeTheSameMessagesAsTheBuiltInOne(@TempDir Path dir) throws Exception {
            List<ConfigProblems.Problem> problems = problemsWith(dir, """
                    hooks:
                      - {name: a, path: /a, processor: {type: relay, ulr: "http://x"}}
                      - {name: b, path: /b, processor: {type: rely}}
                    """);

            assertThat(problemAt(problems, "hooks[0].processor.url")).isEqualTo("is required; write the URL to relay to");
            assertThat(problemAt(problems, "hooks[0].processor.ulr")).contains("did you mean 'url'?");
            assertThat(problemAt(problems, "hooks[1].processor.type")).contains("did you mean 'relay'?",
                    "Known types: ", "exploding", "relay", "respond");
        }
    }
}
