package io.hookgateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.Await;
import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestProcessors;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code server.max-buffered-body-size} over real sockets: bodies held by requests in flight count against it, a body
 * that does not fit is answered 503 with {@code Retry-After} before it is read (and before {@code 100 Continue}),
 * small bodies pass when large ones have taken all they may (seven eighths), and what an answered request held is
 * given back.
 */
class BodyMemoryEndToEndTest {

    private static final int BODY = 40 * 1024;

    @RegisterExtension
    final GatewayExtension gateway = new GatewayExtension("""
            server: {access-log: false, max-body-size: 48KiB, max-buffered-body-size: 64KiB}
            hooks:
              - name: held
                path: /held
                processor: {type: test-latch, gate: held}
              - name: post
                path: /post
                processor: {type: respond, body: SUCCESS}
            """);

    private static String post(String path, int length, String extra) {
        return "POST " + path + " HTTP/1.1\r\nHost: gw\r\n" + extra + "Content-Length: " + length + "\r\n\r\n";
    }

    private double used() {
        return gateway.gauge("hook.gateway.body.memory.used");
    }

    @Test
    void refusesABodyThatDoesNotFitBesideOneInFlightAndTakesItOnceThatIsAnswered() throws Exception {
        TestProcessors.Gate gate = TestProcessors.gate("held");
        try (RawHttp first = RawHttp.connect(gateway.port())) {
            first.send(post("/held", BODY, "") + "a".repeat(BODY));
            assertThat(gate.awaitArrivals(1, Duration.ofSeconds(5))).isTrue();
            assertThat(used()).isEqualTo(BODY);

            try (RawHttp second = RawHttp.connect(gateway.port())) {
                second.send(post("/post", BODY, "Expect: 100-continue\r\n"));
                RawHttp.Response refused = second.read();
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("Retry-After")).isEqualTo("1");
                assertThat(refused.header("Connection")).isEqualTo("close");
                assertThat(refused.rawText()).doesNotContain("100 Continue");
            }
            // A small body is not counted: it passes while the budget is used up.
            RawHttp.Response small = gateway.exchange(post("/post", 14, "") + "{\"value1\":\"x\"}");
            assertThat(small.bodyText()).isEqualTo("SUCCESS");

            gate.release(1);
            assertThat(first.read().status()).isEqualTo(200);
        }
        Await.until(Duration.ofSeconds(5), "the body memory given back", () -> used() == 0);
        RawHttp.Response accepted = gateway.exchange(post("/post", BODY, "") + "b".repeat(BODY));
        assertThat(accepted.bodyText()).isEqualTo("SUCCESS");
    }
}
