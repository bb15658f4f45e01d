package io.hookgateway;

import static io.hookgateway.testing.Requests.get;
import static io.hookgateway.testing.Requests.postWith;
import static io.hookgateway.testing.Requests.seedPost;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import org.junit.jupiter.api.Test;

/** {@code metrics.enabled: false} closes the metrics port and records nothing: no meter is kept, however busy. */
class MetricsDisabledEndToEndTest {

    @Test
    void keepsNoMeterWhileServingHooks() throws Exception {
        try (TestGateway gateway = TestGateway.start("""
                metrics: {enabled: false}
                hooks:
                  - {name: post, path: /post, methods: [POST], processor: {type: respond, body: SUCCESS}}
                  - name: push
                    path: /push
                    rules: {equals: {value: "${header.X-GitHub-Event}", to: push}}
                    processor: {type: respond, body: pushed}
                """);
             RawHttp client = RawHttp.connect(gateway.port())) {
            assertThat(client.send(seedPost()).read().bodyText()).isEqualTo("SUCCESS");
            assertThat(client.send(get("/post")).read().status()).isEqualTo(405);
            assertThat(client.send(postWith("/push", "X-GitHub-Event: ping")).read().status()).as("a rule mismatch").isEqualTo(200);
            assertThat(client.send(get("/nowhere")).read().status()).isEqualTo(404);

            assertThat(gateway.metricsPort()).isEqualTo(-1);
            assertThat(gateway.server().metrics().registry().getMeters()).isEmpty();
            assertThat(gateway.server().metrics().registry().scrape()).isEmpty();
        }
    }
}
