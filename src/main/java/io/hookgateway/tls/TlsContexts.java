package io.hookgateway.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Builds the server {@link SslContext} of a TLS listener from its files: the one place its protocol settings are
 * written down.
 *
 * <ul>
 *   <li>TLS 1.3 and 1.2 only: TLS 1.0 and 1.1 are deprecated (RFC 8996) and refused in the handshake.</li>
 *   <li>Cipher suites with forward secrecy and authenticated encryption only: Mozilla's "intermediate" server
 *       configuration (ECDHE with AES-GCM or ChaCha20-Poly1305; the TLS 1.3 suites are all of that kind).</li>
 *   <li>ALPN offers {@code http/1.1}, the only protocol the gateway speaks; a client that asks for {@code h2} alone
 *       gets no ALPN answer rather than a refused handshake.</li>
 *   <li>With a client CA file, the client's certificate is required or optional ({@link TlsConfig#clientAuth()}) and
 *       must chain to one of its certificates.</li>
 * </ul>
 */
public final class TlsContexts {

    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    private static final ApplicationProtocolConfig ALPN = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_1_1);

    private TlsContexts() {
    }

    /**
     * The implementation that serves a listener's key, as Netty names it. {@link TlsConfig.Provider#AUTO} is OpenSSL
     * when netty-tcnative's native library loads on this machine and the key is RSA or EC, the JDK's otherwise: Netty
     * gives OpenSSL RSA and EC keys only (an Ed25519 key finds no key material in the handshake).
     *
     * @throws IllegalStateException when OpenSSL is asked for and cannot serve; the message says why
     */
    public static SslProvider provider(TlsConfig.Provider wanted, ServerIdentity identity) {
        return switch (wanted) {
            case AUTO -> OpenSsl.isAvailable() && openSslServes(identity) ? SslProvider.OPENSSL : SslProvider.JDK;
            case JDK -> SslProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("OpenSSL is not available here (" + whyNoOpenSsl() + "); use "
                            + "provider: auto or jdk");
                }
                if (!openSslServes(identity)) {
                    throw new IllegalStateException("OpenSSL serves RSA and EC keys only, and the key is "
                            + identity.key().getAlgorithm() + "; use provider: auto or jdk, or an RSA or EC key");
                }
                yield SslProvider.OPENSSL;
            }
        };
    }

    private static boolean openSslServes(ServerIdentity identity) {
        String algorithm = identity.key().getAlgorithm();
        return algorithm.equals("RSA") || algorithm.equals("EC");
    }

    /** The implementation serving an identity, for the log line that says which one it is, and why. */
    public static String describe(SslProvider provider, ServerIdentity identity) {
        if (provider != SslProvider.JDK) {
            return "OpenSSL (" + OpenSsl.versionString() + ")";
        }
        if (!OpenSsl.isAvailable()) {
            return "the JDK (OpenSSL is not available: " + whyNoOpenSsl() + ")";
        }
        return openSslServes(identity) ? "the JDK" : "the JDK (OpenSSL serves RSA and EC keys only)";
    }

    private static String whyNoOpenSsl() {
        Throwable cause = OpenSsl.unavailabilityCause();
        if (cause == null) {
            return "no reason given";
        }
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /**
     * Builds the listener's context once, as its start will, and drops it: for the configuration's check.
     *
     * @throws IllegalStateException when the provider asked for is not available
     */
    public static void check(TlsConfig config, ServerIdentity identity) throws SSLException {
        build(config, identity, provider(config.provider(), identity));
    }

    /** A context serving the identity with the listener's settings, by {@code provider}. */
    static SslContext build(TlsConfig config, ServerIdentity identity, SslProvider provider) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forServer(identity.key(), identity.chain())
                .sslProvider(provider)
                .protocols(PROTOCOLS)
                .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(ALPN)
                .clientAuth(config.clientAuth());
        if (!identity.clientCas().isEmpty()) {
            builder.trustManager(identity.clientCas());
        }
        return builder.build();
    }
}
