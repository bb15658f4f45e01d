package io.hookgateway.loader;

import io.hookgateway.config.ConfigNode;
import io.hookgateway.tls.ServerIdentity;
import io.hookgateway.tls.TlsConfig;
import io.hookgateway.tls.TlsContexts;
import io.hookgateway.tls.TlsFileException;
import io.netty.handler.ssl.ClientAuth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Reads {@code server.tls}: one TLS listener, or a list of them (to ask for client certificates on one port and not
 * on another).
 *
 * <pre>
 * server:
 *   port: 8080                    # the plain listener; plain: false turns it off
 *   tls:
 *     port: 8443
 *     certificate: tls/tls.crt    # PEM chain, the server's own certificate first; relative to this file's directory
 *     key: tls/tls.key            # PEM private key: PKCS#8, PKCS#1 (RSA) or SEC 1 (EC), unencrypted
 *     client-ca: tls/clients.crt  # optional: ask clients for a certificate from one of these CAs
 *     client-auth: require        # with client-ca: require (the default) or optional
 * </pre>
 *
 * The files are read and checked as the listener will at start ({@link ServerIdentity}), so {@code --check} finds a
 * missing file, a key that is not the certificate's, or a client CA file without a certificate.
 */
final class TlsReader {

    private static final Duration MIN_HANDSHAKE_TIMEOUT = Duration.ofMillis(100);
    private static final Duration MAX_HANDSHAKE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration MIN_RELOAD_INTERVAL = Duration.ofMillis(100);
    private static final Duration MAX_RELOAD_INTERVAL = Duration.ofHours(1);

    private TlsReader() {
    }

    /** The listeners of {@code server.tls}, none when it is absent; a listener with a problem is reported, left out. */
    static List<TlsConfig> read(ConfigNode server, String defaultBind, Path directory) {
        if (!server.has("tls")) {
            return List.of();
        }
        List<ConfigNode> nodes;
        if (server.isList("tls")) {
            nodes = server.objects("tls");
            if (server.isEmptyList("tls")) {
                server.problem("tls", "is an empty list; give a listener, as tls: {port: 8443, certificate: "
                        + "tls.crt, key: tls.key}, or remove it");
            }
        } else {
            ConfigNode node = server.object("tls");
            nodes = node == null ? List.of() : List.of(node);
        }
        List<TlsConfig> listeners = new ArrayList<>();
        for (ConfigNode node : nodes) {
            TlsConfig listener = listener(node, defaultBind, directory);
            if (listener != null) {
                listeners.add(listener);
            }
        }
        return listeners;
    }

    private static TlsConfig listener(ConfigNode node, String defaultBind, Path directory) {
        String bind = node.string("bind", defaultBind);
        String bindProblem = ConfigLoader.bindProblem(bind);
        if (bindProblem != null) {
            node.problem("bind", bindProblem);
        }
        int port = node.integer("port", TlsConfig.DEFAULT_PORT, 0, 65535);
        Path certificate = file(node, "certificate", directory, "give the PEM file of the server's certificate "
                + "chain, such as certificate: /etc/hook-gateway/tls.crt");
        Path key = file(node, "key", directory, "give the PEM file of the certificate's private key, such as key: "
                + "/etc/hook-gateway/tls.key");
        Path clientCa = node.has("client-ca") ? file(node, "client-ca", directory, "give the PEM file of the CA "
                + "certificates that issue client certificates, or remove client-ca") : null;
        ClientAuth clientAuth = clientAuth(node, clientCa != null || node.has("client-ca"));
        Duration handshakeTimeout = node.duration("handshake-timeout", TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT,
                MIN_HANDSHAKE_TIMEOUT, MAX_HANDSHAKE_TIMEOUT);
        Duration reloadInterval = node.duration("reload-interval", TlsConfig.DEFAULT_RELOAD_INTERVAL,
                MIN_RELOAD_INTERVAL, MAX_RELOAD_INTERVAL);
        TlsConfig.Provider provider = node.parsed("provider", TlsConfig.Provider.AUTO, TlsReader::provider);
        node.finish();
        if (bindProblem != null || certificate == null || key == null || clientAuth == null
                || (node.has("client-ca") && clientCa == null)) {
            return null;
        }
        TlsConfig config = new TlsConfig(bind, port, certificate, key, clientCa, clientAuth, handshakeTimeout,
                reloadInterval, provider);
        return checked(node, config);
    }

    /** The listener when its files and provider serve, as at start; {@code null} after reporting why not. */
    private static TlsConfig checked(ConfigNode node, TlsConfig config) {
        try {
            ServerIdentity identity = ServerIdentity.load(config);
            TlsContexts.check(config, identity);
            return config;
        } catch (TlsFileException e) {
            node.problem(e.key(), e.getMessage());
        } catch (IllegalStateException e) {
            node.problem("provider", e.getMessage());
        } catch (SSLException e) {
            node.problem("certificate", "with " + config.key() + " cannot be served: " + e.getMessage());
        }
        return null;
    }

    private static Path file(ConfigNode node, String key, Path directory, String hint) {
        String name = node.requiredString(key, hint);
        return name == null ? null : directory.resolve(name).normalize();
    }

    /**
     * {@code client-auth}: {@code require} (the default with a client CA file) or {@code optional};
     * {@link ClientAuth#NONE} without a client CA file; {@code null} after a problem.
     */
    private static ClientAuth clientAuth(ConfigNode node, boolean hasClientCa) {
        if (!node.has("client-auth")) {
            return hasClientCa ? ClientAuth.REQUIRE : ClientAuth.NONE;
        }
        String value = node.string("client-auth", null);
        if (value == null) {
            return null;
        }
        ClientAuth clientAuth = switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "require" -> ClientAuth.REQUIRE;
            case "optional" -> ClientAuth.OPTIONAL;
            default -> null;
        };
        if (clientAuth == null) {
            node.problem("client-auth", "'" + value + "' is not a client-auth; use require (every client shows a "
                    + "certificate from client-ca) or optional (a client may show one)");
            return null;
        }
        if (!hasClientCa) {
            node.problem("client-auth", "needs client-ca: the file of the CA certificates that client certificates "
                    + "must come from");
            return null;
        }
        return clientAuth;
    }

    private static TlsConfig.Provider provider(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> TlsConfig.Provider.AUTO;
            case "openssl" -> TlsConfig.Provider.OPENSSL;
            case "jdk" -> TlsConfig.Provider.JDK;
            default -> throw new IllegalArgumentException("'" + text + "' is not a provider; use auto (OpenSSL when "
                    + "it loads, else the JDK's), openssl or jdk");
        };
    }
}
