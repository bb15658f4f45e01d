package io.hookgateway.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One expected answer of a {@link ConformanceCase}: its status, whether it says {@code Connection: close} and the
 * server then closes, header fields and body it must have, and, for the {@code test-echo} hooks, what the processor
 * received (method, path, body, header fields, query, path variables).
 *
 * <p>Built fluently while the tables are made; not changed afterwards.
 */
public final class Answer {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TEXT = "text/plain; charset=utf-8";

    final int status;
    /** The expected {@code Connection} field, compared ignoring case; {@code null}: there must be none. */
    String connection;
    boolean closes;
    boolean head;
    boolean interimContinue;
    /** Whether one of the counted test-echo hooks ran for this answer. */
    boolean invokesProcessor;
    /** Expected answer fields; a {@code null} value means the field must be absent. */
    final Map<String, String> fields = new LinkedHashMap<>();
    String body;
    /** Expected properties of the test-echo JSON, compared as JSON values. */
    final Map<String, JsonNode> received = new LinkedHashMap<>();
    /** Expected values of single request fields (by name, any case), in order. */
    final Map<String, List<String>> receivedFields = new LinkedHashMap<>();
    private ObjectNode query;
    private ObjectNode variables;

    private Answer(int status) {
        this.status = status;
    }

    /** An answer with this status on a connection that stays open (no {@code Connection} field in HTTP/1.1). */
    public static Answer status(int status) {
        return new Answer(status);
    }

    /**
     * A refusal by the gateway: this status, {@code text/plain}, {@code Connection: close}, and then the server closes
     * the connection without reading anything after the request as a request.
     */
    public static Answer refused(int status) {
        return new Answer(status).closes().field("Content-Type", TEXT);
    }

    /** Only the interim {@code 100 Continue} (RFC 9110 §15.2.1); the final answer is expected after a later write. */
    public static Answer continueOnly() {
        return new Answer(100);
    }

    /** The {@code /get} hook's answer: 200 {@code got}. */
    public static Answer got() {
        return new Answer(200).field("Content-Type", TEXT).body("got\n");
    }

    /** A 200 from a {@code test-echo} hook, whose JSON tells what the processor received. */
    public static Answer echo() {
        Answer a = new Answer(200).field("Content-Type", "application/json");
        a.invokesProcessor = true;
        return a;
    }

    /** 404 from routing: no hook has the path. */
    public static Answer notFound() {
        return new Answer(404).field("Content-Type", TEXT);
    }

    /** 405 from routing, with the {@code Allow} field the path must list (RFC 9110 §15.5.6). */
    public static Answer notAllowed(String allow) {
        return new Answer(405).field("Allow", allow).field("Content-Type", TEXT);
    }

    /** The answer says {@code Connection: close} and the server closes the connection after it. */
    public Answer closes() {
        closes = true;
        connection = "close";
        return this;
    }

    /** The answer says {@code Connection: keep-alive} (an HTTP/1.0 request that asked for it). */
    public Answer keepAlive() {
        connection = "keep-alive";
        return this;
    }

    /** The answer is to a HEAD request: header fields only, no body. */
    public Answer head() {
        head = true;
        return this;
    }

    /** A {@code 100 Continue} interim answer comes first (RFC 9110 §10.1.1, §15.2.1). */
    public Answer afterContinue() {
        interimContinue = true;
        return this;
    }

    /** A counted processor runs for this answer, though its body is not read (a HEAD answer). */
    public Answer invokesProcessor() {
        invokesProcessor = true;
        return this;
    }

    public Answer field(String name, String value) {
        fields.put(name, value);
        return this;
    }

    public Answer noField(String name) {
        fields.put(name, null);
        return this;
    }

    public Answer body(String text) {
        body = text;
        return this;
    }

    public Answer receivedMethod(String method) {
        received.put("method", JSON.getNodeFactory().textNode(method));
        return this;
    }

    /** The canonical path the processor sees. */
    public Answer receivedPath(String path) {
        received.put("path", JSON.getNodeFactory().textNode(path));
        return this;
    }

    /** The request-target as sent. */
    public Answer receivedTarget(String target) {
        received.put("rawTarget", JSON.getNodeFactory().textNode(target));
        return this;
    }

    public Answer receivedVersion(String version) {
        received.put("version", JSON.getNodeFactory().textNode(version));
        return this;
    }

    /** The body as text, and its length in UTF-8 bytes. */
    public Answer receivedBody(String text) {
        received.put("body", JSON.getNodeFactory().textNode(text));
        received.put("bodyLength", JSON.getNodeFactory().numberNode(
                text.getBytes(StandardCharsets.UTF_8).length));
        return this;
    }

    /** The values of the request fields of this name (any case), in order; none for "absent". */
    public Answer receivedField(String name, String... values) {
        receivedFields.put(name, List.of(values));
        return this;
    }

    /** Every request field, exactly: name and value pairs in order. */
    public Answer receivedFields(String... namesAndValues) {
        ArrayNode all = JSON.createArrayNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            all.addArray().add(namesAndValues[i]).add(namesAndValues[i + 1]);
        }
        received.put("headers", all);
        return this;
    }

    /** One query parameter; the query must then have exactly the parameters named this way. */
    public Answer receivedQuery(String name, String... values) {
        if (query == null) {
            query = JSON.createObjectNode();
            received.put("query", query);
        }
        ArrayNode array = query.putArray(name);
        for (String v : values) {
            array.add(v);
        }
        return this;
    }

    /** The query has no parameters. */
    public Answer receivedNoQuery() {
        query = JSON.createObjectNode();
        received.put("query", query);
        return this;
    }

    /** One path variable; the variables must then be exactly those named this way. */
    public Answer receivedVariable(String name, String value) {
        if (variables == null) {
            variables = JSON.createObjectNode();
            received.put("pathVariables", variables);
        }
        variables.put(name, value);
        return this;
    }

    boolean readsEcho() {
        return !received.isEmpty() || !receivedFields.isEmpty();
    }

    /** The values of the request fields of one name in an echo answer, any case. */
    static List<String> fieldValues(JsonNode echo, String name) {
        List<String> values = new ArrayList<>();
        for (JsonNode pair : echo.get("headers")) {
            if (pair.get(0).asText().equalsIgnoreCase(name)) {
                values.add(pair.get(1).asText());
            }
        }
        return values;
    }

    @Override
    public String toString() {
        return status + (closes ? " + close" : "") + (received.isEmpty() ? "" : " " + received);
    }
}
