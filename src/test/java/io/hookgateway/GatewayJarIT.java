package io.hookgateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgateway.testing.Await;
import io.hookgateway.testing.PrometheusText;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.Requests;
import io.hookgateway.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar ({@code target/hook-gateway.jar}, passed by failsafe as {@code hookgateway.jar}) run as a real child
 * process, the way an operator runs it: it serves the seed hook and its metrics on the epoll transport, drains and
 * exits 0 on SIGTERM with every access line written out, escapes control and bidi characters in its log, refuses a bad
 * configuration with exit status 2, reports a busy port with exit status 1, prints its version, and carries its
 * native libraries for both Linux CPUs.
 */
class GatewayJarIT {

    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static Path jar;
    private static HttpClient http;

    @BeforeAll
    static void findJar() {
        String property = System.getProperty("hookgateway.jar");
        assertThat(property).as("system property hookgateway.jar (set by failsafe in pom.xml)").isNotBlank();
        jar = Path.of(property);
        assertThat(jar).as("the packaged jar").isRegularFile();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void servesTheSeedHookAndMetricsThenDrainsAndExitsZeroOnSigterm() throws Exception {
        try (Child gateway = Child.serve()) {

            HttpResponse<String> seed = http.send(HttpRequest.newBuilder(local(gateway.hookPort, "/post"))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"value1\":\"x\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(seed.statusCode()).isEqualTo(200);
            assertThat(seed.body()).isEqualTo("SUCCESS");

            String scrape = get(gateway.metricsPort, "/metrics").body();
            assertThat(PrometheusText.sampleOrZero(scrape,
                    "hook_gateway_requests_seconds_count{hook=\"post\",method=\"POST\",status=\"200\"}"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(scrape).containsPattern("hook_gateway_build_info\\{version=\"\\d+\\.\\d+\\.\\d+[^\"]*\"} 1");

            stop(gateway);
            String stdout = gateway.stdout();
            assertThat(stdout).as("output:\n" + gateway.output())
                    .containsPattern("(?m)\\bstopping: draining requests in flight")
                    .containsPattern("(?m)\\bHookGateway\\s+stopped$");
            assertThat(stdout).contains("POST /post hook=post status=200");
            if (System.getProperty("os.name").equals("Linux")
                    && Set.of("amd64", "aarch64").contains(System.getProperty("os.arch"))) {
                assertThat(stdout).as("output:\n" + gateway.output()).contains("(epoll transport), metrics on");
            }
        }
    }

    /**
     * The jar runs on a Raspberry Pi 4/5 (64-bit) as it does on a PC: it carries Netty's native epoll transport and
     * BoringSSL for both Linux CPUs, each under the name Netty loads it by.
     */
    @Test
    void carriesTheNativeLibrariesForLinuxOnX8664AndAarch64() throws IOException {
        List<String> natives = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            file.stream().map(JarEntry::getName)
                    .filter(name -> name.startsWith("META-INF/native/") && name.endsWith(".so"))
                    .forEach(natives::add);
        }

        assertThat(natives).contains(
                "META-INF/native/libnetty_transport_native_epoll_x86_64.so",
                "META-INF/native/libnetty_transport_native_epoll_aarch_64.so",
                "META-INF/native/libnetty_tcnative_linux_x86_64.so",
                "META-INF/native/libnetty_tcnative_linux_aarch_64.so");
    }

    /**
     * Through the shipped logging configuration: a request path holding a right-to-left override, and a program's
     * error output holding a carriage return and terminal escape sequences, reach the log as visible escapes; no line
     * the gateway writes holds a control character (but its end) or a bidi formatting character.
     */
    @Test
    void escapesControlAndBidiCharactersInEveryLogLine(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, HOSTILE_HOOKS);
        try (Child gateway = Child.serve("--config", config.toString())) {
            sendHostileRequests(gateway);
            stop(gateway);

            String stdout = gateway.stdout();
            assertThat(stdout).as("output:\n" + gateway.output())
                    .contains("GET /files/\\u202Etxt.exe hook=files status=200")
                    .contains("stderr: first\\rforged\\u001B[2J\\u001B[31mred");
            assertThat(stdout.codePoints().filter(c -> c != '\n' && breaksOrReordersALine(c))
                    .mapToObj(c -> String.format("U+%04X", c))).as("output:\n" + gateway.output()).isEmpty();
        }
    }

    /** A hook whose path variable can hold anything, and one whose program writes terminal escapes to stderr. */
    private static final String HOSTILE_HOOKS = """
            hooks:
              - name: files
                path: /files/{name}
                methods: [GET]
                processor: {type: respond, body: "ok\\n"}
              - name: noisy
                path: /noisy
                processor:
                  type: command
                  command: [sh, -c, 'printf "first\\rforged\\033[2J\\033[31mred" >&2; exit 3']
            """;

    private static void sendHostileRequests(Child gateway) throws Exception {
        assertThat(get(gateway.hookPort, "/files/%E2%80%AEtxt.exe").statusCode()).isEqualTo(200);
        HttpRequest noisy = HttpRequest.newBuilder(local(gateway.hookPort, "/noisy"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build();
        assertThat(http.send(noisy, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(500);
    }

    /**
     * With {@code logging.format: json}, every line the jar writes, from its first to the last access line written
     * out at the stop, is one JSON object: the hostile values come back exactly from the parsed fields, and the
     * text of the output holds no character that could break or reorder a line. Run with the heap a small board gets.
     */
    @Test
    void writesEveryLineAsOneJsonObjectWhenAsked(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, "logging: {format: json}\n" + HOSTILE_HOOKS);
        try (Child gateway = Child.serve(List.of("-Xmx64m"), "--config", config.toString())) {
            sendHostileRequests(gateway);
            HttpResponse<String> seed = http.send(HttpRequest.newBuilder(local(gateway.hookPort, "/files/x"))
                    .header("X-Request-Id", "trace-42").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(seed.headers().firstValue("X-Request-Id")).hasValue("trace-42");
            stop(gateway);

            String stdout = gateway.stdout();
            assertThat(stdout.codePoints().filter(c -> c != '\n' && breaksOrReordersALine(c))
                    .mapToObj(c -> String.format("U+%04X", c))).as("output:\n" + gateway.output()).isEmpty();
            ObjectMapper mapper = new ObjectMapper();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : stdout.split("\n")) {
                lines.add(mapper.readTree(line));
            }
            assertThat(lines).as("output:\n" + gateway.output()).hasSizeGreaterThan(5)
                    .allSatisfy(l -> assertThat(l.isObject() && l.has("time") && l.has("level") && l.has("logger")
                            && l.has("message")).isTrue());
            assertThat(lines).anySatisfy(l -> assertThat(l.path("path").asText()).isEqualTo("/files/\u202etxt.exe"));
            assertThat(lines).anySatisfy(l -> assertThat(l.path("message").asText())
                    .contains("stderr: first\rforged\u001b[2J\u001b[31mred"));
            assertThat(lines).anySatisfy(l -> {
                assertThat(l.path("request_id").asText()).isEqualTo("trace-42");
                assertThat(l.path("hook").asText()).isEqualTo("files");
                assertThat(l.path("status").asInt()).isEqualTo(200);
                assertThat(l.path("client").asText()).isEqualTo("127.0.0.1");
            });
        }
    }

    /** Control characters, bidi and other format characters, line and paragraph separators. */
    private static boolean breaksOrReordersALine(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /**
     * Every request answered before SIGTERM has its access line in the output, even when the lines could not be
     * written as they came: standard output is not read while two thousand requests are answered, so most of their
     * lines wait in the access log's queue (or on a write to the full pipe) when the signal arrives. They are written
     * out before the process exits, not dropped with it.
     */
    @Test
    void writesTheAccessLineOfEveryAnsweredRequestBeforeExiting() throws Exception {
        try (Child gateway = Child.serve()) {
            gateway.holdOutput();
            int connections = 4;
            int perConnection = 1750;
            for (int c = 0; c < connections; c++) {
                try (RawHttp client = RawHttp.connect(gateway.hookPort)) {
                    StringBuilder pipelined = new StringBuilder();
                    for (int i = 0; i < perConnection; i++) {
                        pipelined.append(Requests.get("/missing/" + (c * perConnection + i)));
                    }
                    client.send(pipelined.toString());
                    for (int i = 0; i < perConnection; i++) {
                        assertThat(client.read().status()).isEqualTo(404);
                    }
                }
            }

            assertThat(gateway.process.toHandle().destroy()).isTrue();
            gateway.readOutput();
            assertThat(gateway.process.waitFor(15, TimeUnit.SECONDS)).as("exited within 15 s of SIGTERM").isTrue();
            assertThat(gateway.process.exitValue()).as("exit status; output:\n" + gateway.output()).isZero();

            Matcher line = Pattern.compile("\\bGET /missing/(\\d+) hook=unmatched status=404 ")
                    .matcher(gateway.stdout());
            Set<Integer> logged = new TreeSet<>();
            while (line.find()) {
                logged.add(Integer.parseInt(line.group(1)));
            }
            assertThat(logged).as("requests with an access line").hasSize(connections * perConnection);
        }
    }

    /**
     * The jar reloads its file on SIGHUP and when the file changes, with the command line's ports still in force (so
     * nothing is reported as needing a restart), refuses a file that is not valid and goes on serving, and still
     * drains and exits 0 on SIGTERM.
     */
    @Test
    void reloadsOnSighupAndWhenTheFileChanges(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("gateway.yaml");
        String hello = "hooks:\n  - {name: hello, path: /hello, processor: {type: respond, body: %s}}\n";
        Files.writeString(config, hello.formatted("one"));
        try (Child gateway = Child.serve("--config", config.toString())) {
            assertThat(post(gateway, "/hello")).isEqualTo("one");

            Process kill = new ProcessBuilder("sh", "-c", "kill -HUP " + gateway.process.pid()).start();
            assertThat(kill.waitFor()).isZero();
            Await.until(STARTUP, () -> "the SIGHUP reload; output:\n" + gateway.output(),
                    () -> gateway.stdout().contains("configuration reloaded (SIGHUP)"));
            assertThat(gateway.process.isAlive()).isTrue();

            Path temporary = dir.resolve(".gateway.yaml.swp");
            Files.writeString(temporary, hello.formatted("two"));
            Files.move(temporary, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Await.until(STARTUP, () -> "the new answer; output:\n" + gateway.output(),
                    () -> post(gateway, "/hello").equals("two"));

            Files.writeString(config, "hooks: []\n");
            Await.until(STARTUP, () -> "the refusal; output:\n" + gateway.output(),
                    () -> gateway.stdout().contains("hooks: is empty; add at least one hook"));
            assertThat(post(gateway, "/hello")).isEqualTo("two");

            // logging.format applies with the rest: the lines after the reload are JSON objects.
            Files.writeString(config, "logging: {format: json}\n" + hello.formatted("three"));
            Await.until(STARTUP, () -> "the switch to JSON lines; output:\n" + gateway.output(),
                    () -> post(gateway, "/hello").equals("three")
                            && gateway.stdout().contains("\"message\":\"configuration reloaded (the file changed)"));
            String scrape = get(gateway.metricsPort, "/metrics").body();
            assertThat(PrometheusText.sampleOrZero(scrape, "hook_gateway_config_reloads_total{result=\"applied\"}"))
                    .isEqualTo(3);
            assertThat(PrometheusText.sampleOrZero(scrape, "hook_gateway_config_reloads_total{result=\"refused\"}"))
                    .isEqualTo(1);

            stop(gateway);
            assertThat(gateway.stdout()).as("output:\n" + gateway.output()).doesNotContain("needs a restart");
        }
    }

    /** With no file to reload, SIGHUP is logged and ignored: it does not end the process, as its default would. */
    @Test
    void ignoresSighupWithTheEmbeddedDefault() throws Exception {
        try (Child gateway = Child.serve()) {
            Process kill = new ProcessBuilder("sh", "-c", "kill -HUP " + gateway.process.pid()).start();
            assertThat(kill.waitFor()).isZero();
            Await.until(STARTUP, () -> "SIGHUP logged; output:\n" + gateway.output(), () -> gateway.stdout()
                    .contains("SIGHUP: the embedded default configuration has no file to reload"));

            assertThat(get(gateway.metricsPort, "/readyz").statusCode()).isEqualTo(200);
            stop(gateway);
        }
    }

    private static String post(Child gateway, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(local(gateway.hookPort, path)).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void exitsTwoNamingTheUnknownKeyOfABadConfiguration(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                server:
                  prot: 8080
                hooks:
                  - name: post
                    path: /post
                    processor: {type: respond, body: OK}
                """);
        try (Child gateway = Child.start("--config", bad.toString())) {
            assertThat(gateway.process.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(gateway.process.exitValue()).as("output:\n" + gateway.output()).isEqualTo(2);
            assertThat(gateway.stderr()).contains("server.prot").contains("unknown key").contains("'port'");
            assertThat(gateway.stderr()).contains(bad.toString());
        }
    }

    @Test
    void exitsOneWhenTheHookPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Child gateway = Child.start("--port", String.valueOf(taken.getLocalPort()), "--metrics-port", "0",
                     "--bind", "127.0.0.1")) {
            assertThat(gateway.process.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(gateway.process.exitValue()).as("output:\n" + gateway.output()).isEqualTo(1);
            assertThat(gateway.stderr()).contains("cannot listen").contains(String.valueOf(taken.getLocalPort()));
        }
    }

    /**
     * The shaded jar carries netty-tcnative's BoringSSL for Linux, and it loads: TLS is served by OpenSSL there, to a
     * client that trusts the test's CA.
     */
    @Test
    void servesTlsByOpenSslFromTheJar(@TempDir Path dir) throws Exception {
        TestPki pki = new TestPki(dir.resolve("pki"));
        TestPki.Authority ca = pki.authority("jar");
        TestPki.Issued server = pki.server(ca, "localhost");
        int tlsPort = freePorts(1)[0];
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                server:
                  tls: {port: %d, certificate: '%s', key: '%s'}
                hooks:
                  - {name: hello, path: /hello, processor: {type: respond, body: hello}}
                """.formatted(tlsPort, server.certificate(), server.key()));
        try (Child gateway = Child.serve("--config", config.toString())) {
            HttpClient client = HttpClient.newBuilder().sslContext(TestPki.clientContext(ca, null))
                    .connectTimeout(Duration.ofSeconds(5)).build();

            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                            URI.create("https://localhost:" + tlsPort + "/hello")).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.body()).isEqualTo("hello");
            stop(gateway);
            if (System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64")) {
                assertThat(gateway.stdout()).as("output:\n" + gateway.output())
                        .contains("serving CN=localhost for localhost, serial " + server.serial().toString(16))
                        .contains("by OpenSSL (BoringSSL)");
            }
        }
    }

    @Test
    void printsItsVersion() throws Exception {
        try (Child gateway = Child.start("--version")) {
            assertThat(gateway.process.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(gateway.process.exitValue()).isZero();
            assertThat(gateway.stdout()).matches("hook-gateway \\d+\\.\\d+\\.\\d+\\S*\\R");
        }
    }

    /** Sends SIGTERM and waits for the gateway to exit 0. */
    private static void stop(Child gateway) throws InterruptedException {
        // Not Process.destroy(): it sends SIGTERM too, but then closes our ends of the child's stdout and stderr, so
        // the drain's log lines would be lost. ProcessHandle.destroy() only sends the signal.
        assertThat(gateway.process.toHandle().destroy()).isTrue();
        assertThat(gateway.process.waitFor(15, TimeUnit.SECONDS)).as("exited within 15 s of SIGTERM").isTrue();
        assertThat(gateway.process.exitValue()).as("exit status; output:\n" + gateway.output()).isZero();
    }

    /** Waits for /readyz to answer 200; an IOException (not listening yet) is "not yet", an exit fails at once. */
    private static void awaitReady(Child gateway, int metricsPort) throws Exception {
        Await.until(STARTUP, () -> "/readyz answers 200; output:\n" + gateway.output(), () -> {
            if (!gateway.process.isAlive()) {
                throw new AssertionError("the gateway exited with " + gateway.process.exitValue()
                        + " before it was ready; output:\n" + gateway.output());
            }
            return get(metricsPort, "/readyz").statusCode() == 200;
        });
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(local(port, path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI local(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Ports free right now: each is bound while the others are found, so they differ, then all are released. */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** The jar running in a child JVM, with its output collected; killed on close if still running. */
    private static final class Child implements AutoCloseable {
        final Process process;
        /** The ports it serves on, when started by {@link #serve}. */
        final int hookPort;
        final int metricsPort;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final Thread outReader;
        private final Thread errReader;
        /** While closed, standard output is not read: the pipe fills and the gateway's writes to it wait. */
        private volatile CountDownLatch outGate = new CountDownLatch(0);

        private Child(Process process, int hookPort, int metricsPort) {
            this.process = process;
            this.hookPort = hookPort;
            this.metricsPort = metricsPort;
            this.outReader = drain(process.getInputStream(), out, "stdout", () -> outGate);
            this.errReader = drain(process.getErrorStream(), err, "stderr", () -> new CountDownLatch(0));
        }

        /** Starts the jar on free ports of 127.0.0.1, with any further arguments, and waits until it is ready. */
        static Child serve(String... args) throws Exception {
            return serve(List.of("-Xmx256m"), args);
        }

        /** As {@link #serve(String...)}, with these options for the JVM. */
        static Child serve(List<String> jvmOptions, String... args) throws Exception {
            int[] ports = freePorts(2);
            List<String> all = new ArrayList<>(List.of("--port", String.valueOf(ports[0]),
                    "--metrics-port", String.valueOf(ports[1]), "--bind", "127.0.0.1"));
            all.addAll(List.of(args));
            Child child = new Child(process(jvmOptions, all), ports[0], ports[1]);
            try {
                awaitReady(child, ports[1]);
            } catch (Exception | Error e) {
                child.close();
                throw e;
            }
            return child;
        }

        static Child start(String... args) throws IOException {
            return new Child(process(List.of("-Xmx256m"), List.of(args)), -1, -1);
        }

        private static Process process(List<String> jvmOptions, List<String> args) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-jar");
            command.add(jar.toString());
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().remove("HOOK_GATEWAY_CONFIG");
            builder.environment().remove("HOOK_GATEWAY_LOG_FORMAT");
            return builder.start();
        }

        private static Thread drain(InputStream stream, ByteArrayOutputStream into, String name,
                                    Supplier<CountDownLatch> gate) {
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try (stream) {
                    while (true) {
                        gate.get().await();
                        int n = stream.read(buffer);
                        if (n < 0) {
                            break;
                        }
                        synchronized (into) {
                            into.write(buffer, 0, n);
                        }
                    }
                } catch (IOException | InterruptedException ignored) {
                    // The process is gone, or the test is over; what was read is kept.
                }
            }, "child-" + name);
            reader.setDaemon(true);
            reader.start();
            return reader;
        }

        /** Stops reading standard output until {@link #readOutput()}. */
        void holdOutput() {
            outGate = new CountDownLatch(1);
        }

        void readOutput() {
            outGate.countDown();
        }

        /** Standard output, complete once the process has exited. */
        String stdout() throws InterruptedException {
            outReader.join(5_000);
            return text(out);
        }

        String stderr() throws InterruptedException {
            errReader.join(5_000);
            return text(err);
        }

        String output() {
            return "--- stdout ---\n" + text(out) + "--- stderr ---\n" + text(err);
        }

        /** Decoded as a whole, so that no character is split where one read ended. */
        private static String text(ByteArrayOutputStream bytes) {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
