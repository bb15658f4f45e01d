package io.hookgateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.loader.ConfigLoader;
import io.hookgateway.loader.GatewayConfig;
import io.hookgateway.processors.ProcessorRegistry;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.Requests;
import io.hookgateway.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The low-memory profile: {@code gateway/small.yaml} is the default configuration's hooks with a smaller server, and
 * {@code gateway/small.jvm} is an argument file this JVM accepts. Its footprint is measured by
 * {@code src/bench/load.sh} (server {@code gateway-small}), not here.
 */
class SmallProfileTest {

    private static final Path SMALL = Path.of("gateway", "small.yaml");
    private static final Path DEFAULT = Path.of("gateway", "gateway.yaml");
    private static final Path JVM_FLAGS = Path.of("gateway", "small.jvm");

    private static GatewayConfig load(Path file) throws Exception {
        return new ConfigLoader(ProcessorRegistry.load(), name -> null).load(file);
    }

    @Test
    void differsFromTheDefaultInTheServerSectionOnly() throws Exception {
        String small = Files.readString(SMALL);
        String defaults = Files.readString(DEFAULT);
        assertThat(small.substring(small.indexOf("\nmetrics:")))
                .as("everything from metrics: on is gateway.yaml's").isEqualTo(
                        defaults.substring(defaults.indexOf("\nmetrics:")));

        GatewayConfig config = load(SMALL);
        assertThat(config.server().ioThreads()).isEqualTo(1);
        assertThat(config.server().workerThreads()).isEqualTo(2);
        assertThat(config.hooks()).hasSameSizeAs(load(DEFAULT).hooks());
    }

    @Test
    void answersTheSeedHook() throws Exception {
        try (TestGateway gateway = TestGateway.start(load(SMALL))) {
            RawHttp.Response response = gateway.exchange(Requests.seedPost());
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("SUCCESS");
        }
    }

    @Test
    void jvmFlagsAreAnArgumentFileThisJvmAccepts() throws Exception {
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + JVM_FLAGS, "-version").redirectErrorStream(true).start();
        assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("Unrecognized", "warning");
    }
}
