package io.hookgateway.processors.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.config.ConfigProblems;
import io.hookgateway.processors.OptionParsing;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.processors.ProcessorRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code forward}'s options: the defaults, every key read and checked with its key path, and the mistakes that would
 * send a request somewhere unintended (a URL that is all request value, credentials in the URL, hop-by-hop fields)
 * refused when the configuration loads.
 */
class ForwardProcessorTypeTest {

    private static final String KEY_PATH = OptionParsing.PROCESSOR;

    /** A hook whose path has the variable {@code device}. */
    private static final ProcessorContext.Static HOOK = OptionParsing.hook("relay", Path.of(""), "device");

    private final ForwardProcessorType type = new ForwardProcessorType();
    private final OptionParsing parsing = new OptionParsing();

    private ForwardProcessorType.Options options(String yaml) {
        return parsing.parse(type, yaml, HOOK);
    }

    @Test
    void isRegisteredAsForward() {
        assertThat(type.name()).isEqualTo("forward");
        assertThat(ProcessorRegistry.load().get("forward")).isInstanceOf(ForwardProcessorType.class);
    }

    @Test
    void needsOnlyAUrlAndDefaultsTheRest() {
        ForwardProcessorType.Options options = options("url: http://192.168.1.20/relay");

        assertThat(parsing.problems()).isEmpty();
        assertThat(options.url().isConstant()).isTrue();
        assertThat(options.method()).isNull();
        assertThat(options.headers()).isEmpty();
        assertThat(options.passHeaders()).containsExactly("Content-Type");
        assertThat(options.passesBody()).isTrue();
        assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.responseTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.retries()).isEqualTo(2);
        assertThat(options.retryBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(options.retryOn()).as("decided by method").isNull();
        assertThat(options.maxResponseBytes()).isEqualTo(1024 * 1024);
        assertThat(options.maxConnections()).isEqualTo(8);
        assertThat(options.tlsInsecure()).isFalse();
        assertThat(options.response()).as("the downstream's answer is passed back").isNull();
    }

