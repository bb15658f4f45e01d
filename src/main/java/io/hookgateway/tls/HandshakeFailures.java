package io.hookgateway.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Sits after the {@link io.netty.handler.ssl.SslHandler} of each connection of a TLS listener (one instance is shared
 * by the listener's connections). It counts each handshake that fails by {@link Reason}, as
 * {@code hook_gateway_tls_handshake_failures_total{reason}}, and says so in the log in at most one line a
 * {@link #LOG_INTERVAL}: strangers on the internet fail handshakes all day, and a log line each would bury the rest.
 * Failures that point to a client of yours set up wrong (plain HTTP, an old protocol, a refused client certificate)
 * are logged as warnings; those every scanner and TCP probe causes (not TLS at all, silence until the timeout, a
 * close) at debug level.
 *
 * <p>It also keeps the exceptions with which the {@code SslHandler} reports a failed handshake, or a broken record
 * later, from reaching the router, which would log them as unexpected with a stack trace. The {@code SslHandler}
 * closes the connection itself; this closes it too, in case.
 */
@ChannelHandler.Sharable
public final class HandshakeFailures extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HandshakeFailures.class);
    static final Duration LOG_INTERVAL = Duration.ofMinutes(1);
    private static final int MAX_DETAIL_CHARS = 120;
    /**
     * The alerts a client ends a handshake with when it refuses the server's certificate (RFC 8446 §6.2), as BoringSSL
     * ({@code TLSV1_ALERT_UNKNOWN_CA}) and the JDK ({@code Received fatal alert: unknown_ca}) name them, upper-cased.
     */
    private static final List<String> CERTIFICATE_ALERTS =
            List.of("UNKNOWN_CA", "BAD_CERTIFICATE", "CERTIFICATE_UNKNOWN", "CERTIFICATE_EXPIRED");
    /** Set on a connection whose failure is counted, so that the close that follows is not counted again. */
    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("hook-gateway.tls-failure-counted");

    /** Why a handshake failed, as far as the TLS implementation's exception tells. */
    public enum Reason {
        /** A plain HTTP request came to the TLS port ({@link PlainHttpRefusal} answered it). */
        PLAIN_HTTP(Level.WARN, "plain HTTP was sent to the TLS port (answered 400: use https://)"),
        /** The first bytes were not a TLS handshake, nor HTTP. */
        NOT_TLS(Level.DEBUG, "the client sent something that is not TLS"),
        /** The handshake did not finish within the listener's handshake timeout. */
        TIMEOUT(Level.DEBUG, "the handshake did not finish within handshake-timeout"),
        /** The client closed the connection before the handshake finished. */
        CLOSED(Level.DEBUG, "the client closed the connection during the handshake"),
        /** The client offers only protocol versions the gateway refuses (older than TLS 1.2). */
        PROTOCOL(Level.WARN, "the client offers only protocol versions older than TLS 1.2"),
        /** The client offers none of the gateway's cipher suites. */
        CIPHER(Level.WARN, "the client offers none of the gateway's cipher suites"),
        /** The listener requires a client certificate and the client sent none. */
        NO_CLIENT_CERTIFICATE(Level.WARN, "the client sent no certificate, and client-auth requires one"),
        /** The client's certificate was not issued by a CA of the listener's client CA file, or is not valid. */
        CLIENT_CERTIFICATE_REFUSED(Level.WARN, "the client's certificate is not from a CA of client-ca, or not valid"),
        /**
         * The client refused the gateway's certificate: it does not trust it (self-signed, an intermediate missing from
         * the chain, another CA), or it has expired.
         */
        CERTIFICATE_REFUSED(Level.WARN, "the client refused the gateway's certificate (not trusted: self-signed, "
                + "from a CA it does not know, an intermediate missing from the file; or expired)"),
        /** Anything else. */
        OTHER(Level.WARN, "the handshake failed");

        private final Level level;
        private final String description;

        Reason(Level level, String description) {
            this.level = level;
            this.description = description;
        }

        /** The value of the metric's {@code reason} tag. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);
    private final Supplier<String> listener;
    private final boolean asksForClientCertificates;
    private final LogLimit warnings = new LogLimit();
    private final LogLimit debugLines = new LogLimit();

    /**
     * @param listener names the listener in log lines ({@link ServerTls#name()}), which may change once it listens
     * @param clientAuth whether the listener asks clients for a certificate: a failure with a certificate in it is
     *                   the client's then
     */
    public HandshakeFailures(MeterRegistry registry, Supplier<String> listener, ClientAuth clientAuth) {
        this.listener = listener;
        this.asksForClientCertificates = clientAuth != ClientAuth.NONE;
        for (Reason reason : Reason.values()) {
            counters.put(reason, Counter.builder("hook.gateway.tls.handshake.failures")
                    .description("TLS handshakes that failed, by reason")
                    .tag("reason", reason.tag())
                    .register(registry));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent completion && !completion.isSuccess()
                && ctx.channel().attr(COUNTED).get() == null) {
            Throwable cause = completion.cause();
            failed(ctx.channel(), reasonFor(cause), detail(cause));
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (isTls(cause)) {
            // Counted from the handshake's completion event, or a record broken after it: not news, and not the
            // router's to log.
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    /** Counts a failed handshake and logs it, within the limit; {@code detail} may be {@code null}. */
    void failed(Channel channel, Reason reason, String detail) {
        channel.attr(COUNTED).set(Boolean.TRUE);
        counters.get(reason).increment();
        boolean warning = reason.level == Level.WARN;
        if (warning ? !log.isWarnEnabled() : !log.isDebugEnabled()) {
            return;
        }
        long unlogged = (warning ? warnings : debugLines).tryLog();
        if (unlogged < 0) {
            return;
        }
        String line = "{}: a handshake with {} failed: {}{}{}";
        Object[] arguments = {listener.get(), address(channel.remoteAddress()), reason.description,
            detail == null ? "" : " (" + detail + ")",
            unlogged == 0 ? "" : "; " + unlogged + " more since the last line like this, counted in "
                    + "hook_gateway_tls_handshake_failures_total"};
        if (warning) {
            log.warn(line, arguments);
        } else {
            log.debug(line, arguments);
        }
    }

    private Reason reasonFor(Throwable cause) {
        if (has(cause, SslHandshakeTimeoutException.class)) {
            return Reason.TIMEOUT;
        }
        if (has(cause, NotSslRecordException.class)) {
            return Reason.NOT_TLS;
        }
        if (has(cause, ClosedChannelException.class)) {
            return Reason.CLOSED;
        }
        String text = messages(cause);
        // OpenSSL (BoringSSL) names its errors; the JDK says them in words.
        if (text.contains("UNSUPPORTED_PROTOCOL") || text.contains("NO APPROPRIATE PROTOCOL")
                || text.contains("IS NOT ENABLED OR SUPPORTED IN SERVER CONTEXT")) {
            return Reason.PROTOCOL;
        }
        if (text.contains("NO_SHARED_CIPHER") || text.contains("NO CIPHER SUITES IN COMMON")) {
            return Reason.CIPHER;
        }
        if (CERTIFICATE_ALERTS.stream().anyMatch(alert -> text.contains("ALERT_" + alert)
                || text.contains("FATAL ALERT: " + alert)) || clientAlertInTheClear(text)) {
            return Reason.CERTIFICATE_REFUSED;
        }
        if (asksForClientCertificates) {
            if (text.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE") || text.contains("EMPTY CLIENT CERTIFICATE CHAIN")) {
                return Reason.NO_CLIENT_CERTIFICATE;
            }
            if (has(cause, CertificateException.class) || text.contains("CERTIFICATE_VERIFY_FAILED")
                    || text.contains("PKIX PATH") || text.contains("GENERAL OPENSSLENGINE PROBLEM")) {
                return Reason.CLIENT_CERTIFICATE_REFUSED;
            }
        }
        return Reason.OTHER;
    }

    /**
     * A TLS 1.3 client that refuses the certificate may send its alert unencrypted (OpenSSL's clients do), where the
     * server expects a protected record: a two-byte record, which BoringSSL reports as a bad length and the JDK as too
     * short for its cipher. Nothing else sends a record that short there.
     */
    private static boolean clientAlertInTheClear(String text) {
        return text.contains(":BAD_PACKET_LENGTH") || text.contains("FOR AEAD CIPHER FRAGMENT (2)");
    }

    /**
     * What the TLS implementation said, shortened, for the log: OpenSSL's error name ({@code BAD_PACKET_LENGTH}) or the
     * JDK's sentence. Never for bytes that were not TLS: the JDK quotes them in hex, and they may be a request with a
     * secret in it.
     */
    private static String detail(Throwable cause) {
        if (cause instanceof SslHandshakeTimeoutException || has(cause, NotSslRecordException.class)
                || has(cause, ClosedChannelException.class)) {
            return null;
        }
        Throwable deepest = cause;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        String message = deepest.getMessage();
        if (message == null) {
            return deepest.getClass().getSimpleName();
        }
        if (message.startsWith("error:")) {
            message = message.substring(message.lastIndexOf(':') + 1);
        }
        return message.length() > MAX_DETAIL_CHARS ? message.substring(0, MAX_DETAIL_CHARS) + "..." : message;
    }

    private static boolean isTls(Throwable cause) {
        Throwable t = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        return t instanceof SSLException;
    }

    private static boolean has(Throwable cause, Class<? extends Throwable> type) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String messages(Throwable cause) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!(t instanceof NotSslRecordException)) {
                text.append(t.getMessage()).append('\n');
            }
        }
        return text.toString().toUpperCase(Locale.ROOT);
    }

    private static String address(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(address);
    }

    /** At most one line a {@link #LOG_INTERVAL}, counting the lines left out. */
    private static final class LogLimit {
        private long nextNanos = System.nanoTime();
        private long unlogged;

        /** The number of lines left out since the last one, or -1 when this one is to be left out too. */
        synchronized long tryLog() {
            long now = System.nanoTime();
            if (now - nextNanos < 0) {
                unlogged++;
                return -1;
            }
            nextNanos = now + LOG_INTERVAL.toNanos();
            long left = unlogged;
            unlogged = 0;
            return left;
        }
    }
}
