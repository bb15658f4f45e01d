package io.hookgateway.processors.template;

import com.fasterxml.jackson.core.JsonPointer;
import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.Escape;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.JsonDocuments;
import io.hookgateway.hooks.RequestValues;
import io.hookgateway.processors.ProcessorContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A text with request values in it, the one syntax every processor uses:
 *
 * <table>
 *   <caption>References</caption>
 *   <tr><td>{@code ${body}}</td><td>the body as text</td></tr>
 *   <tr><td>{@code ${json:/a/b}}</td><td>a JSON Pointer (RFC 6901) into a JSON body</td></tr>
 *   <tr><td>{@code ${form.name}}</td><td>a field of a form body</td></tr>
 *   <tr><td>{@code ${query.name}}</td><td>a query parameter</td></tr>
 *   <tr><td>{@code ${header.Name}}</td><td>a request header (any case)</td></tr>
 *   <tr><td>{@code ${path.name}}</td><td>a variable of the hook's path, {@code /hooks/{name}}</td></tr>
 *   <tr><td>{@code ${request.id}}, {@code ${request.method}}, {@code ${request.path}}</td>
 *       <td>about the request</td></tr>
 *   <tr><td>{@code ${client.ip}}, {@code ${client.address}}</td><td>the client's IP address: behind a trusted proxy,
 *       the address it names</td></tr>
 *   <tr><td>{@code ${hook.name}}</td><td>the hook's configured name</td></tr>
 * </table>
 *
 * <p>{@code ${ref:-default}} gives a default for a missing value; without one a missing value is empty.
 * <code>$${</code> writes a literal <code>${</code>. Names in upper case, {@code ${HOME}}, are environment variables,
 * replaced when the configuration is loaded, so they never reach a template.
 *
 * <p>A template that writes a document (a body, a payload) is compiled for its {@link Format}, and each value is
 * escaped for the place it lands in, so no request value can change the document's structure: JSON string content,
 * a whole JSON value, a form value, markup text. {@code ${raw:ref}} inserts a value as it is, on purpose.
 *
 * <p>A template is compiled once, when the configuration is read; rendering walks the parts without parsing again.
 */
public final class Template {

    /** Where a reference takes its value from. */
    public enum Source {
        BODY, JSON, FORM, QUERY, HEADER, PATH, REQUEST_ID, REQUEST_METHOD, REQUEST_PATH, CLIENT_ADDRESS, HOOK_NAME
    }

    private sealed interface Part permits Literal, Ref {
    }

    private record Literal(String text) implements Part {
    }

    /**
     * A reference: where its value comes from, its default, how it is escaped where it stands, and, outside quotes
     * in JSON, its default as JSON text.
     */
    private record Ref(Source source, String name, JsonPointer pointer, String defaultValue, String written,
                       boolean raw, Escape escape, String defaultJson) implements Part {

        Ref escaped(Escape how) {
            String json = null;
            if (how == Escape.JSON_VALUE && defaultValue != null) {
                json = JsonDocuments.isValue(defaultValue) ? defaultValue.strip() : quoted(defaultValue);
            }
            return new Ref(source, name, pointer, defaultValue, written, raw, how, json);
        }
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        Escape.JSON_VALUE.append(text, out);
        return out.toString();
    }

    private static final String KNOWN = "body, json:/pointer, form.NAME, query.NAME, header.NAME, path.NAME, "
            + "request.id, request.method, request.path, client.ip, client.address or hook.name";

    private final String text;
    private final List<Part> parts;
    private final String constant;
    private final Format format;
    /** Every JSON Pointer the template reads, so one pass over a body finds them all. */
    private final List<JsonPointer> pointers;

    private Template(String text, List<Part> parts) {
        this(text, parts, Format.TEXT);
    }

    private Template(String text, List<Part> parts, Format format) {
        this.text = text;
        this.parts = List.copyOf(parts);
        this.format = format;
        List<JsonPointer> read = new ArrayList<>();
        for (Part part : parts) {
            if (part instanceof Ref ref) {
                if (ref.source() == Source.JSON && !read.contains(ref.pointer())) {
                    read.add(ref.pointer());
                }
            }
        }
        this.pointers = List.copyOf(read);
        if (parts.isEmpty()) {
            this.constant = "";
        } else if (parts.size() == 1 && parts.get(0) instanceof Literal literal) {
            this.constant = literal.text();
        } else {
            this.constant = null;
        }
    }

    /**
     * Compiles a plain-text template (values inserted as they are); a malformed one throws {@link TemplateException}
     * naming every problem in it and what to write instead.
     */
    public static Template compile(String text) {
        List<String> problems = new ArrayList<>();
        List<Part> parts = parse(text, problems);
        if (!problems.isEmpty()) {
            throw new TemplateException(problems);
        }
        return new Template(text, parts);
    }

    /**
     * Compiles a template that writes a document of the {@code declared} format, or, when none is declared
     * ({@code null}), of the format the text shows: one that starts with <code>{</code> or <code>[</code> and is JSON
     * (with each value standing in for what it will be) is JSON, and one that starts with <code>{</code> but is not
     * valid JSON is refused, since it was most likely meant to be; anything else is text.
     */
    public static Template compileDocument(String text, Format declared) {
        List<String> problems = new ArrayList<>();
        List<Part> parts = parse(text, problems);
        if (!problems.isEmpty()) {
            throw new TemplateException(problems);
        }
        if (parts.size() == 1 && parts.get(0) instanceof Ref ref && ref.source() == Source.BODY
                && ref.defaultValue() == null) {
            // Exactly ${body} is the body's bytes as they came, in every processor, whatever the format: a document
            // the sender wrote, passed on, not a value placed into one.
            return new Template(text, parts);
        }
        Format format = declared;
        if (format == null) {
            String start = text.stripLeading();
            format = start.startsWith("{") || start.startsWith("[") ? Format.JSON : Format.TEXT;
        }
        List<Part> escaped = new ArrayList<>(parts.size());
        switch (format) {
            case TEXT -> escaped.addAll(parts);
            case FORM -> parts.forEach(p -> escaped.add(p instanceof Ref r ? r.escaped(Escape.FORM) : p));
            case MARKUP -> {
                String problem = placeMarkupValues(parts, escaped);
                if (problem != null) {
                    throw new TemplateException(List.of(problem));
                }
            }
            case JSON -> {
                String problem = placeJsonValues(parts, escaped);
                if (problem != null) {
                    if (declared == null && text.stripLeading().startsWith("[")) {
                        // A text such as "[lamp] on" is not meant as JSON.
                        return new Template(text, parts);
                    }
                    throw new TemplateException(List.of((declared == null
                            ? "starts with '{', so it is read as JSON, but it is not valid JSON: "
                            : "is JSON by its content type, but it is not valid JSON: ") + problem));
                }
            }
            default -> throw new IllegalStateException("unexpected format " + format);
        }
        return new Template(text, escaped, format);
    }

    /**
     * Decides, for each reference of a JSON template, whether it stands inside a string (RFC 8259 §7: escaped as
     * string content) or outside quotes (a whole value), and checks the template is JSON with each value in place.
     * A value may not be part of a member name: it could repeat another member's name, and two readers of the
     * document would then disagree on which value it holds (RFC 8259 §4). Returns why, or {@code null}.
     */
    private static String placeJsonValues(List<Part> parts, List<Part> escaped) {
        StringBuilder skeleton = new StringBuilder();
        // Just enough of JSON's grammar to tell a member name from a value: which container is open, and whether
        // the next string in an object is a name (after '{' or ',') or a value (after ':').
        Deque<Character> containers = new ArrayDeque<>();
        boolean nameNext = false;
        boolean inString = false;
        boolean inName = false;
        boolean afterBackslash = false;
        boolean valueOutsideQuotes = false;
        for (Part part : parts) {
            if (part instanceof Literal literal) {
                String t = literal.text();
                skeleton.append(t);
                for (int i = 0; i < t.length(); i++) {
                    char c = t.charAt(i);
                    if (inString) {
                        if (afterBackslash) {
                            afterBackslash = false;
                        } else if (c == '\\') {
                            afterBackslash = true;
                        } else if (c == '"') {
                            inString = false;
                        }
                    } else if (c == '"') {
                        inString = true;
                        inName = nameNext;
                        nameNext = false;
                    } else if (c == '{' || c == '[') {
                        containers.push(c);
                        nameNext = c == '{';
                    } else if (c == '}' || c == ']') {
                        containers.poll();
                        nameNext = false;
                    } else if (c == ',') {
                        nameNext = Character.valueOf('{').equals(containers.peek());
                    } else if (c == ':') {
                        nameNext = false;
                    }
                }
                escaped.add(part);
            } else {
                Ref ref = (Ref) part;
                if (inString && inName) {
                    return "the request value " + ref.written() + " is part of a member name; a request value may "
                            + "only be a value (two members of one name are read differently by different readers)";
                }
                if (afterBackslash) {
                    return "the request value " + ref.written() + " follows a backslash inside a string; remove "
                            + "the backslash";
                }
                escaped.add(ref.escaped(inString ? Escape.JSON_STRING : Escape.JSON_VALUE));
                valueOutsideQuotes |= !inString;
                // Inside quotes a value adds characters to a string; outside, it stands for one whole value.
                skeleton.append(inString ? "" : "null");
            }
        }
        String problem = JsonDocuments.problemIn(skeleton.toString());
        return problem == null || !valueOutsideQuotes ? problem
                : problem + "; a request value outside quotes stands for one whole JSON value";
    }

    /**
     * Escapes each reference of an HTML or XML template as markup, after checking it stands where that keeps it text
     * ({@link MarkupContext}). Returns why one does not, or {@code null}.
     */
    private static String placeMarkupValues(List<Part> parts, List<Part> escaped) {
        MarkupContext context = new MarkupContext();
        for (Part part : parts) {
            if (part instanceof Literal literal) {
                context.literal(literal.text());
                escaped.add(part);
            } else {
                Ref ref = (Ref) part;
                String problem = context.problemForValue();
                if (problem != null) {
                    return "the request value " + ref.written() + " " + problem;
                }
                escaped.add(ref.escaped(Escape.MARKUP));
            }
        }
        return null;
    }

    /** The parts of a template's text; every problem found is added to {@code problems}. */
    private static List<Part> parse(String text, List<String> problems) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("$${", i)) {
                literal.append("${");
                i += 3;
            } else if (c == '$' && text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    problems.add("'${' at position " + i + " has no closing '}'; write $${ for a literal ${");
                    literal.append(text, i, text.length());
                    break;
                }
                if (literal.length() > 0) {
                    parts.add(new Literal(literal.toString()));
                    literal.setLength(0);
                }
                try {
                    parts.add(reference(text.substring(i + 2, end)));
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
                i = end + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
        }
        return parts;
    }

    private static final String RAW = "raw:";

    private static Ref reference(String expression) {
        String written = "${" + expression + "}";
        boolean raw = expression.startsWith(RAW);
        String ref = raw ? expression.substring(RAW.length()) : expression;
        String defaultValue = null;
        int dash = ref.indexOf(":-");
        if (dash >= 0) {
            defaultValue = ref.substring(dash + 2);
            ref = ref.substring(0, dash);
        }
        if (ref.startsWith("json:")) {
            String pointer = ref.substring("json:".length());
            try {
                return new Ref(Source.JSON, pointer, JsonPointer.compile(pointer), defaultValue, written, raw,
                        Escape.NONE, null);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + written + "' has an invalid JSON Pointer '" + pointer
                        + "'; it must be empty or start with '/', as in ${json:/value1}");
            }
        }
        Source source = switch (ref) {
            case "body" -> Source.BODY;
            case "request.id" -> Source.REQUEST_ID;
            case "request.method" -> Source.REQUEST_METHOD;
            case "request.path" -> Source.REQUEST_PATH;
            case "client.ip", "client.address" -> Source.CLIENT_ADDRESS;
            case "hook.name" -> Source.HOOK_NAME;
            default -> null;
        };
        if (source != null) {
            return new Ref(source, null, null, defaultValue, written, raw, Escape.NONE, null);
        }
        int dot = ref.indexOf('.');
        if (dot > 0 && dot < ref.length() - 1) {
            String name = ref.substring(dot + 1);
            source = switch (ref.substring(0, dot)) {
                case "form" -> Source.FORM;
                case "query" -> Source.QUERY;
                case "header" -> Source.HEADER;
                case "path" -> Source.PATH;
                default -> null;
            };
            if (source != null) {
                return new Ref(source, name, null, defaultValue, written, raw, Escape.NONE, null);
            }
        }
        String hint = ref.matches("[A-Za-z_][A-Za-z0-9_]*")
                ? " (environment variables are replaced only when written in upper case, as ${HOME})" : "";
        throw new IllegalArgumentException("'" + written + "' refers to an unknown value; use " + KNOWN
                + ", optionally after raw:" + hint);
    }

    /**
     * Reads and compiles the template at {@code key}, reporting a malformed template, or a {@code ${path.x}} that is
     * not a variable of the hook's path, as a problem of that key. Returns {@code null} when absent without a default, or
     * when a problem was reported.
     */
    public static Template read(ConfigNode node, String key, String defaultText, ProcessorContext.Static context) {
        return read(node, key, defaultText, context, false, null);
    }

    /**
     * Reads a template that writes a document (a body, a payload, standard input): as {@link #read}, compiled with
     * {@link #compileDocument} for the format of {@code declaredContentType} (may be {@code null}).
     */
    public static Template readDocument(ConfigNode node, String key, String defaultText,
                                        ProcessorContext.Static context, String declaredContentType) {
        return read(node, key, defaultText, context, true, Format.of(declaredContentType));
    }

    /**
     * The {@code Content-Type} that header templates declare, when it is fixed text: what a document template beside
     * them is compiled for. {@code null} when there is none, or when a request value goes into it.
     */
    public static String declaredContentType(Map<String, Template> headers) {
        for (Map.Entry<String, Template> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase("Content-Type")) {
                return header.getValue().constantValue();
            }
        }
        return null;
    }

    private static Template read(ConfigNode node, String key, String defaultText, ProcessorContext.Static context,
                                 boolean document, Format declared) {
        String text = node.rawString(key, defaultText);
        if (text == null) {
            return null;
        }
        try {
            Template template = document ? compileDocument(text, declared) : compile(text);
            for (String variable : template.pathVariables()) {
                if (context.pathVariables() != null && !context.pathVariables().contains(variable)) {
                    node.problem(key, "${path." + variable + "} is not a variable of this hook's path; "
                            + (context.pathVariables().isEmpty()
                                    ? "the path has none (write one as /hooks/{" + variable + "})"
                                    : "it has " + String.join(", ", context.pathVariables())));
                    return null;
                }
            }
            return template;
        } catch (TemplateException e) {
            e.problems().forEach(problem -> node.problem(key, problem));
            return null;
        }
    }

    /**
     * For a template that is exactly one reference, whether the request has that value (a default does not count);
     * for any other template, whether it renders to something non-empty.
     */
    public boolean isPresent(HookRequest request) {
        if (isSingleReference()) {
            return lookup((Ref) parts.get(0), request) != null;
        }
        return !render(request).isEmpty();
    }

    /** Whether the template is exactly one reference, such as {@code ${header.X-Token}}. */
    public boolean isSingleReference() {
        return parts.size() == 1 && parts.get(0) instanceof Ref;
    }

    /**
     * For a template that is exactly one reference, the name it reads: a query parameter, form field, header or path
     * variable, or a JSON Pointer ({@code /state/room}); {@code null} for any other reference or template.
     */
    public String referenceName() {
        return isSingleReference() ? ((Ref) parts.get(0)).name() : null;
    }

    /** What {@link #visit} calls for each part, in order. */
    public interface PartVisitor {

        /** Literal text, with <code>$${</code> already turned into <code>${</code>. */
        void literal(String text);

        /** The {@code index}-th reference, as a template of that reference alone (its default included). */
        void reference(int index, Template single);
    }

    /**
     * Walks the parts in order, for a context that treats literal text and inserted values differently: a URL
     * percent-encodes only the values, an MQTT topic checks only its fixed text at load.
     */
    public void visit(PartVisitor visitor) {
        int index = 0;
        for (Part part : parts) {
            if (part instanceof Literal literal) {
                visitor.literal(literal.text());
            } else {
                visitor.reference(index++, new Template(((Ref) part).written(), List.of(part)));
            }
        }
    }

    /** Whether the text has no references, so every rendering is the same. */
    public boolean isConstant() {
        return constant != null;
    }

    /** The text of a constant template; {@code null} when it has references. */
    public String constantValue() {
        return constant;
    }

    /** The text as written in the configuration. */
    public String source() {
        return text;
    }

    /** The names of the path variables this template reads, to check them against the hook's path at load. */
    public Set<String> pathVariables() {
        Set<String> names = new LinkedHashSet<>();
        for (Part part : parts) {
            if (part instanceof Ref ref && ref.source() == Source.PATH) {
                names.add(ref.name());
            }
        }
        return names;
    }

    /** Whether rendering reads the body: {@code ${body}}, {@code ${json:...}} or {@code ${form....}}. */
    public boolean readsBody() {
        return reads(Source.BODY) || reads(Source.JSON) || reads(Source.FORM);
    }

    /** Whether any reference reads from the given source. */
    public boolean reads(Source source) {
        for (Part part : parts) {
            if (part instanceof Ref ref && ref.source() == source) {
                return true;
            }
        }
        return false;
    }

    /** Renders with the request's values; may throw {@link io.hookgateway.hooks.HookException} (400) on a bad body. */
    public String render(HookRequest request) {
        if (constant != null) {
            return constant;
        }
        if (!pointers.isEmpty()) {
            // One pass over the body finds every value this template reads.
            request.values().prepare(pointers);
        }
        StringBuilder out = new StringBuilder(text.length() + 32);
        for (Part part : parts) {
            if (part instanceof Literal literal) {
                out.append(literal.text());
            } else {
                Ref ref = (Ref) part;
                if (ref.raw()) {
                    out.append(rawValue(ref, request));
                } else if (ref.escape() == Escape.JSON_VALUE) {
                    appendJsonValue(ref, request, out);
                } else {
                    ref.escape().append(valueOf(ref, request), out);
                }
            }
        }
        return out.toString();
    }

    /**
     * A value inserted as it is, on purpose. In JSON it must still be what its place holds, so that it can change a
     * value but never the document's members: outside quotes exactly one JSON value, inside quotes string content
     * that does not end the string. One that is not is the request's fault (400).
     */
    private static String rawValue(Ref ref, HookRequest request) {
        String value = valueOf(ref, request);
        boolean fits = switch (ref.escape()) {
            case JSON_VALUE -> JsonDocuments.isValue(value);
            case JSON_STRING -> JsonDocuments.isValue("\"" + value + "\"");
            default -> true;
        };
        if (!fits) {
            throw new HookException(400, "the request value " + ref.written() + ", inserted raw, is not "
                    + (ref.escape() == Escape.JSON_VALUE ? "one JSON value" : "JSON string content"));
        }
        return value;
    }

    /** The format the template was compiled for. */
    public Format format() {
        return format;
    }

    /**
     * Outside quotes in JSON: {@code ${json:...}} is the JSON value it points at; any other reference a JSON string;
     * a missing value its default (as JSON when the default is JSON, else as a string), else {@code null}.
     */
    private static void appendJsonValue(Ref ref, HookRequest request, StringBuilder out) {
        if (ref.source() == Source.JSON) {
            String json = request.values().jsonValue(ref.pointer());
            if (json != null) {
                out.append(json);
                return;
            }
        } else {
            String value = lookup(ref, request);
            if (value != null) {
                Escape.JSON_VALUE.append(value, out);
                return;
            }
        }
        out.append(ref.defaultJson() != null ? ref.defaultJson() : "null");
    }

    /** Whether the template is exactly {@code ${body}}, so the raw body bytes can be used without decoding them. */
    public boolean isWholeBody() {
        return parts.size() == 1 && parts.get(0) instanceof Ref ref && ref.source() == Source.BODY
                && ref.defaultValue() == null;
    }

    /** The request's value for a reference, else its default, else empty. */
    private static String valueOf(Ref ref, HookRequest request) {
        String value = lookup(ref, request);
        return value != null ? value : ref.defaultValue() != null ? ref.defaultValue() : "";
    }

    private static String lookup(Ref ref, HookRequest request) {
        RequestValues values = request.values();
        return switch (ref.source()) {
            case BODY -> request.bodyLength() == 0 ? null : values.body();
            case JSON -> values.json(ref.pointer());
            case FORM -> values.form(ref.name());
            case QUERY -> values.query(ref.name());
            case HEADER -> values.header(ref.name());
            case PATH -> values.path(ref.name());
            case REQUEST_ID -> request.requestId();
            case REQUEST_METHOD -> request.method();
            case REQUEST_PATH -> request.path();
            case CLIENT_ADDRESS -> request.clientAddress();
            case HOOK_NAME -> request.hookName();
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
