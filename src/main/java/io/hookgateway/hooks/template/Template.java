package io.hookgateway.hooks.template;

import com.fasterxml.jackson.core.JsonPointer;
import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.ProcessorContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
 *   <tr><td>{@code ${client.address}}</td><td>the client's IP address</td></tr>
 *   <tr><td>{@code ${hook.name}}</td><td>the hook's configured name</td></tr>
 * </table>
 *
 * <p>{@code ${ref:-default}} gives a default for a missing value; without one a missing value is empty.
 * <code>$${</code> writes a literal <code>${</code>. Names in upper case, {@code ${HOME}}, are environment variables,
 * replaced when the configuration is loaded, so they never reach a template.
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

    private record Ref(Source source, String name, JsonPointer pointer, String defaultValue, String written)
            implements Part {
    }

    private static final String KNOWN = "body, json:/pointer, form.NAME, query.NAME, header.NAME, path.NAME, "
            + "request.id, request.method, request.path, client.address or hook.name";

    private final String text;
    private final List<Part> parts;
    private final String constant;

    private Template(String text, List<Part> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            this.constant = "";
        } else if (parts.size() == 1 && parts.get(0) instanceof Literal literal) {
            this.constant = literal.text();
        } else {
            this.constant = null;
        }
    }

    /** Compiles a template; a malformed one throws {@link IllegalArgumentException} saying what to write instead. */
    public static Template compile(String text) {
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
                    throw new IllegalArgumentException("'${' at position " + i
                            + " has no closing '}'; write $${ for a literal ${");
                }
                if (literal.length() > 0) {
                    parts.add(new Literal(literal.toString()));
                    literal.setLength(0);
                }
                parts.add(reference(text.substring(i + 2, end)));
                i = end + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
        }
        return new Template(text, parts);
    }

    private static Ref reference(String expression) {
        String written = "${" + expression + "}";
        String ref = expression;
        String defaultValue = null;
        int dash = expression.indexOf(":-");
        if (dash >= 0) {
            ref = expression.substring(0, dash);
            defaultValue = expression.substring(dash + 2);
        }
        if (ref.startsWith("json:")) {
            String pointer = ref.substring("json:".length());
            try {
                return new Ref(Source.JSON, pointer, JsonPointer.compile(pointer), defaultValue, written);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'${" + expression + "}' has an invalid JSON Pointer '" + pointer
                        + "'; it must be empty or start with '/', as in ${json:/value1}");
            }
        }
        switch (ref) {
            case "body":
                return new Ref(Source.BODY, null, null, defaultValue, written);
            case "request.id":
                return new Ref(Source.REQUEST_ID, null, null, defaultValue, written);
            case "request.method":
                return new Ref(Source.REQUEST_METHOD, null, null, defaultValue, written);
            case "request.path":
                return new Ref(Source.REQUEST_PATH, null, null, defaultValue, written);
            case "client.address":
                return new Ref(Source.CLIENT_ADDRESS, null, null, defaultValue, written);
            case "hook.name":
                return new Ref(Source.HOOK_NAME, null, null, defaultValue, written);
            default:
                break;
        }
        int dot = ref.indexOf('.');
        if (dot > 0 && dot < ref.length() - 1) {
            String name = ref.substring(dot + 1);
            Source source = switch (ref.substring(0, dot)) {
                case "form" -> Source.FORM;
                case "query" -> Source.QUERY;
                case "header" -> Source.HEADER;
                case "path" -> Source.PATH;
                default -> null;
            };
            if (source != null) {
                return new Ref(source, name, null, defaultValue, written);
            }
        }
        String hint = ref.matches("[A-Za-z_][A-Za-z0-9_]*")
                ? " (environment variables are replaced only when written in upper case, as ${HOME})" : "";
        throw new IllegalArgumentException("'${" + expression + "}' refers to an unknown value; use " + KNOWN + hint);
    }

    /**
     * Reads and compiles the template at {@code key}, reporting a malformed template, or a {@code ${path.x}} that is
     * not a variable of the hook's path, as a problem of that key. Returns {@code null} when absent without a default, or
     * when a problem was reported.
     */
    public static Template read(ConfigNode node, String key, String defaultText, ProcessorContext.Static context) {
        String text = node.rawString(key, defaultText);
        if (text == null) {
            return null;
        }
        try {
            Template template = compile(text);
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
        } catch (IllegalArgumentException e) {
            node.problem(key, e.getMessage());
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

    /** What {@link #visit} calls for each part, in order. */
    public interface PartVisitor {

        /** Literal text, with <code>$${</code> already turned into <code>${</code>. */
        void literal(String text);

        /** The {@code index}-th reference, as a template of that reference alone (its default included). */
        void reference(int index, Template single);
    }

    /**
     * Walks the parts in order, for a context that treats literal text and inserted values differently: a URL
     * percent-encodes only the values, a shell script passes them as positional parameters.
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

    /** The rendered value of each reference, defaults applied, in order. */
    public List<String> values(HookRequest request) {
        List<String> values = new ArrayList<>();
        for (Part part : parts) {
            if (part instanceof Ref ref) {
                values.add(valueOf(ref, request));
            }
        }
        return values;
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
        StringBuilder out = new StringBuilder(text.length() + 32);
        for (Part part : parts) {
            if (part instanceof Literal literal) {
                out.append(literal.text());
            } else {
                out.append(valueOf((Ref) part, request));
            }
        }
        return out.toString();
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
            case CLIENT_ADDRESS -> address(request.remoteAddress());
            case HOOK_NAME -> request.hookName();
        };
    }

    private static String address(InetSocketAddress address) {
        if (address == null) {
            return null;
        }
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }

    @Override
    public String toString() {
        return text;
    }
}
