package io.hookgateway.routing;

import io.hookgateway.hooks.HookException;
import io.hookgateway.http.Destination;
import io.hookgateway.http.FullRequest;
import io.hookgateway.http.RequestHead;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * A request's path matched a route: the hook for its method (or {@code null} when the path has no hook for that
 * method, which the router answers 405), and the values of the path's variables.
 */
public final class RouteMatch implements Destination {

    private final RouteTable.Route route;
    private final Hook hook;
    private final Map<String, String> variables;
    private final long defaultMaxBodyBytes;
    private final String allow;
    private final boolean unknownPath;

    RouteMatch(RouteTable.Route route, Hook hook, Map<String, String> variables, long defaultMaxBodyBytes) {
        this(route, hook, variables, defaultMaxBodyBytes, route.allow(), false);
    }

    RouteMatch(RouteTable.Route route, Hook hook, Map<String, String> variables, long defaultMaxBodyBytes,
               String allow, boolean unknownPath) {
        this.route = route;
        this.hook = hook;
        this.variables = variables;
        this.defaultMaxBodyBytes = defaultMaxBodyBytes;
        this.allow = allow;
        this.unknownPath = unknownPath;
    }

    /**
     * This path as a stranger must see it when its hooks hide ({@link Hook#hidden()}): answered as a path without a
     * hook, its body read through and dropped; counted and logged under the path's hook, its secret segment hidden.
     */
    @Override
    public RouteMatch asUnknownPath() {
        return new RouteMatch(route, null, variables, defaultMaxBodyBytes, allow, true);
    }

    /** Whether the request is to be answered as one to a path without a hook ({@link #asUnknownPath()}). */
    public boolean isUnknownPath() {
        return unknownPath;
    }

    /** The hook for the request's method, or {@code null} when the method is not allowed on this path. */
    public Hook hook() {
        return hook;
    }

    /** The {@code Allow} field value of this path (RFC 9110 §10.2.1). */
    public String allow() {
        return allow;
    }

    @Override
    public long maxBodyBytes() {
        return hook != null ? hook.maxBodyBytes() : defaultMaxBodyBytes;
    }

    @Override
    public String hookName() {
        return hook != null ? hook.name() : route.name();
    }

    @Override
    public Map<String, String> pathVariables() {
        return variables;
    }

    @Override
    public String loggedPath(String path) {
        return route.loggedPath(path);
    }

    /** A path without a hook for the method is answered 405 whatever the body holds. */
    @Override
    public boolean answersWithoutBody() {
        return hook == null;
    }

    /**
     * The hook's judgement from the head: its address rules and rate limits ({@link Hook#clients()}), then what of its
     * gate the head decides. A hidden hook answers a client its rules do not serve as a path without a hook.
     */
    @Override
    public HookException refuseAtHead(RequestHead head, InetSocketAddress remoteAddress) {
        if (hook == null) {
            return null;
        }
        HookException refusal = hook.clients().refusal(remoteAddress);
        if (refusal == HookException.FORBIDDEN && hook.hidden()) {
            // The clients a hidden hook does not serve are the strangers it hides from: a 403 here, where a path
            // without a hook answers 404, would show them the hook.
            return HookException.NOT_FOUND;
        }
        if (refusal != null || hook.headGate().isOpen()) {
            return refusal;
        }
        // This part of the gate reads only what the head holds; it sees the request as a processor would, with no
        // body yet.
        FullRequest headOnly = FullRequest.of(head, Unpooled.EMPTY_BUFFER, this, remoteAddress);
        try {
            return hook.headGate().refusal(headOnly);
        } catch (HookException e) {
            return e;
        } finally {
            headOnly.release();
        }
    }
}
