package io.hookgateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.logging.LogText;
import io.hookgateway.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line, through {@link HookGateway#run}: help, version, option errors, and {@code --check} of good and bad
 * configurations, with the exit status a script sees. Every call here returns without starting the gateway. One test
 * runs the real {@code main} in a child JVM to see the exit status the operating system reports.
 */
class HookGatewayCliTest {

    private static final String GOOD = """
            server: {port: 9000}
            metrics: {port: 9001}
            hooks:
              - name: lamp
                path: /lamp/{state}
                methods: [POST, get]
                processor: {type: respond, body: "lamp ${path.state}"}
            """;

    private static final String BAD = """
            hooks:
              - name: lamp
                path: /lamp
                metods: [POST]
                processor: {type: respond}
            """;

    @TempDir
    Path dir;

    /** What one run printed and returned. */
    private record Result(int status, String out, String err) {
    }

    private static Result run(Map<String, String> env, String... args) {
        return runWithInput("", env, args);
    }

    private static Result runWithInput(String input, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = HookGateway.run(args, env, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                    o, e);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Result run(String... args) {
        return run(Map.of(), args);
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--help", "-h"})
    void helpPrintsUsageWithEveryOptionAndExits0(String option) {
        Result result = run(option);

        assertThat(result.status()).isZero();
        assertThat(result.out()).startsWith("Usage: java -jar hook-gateway.jar [options]")
                .contains("--config FILE", "--port N", "--metrics-port N", "--bind ADDR", "--check", "--healthcheck", "--version",
                        "--help", "HOOK_GATEWAY_CONFIG");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void helpWinsOverCheckAndDoesNotReadTheConfiguration() {
        Result result = run("--check", "--config", dir.resolve("absent.yaml").toString(), "--help");

        assertThat(result.status()).isZero();
        assertThat(result.out()).startsWith("Usage:");
    }

    @Test
    void versionPrintsTheVersionAndExits0() {
        Result result = run("--version");

        assertThat(result.status()).isZero();
        assertThat(result.out()).isEqualTo("hook-gateway " + HookGateway.version() + System.lineSeparator());
        assertThat(result.err()).isEmpty();
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithAHint() {
        Result result = run("--frobnicate");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("hook-gateway: unknown option '--frobnicate'" + System.lineSeparator()
                + "Try --help." + System.lineSeparator());
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aBareArgumentIsAnUnknownOption() {
        Result result = run("gateway.yaml");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("unknown option 'gateway.yaml'");
    }

    @ParameterizedTest(name = "--port {0}")
    @ValueSource(strings = {"abc", "70000", "-1", "8080x", ""})
    void aPortThatIsNotAPortNumberIsAUsageError(String value) {
        Result result = run("--check", "--port", value);

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("hook-gateway: --port must be a port number from 0 to 65535, not '"
                + value + "'");
    }

    @Test
    void aBadMetricsPortWrittenWithEqualsIsAUsageError() {
        Result result = run("--check", "--metrics-port=http");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("--metrics-port must be a port number from 0 to 65535, not 'http'");
    }

    @ParameterizedTest(name = "{0} without a value")
    @ValueSource(strings = {"--config", "--port", "--metrics-port", "--bind"})
    void anOptionMissingItsValueIsAUsageError(String option) {
        Result atEnd = run(option);
        Result beforeAnotherOption = run(option, "--check");

        assertThat(atEnd.status()).isEqualTo(2);
        assertThat(atEnd.err()).contains("hook-gateway: " + option + " needs a value");
        assertThat(beforeAnotherOption.status()).isEqualTo(2);
        assertThat(beforeAnotherOption.err()).contains(option + " needs a value");
    }

    @Test
    void checkOfTheEmbeddedDefaultPassesAndListsItsHooks() {
        Result result = run("--check");

        assertThat(result.status()).isZero();
        assertThat(result.out().lines().toList()).containsExactly(
                "configuration OK: <embedded default> (3 hooks)",
                "  post: POST /post -> respond",
                "  hello: GET /hello/{name} -> respond",
                "  ifttt-echo: POST /ifttt/{event} -> respond");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void checkOfAGoodFilePassesAndListsItsHooksWithSortedMethods() throws Exception {
        Path file = write("good.yaml", GOOD);

        Result result = run("--check", "--config", file.toString());

        assertThat(result.status()).isZero();
        assertThat(result.out().lines().toList()).containsExactly(
                "configuration OK: " + file + " (1 hooks)",
                "  lamp: GET,POST /lamp/{state} -> respond");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void checkAcceptsTheConfigOptionWrittenWithEquals() throws Exception {
        Path file = write("good.yaml", GOOD);

        Result result = run("--config=" + file, "--check");

        assertThat(result.status()).isZero();
        assertThat(result.out()).startsWith("configuration OK: " + file);
    }

    @Test
    void checkOfAJsonFilePasses() throws Exception {
        Path file = write("good.json", """
                {"hooks": [{"name": "j", "path": "/j", "processor": {"type": "respond", "body": "ok"}}]}
                """);

        Result result = run("--check", "--config", file.toString());

        assertThat(result.status()).isZero();
        assertThat(result.out()).contains("  j: POST /j -> respond");
    }

    @Test
    void checkOfABadFileExits2AndNamesTheFileAndTheKeyPath() throws Exception {
        Path file = write("bad.yaml", BAD);

        Result result = run("--check", "--config", file.toString());

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("invalid configuration in " + file + " (1 problem)")
                .contains(file + ": hooks[0].metods: unknown key; did you mean 'methods'?");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void checkReportsEveryProblemOfABadFile() throws Exception {
        Path file = write("bad.yaml", """
                server: {port: http}
                hooks:
                  - {name: 'a b', path: /x, methods: [FETCH], processor: {type: respnd}}
                """);

        Result result = run("--check", "--config", file.toString());

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("server.port:", "hooks[0].name:", "hooks[0].methods:",
                "hooks[0].processor.type:", "did you mean 'respond'?");
    }

    @Test
    void aBadFileExits2EvenWithoutCheck() throws Exception {
        Path file = write("bad.yaml", BAD);

        Result result = run("--config", file.toString());

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("hooks[0].metods");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--check", "--port=0"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aGuardSecretGivenByYamlAliasExits2WithTheFileLineAndFix(String option) throws Exception {
        // Read as Jackson's tree reader reads it, hook b's secret would be the text "key", and ?key=key would pass.
        Path file = write("alias.yaml", """
                hooks:
                  - name: a
                    path: /a
                    guard: {equals: {value: "${query.key}", to: &key "s3cret"}}
                    processor: {type: respond}
                  - name: b
                    path: /b
                    guard: {equals: {value: "${query.key}", to: *key}}
                    processor: {type: respond}
                """);

        Result result = run(option, "--metrics-port=0", "--config", file.toString());

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains(file + ": hooks[1].guard.equals.to: line 8: *key is a YAML alias",
                "keep a shared secret in an environment variable and write ${NAME}");
        assertThat(result.out()).isEmpty();
    }

    @ParameterizedTest(name = "IFTTT_KEY=''{0}''")
    @ValueSource(strings = {"", " "})
    void anEmptyGuardSecretFromTheEnvironmentFailsCheckInsteadOfOpeningTheGuard(String key) throws Exception {
        Path file = write("guard.yaml", """
                hooks:
                  - name: lamp
                    path: /lamp
                    guard: {equals: {value: "${query.key}", to: "${IFTTT_KEY}"}}
                    processor: {type: respond}
                """);

        Result result = run(Map.of("IFTTT_KEY", key), "--check", "--config", file.toString());

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains(file + ": hooks[0].guard.equals.to: uses environment variable IFTTT_KEY, "
                + "which is empty");
    }

    @Test
    void aMissingFileExits2AndSaysHowToGiveAnother() {
        Path file = dir.resolve("absent.yaml");

        Result result = run("--check", "--config", file.toString());

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains(file.toString())
                .contains("file not found; check the path given with --config or HOOK_GATEWAY_CONFIG");
    }

    @Test
    void aDirectoryGivenAsTheFileExits2() {
        Result result = run("--check", "--config", dir.toString());

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains(dir.toString(), "cannot be read");
    }

    @Test
    void readsTheFileNamedByHookGatewayConfig() throws Exception {
        Path file = write("from-env.yaml", GOOD);

        Result result = run(Map.of("HOOK_GATEWAY_CONFIG", file.toString()), "--check");

        assertThat(result.status()).isZero();
        assertThat(result.out()).startsWith("configuration OK: " + file + " (1 hooks)");
    }

    @Test
    void reportsABadFileNamedByHookGatewayConfig() throws Exception {
        Path file = write("from-env.yaml", BAD);

        Result result = run(Map.of("HOOK_GATEWAY_CONFIG", file.toString()), "--check");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains(file + ": hooks[0].metods");
    }

    @Test
    void theConfigOptionWinsOverHookGatewayConfig() throws Exception {
        Path good = write("good.yaml", GOOD);
        Path bad = write("bad.yaml", BAD);

        Result result = run(Map.of("HOOK_GATEWAY_CONFIG", bad.toString()), "--check", "--config", good.toString());

        assertThat(result.status()).isZero();
        assertThat(result.out()).startsWith("configuration OK: " + good);
    }

    @Test
    void aBlankHookGatewayConfigMeansTheEmbeddedDefault() {
        Result result = run(Map.of("HOOK_GATEWAY_CONFIG", "  "), "--check");

        assertThat(result.status()).isZero();
        assertThat(result.out()).startsWith("configuration OK: <embedded default>");
    }

    @Test
    void substitutesVariablesFromTheGivenEnvironment() throws Exception {
        Path file = write("env.yaml", "server: {port: '${HOOK_PORT}'}\n" + GOOD.substring(GOOD.indexOf("metrics:")));

        Result set = run(Map.of("HOOK_PORT", "9100"), "--check", "--config", file.toString());
        Result unset = run(Map.of(), "--check", "--config", file.toString());

        assertThat(set.status()).isZero();
        assertThat(unset.status()).isEqualTo(2);
        assertThat(unset.err()).contains("server.port: environment variable HOOK_PORT is not set");
    }

    @Test
    void aHookPortEqualToTheDefaultMetricsPortIsRefused() {
        Result result = run("--check", "--port", "8081");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("<embedded default>: metrics.port: is the same as the hook port (8081); "
                + "give metrics a port of their own with --metrics-port");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aMetricsPortEqualToTheFilesHookPortIsRefused() throws Exception {
        Path file = write("good.yaml", GOOD);

        Result result = run("--check", "--config", file.toString(), "--metrics-port", "9000");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("metrics.port: is the same as the hook port (9000)");
    }

    @Test
    void portOverridesThatDoNotClashPassTheCheck() {
        Result result = run("--check", "--port", "8081", "--metrics-port=8082", "--bind", "127.0.0.1");

        assertThat(result.status()).isZero();
        assertThat(result.out()).startsWith("configuration OK: <embedded default>");
    }

    @Test
    void theSamePortIsAllowedWhenEitherIsZero() {
        assertThat(run("--check", "--port", "0", "--metrics-port", "0").status()).isZero();
    }

    @Test
    void aRealProcessExits2AndNamesTheBadKeyOnStandardError() throws Exception {
        Path file = write("bad.yaml", BAD);
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                HookGateway.class.getName(),
                "--config", file.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().remove("HOOK_GATEWAY_CONFIG");

        Process process = builder.start();
        boolean exited;
        try {
            exited = process.waitFor(30, TimeUnit.SECONDS);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }

        assertThat(exited).as("the gateway exited within 30 s").isTrue();
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("exit status; stderr:\n%s", err).isEqualTo(2);
        assertThat(err).contains(file + ": hooks[0].metods: unknown key; did you mean 'methods'?");
    }

    @Test
    void refusesAnEmptyConfigFileNameInsteadOfFallingBackToTheDefault() {
        Result result = run(Map.of("HOOK_GATEWAY_CONFIG", "/elsewhere.yaml"), "--check", "--config=");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("--config needs a file, but was given an empty value");
    }

    @Test
    void refusesAnEmptyBindAddress() {
        Result result = run(Map.of(), "--check", "--bind", "");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("--bind needs an address");
    }

    /** Checks that no line of {@code text} holds anything that could end a line or drive a terminal. */
    private static void assertEscaped(String text) {
        assertThat(text.lines()).allSatisfy(line -> assertThat(line.codePoints()
                .filter(c -> c != '\\' && LogText.isUnsafe(c)).mapToObj(Integer::toHexString).toList())
                .as(line).isEmpty());
    }

    @Test
    void everyProblemOfAHostileConfigurationIsPrintedAsOneEscapedLine() throws Exception {
        // A key that sets the terminal's title, a name that clears the screen, a path that forges a log line.
        Path file = write("bad\u001B[2J\u202E.yaml", """
                "evil\\e]0;PWN\\a\\r\\u202eKEY": 1
                hooks:
                  - name: "b\\e[2J"
                    path: "/b\\r\\nINFO fake"
                    processor: {type: respond}
                """);

        Result result = run("--check", "--config", file.toString());

        assertThat(result.status()).isEqualTo(2);
        assertEscaped(result.err());
        String source = dir.resolve("bad") + "\\u001B[2J\\u202E.yaml";
        assertThat(result.err().lines().toList()).satisfiesExactly(
                header -> assertThat(header).isEqualTo("invalid configuration in " + source + " (3 problems)"),
                name -> assertThat(name).startsWith("  " + source + ": hooks[0].name: 'b\\u001B[2J' is not"),
                path -> assertThat(path).startsWith("  " + source + ": hooks[0].path: '/b\\r\\nINFO fake' "),
                key -> assertThat(key).startsWith("  " + source + ": evil\\u001B]0;PWN\\u0007\\r\\u202EKEY: "
                        + "unknown key"));
    }

    @Test
    void checkListsTheHooksOfAFileWithAHostileNameOnEscapedLines() throws Exception {
        Path file = write("good\r\nINFO fake\u001B]0;PWN\u0007.yaml", GOOD);

        Result result = run("--check", "--config", file.toString());

        assertThat(result.status()).isZero();
        assertEscaped(result.out());
        assertThat(result.out().lines().toList()).containsExactly(
                "configuration OK: " + dir.resolve("good") + "\\r\\nINFO fake\\u001B]0;PWN\\u0007.yaml (1 hooks)",
                "  lamp: GET,POST /lamp/{state} -> respond");
    }

    @Test
    void anOptionQuotedInAUsageErrorIsEscaped() {
        Result result = run("--\u001B]0;PWN\u0007\r\nINFO fake");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err().lines().toList()).containsExactly(
                "hook-gateway: unknown option '--\\u001B]0;PWN\\u0007\\r\\nINFO fake'", "Try --help.");
    }

    @Test
    void hashPasswordPrintsAHashThatABasicAuthAcceptsAndNeverThePassword() throws Exception {
        Result result = runWithInput("s3cret pass phrase\n", Map.of(), "--hash-password");

        assertThat(result.status()).isZero();
        String hash = result.out().strip();
        assertThat(hash).startsWith("pbkdf2-sha256$600000$").doesNotContain("s3cret");
        assertThat(result.err()).isEmpty();
        Path config = write("basic.yaml", """
                hooks:
                  - name: lamp
                    path: /lamp
                    auth: {basic: {users: {alice: "${HASH}"}}}
                    processor: {type: respond, body: "on"}
                """);
        Result check = run(Map.of("HASH", hash), "--check", "--config", config.toString());
        assertThat(check.status()).as(check.err()).isZero();
    }

    @Test
    void hashPasswordRefusesAnEmptyPassword() {
        Result result = runWithInput("\n", Map.of(), "--hash-password");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("the password is empty; nothing was hashed");
    }

    /** A configuration with one TLS listener serving the certificate with {@code key}, and {@code more} options. */
    private Path tlsConfig(TestPki.Issued certificate, Path key, String more) throws Exception {
        return write("tls.yaml", """
                server:
                  tls: {certificate: '%s', key: '%s'%s}
                hooks:
                  - {name: lamp, path: /lamp, processor: {type: respond}}
                """.formatted(certificate.certificate(), key, more));
    }

    @Test
    void checkSaysWhatEachTlsListenerServes() throws Exception {
        TestPki pki = new TestPki(dir.resolve("pki"));
        TestPki.Authority ca = pki.authority("check");
        TestPki.Issued server = pki.server(ca, "hooks.example.com");

        Result result = run("--check", "--config", tlsConfig(server, server.key(),
                ", client-ca: '" + ca.certificate() + "'").toString());

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).contains("  TLS on 0.0.0.0:8443: CN=hooks.example.com for hooks.example.com, serial "
                + server.serial().toString(16) + ", valid " + server.x509().getNotBefore().toInstant() + " to "
                + server.x509().getNotAfter().toInstant() + "; client certificates required, from "
                + ca.certificate());
    }

    @Test
    void checkExits2NamingTheFileTheKeyAndTheFixForAKeyThatIsNotTheCertificates() throws Exception {
        TestPki pki = new TestPki(dir.resolve("pki"));
        TestPki.Authority ca = pki.authority("check");
        Path config = tlsConfig(pki.server(ca, "hooks.example.com"), ca.key(), "");

        Result result = run("--check", "--config", config.toString());

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains(config + ": server.tls.key: " + ca.key() + " is not the key of the "
                + "certificate in ").contains("give the key the certificate was issued for")
                .doesNotContain("PRIVATE KEY");
    }

    @Test
    void portRefusesTheTlsListenersPort() throws Exception {
        TestPki pki = new TestPki(dir.resolve("pki"));
        TestPki.Issued server = pki.server(pki.authority("check"), "hooks.example.com");

        Result result = run("--check", "--config", tlsConfig(server, server.key(), "").toString(), "--port", "8443");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("server.tls.port: is the same as server.port (8443)");
    }

    @Test
    void turnsLeakDetectionOffUnlessTheCommandLineChoseALevel() {
        Properties none = new Properties();
        HookGateway.chooseLeakDetection(none);
        assertThat(none.getProperty(HookGateway.LEAK_DETECTION)).isEqualTo("disabled");

        Properties chosen = new Properties();
        chosen.setProperty(HookGateway.LEAK_DETECTION, "paranoid");
        HookGateway.chooseLeakDetection(chosen);
        assertThat(chosen.getProperty(HookGateway.LEAK_DETECTION)).isEqualTo("paranoid");

        Properties legacy = new Properties();
        legacy.setProperty(HookGateway.LEAK_DETECTION_LEGACY, "simple");
        HookGateway.chooseLeakDetection(legacy);
        assertThat(legacy.getProperty(HookGateway.LEAK_DETECTION)).isNull();
    }
}
