package io.hookgateway.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookgateway.testing.Await;
import io.hookgateway.testing.Tool;
import io.hookgateway.testing.Tools;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/mosquitto/mosquitto.conf run by the real Mosquitto (Debian package {@code mosquitto}), on a free port of
 * 127.0.0.1 instead of 1883, and the healthcheck docker/compose.yaml gives the broker run against it: a broker that
 * starts on this file is reported healthy, so the gateway, which waits for that, starts too.
 */
class MosquittoConfTest {

    @TempDir
    Path directory;

    @Test
    void theBrokerStartsOnTheFileAndItsComposeHealthcheckPasses() throws Exception {
        Path mosquitto = Tools.require("mosquitto", "mosquitto");
        Tool client = Tool.require("mosquitto_sub", "mosquitto-clients");
        int port = PrometheusServer.freePort();
        List<String> lines = Files.readAllLines(DockerFiles.DIRECTORY.resolve("mosquitto/mosquitto.conf"));
        assertThat(lines).contains("listener 1883");
        List<String> local = new ArrayList<>(lines.stream()
                .map(line -> line.equals("listener 1883") ? "listener " + port + " 127.0.0.1" : line).toList());
        // Run as root (a CI container), Mosquitto would switch to the user 'mosquitto'; the image runs it as that user.
        local.add("user " + System.getProperty("user.name"));
        Path conf = Files.write(directory.resolve("mosquitto.conf"), local);

        Process broker = new ProcessBuilder(mosquitto.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("mosquitto.out").toFile()).start();
        try {
            Await.until(Duration.ofSeconds(10), "mosquitto listening on " + port, () -> {
                assertThat(broker.isAlive()).as("mosquitto running").isTrue();
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return true;
                }
            });
            Tool.Result health = client.run(directory, "", healthcheckArguments(port));

            assertThat(health.exitCode()).as(health + "\n--- broker\n"
                    + Files.readString(directory.resolve("mosquitto.out"))).isZero();
        } finally {
            broker.destroy();
            if (!broker.waitFor(5, TimeUnit.SECONDS)) {
                broker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The arguments of the broker's healthcheck in docker/compose.yaml, with Compose's $$ unescaped and our port. */
    private static List<String> healthcheckArguments(int port) throws Exception {
        JsonNode test = DockerFiles.yaml(DockerFiles.COMPOSE).path("services").path("mosquitto").path("healthcheck")
                .path("test");
        assertThat(test.get(0).asText()).isEqualTo("CMD");
        assertThat(test.get(1).asText()).isEqualTo("mosquitto_sub");
        List<String> arguments = new ArrayList<>(List.of("-p", Integer.toString(port)));
        for (int i = 2; i < test.size(); i++) {
            arguments.add(test.get(i).asText().replace("$$", "$"));
        }
        return arguments;
    }
}
