package io.hookgateway.hooks.template;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The values of one request that templates read, parsed on first use and then cached: the JSON body, the form body,
 * the query. A request is handled by one processor at a time, so this is not thread-safe.
 */
public final class RequestValues {

    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private final HookRequest request;
    private JsonNode json;
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
     * The body parsed as JSON, whatever its {@code Content-Type} says (IFTTT users often leave it unset). An empty body
     * is a missing document; a malformed one fails the request with 400 and the position of the first error.
     */
    public JsonNode json() {
        if (json == null) {
            if (request.bodyLength() == 0) {
                json = MissingNode.getInstance();
            } else {
                try (InputStream in = request.bodyStream()) {
                    JsonNode parsed = JSON.readTree(in);
                    json = parsed == null ? MissingNode.getInstance() : parsed;
                } catch (JsonProcessingException e) {
                    throw new HookException(400, "request body is not valid JSON" + where(e));
                } catch (IOException e) {
                    throw new HookException(400, "request body could not be read as JSON");
                }
            }
        }
        return json;
    }

    /** The JSON value at a pointer as text, or {@code null} when absent or JSON {@code null}. */
    public String json(JsonPointer pointer) {
        JsonNode node = json().at(pointer);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
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

    private static String where(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        String reason = e instanceof JsonParseException ? ": " + e.getOriginalMessage() : "";
        if (reason.length() > 120) {
            reason = reason.substring(0, 120) + "...";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + reason + ")";
    }
}
