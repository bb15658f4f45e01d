package io.hookgateway.security.alexa;

import java.io.IOException;
import java.net.URI;

/**
 * Fetches the PEM certificate chain at a {@code SignatureCertChainUrl} that passed {@link CertificateUrl}'s rules. Runs
 * on the worker pool, never on an event loop, and must give up within its own time limit and size cap.
 */
interface CertificateFetcher {

    /** The bytes at {@code url}; an {@link IOException} for any failure, with a message fit for the log. */
    byte[] fetch(URI url) throws IOException;
}
