package io.hookgateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookgateway.testing.LogCapture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The handler after the {@code SslHandler}: each failed handshake counted under its reason, as OpenSSL (BoringSSL) and
 * the JDK word it; at most one log line a minute, never quoting bytes that were not TLS; the exceptions of a failed
 * handshake kept from the router, any other passed on.
 */
class HandshakeFailuresTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private HandshakeFailures handler(ClientAuth clientAuth) {
        return new HandshakeFailures(registry, () -> "TLS on 127.0.0.1:8443", clientAuth);
    }

    private double count(String reason) {
        return registry.get("hook.gateway.tls.handshake.failures").tag("reason", reason).counter().count();
    }

    private static SSLHandshakeException said(String message) {
        return new SSLHandshakeException(message);
    }

    private static SSLHandshakeException because(Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException("General OpenSslEngine problem");
        e.initCause(cause);
        return e;
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new SslHandshakeTimeoutException("handshake timed out after 10000ms"), "timeout"),
                Arguments.of(new NotSslRecordException("not an SSL/TLS record: 474554"), "not_tls"),
                Arguments.of(new ClosedChannelException(), "closed"),
                Arguments.of(said("error:100000f0:SSL routines:OPENSSL_internal:UNSUPPORTED_PROTOCOL"), "protocol"),
                Arguments.of(said("Client requested protocol TLSv1.1 is not enabled or supported in server context"),
                        "protocol"),
                Arguments.of(said("error:100000b8:SSL routines:OPENSSL_internal:NO_SHARED_CIPHER"), "cipher"),
                Arguments.of(said("no cipher suites in common"), "cipher"),
                Arguments.of(said("error:100000c0:SSL routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE"),
                        "no_client_certificate"),
                Arguments.of(said("Empty client certificate chain"), "no_client_certificate"),
                Arguments.of(because(new CertificateException("PKIX path building failed")),
                        "client_certificate_refused"),
                Arguments.of(said("error:10000418:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA"),
                        "certificate_refused"),
                Arguments.of(said("Received fatal alert: certificate_unknown"), "certificate_refused"),
                Arguments.of(said("error:10000070:SSL routines:OPENSSL_internal:BAD_PACKET_LENGTH"),
                        "certificate_refused"),
                Arguments.of(said("Insufficient buffer remaining for AEAD cipher fragment (2). Needs to be more than "
                        + "tag size (16)"), "certificate_refused"),
                Arguments.of(said("error:100000f3:SSL routines:OPENSSL_internal:WRONG_CURVE"), "other"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("failures")
    void countsEachFailureUnderItsReason(Throwable cause, String reason) {
        EmbeddedChannel channel = new EmbeddedChannel(handler(ClientAuth.REQUIRE));

        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(cause));

        assertThat(count(reason)).isEqualTo(1);
        assertThat(registry.get("hook.gateway.tls.handshake.failures").counters())
                .as("no other reason counted").allSatisfy(c -> assertThat(c.count()).isIn(0.0, 1.0))
                .filteredOn(c -> c.count() == 1).hasSize(1);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aCertificateProblemIsTheGatewaysWhenTheListenerAsksForNone() {
        EmbeddedChannel channel = new EmbeddedChannel(handler(ClientAuth.NONE));

        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(
                because(new CertificateException("PKIX path building failed"))));

        assertThat(count("other")).isEqualTo(1);
        assertThat(count("client_certificate_refused")).isZero();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void countsAFailureOncePerConnection() {
        HandshakeFailures failures = handler(ClientAuth.NONE);
        EmbeddedChannel channel = new EmbeddedChannel(failures);

        failures.failed(channel, HandshakeFailures.Reason.PLAIN_HTTP, null);
        // The SslHandler reports the close that follows as a failed handshake too.
        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new ClosedChannelException()));

        assertThat(count("plain_http")).isEqualTo(1);
        assertThat(count("closed")).isZero();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void logsOneLineAMinuteNeverQuotingWhatWasNotTls() {
        HandshakeFailures failures = handler(ClientAuth.NONE);
        try (LogCapture log = LogCapture.of(HandshakeFailures.class)) {
            for (int i = 0; i < 20; i++) {
                EmbeddedChannel channel = new EmbeddedChannel(failures);
                channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(i % 2 == 0
                        ? said("error:100000f0:SSL routines:OPENSSL_internal:UNSUPPORTED_PROTOCOL")
                        : new NotSslRecordException("not an SSL/TLS record: 417574686f72697a6174696f6e")));
                assertThat(channel.finishAndReleaseAll()).isFalse();
            }

            assertThat(log.lines()).filteredOn(line -> line.startsWith("WARN")).containsExactly(
                    "WARN TLS on 127.0.0.1:8443: a handshake with embedded failed: the client offers only protocol "
                            + "versions older than TLS 1.2 (UNSUPPORTED_PROTOCOL)");
            assertThat(String.join("\n", log.lines())).doesNotContain("417574");
        }
        assertThat(count("protocol")).isEqualTo(10);
        assertThat(count("not_tls")).isEqualTo(10);
    }

    @Test
    void keepsTheExceptionsOfAFailedHandshakeFromTheRouterAndClosesTheConnection() {
        EmbeddedChannel channel = new EmbeddedChannel(handler(ClientAuth.NONE));

        channel.pipeline().fireExceptionCaught(new DecoderException(said("no cipher suites in common")));

        channel.checkException();
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void passesOnAnyOtherException() {
        EmbeddedChannel channel = new EmbeddedChannel(handler(ClientAuth.NONE));

        channel.pipeline().fireExceptionCaught(new IllegalStateException("a bug"));

        assertThatThrownBy(channel::checkException).isInstanceOf(IllegalStateException.class);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void passesASuccessfulHandshakeOnUncounted() {
        EmbeddedChannel channel = new EmbeddedChannel(handler(ClientAuth.NONE));

        channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);

        assertThat(registry.get("hook.gateway.tls.handshake.failures").counters())
                .allSatisfy(c -> assertThat(c.count()).isZero());
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
