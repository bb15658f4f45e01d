package io.hookgateway.tls;

import io.netty.handler.ssl.ClientAuth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One TLS listener of the hook port ({@code server.tls}): where it listens, the files of its certificate, and whether
 * clients must show a certificate of their own.
 *
 * @param bind the address to listen on
 * @param port the port; 0 picks a free one (tests)
 * @param certificate the PEM certificate chain, the server's own certificate first
 * @param key the PEM private key of that certificate
 * @param clientCa PEM certificates of the CAs that issue client certificates, or {@code null} for no client
 *                 certificates
 * @param clientAuth whether a client certificate is required, optional, or not asked for ({@link ClientAuth#NONE}
 *                   exactly when there is no {@code clientCa})
 * @param handshakeTimeout a connection that has not finished its handshake this long after it opened is closed
 * @param reloadInterval how often the files are checked for a change
 * @param provider which TLS implementation serves the listener
 */
public record TlsConfig(String bind, int port, Path certificate, Path key, Path clientCa, ClientAuth clientAuth,
                        Duration handshakeTimeout, Duration reloadInterval, Provider provider) {

    public static final int DEFAULT_PORT = 8443;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(5);

    /** Which TLS implementation serves a listener. */
    public enum Provider {
        /** OpenSSL (BoringSSL, from netty-tcnative) when its native library loads, the JDK's otherwise. */
        AUTO,
        /** OpenSSL only: the gateway does not start without it. */
        OPENSSL,
        /** The JDK's, always. */
        JDK
    }

    public TlsConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        Objects.requireNonNull(provider, "provider");
        if ((clientCa == null) != (clientAuth == ClientAuth.NONE)) {
            throw new IllegalArgumentException("client certificates need a client CA file, and a client CA file needs "
                    + "client certificates");
        }
    }

    public TlsConfig withBind(String newBind) {
        return new TlsConfig(newBind, port, certificate, key, clientCa, clientAuth, handshakeTimeout, reloadInterval,
                provider);
    }

    public TlsConfig withPort(int newPort) {
        return new TlsConfig(bind, newPort, certificate, key, clientCa, clientAuth, handshakeTimeout, reloadInterval,
                provider);
    }
}
