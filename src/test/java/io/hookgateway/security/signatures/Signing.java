package io.hookgateway.security.signatures;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures made the way a sender makes them, independently of the gateway's code: with {@link Mac} directly, or by
 * running {@code openssl dgst -hmac}, the line the README gives for each preset.
 */
final class Signing {

    private Signing() {
    }

    /** The HMAC of {@code content} under {@code key}, by {@code algorithm}: sha1, sha256 or sha512. */
    static byte[] mac(String algorithm, byte[] key, String content) {
        return macOfBytes(algorithm, key, content.getBytes(StandardCharsets.UTF_8));
    }

    /** The HMAC of {@code content}, any bytes. */
    static byte[] macOfBytes(String algorithm, byte[] key, byte[] content) {
        String name = "Hmac" + algorithm.toUpperCase(Locale.ROOT);
        try {
            Mac mac = Mac.getInstance(name);
            mac.init(new SecretKeySpec(key, name));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] mac(String algorithm, String key, String content) {
        return mac(algorithm, key.getBytes(StandardCharsets.UTF_8), content);
    }

    /** The same HMAC as {@code openssl dgst -<algorithm> -mac HMAC -macopt hexkey:<key> -binary} computes it. */
    static byte[] openssl(String algorithm, byte[] key, String content) {
        ProcessBuilder builder = new ProcessBuilder("openssl", "dgst", "-" + algorithm, "-mac", "HMAC", "-macopt",
                "hexkey:" + HexFormat.of().formatHex(key), "-binary").redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process process = builder.start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(content.getBytes(StandardCharsets.UTF_8));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream stdout = process.getInputStream()) {
                stdout.transferTo(out);
            }
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("openssl dgst failed");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("openssl could not be run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static byte[] openssl(String algorithm, String key, String content) {
        return openssl(algorithm, key.getBytes(StandardCharsets.UTF_8), content);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
