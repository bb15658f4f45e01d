package io.hookgateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A bare number whose value is not what it says as written: YAML 1.1 reads {@code 012345} as the octal 5349,
 * {@code 0x1F} as 31, {@code 1_000} as 1000, {@code 1.50} as 1.5 and {@code 1e3} as 1000.0 (JSON the last two as
 * well). Where a number is expected it is that number, as before; where text is expected it is refused
 * ({@link ConfigNode}), since a secret written {@code to: 012345} would otherwise let {@code ?key=5349} through.
 *
 * <p>Its text is the number as written, so that messages quote what is in the file.
 */
final class RetypedNumber extends TextNode {

    private final JsonNode reading;

    /**
     * @param written the scalar as written
     * @param reading the number the reader makes of it, or {@code null} when it cannot ({@code .inf} in YAML)
     */
    RetypedNumber(String written, JsonNode reading) {
        super(written);
        this.reading = reading;
    }

    /** The number the reader makes of it, or {@code null} when it makes none. */
    JsonNode reading() {
        return reading;
    }

    /** Why it is not text: what it is read as, and how to write the text. */
    String notText() {
        return "is read as " + (reading == null ? "a number" : "the number " + reading.asText())
                + ", not as the text " + asText() + " written here (YAML reads a bare number as its value: a leading 0 "
                + "as octal, 0x as hexadecimal, without _ or trailing zeros); if you meant the text, quote it, as \""
                + asText() + "\"";
    }
}
