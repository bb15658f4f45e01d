package io.hookgateway.processors.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.LogCapture;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.Requests;
import io.hookgateway.testing.TestGateway;
import io.micrometer.core.instrument.Timer;

/**
 * Gateways for forward tests: one hook, {@code relay}, at {@code /relay/{device}}, whose processor is a forward with
 * the options a test gives; and its meters.
 */
final class ForwardHooks {

    private ForwardHooks() {
    }

    /** Starts a gateway whose hook forwards with {@code options}: YAML lines of the processor mapping, unindented. */
    static TestGateway start(String options) throws Exception {
        return start(options, "");
    }

    /** Starts a gateway whose hook forwards to {@code downstream}, with more options (YAML lines, or empty). */
    static TestGateway forwardingTo(Downstream downstream, String moreOptions) throws Exception {
        return start("url: " + downstream.url() + "\n" + moreOptions);
    }

    /** The same, with more keys of the hook itself ({@code timeout: 300ms}), unindented. */
    static TestGateway start(String options, String hookKeys) throws Exception {
        return TestGateway.start("""
                server:
                  access-log: false
                hooks:
                  - name: relay
                    path: /relay/{device}
                    methods: [GET, POST, PUT, DELETE]
                """ + indent(hookKeys, 4) + """
                    processor:
                      type: forward
                """ + indent(options, 6));
    }

    private static String indent(String lines, int spaces) {
        return lines.isBlank() ? "" : lines.stripTrailing().indent(spaces);
    }

    /** {@code POST /relay/x} with a small JSON body, on a new connection. */
    static RawHttp.Response post(TestGateway gateway) throws Exception {
        return gateway.exchange(Requests.post("/relay/x", "{}"));
    }

    /**
     * Checks a failure's answer: its status and general reason with an error id, and no downstream address; and that
     * the log line of that error id holds {@code logged}, the detail.
     */
    static void assertAnswered(LogCapture log, RawHttp.Response response, int status, String answer, String logged) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.bodyText()).startsWith(answer + " (error id ").doesNotContain("127.0.0.1");
        assertThat(log.lineFor(response.bodyText())).contains(logged);
    }

    static double retries(TestGateway gateway) {
        return gateway.counter("hook.gateway.forward.retries", "hook", "relay");
    }

    static long attempts(TestGateway gateway, String outcome) {
        Timer timer = gateway.server().metrics().registry().find("hook.gateway.forward.attempts")
                .tags("hook", "relay", "outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }
}
