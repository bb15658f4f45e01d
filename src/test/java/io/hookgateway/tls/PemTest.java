package io.hookgateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookgateway.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading PEM as openssl and cert-manager write it: keys as PKCS#8, PKCS#1 (RSA) and SEC 1 (EC) give the same key;
 * certificates with text around them; and every file that is not one refused with a message that says what it holds,
 * never its bytes.
 */
class PemTest {

    @TempDir
    static Path directory;

    private static TestPki pki;
    private static TestPki.Authority ca;

    @BeforeAll
    static void makeKeys() throws Exception {
        pki = new TestPki(directory);
        ca = pki.authority("pem");
        pki.run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.key");
        pki.run("pkey", "-in", "rsa.key", "-traditional", "-out", "rsa-pkcs1.key");
        pki.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "ec.key");
        pki.run("pkey", "-in", "ec.key", "-traditional", "-out", "ec-sec1.key");
        pki.run("ecparam", "-name", "prime256v1", "-genkey", "-out", "ecparam.key");
        pki.run("genpkey", "-algorithm", "ed25519", "-out", "ed25519.key");
        pki.run("rsa", "-in", "rsa.key", "-traditional", "-aes256", "-passout", "pass:x", "-out", "legacy-enc.key");
    }

    private static String read(String file) throws Exception {
        return Files.readString(directory.resolve(file));
    }

    @Test
    void readsPkcs1RsaKeysAsTheSameKeyAsPkcs8() throws Exception {
        assertThat(read("rsa-pkcs1.key")).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        PrivateKey pkcs1 = Pem.privateKey(read("rsa-pkcs1.key"));

        assertThat(pkcs1.getAlgorithm()).isEqualTo("RSA");
        assertThat(pkcs1.getEncoded()).isEqualTo(Pem.privateKey(read("rsa.key")).getEncoded());
    }

    @Test
    void readsSec1EcKeysAsTheSameKeyAsPkcs8() throws Exception {
        assertThat(read("ec-sec1.key")).startsWith("-----BEGIN EC PRIVATE KEY-----");

        PrivateKey sec1 = Pem.privateKey(read("ec-sec1.key"));

        assertThat(sec1.getAlgorithm()).isEqualTo("EC");
        assertThat(((ECPrivateKey) sec1).getS())
                .isEqualTo(((ECPrivateKey) Pem.privateKey(read("ec.key"))).getS());
    }

    @Test
    void readsTheKeyAfterTheParametersOpensslEcparamWrites() throws Exception {
        assertThat(read("ecparam.key")).startsWith("-----BEGIN EC PARAMETERS-----");

        assertThat(Pem.privateKey(read("ecparam.key")).getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void readsEd25519Keys() throws Exception {
        assertThat(Pem.privateKey(read("ed25519.key")).getAlgorithm()).isIn("EdDSA", "Ed25519");
    }

    @Test
    void refusesALegacyEncryptedKeyWithTheFix() throws Exception {
        assertThat(read("legacy-enc.key")).contains("Proc-Type: 4,ENCRYPTED");

        assertThatThrownBy(() -> Pem.privateKey(read("legacy-enc.key"))).isInstanceOf(Pem.PemException.class)
                .hasMessage("holds an encrypted private key, and the gateway has no passphrase for it; write it "
                        + "unencrypted (openssl pkey -in <file> -out <new file>) and let the file's permissions "
                        + "protect it");
    }

    @Test
    void refusesTwoKeys() throws Exception {
        assertThatThrownBy(() -> Pem.privateKey(read("rsa.key") + read("ec.key")))
                .hasMessage("holds more than one private key; keep the one the certificate was issued for");
    }

    @Test
    void saysWhenTheEndOfABlockIsMissing() throws Exception {
        String key = read("ec.key");

        assertThatThrownBy(() -> Pem.privateKey(key.substring(0, key.length() / 2)))
                .hasMessage("has no '-----END PRIVATE KEY-----' after its '-----BEGIN PRIVATE KEY-----' line (is the "
                        + "file complete?)");
    }

    @Test
    void neverQuotesWhatAKeyBlockHolds() {
        String garbage = Base64.getMimeEncoder().encodeToString("not a key at all, but secret-ish".getBytes());

        assertThatThrownBy(() -> Pem.privateKey("-----BEGIN PRIVATE KEY-----\n" + garbage
                + "\n-----END PRIVATE KEY-----\n"))
                .hasMessage("holds a private key that is not an RSA, EC or EdDSA key the JDK can read")
                .message().doesNotContain(garbage.substring(0, 8));
    }

    @Test
    void refusesAnEcKeyThatIsNotDer() {
        String bad = Base64.getEncoder().encodeToString(new byte[] {0x30, (byte) 0x82, 0x7f, 0x7f, 0x02, 0x01});

        assertThatThrownBy(() -> Pem.privateKey("-----BEGIN EC PRIVATE KEY-----\n" + bad
                + "\n-----END EC PRIVATE KEY-----\n")).hasMessage("holds an EC private key that is not valid DER");
    }

    @Test
    void readsCertificatesInOrderSkippingTheTextAroundThem() throws Exception {
        TestPki.Issued server = pki.server(ca, "localhost");
        pki.run("x509", "-in", server.certificate().toString(), "-text", "-out", "with-text.crt");
        String bundle = "subject=CN = localhost\n" + read("with-text.crt") + "\n# the CA\n"
                + Files.readString(ca.certificate());

        List<X509Certificate> certificates = Pem.certificates(bundle);

        assertThat(certificates).extracting(X509Certificate::getSerialNumber)
                .containsExactly(server.serial(), TestPki.read(ca.certificate()).getSerialNumber());
    }

    @Test
    void saysWhichCertificateCannotBeRead() throws Exception {
        String good = Files.readString(ca.certificate());
        String broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

        assertThatThrownBy(() -> Pem.certificates(good + broken))
                .hasMessageStartingWith("has a certificate (the second) that cannot be read: ");
    }
}
