package io.hookgateway.hooks;

import java.util.List;

/**
 * The request methods a hook can take. The decoder answers 501 to any other (RFC 9110 §9.1), the config accepts only
 * these in a hook's {@code methods}, a forward may send only these, and metrics tag only these by name.
 */
public final class HookMethods {

    /** Ordered as RFC 9110 §9.3 introduces them, with PATCH (RFC 5789) after PUT. */
    public static final List<String> ALL = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private HookMethods() {
    }

    /**
     * The position of {@code method} (exact, upper case) in {@link #ALL}, or -1 for any other method. Linear over
     * seven names, each compared by identity first: cheaper than hashing the name of every request.
     */
    public static int indexOf(String method) {
        return ALL.indexOf(method);
    }

    public static boolean isHookMethod(String method) {
        return indexOf(method) >= 0;
    }
}
