package io.hookgateway.hooks.rules;

import io.hookgateway.hooks.HookRequest;

/**
 * A trigger rule: whether a request should run its hook. Rules read request values through templates, so they see
 * exactly what processors see. Built from configuration by {@link Rules#read}.
 */
@FunctionalInterface
public interface Rule {

    /** A rule every request satisfies: the default when a hook has none. */
    Rule ALWAYS = request -> true;

    /** Whether the request satisfies the rule; may throw {@link io.hookgateway.hooks.HookException} (400). */
    boolean matches(HookRequest request);
}
