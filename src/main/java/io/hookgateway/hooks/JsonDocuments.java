package io.hookgateway.hooks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;

/**
 * How the gateway reads JSON it did not write: request bodies, and the documents templates render. One parser
 * configuration, bounded so that no document can cost more than a pass over its bytes:
 *
 * <table>
 *   <caption>Limits of a JSON document</caption>
 *   <tr><td>nesting</td><td>{@value #MAX_NESTING_DEPTH} levels</td></tr>
 *   <tr><td>one number</td><td>{@value #MAX_NUMBER_CHARS} characters (reading a decimal costs time that grows faster
 *       than its length)</td></tr>
 *   <tr><td>one member name</td><td>{@value #MAX_NAME_CHARS} characters</td></tr>
 *   <tr><td>the same name twice in one object</td><td>refused: two readers of one document must not disagree on
 *       which value it holds (RFC 8259 §4 leaves it to each)</td></tr>
 * </table>
 *
 * Strings are limited by the body itself, and so is the number of tokens: reading is one pass that keeps nothing of
 * what it skips, so its time grows only with the body, which the hook's {@code max-body-size} bounds. Member names are not interned into the JVM's string table; Jackson's own
 * symbol table keeps a parse's names only while it stays small, and refuses names crafted to collide in it, which is
 * read here as a malformed body.
 */
public final class JsonDocuments {

    public static final int MAX_NESTING_DEPTH = 100;
    public static final int MAX_NUMBER_CHARS = 256;
    public static final int MAX_NAME_CHARS = 4096;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(MAX_NUMBER_CHARS)
                    .maxNameLength(MAX_NAME_CHARS)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private JsonDocuments() {
    }

    public static JsonParser parser(InputStream in) throws IOException {
        return FACTORY.createParser(in);
    }

    /** A valid JSON value, given as UTF-8 bytes, written again without whitespace; numbers keep their digits. */
    public static String compact(byte[] json) throws IOException {
        StringWriter out = new StringWriter(json.length);
        try (JsonParser parser = FACTORY.createParser(json); JsonGenerator generator = FACTORY.createGenerator(out)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_OBJECT -> generator.writeStartObject();
                    case END_OBJECT -> generator.writeEndObject();
                    case START_ARRAY -> generator.writeStartArray();
                    case END_ARRAY -> generator.writeEndArray();
                    case FIELD_NAME -> generator.writeFieldName(parser.currentName());
                    case VALUE_STRING -> generator.writeString(parser.getText());
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> generator.writeNumber(parser.getText());
                    case VALUE_TRUE, VALUE_FALSE -> generator.writeBoolean(token == JsonToken.VALUE_TRUE);
                    case VALUE_NULL -> generator.writeNull();
                    default -> throw new IllegalStateException("unexpected token " + token);
                }
            }
        }
        return out.toString();
    }

    /** The failure for a token after the document's one value (RFC 8259 §2: a text is one value). */
    public static JsonParseException trailingContent(JsonParser parser) {
        return new JsonParseException(parser, "more content after the JSON value; a body is one JSON value",
                parser.currentTokenLocation());
    }

    /** Whether {@code text} is exactly one JSON value (surrounding whitespace allowed). */
    public static boolean isValue(String text) {
        return problemIn(text) == null;
    }

    /** Why {@code text} is not exactly one JSON value, with its position; {@code null} when it is one. */
    public static String problemIn(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                return "it is empty";
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw trailingContent(parser);
            }
            return null;
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            return reason(e) + (location == null || location.getLineNr() < 0 ? ""
                    : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")");
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** Where a parse failed, as {@code " (line 1, column 12: reason)"}, or empty when unknown. */
    public static String where(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        String reason = e instanceof JsonParseException || e instanceof StreamConstraintsException
                ? ": " + reason(e) : "";
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + reason + ")";
    }

    /** Jackson's own words for a failure, cut short: they may quote the sender's text. */
    private static String reason(JsonProcessingException e) {
        String reason = String.valueOf(e.getOriginalMessage());
        return reason.length() > 120 ? reason.substring(0, 120) + "..." : reason;
    }
}
