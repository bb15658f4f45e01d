package io.hookgateway.hooks.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgateway.testing.Await;
import io.hookgateway.testing.LogCapture;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.Requests;
import io.hookgateway.testing.TestGateway;
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
                """.formatted(script, dir));
    }

    @AfterEach
    void stop() {
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
        for (int n = 1; n <= RUNS; n++) {
            assertThat(dir.resolve("done-" + n)).as("run %d left its mark", n).exists();
        }
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
