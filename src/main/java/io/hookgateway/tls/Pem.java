package io.hookgateway.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads PEM text (RFC 7468): the certificates of a chain or a CA file, and one private key written as PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC 1 ({@code BEGIN EC PRIVATE KEY}). The last
 * two are what {@code openssl genrsa}, {@code openssl ecparam -genkey} and cert-manager's default write; the JDK reads
 * PKCS#8 only, so they are wrapped into it here (RFC 5208 §5) rather than refused.
 *
 * <p>Nothing here puts key material in a message: a key that cannot be read is reported by its label alone.
 */
final class Pem {

    private static final String BEGIN = "-----BEGIN ";
    private static final String DASHES = "-----";
    /** DER of the AlgorithmIdentifier of an RSA key: rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };
    /** DER of the OID id-ecPublicKey (1.2.840.10045.2.1), RFC 5480 §2.1.1. */
    private static final byte[] EC_PUBLIC_KEY_OID = {
        0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
    };
    /** The key algorithms a PKCS#8 key is tried as, in order; TLS uses no others. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private Pem() {
    }

    /** One {@code -----BEGIN label-----} ... {@code -----END label-----} block, decoded. */
    record Block(String label, byte[] der, boolean hasHeaders) {
    }

    /** Why a file's content cannot be used; the message says what it holds, never the bytes. */
    static final class PemException extends Exception {
        PemException(String message) {
            super(message);
        }
    }

