package io.hookgateway.security;

import com.fasterxml.jackson.core.JsonPointer;
import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.Authenticator.Reason;
import io.hookgateway.hooks.Authenticator.Verdict;
import io.hookgateway.hooks.Authenticator;
import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.processors.ProcessorContext;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The ways that take a shared secret where a sender can put one: an API key in a named header, a key in the query
 * (IFTTT's "Make a web request" can carry one only in the URL or the body), in a JSON body field, or in a segment of
 * the path. Each compares in constant time ({@link SharedSecrets}).
 *
 * <pre>
 * auth: {header-key: {header: X-API-Key, key: "${API_KEY}"}}
 * auth: {query-key: {parameter: key, key: "${IFTTT_KEY}"}}
 * auth: {json-key: {pointer: /key, key: "${IFTTT_KEY}"}}
 * auth: {path-key: {variable: key, key: "${IFTTT_KEY}"}}      # path: /ifttt/{key}/lamp
 * </pre>
 */
public final class KeyAuthTypes {

    private KeyAuthTypes() {
    }

    /**
     * One of these ways: where it finds the key ({@link #where}), then the keys it accepts, {@code key} or
     * {@code keys}.
     */
    private abstract static class KeyWay implements AuthType {
        private final String name;
        private final boolean readsBody;

        KeyWay(String name, boolean readsBody) {
            this.name = name;
            this.readsBody = readsBody;
        }

        @Override
        public final String name() {
            return name;
        }

        /** Reads where the key is; {@code null} after reporting a problem. */
        abstract Function<HookRequest, Presented> where(ConfigNode node, ProcessorContext.Static context);

        /** The path variables that hold the key, which logs must hide. */
        Set<String> secretPathVariables(ConfigNode node) {
            return Set.of();
        }

        @Override
        public final Authenticator parse(ConfigNode node, ProcessorContext.Static context) {
            Function<HookRequest, Presented> where = where(node, context);
            SharedSecrets keys = SharedSecrets.read(node, "key", "keys", "\"${API_KEY}\"");
            node.finish();
            return where == null || keys == null ? null
                    : keyAuth(readsBody, where, keys, secretPathVariables(node));
        }
    }

    /** {@code header-key}: a key in a named header field; two fields of that name are malformed. */
    public static final class HeaderKey extends KeyWay {
        public HeaderKey() {
            super("header-key", false);
        }

        @Override
        Function<HookRequest, Presented> where(ConfigNode node, ProcessorContext.Static context) {
            String header = node.requiredString("header", "name the header field, as header: X-API-Key");
            if (header == null) {
                return null;
            }
            if (!HeaderFields.isValidName(header)) {
                node.problem("header", "is not a header field name; use letters, digits and '-'");
                return null;
            }
            return request -> Presented.one(request.headers().getAll(header));
        }
    }

    /** {@code query-key}: a key in a query parameter; the access log never writes the query, so it stays out of logs. */
    public static final class QueryKey extends KeyWay {
        public QueryKey() {
            super("query-key", false);
        }

        @Override
        Function<HookRequest, Presented> where(ConfigNode node, ProcessorContext.Static context) {
            String parameter = node.requiredString("parameter", "name the query parameter, as parameter: key");
            return parameter == null ? null : request -> Presented.one(request.queryParameters().get(parameter));
        }
    }

    /** {@code json-key}: a key in a field of a JSON body; read with the body, before any processor. */
    public static final class JsonKey extends KeyWay {
        public JsonKey() {
            super("json-key", true);
        }

        @Override
        Function<HookRequest, Presented> where(ConfigNode node, ProcessorContext.Static context) {
            if (!node.has("pointer")) {
                node.problem("pointer", "is required: the field that holds the key, as pointer: /key");
                return null;
            }
            JsonPointer pointer = node.parsed("pointer", null, text -> {
                JsonPointer parsed;
                try {
                    parsed = JsonPointer.compile(text);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'" + text + "' is not a JSON Pointer; write one such as /key");
                }
                if (parsed.matches()) {
                    throw new IllegalArgumentException("points at the whole body; point at the field, as /key");
                }
                return parsed;
            });
            return pointer == null ? null : request -> {
                try {
                    return Presented.of(request.values().json(pointer));
                } catch (HookException notJson) {
                    // Any body a prober sends (curl -d x) is not JSON: it holds no key, and says nothing of the hook.
                    return Presented.NOT_JSON;
                }
            };
        }
    }

    /** {@code path-key}: a key that is a segment of the path, a variable of the hook's path pattern. */
    public static final class PathKey extends KeyWay {
        public PathKey() {
            super("path-key", false);
        }

        @Override
        Function<HookRequest, Presented> where(ConfigNode node, ProcessorContext.Static context) {
            String variable = node.requiredString("variable", "name the path variable that holds the key, as "
                    + "variable: key, with the hook's path /ifttt/{key}/lamp");
            if (variable == null) {
                return null;
            }
            if (context.pathVariables() != null && !context.pathVariables().contains(variable)) {
                node.problem("variable", "'" + variable + "' is not a variable of the hook's path; write the path "
                        + "with {" + variable + "} in it");
                return null;
            }
            return request -> Presented.of(request.pathVariables().get(variable));
        }

        @Override
        Set<String> secretPathVariables(ConfigNode node) {
            String variable = node.string("variable", null);
            return variable == null ? Set.of() : Set.of(variable);
        }
    }

    /**
     * What a request presents: a key, or why it presents none, and whether a stranger who does not know the hook could
     * have sent it so.
     */
    record Presented(String key, Reason problem, boolean fromStranger) {
        static final Presented MISSING = new Presented(null, Reason.MISSING, true);
        static final Presented MALFORMED = new Presented(null, Reason.MALFORMED, false);
        static final Presented NOT_JSON = new Presented(null, Reason.MALFORMED, true);

        static Presented of(String key) {
            return key == null || key.isEmpty() ? MISSING : new Presented(key, null, false);
        }

        /** The one value of a field or parameter; two are malformed, since two readers could take different ones. */
        static Presented one(List<String> values) {
            return values == null || values.isEmpty() ? MISSING : values.size() > 1 ? MALFORMED : of(values.get(0));
        }
    }

    /** A key read by {@code reader}, compared with {@code keys}; these ways have no challenge to give. */
    static Authenticator keyAuth(boolean readsBody, Function<HookRequest, Presented> reader, SharedSecrets keys,
                                 Set<String> secretPathVariables) {
        return new Authenticator() {
            @Override
            public boolean readsBody() {
                return readsBody;
            }

            @Override
            public Set<String> secretPathVariables() {
                return secretPathVariables;
            }

            @Override
            public Verdict check(HookRequest request) {
                Presented presented = reader.apply(request);
                if (presented.problem() != null) {
                    return presented.fromStranger() ? Verdict.failedFromStranger(presented.problem())
                            : Verdict.failed(presented.problem(), null);
                }
                if (keys.matches(presented.key())) {
                    return Verdict.PASSED;
                }
                // A wrong path segment is what anyone walking paths sends: it says nothing of the hook.
                return secretPathVariables.isEmpty() ? Verdict.failed(Reason.MISMATCH, null)
                        : Verdict.failedFromStranger(Reason.MISMATCH);
            }
        };
    }
}
