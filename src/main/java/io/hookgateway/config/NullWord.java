package io.hookgateway.config;

import com.fasterxml.jackson.databind.node.NullNode;

/**
 * A bare {@code null} or {@code ~}, which YAML reads as no value, though whoever wrote {@code body: null} or
 * {@code to: ~} may have meant the word. {@link ConfigNode} refuses it where it reads a value, and asks for what was
 * meant: the key left out, or the word in quotes. Where a mapping is expected it is an empty one
 * ({@code server: ~} takes the defaults), and an empty value ({@code server:} with everything under it commented out)
 * is not one at all: it is absent.
 */
final class NullWord extends NullNode {

    private final String written;

    NullWord(String written) {
        this.written = written;
    }

    /** The word as written. */
    String written() {
        return written;
    }

    /** Why it is refused, and how to write no value or the word. */
    String refused() {
        return "is " + written + ", which YAML reads as no value; for the default, leave the key out; if you meant the word, "
                + "quote it, as \"" + written + "\"";
    }
}
