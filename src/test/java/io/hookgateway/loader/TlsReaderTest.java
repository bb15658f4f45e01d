package io.hookgateway.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hookgateway.config.ConfigException;
import io.hookgateway.config.ConfigProblems;
import io.hookgateway.processors.ProcessorRegistry;
import io.hookgateway.testing.TestPki;
import io.hookgateway.tls.TlsConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code server.tls} as the configuration reads it: every key, the defaults, one listener or a list, and each mistake
 * reported at its key with the file and the fix: a file missing or not PEM, a key that is not the certificate's, a
 * client CA file without a certificate, ports that clash. Relative paths start at the configuration's directory.
 */
class TlsReaderTest {

    private static final String HOOK = """
            hooks:
              - {name: h, path: /h, processor: {type: respond}}
            """;

    @TempDir
    static Path directory;

    private static TestPki.Issued server;
    private static TestPki.Issued other;
    private static TestPki.Authority ca;

    @BeforeAll
    static void makeCertificates() throws Exception {
        TestPki pki = new TestPki(directory);
        ca = pki.authority("test");
        server = pki.server(ca, "localhost");
        other = pki.server(ca, "localhost");
        Files.copy(server.certificate(), directory.resolve("tls.crt"));
        Files.copy(server.key(), directory.resolve("tls.key"));
        // The intermediate before the server's own certificate: a chain in the wrong order.
        Files.writeString(directory.resolve("reversed.crt"), Files.readString(ca.certificate())
                + Files.readString(server.certificate()));
        Files.writeString(directory.resolve("empty.pem"), "# nothing here\n");
        pki.run("pkey", "-in", server.key().toString(), "-out", "encrypted.key", "-aes256", "-passout", "pass:x");
    }

    private static GatewayConfig parse(String yaml) throws ConfigException {
        return new ConfigLoader(ProcessorRegistry.load(), name -> null).parse(yaml, "gateway.yaml", directory, false);
    }