    @Test
    void readsEveryOption() {
        ForwardProcessorType.Options options = options("""
                url: "https://ha.lan:8123/api/webhook/${path.device}"
                method: put
                headers:
                  X-Device: "${path.device}"
                  Host: ha.lan
                pass-headers: [X-Signature, Content-Type]
                body: '{"state": "${json:/value1}"}'
                connect-timeout: 2s
                response-timeout: 30s
                retries: 5
                retry-backoff: 1s
                retry-on: [connect]
                max-response-size: 64KiB
                max-connections: 1
                tls-insecure: true
                response:
                  status: 202
                  body: queued
                """);

        assertThat(parsing.problems()).isEmpty();
        assertThat(options.url().isConstant()).isFalse();
        assertThat(options.url().https()).isTrue();
        assertThat(options.method()).isEqualTo("PUT");
        assertThat(options.headers().keySet()).containsExactly("X-Device", "Host");
        assertThat(options.passHeaders()).containsExactly("X-Signature", "Content-Type");
        assertThat(options.passesBody()).isFalse();
        assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.responseTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.retries()).isEqualTo(5);
        assertThat(options.retryBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.retryOn()).containsExactly(RetryOn.CONNECT);
        assertThat(options.maxResponseBytes()).isEqualTo(64 * 1024);
        assertThat(options.maxConnections()).isEqualTo(1);
        assertThat(options.tlsInsecure()).isTrue();
        assertThat(options.response().status()).isEqualTo(202);
    }

    @Test
    void anEmptyRetryOnRetriesNothing() {
        ForwardProcessorType.Options options = options("url: http://h/\nretry-on: []");

        assertThat(parsing.problems()).isEmpty();
        assertThat(options.retryOn()).isEmpty();
    }

    @Test
    void requiresAUrl() {
        options("method: POST");

        assertThat(parsing.problemAt("url")).startsWith("is required; write the downstream's address");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ftp://192.168.1.20/file         | must start with http:// or https://",
        "192.168.1.20/relay              | must start with http:// or https://",
        "http:///relay                   | has no valid host name",
        "http://my_device/relay          | has no valid host name",
        "http://user:secret@h/relay      | must not hold a user name or password",
        "http://h:0/relay                | has port 0; use 1 to 65535",
        "http://h/a path                 | is not a valid URL: illegal character in path at position 10",
        "${query.url}                    | must write out its scheme and host",
        "http${query.s}://h/             | must write out its scheme and host",
    })
    void refusesAUrlThatIsNotAnHttpAddress(String url, String problem) {
        options("url: \"" + url + "\"");

        assertThat(parsing.problemAt("url")).startsWith(problem);
    }

    @Test
    void checksTheUrlsPathVariablesAgainstTheHooksPath() {
        options("url: \"http://h/${path.room}\"");

        assertThat(parsing.problemAt("url")).contains("${path.room} is not a variable of this hook's path");
    }

    @Test
    void refusesAnUnknownMethod() {
        options("url: http://h/\nmethod: FETCH");

        assertThat(parsing.problemAt("method")).isEqualTo("must be one of GET, HEAD, POST, PUT, PATCH, DELETE, "
                + "OPTIONS, not 'FETCH'; leave it out to send the request's own method");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Connection", "Transfer-Encoding", "content-length", "Keep-Alive", "Upgrade", "TE"})
    void refusesHopByHopFieldsInHeadersAndPassHeaders(String name) {
        options("url: http://h/\nheaders: {" + name + ": x}\npass-headers: [" + name + "]");

        assertThat(parsing.problemAt("headers." + name))
                .isEqualTo("is set by the gateway for each connection; remove it");
        assertThat(parsing.problemAt("pass-headers[0]"))
                .isEqualTo("'" + name + "' is set by the gateway for each connection; remove it");
    }

    @Test
    void refusesToPassOnTheRequestsHostButLetsHeadersSetOne() {
        options("url: http://192.168.1.20/\nheaders: {Host: ha.lan}\npass-headers: [Content-Type, host]");

        assertThat(parsing.problems()).hasSize(1);
        assertThat(parsing.problemAt("pass-headers[1]")).startsWith("'host' is the gateway's own");
    }

    @Test
    void refusesAHeaderNameThatIsNotAToken() {
        options("url: http://h/\nheaders: {\"X Bad\": x}");

        assertThat(parsing.problemAt("headers.X Bad")).startsWith("is not a valid header name");
    }

    @Test
    void refusesAnUnknownRetryOnValueAtItsIndex() {
        options("url: http://h/\nretry-on: [connect, 4xx]");

        assertThat(parsing.problemAt("retry-on[1]"))
                .isEqualTo("'4xx' is not something to retry on; use connect, 5xx, or both");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "retries: 11                  | retries           | must be from 0 to 10, not 11",
        "retry-backoff: 11s           | retry-backoff     | must be from 0s to 10s, not 11s",
        "max-response-size: 65MiB     | max-response-size | must be from 0 to 64MiB, not 65MiB",
        "max-connections: 0           | max-connections   | must be from 1 to 256, not 0",
        "connect-timeout: 10          | connect-timeout   | '10' has no unit; write e.g. 10s or 10ms",
        "tls-insecure: maybe          | tls-insecure      | must be true or false, not 'maybe'",
    })
    void refusesOutOfRangeValues(String line, String key, String problem) {
        options("url: http://h/\n" + line);

        assertThat(parsing.problemAt(key)).startsWith(problem);
    }

    @Test
    void refusesUnknownKeysWithASuggestion() {
        options("url: http://h/\nretrys: 3");

        assertThat(parsing.problemAt("retrys")).startsWith("unknown key; did you mean 'retries'?");
    }

    @Test
    void readsTheReplacementAnswerWithRespondsKeysAndPaths() {
        options("url: http://h/\nresponse: {status: 99, bogus: 1}");

        assertThat(parsing.problemAt("response.status")).isEqualTo("must be from 200 to 599, not 99");
        assertThat(parsing.problemAt("response.bogus")).startsWith("unknown key");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        options("url: ftp://h/\nmethod: FETCH\nretries: -1\nretry-on: [always]");

        assertThat(parsing.problems()).extracting(ConfigProblems.Problem::keyPath).containsExactly(
                KEY_PATH + ".url", KEY_PATH + ".method", KEY_PATH + ".retries", KEY_PATH + ".retry-on[0]");
    }

    @Test
    void theRetryBackoffDoublesUpToItsCap() {
        Duration backoff = Duration.ofMillis(200);

        assertThat(ForwardCall.retryDelay(backoff, 1)).isEqualTo(Duration.ofMillis(200));
        assertThat(ForwardCall.retryDelay(backoff, 2)).isEqualTo(Duration.ofMillis(400));
        assertThat(ForwardCall.retryDelay(backoff, 3)).isEqualTo(Duration.ofMillis(800));
        assertThat(ForwardCall.retryDelay(backoff, 10)).isEqualTo(Duration.ofSeconds(10));
        assertThat(ForwardCall.retryDelay(Duration.ofSeconds(10), 10)).isEqualTo(Duration.ofSeconds(10));
        assertThat(ForwardCall.retryDelay(Duration.ZERO, 5)).isEqualTo(Duration.ZERO);
    }
}
