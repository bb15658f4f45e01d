package io.hookgateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;

/**
 * Reads a configuration's YAML or JSON into the tree {@link ConfigNode} reads, keeping what a scalar says as written
 * where the reader's typing would change it: a bare number whose value is written differently ({@code 012345}, the
 * octal 5349 in YAML 1.1) becomes a {@link RetypedNumber}, and a bare {@code null} or {@code ~} a {@link NullWord}.
 * Everything else is what Jackson's own tree reader makes of it. Tags, anchors and aliases are refused before this
 * runs ({@link YamlRefusals}), so every value read here is one the reader typed by itself.
 *
 * <p>The parser is Jackson's (its duplicate-key detection and number limits hold), read token by token: a tree
 * reader has no way to say how a number was written.
 */
public final class ConfigTree {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonParser parser;
    private final boolean yaml;

    private ConfigTree(JsonParser parser, boolean yaml) {
        this.parser = parser;
        this.yaml = yaml;
    }

    /**
     * The first value of {@code parser}'s input, or {@code null} when it has none.
     *
     * @param yaml whether the input is YAML, where a bare word may be a null; in JSON {@code null} is one
     */
    public static JsonNode read(JsonParser parser, boolean yaml) throws IOException {
        JsonToken token = parser.nextToken();
        return token == null ? null : new ConfigTree(parser, yaml).value(token);
    }

    private JsonNode value(JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    object.set(name, value(parser.nextToken()));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    array.add(value(t));
                }
                return array;
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return number(token);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return BooleanNode.valueOf(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                // An empty value means absent ("server:" with everything under it commented out); a word is kept.
                String written = parser.getText();
                return !yaml || written == null || written.isEmpty() ? NullNode.getInstance() : new NullWord(written);
            }
            default -> {
                return TextNode.valueOf(parser.getText());
            }
        }
    }

    /**
     * A number as the tree reader makes it, when that reads back as written; else a {@link RetypedNumber} holding both.
     */
    private JsonNode number(JsonToken token) throws IOException {
        String written = parser.getText();
        JsonNode reading;
        try {
            if (token == JsonToken.VALUE_NUMBER_INT) {
                reading = switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            } else {
                reading = parser.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
                        ? NODES.numberNode(parser.getDecimalValue()) : NODES.numberNode(parser.getDoubleValue());
            }
        } catch (IOException | NumberFormatException e) {
            // YAML's .inf, .nan and the like, which Jackson types as numbers but cannot read as one.
            reading = null;
        }
        return reading != null && reading.asText().equals(written) ? reading : new RetypedNumber(written, reading);
    }
}
