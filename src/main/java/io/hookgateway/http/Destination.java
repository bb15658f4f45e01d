package io.hookgateway.http;

import java.util.Map;

/**
 * Where a request is going, as far as the HTTP stages need to know: the body limit, and the names a processor sees.
 * The routing table resolves it once, when the head arrives, so the hook's body limit applies before the first body
 * byte; it then travels with the request to the router.
 */
public interface Destination {

    /** The largest body accepted for this request; a larger one is answered 413. */
    long maxBodyBytes();

    /** The hook's name. */
    String hookName();

    /** The values of the path pattern's variables. */
    Map<String, String> pathVariables();

    /** Finds the destination of a request from its head; {@code null} when no hook matches. */
    @FunctionalInterface
    interface Resolver {
        Destination resolve(RequestHead head);
    }
}
