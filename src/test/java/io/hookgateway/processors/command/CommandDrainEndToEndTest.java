package io.hookgateway.processors.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgateway.metrics.Health;
import io.hookgateway.testing.Await;
import io.hookgateway.testing.LogCapture;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.Requests;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestProcessors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Asynchronous runs answered 202 at shutdown, on a real gateway with real programs: the drain waits for the running
 * run and the queued ones, which still start one after another, up to the drain timeout; a run the drain cannot wait
 * for is logged with its id, as killed while running or as never started.
 */
class CommandDrainEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RUNS = 5;

    @TempDir
    Path dir;

    private TestGateway gateway;
    private LogCapture log;

    @BeforeEach
    void start() throws Exception {
        // Each run says it started, waits for the test's 'go', then leaves its mark: one at a time (max-running 1).
        Path script = dir.resolve("wait-for-go.sh");
        Files.writeString(script, """
                #!/bin/sh
                touch "$1/started-$2"
                while [ ! -f "$1/go" ]; do sleep 0.02; done
                touch "$1/done-$2"
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        log = LogCapture.of(CommandProcessor.class);
        gateway = TestGateway.start("""
                server: {access-log: false}
                hooks:
                  - name: slow
                    path: /slow
                    processor:
                      type: command
                      command: [%1$s, %2$s, "${query.n}"]
                      async: true
                      async-max-running: 1
                      async-max-queued: 10
                  - name: sync
                    path: /sync
                    processor: {type: test-latch, gate: sync, timeout: 1m}
                  - name: late
                    path: /late
                    processors:
                      - {type: test-latch, gate: late, timeout: 1m}
                      - {type: command, command: [%1$s, %2$s, late], async: true}
                """.formatted(script, dir));
    }

    @AfterEach
    void stop() {
        TestProcessors.reset();
        gateway.close();
        log.close();
    }

    /** Posts {@link #RUNS} runs, each answered 202, once the first is running; returns their ids in order. */
    private List<String> acceptRuns() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= RUNS; n++) {
            RawHttp.Response accepted = gateway.exchange(Requests.post("/slow?n=" + n, ""));
            assertThat(accepted.status()).isEqualTo(202);
            ids.add(JSON.readTree(accepted.bodyText()).get("id").asText());
        }
        Await.until(Duration.ofSeconds(10), "the first run is running", () -> Files.exists(dir.resolve("started-1")));
        assertThat(dir.resolve("started-2")).doesNotExist();
        return ids;
    }

    private CompletableFuture<Boolean> drain(Duration timeout) {
        return CompletableFuture.supplyAsync(() -> gateway.server().drainAndStop(timeout));
    }

    /** Sends a request to {@code target} and waits until it is held at the test gate {@code gate}. */
    private static void holdAtGate(RawHttp client, String target, String gate) throws Exception {
        client.send(Requests.post(target, ""));
        assertThat(TestProcessors.gate(gate).awaitArrivals(1, Duration.ofSeconds(5))).isTrue();
    }

    /** Starts the drain, as SIGTERM does, and returns once it has begun. */
    private CompletableFuture<Boolean> drainStarted(Duration timeout) throws Exception {
        CompletableFuture<Boolean> drained = drain(timeout);
        Await.until(Duration.ofSeconds(5), "the gateway is draining",
                () -> gateway.server().health().state() == Health.State.DRAINING);
        return drained;
    }

    /** Every run of {@link #acceptRuns()} ran to its end, and none was abandoned. */
    private void assertEveryRunFinished() {
        for (int n = 1; n <= RUNS; n++) {
            assertThat(dir.resolve("done-" + n)).as("run %d left its mark", n).exists();
        }
        assertThat(log.messages()).noneMatch(m -> m.contains("abandoned"));
    }

    @Test
    void drainWaitsForTheRunningRunAndStartsEveryQueuedOne() throws Exception {
        acceptRuns();

        CompletableFuture<Boolean> drained = drain(Duration.ofSeconds(30));
        Await.until(Duration.ofSeconds(10), "the drain waits for the runs", () -> log.messages().stream()
                .anyMatch(m -> m.startsWith("hook 'slow': waiting up to ") && m.endsWith(" for 5 accepted run(s) "
                        + "to finish (1 running, 4 queued)")));
        assertThat(drained).isNotDone();
        Files.createFile(dir.resolve("go"));

        assertThat(drained.get(30, TimeUnit.SECONDS)).as("every run finished within the drain").isTrue();
        assertEveryRunFinished();
    }

    /**
     * A synchronous request that is still not answered at the drain timeout does not take the runs' share of it: the
     * runs, which can finish well within the timeout, do, and only the request is cut off (503).
     */
    @Test
    void aSynchronousRequestCutOffAtTheTimeoutLeavesTheRunsTheirDrainTime() throws Exception {
        acceptRuns();
        try (RawHttp slow = RawHttp.connect(gateway.port())) {
            holdAtGate(slow, "/sync", "sync");

            CompletableFuture<Boolean> drained = drainStarted(Duration.ofSeconds(4));
            Files.createFile(dir.resolve("go"));

            assertThat(slow.read().status()).as("the request still running at the timeout").isEqualTo(503);
            assertThat(drained.get(30, TimeUnit.SECONDS)).as("a request was cut off").isFalse();
        }
        assertEveryRunFinished();
    }

    /** A request in flight at SIGTERM that is answered 202 during the drain has its run waited for too. */
    @Test
    void drainWaitsForARunAcceptedWhileItDrains() throws Exception {
        try (RawHttp late = RawHttp.connect(gateway.port())) {
            holdAtGate(late, "/late", "late");

            CompletableFuture<Boolean> drained = drainStarted(Duration.ofSeconds(30));
            TestProcessors.gate("late").release(1);
            assertThat(late.read().status()).isEqualTo(202);
            Await.until(Duration.ofSeconds(10), "the run is running", () -> Files.exists(dir.resolve("started-late")));
            assertThat(drained).as("the drain waits for the run").isNotDone();
            Files.createFile(dir.resolve("go"));

            assertThat(drained.get(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(dir.resolve("done-late")).exists();
        assertThat(log.messages()).noneMatch(m -> m.contains("abandoned"));
    }

    @Test
    void drainThatEndsFirstLogsEachAbandonedRunWithItsId() throws Exception {
        List<String> ids = acceptRuns();

        assertThat(drain(Duration.ofMillis(300)).get(30, TimeUnit.SECONDS)).isFalse();

        assertThat(log.messages()).as("run %s", ids.get(0)).filteredOn(m -> m.contains(ids.get(0))).singleElement()
                .asString().startsWith("hook 'slow': run " + ids.get(0) + " abandoned at shutdown: killed while "
                        + "running (for ");
        for (String id : ids.subList(1, RUNS)) {
            assertThat(log.messages()).as("run %s", id).filteredOn(m -> m.contains(id)).singleElement().asString()
                    .startsWith("hook 'slow': run " + id + " abandoned at shutdown: it never started (queued since ");
        }
        assertThat(log.messages()).filteredOn(m -> m.contains("abandoned")).hasSize(RUNS);
        for (int n = 1; n <= RUNS; n++) {
            assertThat(dir.resolve("done-" + n)).doesNotExist();
        }
        for (int n = 2; n <= RUNS; n++) {
            assertThat(dir.resolve("started-" + n)).as("run %d never started", n).doesNotExist();
        }
        Await.until(Duration.ofSeconds(10), "no run of the script is left", () -> ProcessHandle.allProcesses()
                .noneMatch(p -> p.info().commandLine().orElse("").contains(dir.resolve("wait-for-go.sh").toString())));
    }
}
