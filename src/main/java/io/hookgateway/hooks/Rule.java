package io.hookgateway.hooks;


/**
 * A trigger rule: whether a request should run its hook. Rules read request values through templates, so they see
 * exactly what processors see. Built from configuration by {@link Rules#read}.
 */
@FunctionalInterface
public interface Rule {

    /** A rule every request satisfies: the default when a hook has none. */
    Rule ALWAYS = new Rule() {
        @Override
        public boolean matches(HookRequest request) {
            return true;
        }

        @Override
        public boolean readsBody() {
            return false;
        }
    };

    /** Whether the request satisfies the rule; may throw {@link io.hookgateway.hooks.HookException} (400). */
    boolean matches(HookRequest request);

    /**
     * Whether the rule reads the body. One that does not can be judged from the request's head, before the body is
     * read or {@code 100 Continue} is sent: a stranger's body is then never buffered.
     */
    default boolean readsBody() {
        return true;
    }
}
