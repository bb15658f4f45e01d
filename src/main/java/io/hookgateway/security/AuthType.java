package io.hookgateway.security;

import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.Authenticator;
import io.hookgateway.processors.ProcessorContext;

/**
 * A way to authenticate, by the name it is written under in a hook's {@code auth:} ({@code bearer},
 * {@code github}, ...). Found with {@link java.util.ServiceLoader}, as processor types are: a jar on the class path can
 * add one by listing its class in {@code META-INF/services/io.hookgateway.security.AuthType}.
 */
public interface AuthType {

    /** The name written in {@code auth:}. */
    String name();

    /**
     * Reads this way's options, the mapping under its name. Problems are reported on the node (with their key
     * paths), not thrown; the result is ignored when any were reported. A secret that is empty or blank is a problem:
     * a missing environment variable must never leave a hook open.
     */
    Authenticator parse(ConfigNode options, ProcessorContext.Static context);
}
