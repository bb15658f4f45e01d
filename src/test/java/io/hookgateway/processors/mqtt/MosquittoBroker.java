package io.hookgateway.processors.mqtt;

import static org.assertj.core.api.Assertions.fail;

import io.hookgateway.testing.Await;
import io.hookgateway.testing.Tools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker (Debian package {@code mosquitto}) for tests: started on a free port of 127.0.0.1 with a
 * configuration of its own, its log in a file the test can read, stopped and started again at will.
 *
 * <p>Without Mosquitto the tests that need it are skipped, unless {@code HOOK_GATEWAY_REQUIRE_TOOLS=1} (as in CI),
 * when they fail saying which package to install.
 */
public final class MosquittoBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Path directory;
    private final Path config;
    private final Path log;
    private final int port;
    private final List<Subscriber> subscribers = new ArrayList<>();
    private Process process;

    private MosquittoBroker(Path directory, int port, Map<String, String> users, String extraLines) throws Exception {
        this.directory = directory;
        this.port = port;
        this.config = directory.resolve("mosquitto.conf");
        this.log = directory.resolve("mosquitto.log");
        StringBuilder conf = new StringBuilder()
                .append("listener ").append(port).append(" 127.0.0.1\n")
                .append("persistence false\n")
                .append("log_dest file ").append(log).append('\n')
                .append("log_type all\n")
                // Run as root (a container), Mosquitto would switch to the user 'mosquitto', who cannot write here.
                .append("user ").append(System.getProperty("user.name")).append('\n');
        if (extraLines != null) {
            conf.append(extraLines);
        }
        if (users.isEmpty()) {
            conf.append("allow_anonymous true\n");
        } else {
            Path passwords = directory.resolve("passwords");
            for (Map.Entry<String, String> user : users.entrySet()) {
                List<String> command = new ArrayList<>(List.of(executable("mosquitto_passwd"), "-b"));
                if (!Files.exists(passwords)) {
                    command.add("-c");
                }
                command.addAll(List.of(passwords.toString(), user.getKey(), user.getValue()));
                run(command);
            }
            conf.append("allow_anonymous false\npassword_file ").append(passwords).append('\n');
        }
        Files.writeString(config, conf.toString());
    }

    /** Starts an anonymous broker on a free port. */
    public static MosquittoBroker start(Path directory) throws Exception {
        return start(directory, Map.of());
    }

    /** Starts a broker that admits only these users (name to password). */
    static MosquittoBroker start(Path directory, Map<String, String> users) throws Exception {
        MosquittoBroker broker = create(directory, users, null);
        broker.start();
        return broker;
    }

    /**
     * A broker not started yet, on a port that is free now: for "broker down, then up" tests. {@code extraLines} are
     * added to its configuration after the plain listener, such as a TLS listener of its own.
     */
    static MosquittoBroker create(Path directory, Map<String, String> users, String extraLines) throws Exception {
        requireInstalled();
        return new MosquittoBroker(directory, freePort(), users, extraLines);
    }

    /** Skips the test when Mosquitto is not installed, or fails it when tools are required (CI). */
    static void requireInstalled() {
        Tools.require("mosquitto", "mosquitto");
        Tools.require("mosquitto_passwd", "mosquitto");
        Tools.require("mosquitto_sub", "mosquitto-clients");
    }

    public int port() {
        return port;
    }

    /** Starts the broker and waits until it accepts connections. */
    synchronized void start() throws Exception {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder(executable("mosquitto"), "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("mosquitto.out").toFile()))
                .start();
        Process started = process;
        Await.until(START_TIMEOUT, "mosquitto accepts connections on port " + port, () -> {
            if (!started.isAlive()) {
                throw new IllegalStateException("mosquitto exited with " + started.exitValue() + ": "
                        + Files.readString(directory.resolve("mosquitto.out")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            }
        });
    }

    /** Stops the broker (SIGTERM, then SIGKILL if it lingers) and waits for it to exit. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        process = null;
    }

    /** Freezes the broker (SIGSTOP): connections stay open, nothing is answered. */
    synchronized void pause() throws Exception {
        run(List.of("kill", "-STOP", Long.toString(process.pid())));
    }

    /** Thaws a paused broker (SIGCONT). */
    synchronized void resume() throws Exception {
        run(List.of("kill", "-CONT", Long.toString(process.pid())));
    }

    /** How many clients whose id starts with {@code clientIdPrefix} have connected so far, from the broker's log. */
    long connectsBy(String clientIdPrefix) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        String marker = " as " + clientIdPrefix;
        return Files.readAllLines(log).stream()
                .filter(line -> line.contains("New client connected from") && line.contains(marker))
                .count();
    }

    /**
     * Subscribes with {@code mosquitto_sub} (a real client of its own) to messages published from now on, and returns
     * once the broker has sent its SUBACK, so that nothing published afterwards can be missed.
     */
    public Subscriber subscribe(String topicFilter, int qos) throws Exception {
        return subscribe(topicFilter, qos, false);
    }

    /** Subscribes like {@link #subscribe(String, int)}, and receives the retained messages too. */
    public Subscriber subscribeWithRetained(String topicFilter, int qos) throws Exception {
        return subscribe(topicFilter, qos, true);
    }

    private Subscriber subscribe(String topicFilter, int qos, boolean retained) throws Exception {
        String clientId = "test-sub-" + subscribers.size() + "-" + ProcessHandle.current().pid();
        List<String> command = new ArrayList<>(List.of(executable("mosquitto_sub"), "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-i", clientId, "-q", Integer.toString(qos), "-t", topicFilter,
                "-F", "%r %q %t %p"));
        if (!retained) {
            command.add("-R");
        }
        Process sub = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Subscriber subscriber = new Subscriber(sub);
        subscribers.add(subscriber);
        Await.until(Duration.ofSeconds(5), clientId + " subscribed", () -> Files.exists(log)
                && Files.readAllLines(log).stream().anyMatch(line -> line.endsWith("Sending SUBACK to " + clientId)));
        return subscriber;
    }

    @Override
    public void close() {
        for (Subscriber subscriber : subscribers) {
            subscriber.close();
        }
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A {@code mosquitto_sub} child process and the messages it printed: retain flag, QoS, topic, payload. */
    public static final class Subscriber implements AutoCloseable {

        /** One message as the subscriber received it. */
        public record Message(boolean retained, int qos, String topic, String payload) {
        }

        private final Process process;
        private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();

        Subscriber(Process process) {
            this.process = process;
            Thread reader = new Thread(this::read, "mosquitto_sub-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    String[] parts = line.split(" ", 4);
                    messages.add(new Message(parts[0].equals("1"), Integer.parseInt(parts[1]), parts[2],
                            parts.length > 3 ? parts[3] : ""));
                }
            } catch (IOException e) {
                // The process was stopped.
            }
        }

        /** The next message, waiting up to five seconds; fails the test when none comes. */
        public Message next() throws InterruptedException {
            Message message = messages.poll(5, TimeUnit.SECONDS);
            if (message == null) {
                fail("the subscriber received no message within 5 s");
            }
            return message;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static String executable(String name) {
        return Tools.find(name).orElseThrow(() -> new IllegalStateException(name + " is not installed")).toString();
    }

    /** A port of 127.0.0.1 that is free now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
