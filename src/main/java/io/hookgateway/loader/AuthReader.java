package io.hookgateway.loader;

import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.Authenticator;
import io.hookgateway.hooks.Authenticators;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.security.AuthRegistry;
import io.hookgateway.security.AuthType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a hook's {@code auth:}, one way or several:
 *
 * <pre>
 * auth: {bearer: {token: "${HOOK_TOKEN}"}}            # one way
 * auth:                                               # several, every one must pass (a list means all)
 *   all:
 *     - github: {secret: "${GITHUB_SECRET}"}
 *     - header-key: {header: X-Deploy-Key, key: "${DEPLOY_KEY}"}
 * auth:                                               # several, one is enough
 *   any:
 *     - bearer: {token: "${CI_TOKEN}"}
 *     - basic: {users: {alice: "pbkdf2-sha256$..."}}
 * </pre>
 */
final class AuthReader {

    private static final String ALL = "all";
    private static final String ANY = "any";

    private final AuthRegistry registry;

    AuthReader(AuthRegistry registry) {
        this.registry = registry;
    }

    /** The hook's auth, {@link Authenticator#NONE} when it has none; {@code null} after reporting a problem. */
    Authenticator read(ConfigNode hookNode, ProcessorContext.Static context) {
        if (!hookNode.has("auth")) {
            return Authenticator.NONE;
        }
        if (hookNode.isList("auth")) {
            return combined(hookNode, "auth", context, true);
        }
        ConfigNode node = hookNode.object("auth");
        if (node == null) {
            return null;
        }
        List<String> keys = node.keys();
        if (keys.size() == 1 && (keys.get(0).equals(ALL) || keys.get(0).equals(ANY))) {
            String key = keys.get(0);
            if (!node.isList(key)) {
                node.problem(key, "must be a list of ways, as " + key + ": [{bearer: {token: ...}}, {github: ...}]");
                return null;
            }
            return combined(node, key, context, key.equals(ALL));
        }
        return one(node, context);
    }

    private Authenticator combined(ConfigNode node, String key, ProcessorContext.Static context, boolean all) {
        if (node.isEmptyList(key)) {
            node.problem(key, "is empty; list at least one way, such as bearer: {token: \"${HOOK_TOKEN}\"}");
            return null;
        }
        List<ConfigNode> items = node.objects(key);
        List<Authenticator> members = new ArrayList<>();
        for (ConfigNode item : items) {
            Authenticator member = one(item, context);
            if (member != null) {
                members.add(member);
            }
        }
        if (members.isEmpty() || members.size() != items.size()) {
            return null;
        }
        return members.size() == 1 ? members.get(0)
                : all ? Authenticators.all(members) : Authenticators.any(members);
    }

    /** A mapping of one way's name to its options. */
    private Authenticator one(ConfigNode node, ProcessorContext.Static context) {
        List<String> keys = node.keys();
        if (keys.size() != 1) {
            node.problem(null, (keys.isEmpty() ? "names no way to authenticate" : "names " + keys.size()
                    + " ways (" + String.join(", ", keys) + ")") + "; write one, as bearer: {token: ...}, or list "
                    + "several under all: or any:. Ways: " + names());
            return null;
        }
        String name = keys.get(0);
        AuthType type = registry.get(name);
        if (type == null) {
            String suggestion = ConfigNode.closest(name, known());
            node.problem(name, "is not a way to authenticate"
                    + (suggestion != null ? "; did you mean '" + suggestion + "'?" : ".") + " Ways: " + names());
            return null;
        }
        node.describedAs("auth", null, null);
        ConfigNode options = node.object(name);
        if (options == null) {
            if (!node.has(name)) {
                node.problem(name, "needs its options, as " + name + ": {...}");
            }
            return null;
        }
        try {
            Authenticator parsed = type.parse(options, context);
            return options.hasProblems() ? null : parsed;
        } catch (RuntimeException e) {
            node.problem(name, "could not be read: " + e.getMessage());
            return null;
        }
    }

    private Set<String> known() {
        Set<String> known = new TreeSet<>();
        registry.names().forEach(known::add);
        return known;
    }

    /** The names of the ways to authenticate, each a key of an {@code auth} mapping. */
    Iterable<String> wayNames() {
        return registry.names();
    }

    private String names() {
        return String.join(", ", known());
    }
}
