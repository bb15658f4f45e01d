package io.hookgateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made for a test by the {@code openssl} command line (Debian package openssl), in a directory of the
 * test's: CAs, server and client certificates they issue (with {@code openssl ca}, which can also date one in the
 * past), and self-signed ones. Keys are EC P-256, or RSA 2048 or another {@code openssl genpkey} algorithm where
 * asked, written as PKCS#8.
 */
public final class TestPki {

    private static final DateTimeFormatter OPENSSL_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Tool openssl;
    private final Path directory;
    private int made;

    /** A CA: its certificate and key. */
    public record Authority(String name, Path certificate, Path key) {
    }

    /** A certificate and its key, as files, and the certificate as the JDK reads it. */
    public record Issued(Path certificate, Path key, X509Certificate x509) {
        public BigInteger serial() {
            return x509.getSerialNumber();
        }
    }

    public TestPki(Path directory) throws Exception {
        this.openssl = Tool.require("openssl", "openssl");
        this.directory = directory;
        Files.createDirectories(directory.resolve("issued"));
        Files.writeString(directory.resolve("index.txt"), "");
        Files.writeString(directory.resolve("serial"), "1000\n");
        Files.writeString(directory.resolve("ca.cnf"), """
                [ca]
                default_ca = test
                [test]
                database = index.txt
                new_certs_dir = issued
                serial = serial
                default_md = sha256
                policy = any
                unique_subject = no
                [any]
                commonName = supplied
                """);
    }

    public Tool openssl() {
        return openssl;
    }

    public Path directory() {
        return directory;
    }

    /** A self-signed CA. */
    public Authority authority(String name) throws Exception {
        Path key = newKey(name + "-ca", "EC");
        Path certificate = directory.resolve(name + "-ca.crt");
        run("req", "-x509", "-new", "-key", key.toString(), "-out", certificate.toString(), "-days", "2",
                "-subj", "/CN=" + name + " test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return new Authority(name, certificate, key);
    }

    /** A server certificate for these DNS names and IP addresses, valid from an hour ago for two days. */
    public Issued server(Authority ca, String... names) throws Exception {
        return serverWithKey(ca, "EC", names);
    }

    /** A server certificate with a key of another algorithm: {@code RSA}, {@code ED25519}. */
    public Issued serverWithKey(Authority ca, String keyAlgorithm, String... names) throws Exception {
        return issue(ca, names[0], keyAlgorithm, "serverAuth", List.of(names), Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(2)));
    }

    /** A server certificate that expired a year ago. */
    public Issued expiredServer(Authority ca, String... names) throws Exception {
        return issue(ca, names[0], "EC", "serverAuth", List.of(names), Instant.now().minus(Duration.ofDays(400)),
                Instant.now().minus(Duration.ofDays(365)));
    }

    /** A client certificate. */
    public Issued client(Authority ca, String name) throws Exception {
        return issue(ca, name, "EC", "clientAuth", List.of(), Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(2)));
    }

    /** A self-signed server certificate for these names. */
    public Issued selfSigned(String... names) throws Exception {
        String file = "self-" + (++made);
        Path key = newKey(file, "EC");
        Path certificate = directory.resolve(file + ".crt");
        run("req", "-x509", "-new", "-key", key.toString(), "-out", certificate.toString(), "-days", "2",
                "-subj", "/CN=" + names[0], "-addext", "subjectAltName=" + alternativeNames(List.of(names)));
        return new Issued(certificate, key, read(certificate));
    }

    public Issued issue(Authority ca, String commonName, String keyAlgorithm, String usage, List<String> names,
                 Instant notBefore, Instant notAfter) throws Exception {
        String file = commonName.replaceAll("[^A-Za-z0-9.-]", "_") + "-" + (++made);
        Path key = newKey(file, keyAlgorithm);
        Path request = directory.resolve(file + ".csr");
        run("req", "-new", "-key", key.toString(), "-out", request.toString(), "-subj", "/CN=" + commonName);
        Path extensions = directory.resolve(file + ".ext");
        StringBuilder text = new StringBuilder("basicConstraints = CA:FALSE\nextendedKeyUsage = " + usage + "\n");
        if (!names.isEmpty()) {
            text.append("subjectAltName = ").append(alternativeNames(names)).append('\n');
        }
        Files.writeString(extensions, text);
        Path certificate = directory.resolve(file + ".crt");
        run("ca", "-batch", "-notext", "-config", "ca.cnf", "-cert", ca.certificate().toString(),
                "-keyfile", ca.key().toString(), "-in", request.toString(), "-out", certificate.toString(),
                "-startdate", OPENSSL_TIME.format(notBefore), "-enddate", OPENSSL_TIME.format(notAfter),
                "-extfile", extensions.toString());
        return new Issued(certificate, key, read(certificate));
    }

    private Path newKey(String file, String algorithm) throws Exception {
        Path key = directory.resolve(file + ".key");
        switch (algorithm) {
            case "RSA" -> run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
                    key.toString());
            case "EC" -> run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
                    key.toString());
            default -> run("genpkey", "-algorithm", algorithm, "-out", key.toString());
        }
        return key;
    }

    private static String alternativeNames(List<String> names) {
        List<String> entries = new ArrayList<>();
        for (String name : names) {
            entries.add((Character.isDigit(name.charAt(0)) || name.contains(":") ? "IP:" : "DNS:") + name);
        }
        return String.join(",", entries);
    }

    /** Runs openssl in the directory; fails the test when it fails. */
    public Tool.Result run(String... arguments) throws Exception {
        Tool.Result result = openssl.run(directory, arguments);
        assertThat(result.exitCode()).as("openssl %s\n%s", String.join(" ", arguments), result).isZero();
        return result;
    }

    /**
     * A client's context: trusts the CA {@code trusted}, and shows {@code certificate} when it is not {@code null}
     * (its key is PKCS#8, as {@code openssl genpkey} writes it).
     */
    public static SSLContext clientContext(Authority trusted, Issued certificate) throws Exception {
        KeyManager[] keyManagers = null;
        if (certificate != null) {
            char[] password = "test-only".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", pkcs8(certificate.key()), password,
                    new Certificate[] {certificate.x509()});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, password);
            keyManagers = factory.getKeyManagers();
        }
        KeyStore roots = KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        roots.setCertificateEntry("ca", read(trusted.certificate()));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(roots);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, trust.getTrustManagers(), null);
        return context;
    }

    private static PrivateKey pkcs8(Path key) throws Exception {
        String pem = Files.readString(key);
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(pem.indexOf('\n'), pem.indexOf("-----END")));
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    public static X509Certificate read(Path certificate) throws Exception {
        try (InputStream in = Files.newInputStream(certificate)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
