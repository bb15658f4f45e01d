package io.hookgateway.hooks;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of one request that templates read, parsed on first use and then cached: the JSON body, the form body,
 * the query. A request is handled by one processor at a time, so this is not thread-safe.
 *
 * <p><b>JSON is never held as a tree.</b> A body of a megabyte can hold half a million tiny values, each an object on
 * the heap if the whole document were read into a tree: a handful of such requests would exhaust a small heap. So the
 * body is read as a stream of tokens, within {@link JsonDocuments}' limits, and only the values that the templates
 * point at are kept: a string or number as its text, an object or array as compact JSON. The whole
 * document is still read once, so that a malformed one is refused (400, with the position of its first error) whatever
 * a template points at. Each pass looks for every pointer asked for at once ({@link #prepare}).
 */
public final class RequestValues {

    /** What a pointer found: nothing, or a value as text (for plain text) and as JSON (for a JSON document). */
    private record Found(String text, String json) {
        static final Found NOTHING = new Found(null, null);
    }

    private final HookRequest request;
    private final Map<JsonPointer, Found> json = new HashMap<>();
    /** Set once a pass has read the whole document without error. */
    private boolean jsonChecked;
    /** The answer to a body that is not valid JSON, given again to every later lookup. */
    private HookException jsonFailure;
    private Map<String, List<String>> form;
    private String body;

    public RequestValues(HookRequest request) {
        this.request = request;
    }

    /** The body as text. */
    public String body() {
        if (body == null) {
            body = request.bodyText();
        }
        return body;
    }

    /**
     * Reads the JSON body once for all of {@code pointers} not found yet, so that a template reading several values
     * costs one pass. The body is JSON whatever its {@code Content-Type} says (IFTTT users often leave it unset); an
     * empty body has no values; a malformed one fails the request with 400 and the position of the first error.
     */
    public void prepare(List<JsonPointer> pointers) {
        if (jsonFailure != null) {
            throw jsonFailure;
        }
        List<JsonPointer> wanted = null;
        for (JsonPointer pointer : pointers) {
            if (!json.containsKey(pointer)) {
                if (wanted == null) {
                    wanted = new ArrayList<>(pointers.size());
                }
                wanted.add(pointer);
            }
        }
        if (wanted == null) {
            return;
        }
        Map<JsonPointer, Found> found = new HashMap<>();
        if (request.bodyLength() > 0) {
            try (InputStream in = request.bodyStream(); JsonParser parser = JsonDocuments.parser(in)) {
                if (parser.nextToken() != null) {
                    if (parser.currentTokenLocation().getByteOffset() < 0) {
                        // Jackson reads UTF-16 and UTF-32 with a character parser; values are kept as byte spans.
                        throw new JsonParseException(parser, "JSON must be sent as UTF-8 (RFC 8259 §8.1)");
                    }
                    List<JsonPointer> tails = new ArrayList<>(wanted);
                    find(parser, wanted, tails, found);
                    if (!jsonChecked && parser.nextToken() != null) {
                        throw JsonDocuments.trailingContent(parser);
                    }
                }
                jsonChecked = true;
            } catch (JsonProcessingException e) {
                jsonFailure = new HookException(400, "request body is not valid JSON" + JsonDocuments.where(e));
                throw jsonFailure;
            } catch (IOException | IllegalStateException e) {
                // IllegalStateException: member names crafted to collide in Jackson's symbol table.
                jsonFailure = new HookException(400, "request body could not be read as JSON");
                throw jsonFailure;
            }
        }
        for (JsonPointer pointer : wanted) {
            json.put(pointer, found.getOrDefault(pointer, Found.NOTHING));
        }
    }

    /**
     * Walks the value the parser is at, whose path matched {@code wanted[i]} up to {@code tails[i]}: keeps it for the
     * pointers that end here, and looks inside it for the rest. Leaves the parser at the value's last token. Recursion
     * goes as deep as the pointers do, never deeper: parts no pointer enters are skipped without being kept.
     */
    private void find(JsonParser parser, List<JsonPointer> wanted, List<JsonPointer> tails,
                      Map<JsonPointer, Found> found) throws IOException {
        JsonToken token = parser.currentToken();
        boolean keep = false;
        for (JsonPointer tail : tails) {
            keep |= tail.matches();
        }
        if (!token.isStructStart()) {
            if (keep) {
                Found value = scalar(parser, token);
                for (int i = 0; i < tails.size(); i++) {
                    if (tails.get(i).matches()) {
                        found.put(wanted.get(i), value);
                    }
                }
            }
            return;
        }
        long start = keep ? parser.currentTokenLocation().getByteOffset() : -1;
        if (token == JsonToken.START_OBJECT) {
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                parser.nextToken();
                descend(parser, wanted, tails, found, name, -1);
            }
        } else {
            for (int index = 0; parser.nextToken() != JsonToken.END_ARRAY; index++) {
                descend(parser, wanted, tails, found, null, index);
            }
        }
        if (keep) {
            // The closing bracket is one byte; the span is the value exactly as the sender wrote it.
            long end = parser.currentTokenLocation().getByteOffset() + 1;
            String text = span(start, end);
            for (int i = 0; i < tails.size(); i++) {
                if (tails.get(i).matches()) {
                    found.put(wanted.get(i), new Found(text, text));
                }
            }
        }
    }

    /** Goes into the member {@code name} (or the element {@code index}) for the pointers that lead there. */
    private void descend(JsonParser parser, List<JsonPointer> wanted, List<JsonPointer> tails,
                         Map<JsonPointer, Found> found, String name, int index) throws IOException {
        List<JsonPointer> subWanted = null;
        List<JsonPointer> subTails = null;
        for (int i = 0; i < tails.size(); i++) {
            JsonPointer tail = tails.get(i);
            if (tail.matches()) {
                continue;
            }
            boolean match = name != null ? name.equals(tail.getMatchingProperty()) : tail.getMatchingIndex() == index;
            if (match) {
                if (subWanted == null) {
                    subWanted = new ArrayList<>(2);
                    subTails = new ArrayList<>(2);
                }
                subWanted.add(wanted.get(i));
                subTails.add(tail.tail());
            }
        }
        if (subWanted == null) {
            parser.skipChildren();
        } else {
            find(parser, subWanted, subTails, found);
        }
    }

    private static Found scalar(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> {
                String text = parser.getText();
                StringBuilder json = new StringBuilder(text.length() + 2);
                Escape.JSON_VALUE.append(text, json);
                yield new Found(text, json.toString());
            }
            // A number keeps the digits it was sent with: 1.50 stays 1.50, 1e3 stays 1e3.
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                String text = parser.getText();
                yield new Found(text, text);
            }
            default -> Found.NOTHING;
        };
    }

    /**
     * The object or array at bytes {@code start..end} of the body, as compact JSON: read again from the body rather
     * than kept while the document was walked, so that nothing a pointer does not reach is ever held.
     */
    private String span(long start, long end) throws IOException {
        try (InputStream in = request.bodyStream()) {
            in.skipNBytes(start);
            return JsonDocuments.compact(in.readNBytes((int) (end - start)));
        }
    }

    /**
     * The JSON value at a pointer as text: a string unquoted, a number as sent, {@code true} or {@code false}, an
     * object or array as compact JSON; {@code null} when absent or JSON {@code null}.
     */
    public String json(JsonPointer pointer) {
        return lookup(pointer).text();
    }

    /**
     * The JSON value at a pointer as JSON text, to be placed into a JSON document as a whole value; {@code null} when
     * absent or JSON {@code null}.
     */
    public String jsonValue(JsonPointer pointer) {
        return lookup(pointer).json();
    }

    private Found lookup(JsonPointer pointer) {
        Found found = json.get(pointer);
        if (found == null) {
            prepare(List.of(pointer));
            found = json.get(pointer);
        }
        return found;
    }

    /** The first value of a form field of an {@code application/x-www-form-urlencoded} body, or {@code null}. */
    public String form(String name) {
        if (form == null) {
            form = UrlEncoded.parse(body());
        }
        return first(form.get(name));
    }

    public String query(String name) {
        return first(request.queryParameters().get(name));
    }

    public String header(String name) {
        return request.headers().get(name);
    }

    public String path(String name) {
        return request.pathVariables().get(name);
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
