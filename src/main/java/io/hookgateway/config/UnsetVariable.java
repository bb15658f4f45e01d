package io.hookgateway.config;

import com.fasterxml.jackson.databind.node.NullNode;

/**
 * A value written with an environment variable which is not set ({@code ${KEY}}, or {@code x-${KEY}}), already
 * reported: it stands for a key that is there, so nothing reports it missing, but has no value, so nothing reads it and
 * no second problem follows from the first.
 */
public final class UnsetVariable extends NullNode {

    public static final UnsetVariable INSTANCE = new UnsetVariable();

    private UnsetVariable() {
    }
}
