package io.hookgateway.processors.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.hooks.HookException;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * How a failure to connect becomes an answer: its kind (status, retry class), a generic one-line answer, and the
 * reason for the log, which names the downstream by host and port only.
 */
class DownstreamFailureTest {

    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    private static HookException answer(Throwable cause, int attempts) {
        return DownstreamFailure.ofConnect(cause, FIVE_SECONDS).toHookException("esp.lan:80", attempts);
    }

    @Test
    void aRefusedConnectionIsUnreachable() {
        HookException e = answer(new ConnectException("Connection refused: esp.lan/192.168.1.20:80"), 1);

        assertThat(e.status()).isEqualTo(502);
        assertThat(e.getMessage()).isEqualTo("the downstream could not be reached");
        assertThat(e.logDetail()).isEqualTo("downstream esp.lan:80 unreachable: connection refused");
    }

    @Test
    void anUnknownHostIsUnreachable() {
        assertThat(answer(new UnknownHostException("esp.lan"), 3).logDetail())
                .isEqualTo("downstream esp.lan:80 unreachable: unknown host (3 attempts)");
    }

    @Test
    void noRouteIsUnreachable() {
        assertThat(answer(new NoRouteToHostException("No route to host"), 1).logDetail())
                .isEqualTo("downstream esp.lan:80 unreachable: no route to host");
    }

    @Test
    void aConnectTimeoutAnswers504() {
        HookException e = answer(new ConnectTimeoutException("connection timed out: esp.lan/192.168.1.20:80"), 1);

        assertThat(e.status()).isEqualTo(504);
        assertThat(e.getMessage()).isEqualTo("the downstream did not accept a connection in time");
        assertThat(e.logDetail()).isEqualTo("downstream esp.lan:80 did not accept a connection within 5s");
    }

    @Test
    void anUntrustedCertificateIsATlsFailureThatIsNeverRetried() {
        SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed");
        handshake.initCause(new CertificateException("unable to find valid certification path"));
        DownstreamFailure failure = DownstreamFailure.ofConnect(handshake, FIVE_SECONDS);

        assertThat(failure.kind()).isEqualTo(DownstreamFailure.Kind.TLS);
        assertThat(failure.kind().retryOn).isNull();
        assertThat(failure.getMessage())
                .isEqualTo("TLS handshake failed: certificate not trusted, or not for this host");
    }

    @Test
    void onlyConnectionFailuresAreRetriedAsConnect() {
        assertThat(DownstreamFailure.Kind.UNREACHABLE.retryOn).isEqualTo(RetryOn.CONNECT);
        assertThat(DownstreamFailure.Kind.CONNECT_TIMEOUT.retryOn).isEqualTo(RetryOn.CONNECT);
        assertThat(DownstreamFailure.Kind.CLOSED.retryOn).as("it may have acted").isEqualTo(RetryOn.STATUS_5XX);
        assertThat(DownstreamFailure.Kind.TIMEOUT.retryOn).as("it may still be acting").isNull();
    }

    @Test
    void noAnswerNamesTheDownstreamOrTheReasonButEveryLogDetailDoes() {
        for (DownstreamFailure.Kind kind : DownstreamFailure.Kind.values()) {
            HookException e = new DownstreamFailure(kind, "refused by 10.0.0.7").toHookException("esp.lan:8123", 2);

            assertThat(e.status()).as(kind.name()).isEqualTo(kind.status);
            assertThat(e.getMessage()).as(kind.name()).isEqualTo(kind.answer)
                    .doesNotContain("esp.lan").doesNotContain("8123").doesNotContain("10.0.0.7");
            assertThat(e.logDetail()).as(kind.name()).isEqualTo("downstream esp.lan:8123 refused by 10.0.0.7 "
                    + "(2 attempts)");
        }
    }

    @Test
    void busyAsksTheSenderToRetryLater() {
        HookException e = DownstreamFailure.stopping().toHookException("esp.lan:80", 1);

        assertThat(e.status()).isEqualTo(503);
        assertThat(e.headers().get("Retry-After")).isEqualTo("1");
    }
}
