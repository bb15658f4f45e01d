package io.hookgateway.processors.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.LogCapture;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.Requests;
import io.hookgateway.testing.TestGateway;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Request values in a forward's URL, against a real downstream that records the request-target it is sent: a value
 * in the path names one segment, whatever it holds, and a value that would make that segment {@code .}, {@code ..} or
 * empty (so change the path) is refused with 400 before anything is sent, as is one that makes the URL invalid.
 */
class ForwardUrlValuesEndToEndTest {

    /** A gateway whose hook forwards {@code GET /devices/<query d>/<JSON action>} to the downstream. */
    private static TestGateway devicesAt(Downstream downstream) throws Exception {
        return ForwardHooks.start("method: GET\nurl: \"" + downstream.url() + "/devices/${query.d}/${json:/action}\"");
    }

    private static RawHttp.Response send(TestGateway gateway, String query, String json) throws Exception {
        return gateway.exchange(Requests.postJson("/relay/x?" + query, json));
    }

    @Test
    void refusesEveryValueThatWouldChangeThePathAndSendsNothing() throws Exception {
        try (Downstream downstream = Downstream.start(Downstream.answering(200, "text/plain", "on"));
             TestGateway gateway = devicesAt(downstream)) {
            // The query decodes %2E%2E to "..", as a browser or IFTTT would send it; JSON writes it as it is.
            List<String[]> hostile = List.of(
                    new String[] {"d=..", "{\"action\": \"on\"}", ".."},
                    new String[] {"d=%2E%2E", "{\"action\": \"on\"}", ".."},
                    new String[] {"d=.", "{\"action\": \"on\"}", "."},
                    new String[] {"d=", "{\"action\": \"on\"}", ""},
                    new String[] {"other=1", "{\"action\": \"on\"}", ""},
                    new String[] {"d=lamp", "{\"action\": \"..\"}", ".."},
                    new String[] {"d=lamp", "{\"action\": \".\"}", "."},
                    new String[] {"d=lamp", "{\"action\": \"\"}", ""},
                    new String[] {"d=lamp", "{}", ""});

            for (String[] request : hostile) {
                RawHttp.Response response = send(gateway, request[0], request[1]);

                assertThat(response.status()).as(request[0] + " " + request[1]).isEqualTo(400);
                assertThat(response.bodyText()).as(request[0] + " " + request[1]).isEqualTo("a request value makes a "
                        + "segment of the downstream URL's path '" + request[2] + "'; '.', '..' and empty segments "
                        + "would change the path (RFC 3986 §5.2.4)\n");
            }
            assertThat(downstream.received()).as("requests sent downstream").isEmpty();
            assertThat(ForwardHooks.attempts(gateway, "2xx")).isZero();
        }
    }

    @Test
    void sendsAValueThatNamesASegmentAsOneSegment() throws Exception {
        try (Downstream downstream = Downstream.start(Downstream.answering(200, "text/plain", "on"));
             TestGateway gateway = devicesAt(downstream)) {
            List<String[]> named = List.of(
                    new String[] {"d=lamp", "{\"action\": \"on\"}", "/devices/lamp/on"},
                    new String[] {"d=...", "{\"action\": \".x\"}", "/devices/.../.x"},
                    new String[] {"d=..%2F..", "{\"action\": \"../..\"}", "/devices/..%2F../..%2F.."},
                    new String[] {"d=%252E%252E", "{\"action\": \"%2e\"}", "/devices/%252E%252E/%252e"},
                    new String[] {"d=.%20", "{\"action\": \"on?x#y\"}", "/devices/.%20/on%3Fx%23y"});

            for (String[] request : named) {
                assertThat(send(gateway, request[0], request[1]).status()).as(request[0]).isEqualTo(200);
            }

            assertThat(downstream.received()).extracting(Downstream.Received::target)
                    .containsExactlyElementsOf(named.stream().map(request -> request[2]).toList());
        }
    }

    @Test
    void aValueThatMakesTheUrlInvalidIs400AndTheLogSaysWhy() throws Exception {
        try (Downstream downstream = Downstream.start(Downstream.answering(200, "text/plain", "on"));
             TestGateway gateway = ForwardHooks.start("method: GET\n"
                     + "url: \"http://${query.h}:" + downstream.port() + "/secret-key/on\"\n");
             LogCapture log = LogCapture.gateway()) {
            RawHttp.Response empty = send(gateway, "h=", "{}");
            RawHttp.Response notAHost = send(gateway, "h=evil.example%2Fx", "{}");
            RawHttp.Response good = send(gateway, "h=127.0.0.1", "{}");

            assertThat(empty.status()).isEqualTo(400);
            assertThat(empty.bodyText()).startsWith("the request's values make the downstream URL invalid (error id ")
                    .doesNotContain("secret");
            assertThat(log.lineFor(empty.bodyText())).contains("the downstream URL for this request has no valid "
                    + "host name").doesNotContain("secret");
            assertThat(notAHost.status()).isEqualTo(400);
            assertThat(notAHost.bodyText()).isEqualTo("a request value in the downstream URL's host is not a host "
                    + "name (letters, digits, '-' and '.')\n");
            assertThat(good.status()).isEqualTo(200);
            assertThat(downstream.received()).extracting(Downstream.Received::target).containsExactly("/secret-key/on");
        }
    }
}
