package io.hookgateway.processors.forward;

import io.hookgateway.config.Units;
import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Why one attempt to reach a downstream failed, with the answer it turns into. Thrown without a stack trace: these
 * are expected outcomes (a device is off), not bugs.
 */
final class DownstreamFailure extends Exception {

    /**
     * The kinds of failure: each has its status, the answer's text, its metric outcome, and whether a retry may follow.
     * The answer says what happened in general terms only, since whoever calls a hook may be anyone: the downstream's
     * address and the particular reason go to the log, under the answer's error id.
     */
    enum Kind {
        /** No connection: refused, no route, unknown host. The request was never sent, so a retry is safe. */
        UNREACHABLE(502, "the downstream could not be reached", "unreachable", RetryOn.CONNECT),
        /** No connection (or TLS handshake) within {@code connect-timeout}; the request was never sent. */
        CONNECT_TIMEOUT(504, "the downstream did not accept a connection in time", "connect_timeout",
                RetryOn.CONNECT),
        /** The TLS handshake failed, mostly an untrusted certificate: a retry would fail the same way. */
        TLS(502, "the TLS handshake with the downstream failed", "tls", null),
        /**
         * A kept-alive connection closed before any byte of the answer: the downstream had closed it, idle, just as
         * the request went out. Retried once at once on a new connection, whatever {@code retry-on} says.
         */
        STALE(502, "the downstream closed the connection without answering", "stale", null),
        /** A new connection closed before any byte of the answer: the downstream may or may not have acted. */
        CLOSED(502, "the downstream closed the connection without answering", "closed", RetryOn.STATUS_5XX),
        /** No complete answer within {@code response-timeout}: not retried, the first may still be working. */
        TIMEOUT(504, "the downstream did not answer in time", "timeout", null),
        /** An answer cut off or malformed. */
        BROKEN(502, "the downstream's answer was incomplete or malformed", "broken", null),
        /** An answer over {@code max-response-size}. */
        TOO_LARGE(502, "the downstream's answer was too large", "too_large", null),
        /** Too many requests already wait for this downstream, or the gateway is out of capacity. */
        BUSY(503, "the gateway cannot reach the downstream now; try again shortly", "busy", null),
        /** The hook's own timeout cancelled the attempt; no one waits for the answer. */
        CANCELLED(504, "the hook did not answer in time", "cancelled", null);

        final int status;
        final String answer;
        final String outcome;
        final RetryOn retryOn;

        Kind(int status, String answer, String outcome, RetryOn retryOn) {
            this.status = status;
            this.answer = answer;
            this.outcome = outcome;
            this.retryOn = retryOn;
        }
    }

    private static final HeaderFields RETRY_AFTER = HeaderFields.of("Retry-After", "1");

    private final Kind kind;

    /**
     * @param reason what happened, written to follow "downstream host:port", as in {@code unreachable: connection
     *               refused}; never the URL
     */
    DownstreamFailure(Kind kind, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }

    /**
     * The answer, {@code the downstream could not be reached}, with its log detail, which names the downstream and the
     * reason: {@code downstream 192.168.1.20:80 unreachable: connection refused (3 attempts)}.
     */
    HookException toHookException(String hostPort, int attempts) {
        String detail = "downstream " + hostPort + " " + getMessage()
                + (attempts > 1 ? " (" + attempts + " attempts)" : "");
        return HookException.withLogDetail(kind.status, kind.answer,
                kind == Kind.BUSY ? RETRY_AFTER : HeaderFields.empty(), detail);
    }

    /** Classifies a failure to connect (name resolution, TCP connect, TLS handshake). */
    static DownstreamFailure ofConnect(Throwable cause, Duration connectTimeout) {
        if (cause instanceof DownstreamFailure failure) {
            return failure;
        }
        if (cause instanceof ConnectTimeoutException || cause instanceof SslHandshakeTimeoutException) {
            return connectTimeout(connectTimeout);
        }
        if (cause instanceof UnknownHostException) {
            return new DownstreamFailure(Kind.UNREACHABLE, "unreachable: unknown host");
        }
        if (cause instanceof NoRouteToHostException) {
            return new DownstreamFailure(Kind.UNREACHABLE, "unreachable: no route to host");
        }
        if (cause instanceof SSLException) {
            return new DownstreamFailure(Kind.TLS, hasCause(cause, CertificateException.class)
                    ? "TLS handshake failed: certificate not trusted, or not for this host" : "TLS handshake failed");
        }
        String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
        if (cause instanceof ConnectException && message.contains("refused")) {
            return new DownstreamFailure(Kind.UNREACHABLE, "unreachable: connection refused");
        }
        if (message.contains("unreachable")) {
            return new DownstreamFailure(Kind.UNREACHABLE, "unreachable: network unreachable");
        }
        return new DownstreamFailure(Kind.UNREACHABLE, "unreachable: connection failed");
    }

    /** The gateway stops: its event loops take no more work. */
    static DownstreamFailure stopping() {
        return new DownstreamFailure(Kind.BUSY, "was not tried: the gateway is stopping");
    }

    static DownstreamFailure connectTimeout(Duration connectTimeout) {
        return new DownstreamFailure(Kind.CONNECT_TIMEOUT, "did not accept a connection within "
                + Units.formatDuration(connectTimeout));
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
