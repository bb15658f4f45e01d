package io.hookgateway;

import static io.hookgateway.FileGateway.config;
import static io.hookgateway.FileGateway.respond;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.Await;
import io.hookgateway.testing.LogCapture;
import io.hookgateway.testing.PrometheusText;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestProcessors;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration file changed under a running gateway, the ways people and tools change it: each valid version
 * applies to the next request of every connection, open or new, and each file that would not start the gateway
 * (missing, empty, not YAML, a key misspelt) is refused with the words the start would use, while the hooks before it
 * go on answering.
 */
class ConfigReloadEndToEndTest {

    private static final Duration RELOADED = Duration.ofSeconds(10);

    @TempDir
    java.nio.file.Path directory;

    @AfterEach
    void openGates() {
        TestProcessors.reset();
    }

    private static String answer(RawHttp connection, String path) throws Exception {
        RawHttp.Response response = connection.send("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
                .read();
        return response.status() + " " + response.bodyText();
    }

    private static String answer(FileGateway gateway, String path) throws Exception {
        try (RawHttp connection = RawHttp.connect(gateway.port())) {
            connection.setTimeoutMillis(5000);
            return answer(connection, path);
        }
    }

    private static void awaitAnswer(FileGateway gateway, String path, String expected) throws Exception {
        Await.until(RELOADED, () -> "POST " + path + " answers " + expected,
                () -> answer(gateway, path).equals(expected));
    }

    @Test
    void anEditInPlaceAppliesToTheNextRequestOfAConnectionAlreadyOpen() throws Exception {
        try (FileGateway gateway = FileGateway.start(directory, config("", respond("a", "/a", "one")));
             RawHttp open = RawHttp.connect(gateway.port())) {
            open.setTimeoutMillis(5000);
            assertThat(answer(open, "/a")).isEqualTo("200 one");

            gateway.writeInPlace(config("", respond("a", "/a", "two")));
            Await.until(RELOADED, "one reload applied", () -> gateway.reloads("applied") >= 1);

            assertThat(answer(open, "/a")).isEqualTo("200 two");
            assertThat(answer(gateway, "/a")).isEqualTo("200 two");
        }
    }

    @Test
    void aReplacementByRenameApplies() throws Exception {
        try (FileGateway gateway = FileGateway.start(directory, config("", respond("a", "/a", "one")))) {
            gateway.replaceByRename(config("", respond("a", "/a", "two") + respond("b", "/b", "bee")));
            awaitAnswer(gateway, "/b", "200 bee");
            assertThat(answer(gateway, "/a")).isEqualTo("200 two");

            // And again: the rename left a new file behind the name, which must be watched as the first was.
            gateway.replaceByRename(config("", respond("b", "/b", "bee")));
            Await.until(RELOADED, "POST /a answers 404", () -> answer(gateway, "/a").startsWith("404 "));
            assertThat(gateway.reloads("applied")).isEqualTo(2);
            assertThat(gateway.reloads("refused")).isZero();
        }
    }

    @Test
    void aDeletedFileIsRefusedAndTheHooksStayUntilItIsBack() throws Exception {
        try (FileGateway gateway = FileGateway.start(directory, config("", respond("a", "/a", "one")));
             LogCapture log = LogCapture.gateway()) {
            gateway.delete();
            Await.until(RELOADED, "the missing file refused", () -> gateway.reloads("refused") == 1);

            assertThat(answer(gateway, "/a")).isEqualTo("200 one");
            assertThat(String.join("\n", log.lines())).contains(gateway.startRefusal())
                    .contains("file not found");
            assertThat(gateway.gauge("hook.gateway.config.last.reload.successful")).isZero();

            gateway.writeInPlace(config("", respond("a", "/a", "back")));
            awaitAnswer(gateway, "/a", "200 back");
            // The new hooks answer as soon as they are swapped in; the reload is counted just after.
            Await.until(RELOADED, "the reload counted as successful",
                    () -> gateway.gauge("hook.gateway.config.last.reload.successful") == 1);
        }
    }

    @Test
    void anEmptiedFileIsRefusedNotTakenForNoHooks() throws Exception {
        refusedWithTheStartsWords("", "hooks: is missing");
    }

    @Test
    void aFileWithAnEmptyHookListIsRefused() throws Exception {
        refusedWithTheStartsWords("hooks: []\n", "hooks: is empty");
    }

    @Test
    void aFileThatIsNotYamlIsRefused() throws Exception {
        refusedWithTheStartsWords("hooks: [ {name: a, path: /a\n  oops: ]]\n", "line ");
    }

    @Test
    void aMisspeltKeyIsRefusedNamingIt() throws Exception {
        refusedWithTheStartsWords(config("", "- {name: a, path: /a, processor: {type: respond, bodyy: x}}\n"),
                "hooks[0].processor.bodyy");
    }

    /** Writes {@code yaml}, which the start would refuse; the reload must refuse it in the same words, and go on. */
    private void refusedWithTheStartsWords(String yaml, String words) throws Exception {
        try (FileGateway gateway = FileGateway.start(directory, config("", respond("a", "/a", "one")));
             LogCapture log = LogCapture.of(ConfigReloader.class)) {
            gateway.writeInPlace(yaml);
            Await.until(RELOADED, "the file refused", () -> gateway.reloads("refused") >= 1
                    && String.join("\n", log.lines()).contains(words));

            List<String> startWords = gateway.startRefusal();
            assertThat(startWords).anyMatch(line -> line.contains(words));
            assertThat(log.lines()).contains("WARN configuration reload (the file changed) refused; the configuration "
                    + "before it still runs:");
            for (String line : startWords) {
                assertThat(log.lines()).contains("WARN   " + line);
            }
            assertThat(answer(gateway, "/a")).isEqualTo("200 one");
            assertThat(gateway.reloads("applied")).isZero();
        }
    }

    @Test
    void aRequestInFlightFinishesOnTheHookItFoundWhileNewOnesFindTheNewHook() throws Exception {
        String latch = "- {name: a, path: /a, processor: {type: test-latch, gate: reload}}\n";
        try (FileGateway gateway = FileGateway.start(directory, config("", latch));
             RawHttp inFlight = RawHttp.connect(gateway.port())) {
            inFlight.setTimeoutMillis(10_000);
            inFlight.send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
            assertThat(TestProcessors.gate("reload").awaitArrivals(1, RELOADED)).isTrue();

            gateway.replaceByRename(config("", respond("a", "/a", "new")));
            awaitAnswer(gateway, "/a", "200 new");
            TestProcessors.gate("reload").open();

            RawHttp.Response old = inFlight.read();
            assertThat(old.status()).isEqualTo(200);
            assertThat(old.bodyText()).isEqualTo("passed reload\n");
            assertThat(answer(inFlight, "/a")).isEqualTo("200 new");
        }
    }

    @Test
    void sighupReloadsEvenWhenTheFileLooksTheSame() throws Exception {
        try (FileGateway gateway = FileGateway.start(directory, config("", respond("a", "/a", "one")))) {
            gateway.reloader().request("SIGHUP");
            Await.until(RELOADED, "the reload SIGHUP asked for", () -> gateway.reloads("applied") == 1);

            assertThat(gateway.reloader().reloadNow("SIGHUP")).isEqualTo(ConfigReloader.Outcome.APPLIED);
            assertThat(gateway.reloads("applied")).isEqualTo(2);
            assertThat(answer(gateway, "/a")).isEqualTo("200 one");
        }
    }

    @Test
    void listenerChangesAreReportedAsNeedingARestartAndTheHooksApply() throws Exception {
        try (FileGateway gateway = FileGateway.start(directory, config("", respond("a", "/a", "one")));
             LogCapture log = LogCapture.of(ConfigReloader.class)) {
            int port = gateway.port();
            gateway.writeInPlace(config("max-connections: 5, io-threads: 3", respond("a", "/a", "two"))
                    .replace("port: 0,", "port: 1,").replace("port: 0}", "port: 2}"));
            awaitAnswer(gateway, "/a", "200 two");

            assertThat(gateway.port()).isEqualTo(port);
            // The new hooks answer as soon as they are swapped in; the warning is logged just after.
            String warning = "WARN configuration reload: server.port, server.io-threads, server.max-connections, "
                    + "metrics.port changed, which needs a restart; until then the gateway keeps the values it started "
                    + "with (the rest of the configuration applies now)";
            Await.until(RELOADED, "the restart warning", () -> log.lines().contains(warning));
        }
    }

    @Test
    void reloadsAreCountedUnderTheNamesTheDashboardReads() throws Exception {
        try (FileGateway gateway = FileGateway.start(directory, config("", respond("a", "/a", "one")))) {
            String atStart = scrape(gateway);
            assertThat(PrometheusText.sampleOrZero(atStart, "hook_gateway_config_last_reload_successful"))
                    .isEqualTo(1);
            double started = PrometheusText.sampleOrZero(atStart,
                    "hook_gateway_config_last_reload_success_timestamp_seconds");
            assertThat(started).isGreaterThan(1.7e9);

            gateway.writeInPlace("not: [valid");
            Await.until(RELOADED, "the refusal", () -> gateway.reloads("refused") == 1);
            String refused = scrape(gateway);
            assertThat(PrometheusText.sampleOrZero(refused, "hook_gateway_config_reloads_total{result=\"refused\"}"))
                    .isEqualTo(1);
            assertThat(PrometheusText.sampleOrZero(refused, "hook_gateway_config_last_reload_successful")).isZero();
            assertThat(PrometheusText.sampleOrZero(refused,
                    "hook_gateway_config_last_reload_success_timestamp_seconds")).isEqualTo(started);

            // The refusal above waited out the watcher's quiet time, so the clock has moved on since the start.
            gateway.writeInPlace(config("", respond("a", "/a", "two") + respond("b", "/b", "bee")));
            Await.until(RELOADED, "the reload", () -> gateway.reloads("applied") == 1);
            String applied = scrape(gateway);
            assertThat(PrometheusText.sampleOrZero(applied, "hook_gateway_config_reloads_total{result=\"applied\"}"))
                    .isEqualTo(1);
            assertThat(PrometheusText.sampleOrZero(applied, "hook_gateway_config_last_reload_successful"))
                    .isEqualTo(1);
            assertThat(PrometheusText.sampleOrZero(applied,
                    "hook_gateway_config_last_reload_success_timestamp_seconds")).isGreaterThan(started);
            assertThat(PrometheusText.sampleOrZero(applied, "hook_gateway_hooks")).isEqualTo(2);
        }
    }

    private static String scrape(FileGateway gateway) throws Exception {
        try (RawHttp metrics = RawHttp.connect(gateway.metricsPort())) {
            metrics.setTimeoutMillis(5000);
            return metrics.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").read().bodyText();
        }
    }
}
