package io.hookgateway.http;

import io.hookgateway.hooks.HookException;
import java.net.InetSocketAddress;
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

    /**
     * What the request is to a stranger whose credentials a hidden hook found missing ({@link HookException#NOT_FOUND}
     * from {@link #refuseAtHead}): a destination answered as a path without a hook, which still logs its path as this
     * one does.
     */
    default Destination asUnknownPath() {
        return null;
    }

    /** What a log may show of the request's path: a segment that carries a secret is hidden. */
    default String loggedPath(String path) {
        return path;
    }

    /**
     * Whether the request is answered without its body, as when the path has no hook for its method (405): then the
     * body is read through and dropped, never held.
     */
    default boolean answersWithoutBody() {
        return false;
    }

    /**
     * The answer to a request that the hook refuses from its head alone (its guard reads nothing of the body), or
     * {@code null}: asked before the body is read or {@code 100 Continue} is sent, so that a stranger's body is never
     * buffered.
     */
    default HookException refuseAtHead(RequestHead head, InetSocketAddress remoteAddress) {
        return null;
    }

    /** Finds the destination of a request from its head; {@code null} when no hook matches. */
    @FunctionalInterface
    interface Resolver {
        Destination resolve(RequestHead head);
    }
}
