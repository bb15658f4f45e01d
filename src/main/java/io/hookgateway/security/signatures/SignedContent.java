package io.hookgateway.security.signatures;

import io.hookgateway.hooks.HookRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a sender signed: fixed bytes (a timestamp, a delivery id, a URL, the separators between them) and the body,
 * the raw bytes as they were received, in the sender's order. Fed to the MACs in pieces, the body straight from the
 * request's buffer: it is neither copied whole nor decoded, so no re-serialised JSON or changed charset can differ from
 * what was signed.
 */
final class SignedContent {

    /** The body is read in pieces of this size. */
    private static final int CHUNK = 8192;

    /** Stands for the body among the parts. */
    private static final byte[] BODY = new byte[0];

    /** Takes the content a piece at a time. */
    interface Sink {
        void update(byte[] bytes, int offset, int length);
    }

    private final List<byte[]> parts;

    private SignedContent(List<byte[]> parts) {
        this.parts = parts;
    }

    static Builder builder() {
        return new Builder();
    }

    /** The body alone: GitHub's, Shopify's and most senders' signed content. */
    static SignedContent body() {
        return builder().body().build();
    }

    /** Feeds the content to {@code sink}, the body as received. */
    void feed(HookRequest request, Sink sink) {
        for (byte[] part : parts) {
            if (part == BODY) {
                feedBody(request, sink);
            } else {
                sink.update(part, 0, part.length);
            }
        }
    }

    private static void feedBody(HookRequest request, Sink sink) {
        if (request.bodyLength() == 0) {
            return;
        }
        byte[] chunk = new byte[(int) Math.min(CHUNK, request.bodyLength())];
        try (InputStream in = request.bodyStream()) {
            int read;
            while ((read = in.read(chunk)) > 0) {
                sink.update(chunk, 0, read);
            }
        } catch (IOException e) {
            // The body is in memory: a read cannot fail but by a bug.
            throw new UncheckedIOException("the request's body could not be read", e);
        }
    }

    /** Puts the parts together in order. */
    static final class Builder {
        private final List<byte[]> parts = new ArrayList<>(4);

        private Builder() {
        }

        /** Text, as UTF-8 (ASCII for every sender's separators, timestamps and ids). */
        Builder text(String text) {
            return bytes(text.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * A header field's value, as the octets it was received as (the decoder reads them as ISO-8859-1, one
         * character per octet).
         */
        Builder field(String value) {
            return bytes(value.getBytes(StandardCharsets.ISO_8859_1));
        }

        Builder bytes(byte[] bytes) {
            if (bytes.length > 0) {
                parts.add(bytes);
            }
            return this;
        }

        Builder body() {
            parts.add(BODY);
            return this;
        }

        SignedContent build() {
            return new SignedContent(List.copyOf(parts));
        }
    }
}
