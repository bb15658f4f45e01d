package io.hookgateway.processors.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgateway.config.ConfigException;
import io.hookgateway.config.ConfigProblems;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.Requests;
import io.hookgateway.testing.TestGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request values and shell scripts, in every context a shell has: plain words, double quotes, {@code $( )}, backticks,
 * {@code $(( ))}, here-documents and {@code case}. Written into the script as a template, a value is refused when the
 * configuration loads, whatever it holds; passed the safe way, in a variable the script reads as {@code "$V"}, every
 * hostile value reaches a {@link Recorder} as data, under /bin/sh (dash here) and bash alike, and no marker file is
 * ever created. In arithmetic the safe way is the README's: check the value with {@code case} first.
 */
class ShellContextsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A place in a script where a value can go: {@code unsafe} writes it there as a template (refused at load),
     * {@code safe} reads it from the variable {@code V}. {@code @R@ ARGS} stands for the recorder, writing ARGS under
     * the context's name; {@code recorded} is what the safe script records for a hostile value.
     */
    record Context(String name, String unsafe, String safe, Function<String, List<String>> recorded) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Context> CONTEXTS = List.of(
            new Context("plain", "@R@ ${json:/v}", "@R@ \"$V\"", List::of),
            new Context("double-quotes", "@R@ \"got ${json:/v} end\"", "@R@ \"got $V end\"",
                    v -> List.of("got " + v + " end")),
            new Context("command-substitution", "@R@ \"$(printf '%s' \"${json:/v}\")\"",
                    "@R@ \"$(printf '%s' \"$V\")\"", v -> List.of(withoutTrailingNewlines(v))),
            new Context("backticks", "x=`printf '%s' \"${json:/v}\"`; @R@ \"$x\"",
                    "x=`printf '%s' \"$V\"`; @R@ \"$x\"", v -> List.of(withoutTrailingNewlines(v))),
            // README: a request value never goes into arithmetic unchecked; case lets only a plain number through.
            new Context("arithmetic", "@R@ \"$(( ${json:/v} + 1 ))\"", """
                    case "$V" in
                      ''|*[!0123456789]*|0?*|??????????*) @R@ refused "$V"; exit 2 ;;
                    esac
                    @R@ "$((V + 1))"
                    """, v -> List.of("refused", v)),
            new Context("here-document", "@R@ \"$(cat <<EOF\n${json:/v}\nEOF\n)\"",
                    "@R@ \"$(cat <<EOF\n$V\nEOF\n)\"", v -> List.of(withoutTrailingNewlines(v))),
            new Context("case", "case ${json:/v} in on|off) @R@ switch ;; esac", """
                    case "$V" in
                      on|off) @R@ switch "$V" ;;
                      "$V") @R@ other "$V" ;;
                    esac
                    """, v -> List.of("other", v)));

    /** The shells a safe script is run by: /bin/sh through shell: true, and bash as a program with -c. */
    enum Shell { SH, BASH }

    @TempDir
    static Path dir;
    private static Path marker;
    private static Recorder recorder;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        marker = dir.resolve(HostileValues.MARKER);
        recorder = Recorder.in(dir);
        StringBuilder yaml = new StringBuilder("server: {access-log: false}\nhooks:\n");
        for (Shell shell : Shell.values()) {
            for (Context context : CONTEXTS) {
                String name = shell.name().toLowerCase() + "-" + context.name();
                String script = json(context.safe().replace("@R@", recorder.program() + " " + recorder.as(name)));
                yaml.append("""
                          - name: %1$s
                            path: /%1$s
                            processor:
                              type: command
                              working-directory: %2$s
                              command: %3$s
                              env: {V: "${json:/v}", HOOK_SECRET: %4$s}
                              exit-codes: {2: 400}
                        """.formatted(name, dir, shell == Shell.SH ? script + "\n      shell: true"
                        : "[bash, -c, " + script + ", bash]", HostileValues.SECRET));
            }
        }
        gateway = TestGateway.start(yaml.toString());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @BeforeEach
    void noMarker() throws IOException {
        Files.deleteIfExists(marker);
    }

    static Stream<Arguments> contextsAndHostileValues() {
        return CONTEXTS.stream().flatMap(c -> HostileValues.all().map(v -> Arguments.of(c, v)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("contextsAndHostileValues")
    void refusesARequestValueWrittenIntoTheScriptWhenTheConfigurationLoads(Context context, String value)
            throws Exception {
        // The hostile value is the reference's default, so it is written into the script itself.
        String reference = value.contains("}") ? "${json:/v}" : "${json:/v:-" + value + "}";
        String script = context.unsafe().replace("${json:/v}", reference)
                .replace("@R@", recorder.program() + " " + recorder.as("unsafe"));
        String yaml = """
                hooks:
                  - name: unsafe
                    path: /unsafe
                    processor: {type: command, shell: true, working-directory: %s, command: %s}
                """.formatted(dir, json(script));

        assertThatThrownBy(() -> TestGateway.parse(yaml, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .singleElement()
                        .satisfies(p -> assertThat(p.keyPath()).isEqualTo("hooks[0].processor.command"))
                        .extracting(ConfigProblems.Problem::message).asString()
                        .startsWith(reference + " in the script of shell: true would put a request value into "
                                + "program text")
                        .contains("env: {V: \"" + reference + "\"}", "read it there as \"$V\", in double quotes",
                                "\"$${V}\" where braces are needed"));
        assertThat(marker).doesNotExist();
    }

    @Test
    void namesEveryRequestValueInTheScriptAtOnce() {
        String script = "echo ${query.q} \"${header.X-Token}\" $(cat ${path.p}) ${form.f} ${body} ${request.id} "
                + "${client.address} ${hook.name} ${json:/repository/full_name} ${query.path}";

        assertThatThrownBy(() -> TestGateway.parse("""
                hooks:
                  - name: unsafe
                    path: /unsafe/{p}
                    processor: {type: command, shell: true, command: %s}
                """.formatted(json(script)), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblems.Problem::message)
                        .satisfiesExactly(
                                m -> assertThat(m).startsWith("${query.q} ").contains("env: {Q: \"${query.q}\"}"),
                                m -> assertThat(m).startsWith("${header.X-Token} ")
                                        .contains("env: {X_TOKEN: \"${header.X-Token}\"}", "\"$X_TOKEN\""),
                                m -> assertThat(m).startsWith("${path.p} ").contains("env: {P: \"${path.p}\"}"),
                                m -> assertThat(m).startsWith("${form.f} ").contains("env: {F: \"${form.f}\"}"),
                                m -> assertThat(m).startsWith("${body} ").contains("env: {BODY: \"${body}\"}"),
                                m -> assertThat(m).startsWith("${request.id} ").contains("{REQUEST_ID: "),
                                m -> assertThat(m).startsWith("${client.address} ").contains("{CLIENT_ADDRESS: "),
                                m -> assertThat(m).startsWith("${hook.name} ").contains("{HOOK_NAME: "),
                                m -> assertThat(m).startsWith("${json:/repository/full_name} ")
                                        .contains("{FULL_NAME: "),
                                // Never a name the shell itself reads.
                                m -> assertThat(m).startsWith("${query.path} ")
                                        .contains("env: {HOOK_PATH: \"${query.path}\"}", "\"$HOOK_PATH\"")));
    }

    @Test
    void checkFindsARequestValueInTheScriptAndExits2() throws Exception {
        Path config = Files.writeString(dir.resolve("unsafe.yaml"), """
                hooks:
                  - name: find
                    path: /find
                    processor:
                      type: command
                      shell: true
                      command: 'echo "found: $(find /srv/handlers -name "${query.name}")"'
                """);
        GatewayCheck.Result check = GatewayCheck.run(config);

        assertThat(check.status()).as(check.output()).isEqualTo(2);
        assertThat(check.output()).contains(config + ": hooks[0].processor.command: ${query.name} in the script of "
                + "shell: true would put a request value into program text", "env: {NAME: \"${query.name}\"}");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("shellsAndContexts")
    void passesEveryHostileValueThroughAVariableAsData(Shell shell, Context context) throws Exception {
        String name = shell.name().toLowerCase() + "-" + context.name();
        SoftAssertions soft = new SoftAssertions();
        HostileValues.all().forEach(value -> {
            try {
                recorder.clear(name);
                RawHttp.Response answer = post("/" + name, value);

                soft.assertThat(answer.status()).as("status for %s", value)
                        .isEqualTo(context.name().equals("arithmetic") ? 400 : 200);
                soft.assertThat(recorder.arguments(name)).as("recorded for %s", value)
                        .isEqualTo(context.recorded().apply(value));
                soft.assertThat(marker).as("marker after %s", value).doesNotExist();
                Files.deleteIfExists(marker);
            } catch (IOException e) {
                soft.fail("%s: %s", value, e);
            }
        });
        soft.assertAll();
    }

    static Stream<Arguments> shellsAndContexts() {
        return Stream.of(Shell.values()).flatMap(s -> CONTEXTS.stream().map(c -> Arguments.of(s, c)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void letsAPlainNumberThroughTheArithmeticCheck(Shell shell) throws Exception {
        String name = shell.name().toLowerCase() + "-arithmetic";
        for (String number : List.of("0", "41", "999999999")) {
            RawHttp.Response answer = post("/" + name, number);

            assertThat(answer.status()).isEqualTo(200);
            assertThat(recorder.arguments(name)).containsExactly(Long.toString(Long.parseLong(number) + 1));
        }
    }

    static Stream<Shell> shells() {
        return Stream.of(Shell.values());
    }

    private static RawHttp.Response post(String path, String value) throws IOException {
        return gateway.exchange(Requests.postJson(path, JSON.writeValueAsString(Map.of("v", value))));
    }

    /** Text as one YAML double-quoted scalar (JSON's string syntax is a subset of YAML's). */
    private static String json(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What command substitution does to its output (POSIX XCU 2.6.3). */
    private static String withoutTrailingNewlines(String text) {
        return text.replaceFirst("\n+$", "");
    }
}