    private static List<ConfigProblems.Problem> problems(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> parse(yaml)).problems();
    }

    @Test
    void readsEveryKey() throws Exception {
        GatewayConfig config = parse("""
                server:
                  bind: 127.0.0.1
                  plain: false
                  tls:
                    bind: 127.0.0.2
                    port: 9443
                    certificate: tls.crt
                    key: tls.key
                    client-ca: %s
                    client-auth: optional
                    handshake-timeout: 3s
                    reload-interval: 1m
                    provider: jdk
                """.formatted(ca.certificate()) + HOOK);

        assertThat(config.server().plain()).isFalse();
        assertThat(config.server().tls()).containsExactly(new TlsConfig("127.0.0.2", 9443,
                directory.resolve("tls.crt"), directory.resolve("tls.key"), ca.certificate(), ClientAuth.OPTIONAL,
                Duration.ofSeconds(3), Duration.ofMinutes(1), TlsConfig.Provider.JDK));
    }

    @Test
    void givesEachKeyItsDefault() throws Exception {
        GatewayConfig config = parse("server:\n  bind: 127.0.0.1\n  tls: {certificate: tls.crt, key: tls.key}\n"
                + HOOK);

        assertThat(config.server().plain()).isTrue();
        assertThat(config.server().tls()).containsExactly(new TlsConfig("127.0.0.1", 8443,
                directory.resolve("tls.crt"), directory.resolve("tls.key"), null, ClientAuth.NONE,
                Duration.ofSeconds(10), Duration.ofSeconds(5), TlsConfig.Provider.AUTO));
    }

    @Test
    void aClientCaAloneRequiresClientCertificates() throws Exception {
        GatewayConfig config = parse("server:\n  tls: {certificate: tls.crt, key: tls.key, client-ca: '"
                + ca.certificate() + "'}\n" + HOOK);

        assertThat(config.server().tls().get(0).clientAuth()).isEqualTo(ClientAuth.REQUIRE);
    }

    @Test
    void readsAListOfListeners() throws Exception {
        GatewayConfig config = parse("""
                server:
                  tls:
                    - {port: 8443, certificate: tls.crt, key: tls.key}
                    - {port: 8444, certificate: tls.crt, key: tls.key, client-ca: '%s'}
                """.formatted(ca.certificate()) + HOOK);

        assertThat(config.server().tls()).extracting(TlsConfig::port, TlsConfig::clientAuth)
                .containsExactly(tuple(8443, ClientAuth.NONE),
                        tuple(8444, ClientAuth.REQUIRE));
    }

    @Test
    void bindOfTheCommandLineMovesEveryListener() throws Exception {
        GatewayConfig config = parse("server:\n  tls: {bind: 127.0.0.2, certificate: tls.crt, key: tls.key}\n"
                + HOOK);

        assertThat(config.server().withBind("::1").tls()).extracting(TlsConfig::bind).containsExactly("::1");
    }

    static Stream<Arguments> mistakes() {
        String files = "certificate: tls.crt, key: tls.key";
        return Stream.of(
                Arguments.of("server: {tls: {key: tls.key}}", "server.tls.certificate",
                        "is required; give the PEM file of the server's certificate chain, such as certificate: "
                                + "/etc/hook-gateway/tls.crt"),
                Arguments.of("server: {tls: {certificate: tls.crt}}", "server.tls.key",
                        "is required; give the PEM file of the certificate's private key"),
                Arguments.of("server: {tls: {certificate: missing.crt, key: tls.key}}", "server.tls.certificate",
                        directory.resolve("missing.crt") + " does not exist; check the path (a relative one starts "
                                + "at the configuration's directory) and that the gateway's user may read it"),
                Arguments.of("server: {tls: {certificate: tls.key, key: tls.key}}", "server.tls.certificate",
                        directory.resolve("tls.key") + " holds no PEM certificate ('-----BEGIN CERTIFICATE-----'); "
                                + "give the server's certificate chain, its own certificate first"),
                Arguments.of("server: {tls: {certificate: tls.crt, key: tls.crt}}", "server.tls.key",
                        directory.resolve("tls.crt") + " holds no PEM private key ('-----BEGIN PRIVATE KEY-----')"),
                Arguments.of("server: {tls: {certificate: tls.crt, key: '" + other.key() + "'}}", "server.tls.key",
                        other.key() + " is not the key of the certificate in " + directory.resolve("tls.crt")
                                + " (CN=localhost for localhost, serial " + server.serial().toString(16)),
                Arguments.of("server: {tls: {certificate: tls.crt, key: '" + other.key() + "'}}", "server.tls.key",
                        "give the key the certificate was issued for (after a renewal, both files must be the new "
                                + "ones)"),
                Arguments.of("server: {tls: {certificate: reversed.crt, key: tls.key}}", "server.tls.key",
                        "it is the key of the second certificate of the file: put the server's own certificate "
                                + "first, then the ones that issued it"),
                Arguments.of("server: {tls: {certificate: tls.crt, key: encrypted.key}}", "server.tls.key",
                        "holds an encrypted private key, and the gateway has no passphrase for it; write it "
                                + "unencrypted (openssl pkey -in <file> -out <new file>)"),
                Arguments.of("server: {tls: {" + files + ", client-ca: empty.pem}}", "server.tls.client-ca",
                        directory.resolve("empty.pem") + " holds no PEM certificate ('-----BEGIN CERTIFICATE-----'); "
                                + "give the certificates of the CAs that issue the client certificates to accept"),
                Arguments.of("server: {tls: {" + files + ", client-auth: require}}", "server.tls.client-auth",
                        "needs client-ca: the file of the CA certificates that client certificates must come from"),
                Arguments.of("server: {tls: {" + files + ", client-ca: tls.crt, client-auth: want}}",
                        "server.tls.client-auth", "'want' is not a client-auth; use require"),
                Arguments.of("server: {tls: {" + files + ", provider: boringssl}}", "server.tls.provider",
                        "'boringssl' is not a provider; use auto"),
                Arguments.of("server: {tls: {" + files + ", handshake-timeout: 0s}}", "server.tls.handshake-timeout",
                        "must be from 100ms to 5m"),
                Arguments.of("server: {tls: {" + files + ", certificates: x}}", "server.tls.certificates",
                        "unknown key; did you mean 'certificate'?"),
                Arguments.of("server: {port: 8443, tls: {" + files + "}}", "server.tls.port",
                        "is the same as server.port (8443); a TLS listener needs a port of its own, such as 8443 (or "
                                + "turn the plain port off with server.plain: false)"),
                Arguments.of("server: {tls: [{" + files + "}, {" + files + "}]}", "server.tls[1].port",
                        "is the same as server.tls[0].port (8443)"),
                Arguments.of("server: {tls: [{" + files + "}, {certificate: nope.crt, key: tls.key}]}",
                        "server.tls[1].certificate", "nope.crt does not exist"),
                Arguments.of("server: {tls: {" + files + "}}\nmetrics: {port: 8443}", "metrics.port",
                        "is the same as server.tls.port (8443); metrics need a port of their own"),
                Arguments.of("server: {plain: false}", "server.plain",
                        "is false and there is no tls listener, so no port would serve the hooks; add server.tls, or "
                                + "remove plain: false"),
                Arguments.of("server: {tls: []}", "server.tls", "is an empty list; give a listener"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("mistakes")
    void reportsEachMistakeAtItsKeyWithTheFileAndAFix(String server, String keyPath, String message) {
        List<ConfigProblems.Problem> problems = problems(server + "\n" + HOOK);

        assertThat(problems).filteredOn(p -> p.keyPath().equals(keyPath)).as("%s", problems).singleElement()
                .extracting(ConfigProblems.Problem::message).asString().contains(message);
    }

    @Test
    void refusesOpenSslForAKeyItCannotServe() throws Exception {
        assumeTrue(OpenSsl.isAvailable());
        TestPki.Issued ed25519 = new TestPki(directory.resolve("ed25519")).serverWithKey(ca, "ED25519", "localhost");

        List<ConfigProblems.Problem> problems = problems("server: {tls: {certificate: '" + ed25519.certificate()
                + "', key: '" + ed25519.key() + "', provider: openssl}}\n" + HOOK);

        assertThat(problems).containsExactly(new ConfigProblems.Problem("server.tls.provider", "OpenSSL serves RSA and "
                + "EC keys only, and the key is EdDSA; use provider: auto or jdk, or an RSA or EC key"));
    }

    @Test
    void plainFalseWithAListenerServesOnlyOverTls() throws Exception {
        GatewayConfig config = parse("server: {port: 8443, plain: false, tls: {certificate: tls.crt, key: tls.key}}\n"
                + HOOK);

        assertThat(config.server().plain()).isFalse();
        assertThat(ConfigLoader.portClashes(config.server(), config.metrics())).as("the plain port is not used")
                .isEmpty();
    }
}
