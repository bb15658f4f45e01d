package io.hookgateway;

import static io.hookgateway.FileGateway.config;
import static io.hookgateway.FileGateway.respond;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.Await;
import io.hookgateway.testing.RawHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration rewritten many times while clients keep a few hundred requests a second going over keep-alive
 * connections: valid versions written in place and by rename, invalid YAML, a misspelt key, the file emptied, deleted
 * and put back, SIGHUP. Not one request may fail: every answer is a 200 with a body of a version that was written, no
 * connection breaks, each hook's answer follows the file (a probe sees each valid version arrive, and every refused
 * file leaves the version before it answering), and on each connection a hook's versions never go back.
 */
class ConfigReloadLoadTest {

    private static final int CLIENTS = 6;
    /** Each client's pause between requests: with {@link #CLIENTS}, a few hundred requests a second. */
    private static final long PAUSE_MICROS = 15_000;
    private static final Duration REWRITING = Duration.ofSeconds(12);
    private static final Duration STEP = Duration.ofSeconds(10);
    private static final Pattern BODY = Pattern.compile("(alpha|beta)-(\\d+)|steady");
    private static final String[] PATHS = {"/alpha", "/beta", "/steady"};

    @TempDir
    java.nio.file.Path directory;

    /** Version {@code v} of the file: the answers of alpha and beta carry it; steady never changes. */
    private static String version(int v) {
        return config("", respond("alpha", "/alpha", "alpha-" + v) + respond("beta", "/beta", "beta-" + v)
                + respond("steady", "/steady", "steady"));
    }

