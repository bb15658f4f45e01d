package io.hookgateway.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * What a TLS listener serves, read from its files at one moment and checked to fit together: the certificate chain,
 * the private key of its first certificate, and the CAs client certificates must come from. Reading the files again
 * gives a new identity; {@link #digest()} tells whether they changed.
 *
 * <p>Refused, each with the file, what is wrong and the fix ({@link TlsFileException}): a file that is missing,
 * unreadable or larger than {@value #MAX_FILE_BYTES} bytes; a certificate file without a certificate; a key file
 * without exactly one unencrypted private key; a key that is not the one the first certificate was issued for (a
 * renewal that has replaced one file of the pair but not yet the other); a client CA file without a certificate.
 * An expired certificate is not refused: clients refuse it, and the gateway logs it ({@link ServerTls}).
 */
public final class ServerIdentity {

    /** Certificate files are a few KiB; this bounds what a path pointing at the wrong file makes the gateway read. */
    static final int MAX_FILE_BYTES = 1024 * 1024;
    private static final int SUBJECT_NAMES_SHOWN = 4;

    private final List<X509Certificate> chain;
    private final PrivateKey key;
    private final List<X509Certificate> clientCas;
    private final byte[] digest;

    private ServerIdentity(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> clientCas,
                           byte[] digest) {
        this.chain = List.copyOf(chain);
        this.key = key;
        this.clientCas = List.copyOf(clientCas);
        this.digest = digest;
    }

    /** Reads and checks the listener's files now. */
    public static ServerIdentity load(TlsConfig config) throws TlsFileException {
        return of(config, read(config));
    }

    /** The bytes of a listener's files, read at one moment, and their digest. */
    record Contents(byte[] certificate, byte[] key, byte[] clientCa, byte[] digest) {
    }

    /**
     * Reads the listener's files, following symbolic links (Kubernetes swaps a {@code ..data} link to a new directory
     * when a secret changes). The digest covers all of them, so a change to any one shows.
     */
    static Contents read(TlsConfig config) throws TlsFileException {
        byte[] certificate = readFile("certificate", config.certificate());
        byte[] key = readFile("key", config.key());
        byte[] clientCa = config.clientCa() == null ? new byte[0] : readFile("client-ca", config.clientCa());
        MessageDigest sha256 = sha256();
        for (byte[] file : List.of(certificate, key, clientCa)) {
            sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(file.length).array());
            sha256.update(file);
        }
        return new Contents(certificate, key, clientCa, sha256.digest());
    }

    /** Parses and checks contents read by {@link #read}. */
    static ServerIdentity of(TlsConfig config, Contents contents) throws TlsFileException {
        List<X509Certificate> chain = certificates("certificate", config.certificate(), contents.certificate(),
                "the server's certificate chain, its own certificate first");
        PrivateKey key;
        try {
            key = Pem.privateKey(Pem.text(contents.key()));
        } catch (Pem.PemException e) {
            throw new TlsFileException("key", config.key() + " " + e.getMessage());
        }
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new TlsFileException("key", config.key() + " is not the key of the certificate in "
                    + config.certificate() + " (" + describe(chain.get(0)) + ")" + mismatchHint(key, chain));
        }
        List<X509Certificate> clientCas = config.clientCa() == null ? List.of()
                : certificates("client-ca", config.clientCa(), contents.clientCa(),
                        "the certificates of the CAs that issue the client certificates to accept");
        return new ServerIdentity(chain, key, clientCas, contents.digest());
    }

    private static String mismatchHint(PrivateKey key, List<X509Certificate> chain) {
        for (int i = 1; i < chain.size(); i++) {
            if (matches(key, chain.get(i).getPublicKey())) {
                return "; it is the key of the " + Pem.ordinal(i + 1) + " certificate of the file: put the server's "
                        + "own certificate first, then the ones that issued it";
            }
        }
        return "; give the key the certificate was issued for (after a renewal, both files must be the new ones)";
    }

    private static List<X509Certificate> certificates(String configKey, Path file, byte[] bytes, String what)
            throws TlsFileException {
        List<X509Certificate> certificates;
        try {
            certificates = Pem.certificates(Pem.text(bytes));
        } catch (Pem.PemException e) {
            throw new TlsFileException(configKey, file + " " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw new TlsFileException(configKey, file + " holds no PEM certificate ('-----BEGIN CERTIFICATE-----'); "
                    + "give " + what);
        }
        return certificates;
    }

    private static byte[] readFile(String configKey, Path file) throws TlsFileException {
        String fix = "; check the path (a relative one starts at the configuration's directory) and that the "
                + "gateway's user may read it";
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new TlsFileException(configKey, file + " is larger than " + MAX_FILE_BYTES / 1024 + " KiB, "
                        + "which no PEM file of certificates or a key is; check the path");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new TlsFileException(configKey, file + " does not exist" + fix);
        } catch (AccessDeniedException e) {
            throw new TlsFileException(configKey, file + " cannot be read: permission denied" + fix);
        } catch (IOException e) {
            throw new TlsFileException(configKey, file + " cannot be read (" + e.getMessage() + ")" + fix);
        }
    }

    /**
     * Whether the private key is the one of the public key: RSA keys by their modulus, others by a signature made with
     * the one and checked with the other.
     */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (key instanceof RSAKey rsa && publicKey instanceof RSAKey rsaPublic) {
            return rsa.getModulus().equals(rsaPublic.getModulus());
        }
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        byte[] challenge = "hook-gateway key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    PrivateKey key() {
        return key;
    }

    public List<X509Certificate> clientCas() {
        return clientCas;
    }

    /** A digest of the bytes of the files this was read from: equal digests, equal files. */
    byte[] digest() {
        return digest.clone();
    }

    boolean sameFilesAs(byte[] otherDigest) {
        return MessageDigest.isEqual(digest, otherDigest);
    }

    /** When the server's certificate expires. */
    public Instant notAfter() {
        return chain.get(0).getNotAfter().toInstant();
    }

    /** The server's certificate, for a log line: subject, names, serial and validity. */
    public String describe() {
        return describe(chain.get(0));
    }

    static String describe(X509Certificate certificate) {
        StringBuilder text = new StringBuilder(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253));
        List<String> names = subjectNames(certificate);
        if (!names.isEmpty()) {
            text.append(" for ").append(String.join(", ", names.subList(0, Math.min(names.size(),
                    SUBJECT_NAMES_SHOWN))));
            if (names.size() > SUBJECT_NAMES_SHOWN) {
                text.append(" and ").append(names.size() - SUBJECT_NAMES_SHOWN).append(" more");
            }
        }
        return text.append(", serial ").append(HexFormat.of().formatHex(certificate.getSerialNumber().toByteArray()))
                .append(", valid ").append(certificate.getNotBefore().toInstant())
                .append(" to ").append(certificate.getNotAfter().toInstant()).toString();
    }

    /** The DNS names and IP addresses of the certificate's subject alternative names (RFC 5280 §4.2.1.6). */
    private static List<String> subjectNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> name : alternatives) {
                    // 2 is a dNSName, 7 an iPAddress.
                    if (name.size() == 2 && (Integer.valueOf(2).equals(name.get(0))
                            || Integer.valueOf(7).equals(name.get(0)))) {
                        names.add(String.valueOf(name.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // The names are for the log line only.
        }
        return names;
    }

    @Override
    public String toString() {
        return "ServerIdentity[" + describe() + ", digest " + HexFormat.of().formatHex(Arrays.copyOf(digest, 8)) + "]";
    }
}