    /** The blocks of a PEM text, in order; text around them (explanations, as RFC 7468 §5.2 allows) is skipped. */
    static List<Block> blocks(String text) throws PemException {
        List<Block> blocks = new ArrayList<>();
        int at = 0;
        while (true) {
            int begin = text.indexOf(BEGIN, at);
            if (begin < 0) {
                return blocks;
            }
            int labelEnd = text.indexOf(DASHES, begin + BEGIN.length());
            if (labelEnd < 0) {
                throw new PemException("has a '-----BEGIN' line that does not end with '-----'");
            }
            String label = text.substring(begin + BEGIN.length(), labelEnd);
            String end = "-----END " + label + DASHES;
            int endAt = text.indexOf(end, labelEnd);
            if (endAt < 0) {
                throw new PemException("has no '" + end + "' after its '-----BEGIN " + label + "-----' line (is the "
                        + "file complete?)");
            }
            String body = text.substring(labelEnd + DASHES.length(), endAt);
            // RFC 1421 headers ("Proc-Type: 4,ENCRYPTED") come before the base64: a legacy encrypted key.
            boolean headers = body.indexOf(':') >= 0;
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(headers ? "" : body);
            } catch (IllegalArgumentException e) {
                throw new PemException("has a '" + label + "' block that is not base64");
            }
            blocks.add(new Block(label, der, headers));
            at = endAt + end.length();
        }
    }

    /** The certificates of the text's {@code CERTIFICATE} blocks, in order; other blocks are skipped. */
    static List<X509Certificate> certificates(String text) throws PemException {
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
        for (Block block : blocks(text)) {
            if (!block.label().equals("CERTIFICATE")) {
                continue;
            }
            try {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            } catch (CertificateException e) {
                throw new PemException("has a certificate (the " + ordinal(certificates.size() + 1) + ") that "
                        + "cannot be read: " + e.getMessage());
            }
        }
        return certificates;
    }

    /**
     * The one private key of the text. Refused: none, more than one, an encrypted one (the gateway has no passphrase
     * to give; a file readable by the gateway alone protects it as well).
     */
    static PrivateKey privateKey(String text) throws PemException {
        Block key = null;
        for (Block block : blocks(text)) {
            if (!block.label().endsWith("PRIVATE KEY")) {
                continue;
            }
            if (key != null) {
                throw new PemException("holds more than one private key; keep the one the certificate was issued for");
            }
            key = block;
        }
        if (key == null) {
            throw new PemException("holds no PEM private key ('-----BEGIN PRIVATE KEY-----')");
        }
        if (key.label().equals("ENCRYPTED PRIVATE KEY") || key.hasHeaders()) {
            throw new PemException("holds an encrypted private key, and the gateway has no passphrase for it; write "
                    + "it unencrypted (openssl pkey -in <file> -out <new file>) and let the file's permissions protect "
                    + "it");
        }
        return switch (key.label()) {
            case "PRIVATE KEY" -> pkcs8(key.der());
            case "RSA PRIVATE KEY" -> pkcs8(Der.sequence(Der.INTEGER_ZERO, RSA_ALGORITHM, Der.octetString(key.der())));
            case "EC PRIVATE KEY" -> pkcs8(Der.sequence(Der.INTEGER_ZERO,
                    Der.sequence(EC_PUBLIC_KEY_OID, curveOf(key.der())), Der.octetString(key.der())));
            default -> throw new PemException("holds a '" + key.label() + "', which the gateway cannot read; write the "
                    + "key as PKCS#8: openssl pkcs8 -topk8 -nocrypt -in <file> -out <new file>");
        };
    }

    private static PrivateKey pkcs8(byte[] der) throws PemException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | NoSuchAlgorithmException | RuntimeException notThisOne) {
                // The next algorithm, then the message below: the exception's text is not for a log.
            }
        }
        throw new PemException("holds a private key that is not an RSA, EC or EdDSA key the JDK can read");
    }

    /**
     * The curve of a SEC 1 EC key (RFC 5915 §3): the OID in its {@code [0] parameters}, which OpenSSL always writes.
     * Returned as its DER, ready to be the AlgorithmIdentifier's parameters.
     */
    private static byte[] curveOf(byte[] sec1) throws PemException {
        Der.Reader key = new Der.Reader(sec1).sequence();
        while (key.hasMore()) {
            int tag = key.peekTag();
            byte[] element = key.next();
            if (tag == 0xa0) {
                byte[] oid = new Der.Reader(element).contents();
                if (oid.length > 0 && oid[0] == 0x06) {
                    return oid;
                }
            }
        }
        throw new PemException("holds an EC private key that does not name its curve; write it as PKCS#8: openssl "
                + "pkcs8 -topk8 -nocrypt -in <file> -out <new file>");
    }

    static String ordinal(int n) {
        return switch (n) {
            case 1 -> "first";
            case 2 -> "second";
            case 3 -> "third";
            default -> n + "th";
        };
    }

    /** Just enough DER (ITU-T X.690) to wrap a key in PKCS#8 and find an EC key's curve. */
    static final class Der {
        static final byte[] INTEGER_ZERO = {0x02, 0x01, 0x00};

        private Der() {
        }

        static byte[] sequence(byte[]... elements) {
            ByteArrayOutputStream contents = new ByteArrayOutputStream();
            for (byte[] element : elements) {
                contents.writeBytes(element);
            }
            return tlv(0x30, contents.toByteArray());
        }

        static byte[] octetString(byte[] contents) {
            return tlv(0x04, contents);
        }

        private static byte[] tlv(int tag, byte[] contents) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(contents.length + 6);
            out.write(tag);
            int length = contents.length;
            if (length < 0x80) {
                out.write(length);
            } else {
                int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
                out.write(0x80 | bytes);
                for (int i = bytes - 1; i >= 0; i--) {
                    out.write(length >>> (8 * i));
                }
            }
            out.writeBytes(contents);
            return out.toByteArray();
        }

        /** Reads the elements of DER one after another; malformed input is a {@link PemException}. */
        static final class Reader {
            private final byte[] der;
            private int at;
            private final int end;

            Reader(byte[] der) {
                this(der, 0, der.length);
            }

            private Reader(byte[] der, int from, int end) {
                this.der = der;
                this.at = from;
                this.end = end;
            }

            boolean hasMore() {
                return at < end;
            }

            int peekTag() {
                return der[at] & 0xff;
            }

            /** A reader over the contents of the SEQUENCE that starts here. */
            Reader sequence() throws PemException {
                if (!hasMore() || peekTag() != 0x30) {
                    throw malformed();
                }
                int length = length();
                return new Reader(der, at, at + length);
            }

            /** The whole next element, tag and length included. */
            byte[] next() throws PemException {
                int start = at;
                int length = length();
                at += length;
                return Arrays.copyOfRange(der, start, at);
            }

            /** The contents of the one element this reader is over (tag and length dropped). */
            byte[] contents() throws PemException {
                int length = length();
                return Arrays.copyOfRange(der, at, at + length);
            }

            /** Reads a tag and a length, leaving {@link #at} on the contents; checks they fit. */
            private int length() throws PemException {
                if (end - at < 2) {
                    throw malformed();
                }
                at++;
                int first = der[at++] & 0xff;
                int length;
                if (first < 0x80) {
                    length = first;
                } else {
                    int bytes = first & 0x7f;
                    if (bytes == 0 || bytes > 3 || end - at < bytes) {
                        throw malformed();
                    }
                    length = 0;
                    for (int i = 0; i < bytes; i++) {
                        length = (length << 8) | (der[at++] & 0xff);
                    }
                }
                if (length > end - at) {
                    throw malformed();
                }
                return length;
            }

            private static PemException malformed() {
                return new PemException("holds an EC private key that is not valid DER");
            }
        }
    }

    /** The text of a file's bytes: PEM is ASCII, and anything else in it is left for {@link #blocks} to skip. */
    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