    private static RawHttp.Response post(RawHttp connection, String path) throws Exception {
        return connection.send("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read();
    }

    @Test
    void noRequestFailsWhileTheFileIsRewrittenManyTimes() throws Exception {
        try (FileGateway gateway = FileGateway.start(directory, version(0))) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong requests = new AtomicLong();
            Findings failures = new Findings();
            CountDownLatch done = new CountDownLatch(CLIENTS);
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                Thread thread = new Thread(() -> {
                    try {
                        keepAsking(gateway, client, running, requests, failures);
                    } finally {
                        done.countDown();
                    }
                }, "load-client-" + c);
                thread.setDaemon(true);
                thread.start();
            }

            long start = System.nanoTime();
            List<Integer> written = new ArrayList<>(List.of(0));
            int version = 0;
            int step = 0;
            int invalidWrites = 0;
            try (RawHttp probe = RawHttp.connect(gateway.port())) {
                probe.setTimeoutMillis(5000);
                while (System.nanoTime() - start < REWRITING.toNanos()) {
                    switch (step++ % 8) {
                        case 0 -> gateway.writeInPlace(version(++version));
                        case 1 -> invalidWrites += refused(gateway, probe, version, () ->
                                gateway.writeInPlace("hooks: [ {name: alpha, path: /alpha\n  oops: ]]\n"));
                        case 2 -> gateway.replaceByRename(version(++version));
                        case 3 -> {
                            long applied = gateway.reloads("applied");
                            gateway.reloader().request("SIGHUP");
                            Await.until(STEP, "the SIGHUP reload", () -> gateway.reloads("applied") > applied);
                        }
                        case 4 -> {
                            String misspelt = version(version + 1).replace("body: beta", "bodyy: beta");
                            invalidWrites += refused(gateway, probe, version, () -> gateway.replaceByRename(misspelt));
                        }
                        case 5 -> invalidWrites += refused(gateway, probe, version, gateway::delete);
                        case 6 -> gateway.replaceByRename(version(++version));
                        default -> invalidWrites += refused(gateway, probe, version, () -> gateway.writeInPlace(""));
                    }
                    if (!written.contains(version)) {
                        written.add(version);
                        int expected = version;
                        Await.until(STEP, "version " + expected + " answers", () ->
                                post(probe, "/alpha").bodyText().equals("alpha-" + expected)
                                        && post(probe, "/beta").bodyText().equals("beta-" + expected));
                    }
                }
            }
            running.set(false);
            assertThat(done.await(30, TimeUnit.SECONDS)).as("the clients stopped").isTrue();
            double seconds = (System.nanoTime() - start) / 1e9;

            long applied = gateway.reloads("applied");
            long refused = gateway.reloads("refused");
            System.out.printf("reload load test: %d requests in %.1f s (%.0f requests/s) over %d keep-alive "
                            + "connections; %d versions written, %d invalid or missing files; reloads applied %d, "
                            + "refused %d; failed requests %d%n", requests.get(), seconds, requests.get() / seconds,
                    CLIENTS, written.size() - 1, invalidWrites, applied, refused, failures.size());

            assertThat(failures.list()).isEmpty();
            assertThat(requests.get() / seconds).isGreaterThan(150);
            assertThat(written.size()).isGreaterThan(10);
            assertThat(applied).isGreaterThanOrEqualTo(written.size() - 1);
            assertThat(refused).isGreaterThanOrEqualTo(invalidWrites);
            failures.versionsSeen().forEach(v -> assertThat(written).contains(v));
        }
    }

    /**
     * Makes the file one the start would refuse, waits until the reload refused it, and checks that version
     * {@code current} still answers. Returns 1, the invalid writes made.
     */
    private static int refused(FileGateway gateway, RawHttp probe, int current, Change change) throws Exception {
        long before = gateway.reloads("refused");
        change.make();
        Await.until(STEP, "the refusal", () -> gateway.reloads("refused") > before);
        assertThat(post(probe, "/alpha").bodyText()).isEqualTo("alpha-" + current);
        assertThat(post(probe, "/beta").bodyText()).isEqualTo("beta-" + current);
        return 1;
    }

    @FunctionalInterface
    private interface Change {
        void make() throws Exception;
    }

    /**
     * One client: a keep-alive connection, requests to each hook in turn until told to stop. A failure is any answer
     * but a 200 with a body of the hook's, any error of the connection, and a version older than one this connection
     * was already answered for that hook.
     */
    private static void keepAsking(FileGateway gateway, int client, AtomicBoolean running, AtomicLong requests,
                                   Findings failures) {
        Map<String, Integer> newest = new ConcurrentHashMap<>();
        try (RawHttp connection = RawHttp.connect(gateway.port())) {
            connection.setTimeoutMillis(10_000);
            for (long i = client; running.get(); i++) {
                String path = PATHS[(int) (i % PATHS.length)];
                RawHttp.Response answer = post(connection, path);
                requests.incrementAndGet();
                Matcher body = BODY.matcher(answer.bodyText());
                if (answer.status() != 200 || !body.matches() || !answer.bodyText().startsWith(path.substring(1))) {
                    failures.add("client " + client + ": POST " + path + " answered " + answer.status() + " "
                            + answer.bodyText());
                } else if (body.group(2) != null) {
                    int version = Integer.parseInt(body.group(2));
                    failures.seen(version);
                    Integer before = newest.put(path, version);
                    if (before != null && before > version) {
                        failures.add("client " + client + ": POST " + path + " went back from version " + before
                                + " to " + version);
                    }
                }
                TimeUnit.MICROSECONDS.sleep(PAUSE_MICROS);
            }
        } catch (Exception e) {
            failures.add("client " + client + ": " + e);
        }
    }

    /** What went wrong, from every client, and every version answered. */
    private static final class Findings {
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final java.util.Set<Integer> versions = ConcurrentHashMap.newKeySet();

        void add(String failure) {
            failures.add(failure);
        }

        void seen(int version) {
            versions.add(version);
        }

        int size() {
            return failures.size();
        }

        List<String> list() {
            return List.copyOf(failures);
        }

        java.util.Set<Integer> versionsSeen() {
            return versions;
        }
    }
}
