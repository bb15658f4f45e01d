package io.hookgateway;

import static io.hookgateway.testing.Requests.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookgateway.loader.GatewayConfig;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestProcessors;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A processor's resources besides its hook (an async command's run state) are declared once, by its type
 * ({@code ProcessorType.subResourcePaths}), which is what {@code --check} checks against every other route. The start
 * routes those paths, each to the handler the processor gives for it ({@code HookProcessor.subResources()}), and
 * refuses to start, naming the type, when the processor serves another set: otherwise {@code --check} would pass a
 * configuration whose start fails, or routes it never checked would go live.
 */
class SubResourceRoutesEndToEndTest {

    @BeforeEach
    void resetCounts() {
        TestProcessors.reset();
    }

    @Test
    void routesThePathsTheTypeDeclaredToTheHandlersItsProcessorServes() throws Exception {
        try (TestGateway gateway = TestGateway.start("""
                hooks:
                  - name: things
                    path: /things
                    processors:
                      - {type: test-resources, declares: ["/items/{item}"]}
                      - {type: test-resources, declares: [/summary]}
                """)) {
            assertThat(gateway.exchange(get("/things/items/7")).bodyText())
                    .isEqualTo("resource /items/{item} {item=7}\n");
            assertThat(gateway.exchange(get("/things/summary")).bodyText()).isEqualTo("resource /summary {}\n");
        }
    }

    @Test
    void refusesToStartWhenTheProcessorServesAResourceItsTypeDidNotDeclare() throws Exception {
        assertStartRefused("{type: test-resources, declares: [], serves: [/undeclared]}",
                "processor type 'test-resources' of hook things declared the resources [] (subResourcePaths) but its "
                        + "processor serves [/undeclared] (subResources)");
    }

    @Test
    void refusesToStartWhenTheProcessorLacksAResourceItsTypeDeclared() throws Exception {
        assertStartRefused("{type: test-resources, declares: [/a, /b], serves: [/a]}",
                "processor type 'test-resources' of hook things declared the resources [/a, /b] (subResourcePaths) "
                        + "but its processor serves [/a] (subResources)");
    }

    /** The configuration loads (what {@code --check} does), then the start fails fast and closes the processor. */
    private static void assertStartRefused(String processor, String message) throws Exception {
        GatewayConfig config = TestGateway.parse("""
                hooks:
                  - name: things
                    path: /things
                    processor: %s
                """.formatted(processor), Map.of());

        assertThatThrownBy(() -> TestGateway.start(config).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(message);
        assertThat(TestProcessors.invocations("things/closed")).as("the processor built is closed").isEqualTo(1);
    }
}
