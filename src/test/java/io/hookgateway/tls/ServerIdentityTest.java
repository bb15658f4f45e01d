package io.hookgateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.hookgateway.testing.TestPki;
import io.netty.handler.ssl.ClientAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A listener's files read and checked together: a key is matched to its certificate for every key type, a file too
 * large or unreadable is refused, the digest follows every file, and the log line says what the certificate is.
 */
class ServerIdentityTest {

    @TempDir
    static Path directory;

    private static TestPki pki;
    private static TestPki.Authority ca;
    private static TestPki.Issued server;

    @BeforeAll
    static void makeCertificates() throws Exception {
        pki = new TestPki(directory);
        ca = pki.authority("identity");
        server = pki.server(ca, "localhost", "127.0.0.1");
    }

    private static TlsConfig listener(Path certificate, Path key, Path clientCa) {
        return new TlsConfig("127.0.0.1", 0, certificate, key, clientCa,
                clientCa == null ? ClientAuth.NONE : ClientAuth.REQUIRE, Duration.ofSeconds(10),
                Duration.ofSeconds(5), TlsConfig.Provider.AUTO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "EC", "ED25519"})
    void matchesAKeyToItsCertificateAndNoOther(String algorithm) throws Exception {
        TestPki.Issued one = pki.serverWithKey(ca, algorithm, "localhost");
        TestPki.Issued another = pki.serverWithKey(ca, algorithm, "localhost");

        assertThat(ServerIdentity.load(listener(one.certificate(), one.key(), null)).chain())
                .containsExactly(one.x509());
        assertThatThrownBy(() -> ServerIdentity.load(listener(one.certificate(), another.key(), null)))
                .isInstanceOf(TlsFileException.class).hasMessageContaining("is not the key of the certificate in");
        assertThatThrownBy(() -> ServerIdentity.load(listener(one.certificate(), server.key(), null)))
                .as("an %s certificate with an EC key", algorithm)
                .isInstanceOf(TlsFileException.class).hasMessageContaining("is not the key of the certificate in");
    }

    @Test
    void refusesAFileTooLargeToBeAPemFile() throws Exception {
        Path large = directory.resolve("large.crt");
        Files.write(large, new byte[ServerIdentity.MAX_FILE_BYTES + 1]);

        assertThatThrownBy(() -> ServerIdentity.load(listener(large, server.key(), null)))
                .isInstanceOf(TlsFileException.class).hasFieldOrPropertyWithValue("key", "certificate")
                .hasMessage(large + " is larger than 1024 KiB, which no PEM file of certificates or a key is; check "
                        + "the path");
    }

    @Test
    void refusesAFileTheGatewayMayNotRead() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file");
        Path secret = directory.resolve("unreadable.key");
        Files.copy(server.key(), secret);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));

        assertThatThrownBy(() -> ServerIdentity.load(listener(server.certificate(), secret, null)))
                .hasFieldOrPropertyWithValue("key", "key")
                .hasMessageStartingWith(secret + " cannot be read: permission denied");
    }

    @Test
    void theDigestFollowsEveryFile() throws Exception {
        Path caCopy = directory.resolve("ca-copy.crt");
        Files.copy(ca.certificate(), caCopy);
        TlsConfig config = listener(server.certificate(), server.key(), caCopy);
        ServerIdentity before = ServerIdentity.load(config);

        assertThat(before.sameFilesAs(ServerIdentity.read(config).digest())).isTrue();
        Files.writeString(caCopy, "\n", StandardOpenOption.APPEND);
        assertThat(before.sameFilesAs(ServerIdentity.read(config).digest())).isFalse();
    }

    @Test
    void describesTheCertificateByItsSubjectNamesSerialAndValidity() throws Exception {
        ServerIdentity identity = ServerIdentity.load(listener(server.certificate(), server.key(), null));

        assertThat(identity.describe()).isEqualTo("CN=localhost for localhost, 127.0.0.1, serial "
                + server.serial().toString(16) + ", valid " + server.x509().getNotBefore().toInstant() + " to "
                + server.x509().getNotAfter().toInstant());
        assertThat(identity.notAfter()).isEqualTo(server.x509().getNotAfter().toInstant());
    }
}
