package io.hookgateway.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.config.ConfigException;
import io.hookgateway.hooks.FakeHookRequest;
import io.hookgateway.processors.ProcessorRegistry;
import io.hookgateway.processors.respond.RespondProcessorType;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The configuration built into the jar is the shipped {@code gateway/gateway.yaml}, byte for byte, and it is the seed's
 * contract: {@code POST /post} answers 200 {@code SUCCESS}, hooks on 8080 and metrics on 8081.
 */
class EmbeddedDefaultTest {

    /** Maven runs tests in the project's root directory, where the shipped file lives. */
    private static final Path SHIPPED = Path.of("gateway", "gateway.yaml");

    private static GatewayConfig embedded() throws ConfigException {
        return new ConfigLoader(ProcessorRegistry.load(), name -> null).loadEmbeddedDefault();
    }

    @Test
    void theClasspathResourceIsTheShippedFileByteForByte() throws Exception {
        byte[] shipped = Files.readAllBytes(SHIPPED);
        byte[] resource;
        try (InputStream in = ConfigLoader.class.getResourceAsStream(ConfigLoader.EMBEDDED_RESOURCE)) {
            assertThat(in).as("resource %s", ConfigLoader.EMBEDDED_RESOURCE).isNotNull();
            resource = in.readAllBytes();
        }

        assertThat(resource).isEqualTo(shipped);
    }

    @Test
    void loadsAsTheEmbeddedDefault() throws Exception {
        GatewayConfig config = embedded();

        assertThat(config.source()).isEqualTo(ConfigLoader.EMBEDDED_SOURCE).isEqualTo("<embedded default>");
        assertThat(config.isEmbeddedDefault()).isTrue();
    }

    @Test
    void listensForHooksOn8080AndMetricsOn8081OnEveryInterface() throws Exception {
        GatewayConfig config = embedded();

        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.server().bind()).isEqualTo("0.0.0.0");
        assertThat(config.metrics().enabled()).isTrue();
        assertThat(config.metrics().port()).isEqualTo(8081);
    }

    @Test
    void answersPostOnSlashPostWith200Success() throws Exception {
        HookConfig post = embedded().hooks().get(0);

        assertThat(post.name()).isEqualTo("post");
        assertThat(post.path().text()).isEqualTo("/post");
        assertThat(post.methods()).containsExactly("POST");
        assertThat(post.processor().type().name()).isEqualTo("respond");
        RespondProcessorType.Options options = (RespondProcessorType.Options) post.processor().options();
        assertThat(options.status()).isEqualTo(200);
        assertThat(options.headers()).isEmpty();
        assertThat(options.body().isConstant()).isTrue();
        assertThat(options.body().render(FakeHookRequest.withBody("{\"value1\":\"x\"}"))).isEqualTo("SUCCESS");
    }

    @Test
    void theShippedFileLoadsToTheSameHooksAsTheEmbeddedDefault() throws Exception {
        GatewayConfig fromFile = new ConfigLoader(ProcessorRegistry.load(), name -> null).load(SHIPPED);
        GatewayConfig embedded = embedded();

        assertThat(fromFile.server()).isEqualTo(embedded.server());
        assertThat(fromFile.metrics()).isEqualTo(embedded.metrics());
        assertThat(fromFile.hooks()).extracting(HookConfig::name)
                .containsExactlyElementsOf(embedded.hooks().stream().map(HookConfig::name).toList())
                .containsExactly("post", "hello", "ifttt-echo");
    }

    @Test
    void needsNoEnvironmentVariable() throws Exception {
        GatewayConfig config = new ConfigLoader(ProcessorRegistry.load(), name -> {
            throw new AssertionError("the embedded default read the environment variable " + name);
        }).loadEmbeddedDefault();

        assertThat(config.hooks()).isNotEmpty();
    }
}
