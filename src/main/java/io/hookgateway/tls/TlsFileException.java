package io.hookgateway.tls;

/**
 * A file of a TLS listener that cannot be used: which of its keys names the file ({@code certificate}, {@code key},
 * {@code client-ca}) and, in the message, the file, what is wrong and the fix. The message never holds key material.
 */
public final class TlsFileException extends Exception {

    private final String key;

    public TlsFileException(String key, String message) {
        super(message, null, false, false);
        this.key = key;
    }

    /** The configuration key of the file: {@code certificate}, {@code key} or {@code client-ca}. */
    public String key() {
        return key;
    }
}
