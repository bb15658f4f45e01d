package io.hookgateway.routing;

import io.hookgateway.http.Destination;
import io.hookgateway.http.RequestHead;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the hook of a request from its canonical path and method. Built once from the configuration and immutable:
 * literal paths are one hash lookup; patterns with variables are looked up segment by segment in a {@link RouteTrie},
 * most specific first.
 *
 * <p>Several hooks may share a path when their methods differ ({@code GET /lamp} reads, {@code POST /lamp} switches).
 * A {@code HEAD} request goes to the path's {@code GET} hook unless one is configured for {@code HEAD}.
 */
public final class RouteTable implements Destination.Resolver {

    /** One path and the hooks on it, by method. */
    static final class Route {
        private final PathPattern pattern;
        private final Map<String, Hook> byMethod = new LinkedHashMap<>();
        /** For a literal path, its match by method (HEAD included), made once: they carry no variables. */
        private final Map<String, RouteMatch> literalMatches = new HashMap<>();
        private String allow;
        /** Whether every hook of the path hides: a method none takes is then a path without a hook to a stranger. */
        private boolean hidden;
        private Set<String> secretPathVariables = Set.of();

        Route(PathPattern pattern) {
            this.pattern = pattern;
        }

        String allow() {
            return allow;
        }

        /** What a log may show of a path of this route: the segments of its hooks' secret variables hidden. */
        String loggedPath(String path) {
            return pattern.redact(path, secretPathVariables);
        }

        /** The name requests to this path are counted under when no hook takes their method. */
        String name() {
            return byMethod.values().iterator().next().name();
        }

        Set<String> methods() {
            return byMethod.keySet();
        }

        PathPattern pattern() {
            return pattern;
        }

        /** The hook for {@code method}: a {@code HEAD} goes to the {@code GET} hook when none is configured for it. */
        Hook hookFor(String method) {
            Hook hook = byMethod.get(method);
            if (hook == null && method.equals("HEAD")) {
                hook = byMethod.get("GET");
            }
            return hook;
        }

        private void seal(long defaultMaxBodyBytes) {
            allow = allowOf(byMethod.keySet());
            hidden = byMethod.values().stream().allMatch(Hook::hidden);
            Set<String> secret = new TreeSet<>();
            byMethod.values().forEach(hook -> secret.addAll(hook.secretPathVariables()));
            secretPathVariables = Set.copyOf(secret);
            if (pattern.isLiteral()) {
                byMethod.forEach((method, hook) ->
                        literalMatches.put(method, new RouteMatch(this, hook, Map.of(), defaultMaxBodyBytes)));
                RouteMatch get = literalMatches.get("GET");
                if (get != null) {
                    literalMatches.putIfAbsent("HEAD", get);
                }
            }
        }

        /** The Allow value for these methods: HEAD with GET, and OPTIONS, which the router answers itself. */
        static String allowOf(Set<String> configured) {
            TreeSet<String> methods = new TreeSet<>(configured);
            if (methods.contains("GET")) {
                methods.add("HEAD");
            }
            methods.add("OPTIONS");
            return String.join(", ", methods);
        }
    }

    private final Map<String, Route> literal;
    private final RouteTrie patterns;
    private final long defaultMaxBodyBytes;
    private final List<Hook> hooks;
    /**
     * The first segment a hook keeps a secret in ({@code path-key}), the least over all hooks; -1 when none does. From
     * there on, a path no hook takes may hold a secret.
     */
    private final int firstSecretSegment;

    private RouteTable(Map<String, Route> literal, RouteTrie patterns, long defaultMaxBodyBytes, List<Hook> hooks) {
        this.literal = literal;
        this.patterns = patterns;
        this.defaultMaxBodyBytes = defaultMaxBodyBytes;
        this.hooks = hooks;
        this.firstSecretSegment = hooks.stream()
                .mapToInt(hook -> hook.path().firstSegmentOf(hook.secretPathVariables()))
                .filter(i -> i >= 0).min().orElse(-1);
    }

    /**
     * What a log may show of {@code path}, which no hook takes: it may be a near miss of a secret (a {@code path-key}
     * with a wrong case or a segment too many, a query key sent as {@code %3F} in the path), so the part that could
     * be one is hidden. See {@link #loggedUnmatchedPath(String, int)}.
     */
    public String loggedUnmatchedPath(String path) {
        return loggedUnmatchedPath(path, firstSecretSegment);
    }

    /**
     * {@code path} with what follows a {@code ?} in it (a decoded {@code %3F}: the client meant a query) shown as
     * {@code ***}, and every segment from index {@code firstSecretSegment} on (none when it is -1) too:
     * {@code /pk/***}{@code /***} for 1. The segments before it and the number of segments stay, for whoever reads the
     * log to see what was asked for.
     */
    public static String loggedUnmatchedPath(String path, int firstSecretSegment) {
        int query = path.indexOf('?');
        String shown = query < 0 ? path : path.substring(0, query);
        if (firstSecretSegment >= 0) {
            int from = 0;
            for (int kept = 0; kept < firstSecretSegment && from >= 0; kept++) {
                from = shown.indexOf('/', from + 1);
            }
            if (from >= 0) {
                StringBuilder sb = new StringBuilder(shown.length()).append(shown, 0, from);
                for (int i = from; i >= 0; i = shown.indexOf('/', i + 1)) {
                    sb.append(i + 1 < shown.length() && shown.charAt(i + 1) != '/' ? "/***" : "/");
                }
                shown = sb.toString();
            }
        }
        return query < 0 ? shown : shown + "?***";
    }

    /**
     * Builds the table. Two hooks with one method on one path, or two patterns that match the same paths under
     * different variable names, are refused with {@link IllegalArgumentException} (configuration validation reports
     * them first, with key paths).
     */
    public static RouteTable of(List<Hook> hooks, long defaultMaxBodyBytes) {
        Map<String, Route> byShape = new LinkedHashMap<>();
        for (Hook hook : hooks) {
            Route route = byShape.computeIfAbsent(hook.path().shape(), s -> new Route(hook.path()));
            if (!route.pattern.text().equals(hook.path().text())) {
                throw new IllegalArgumentException("hook '" + hook.name() + "' path " + hook.path()
                        + " matches the same requests as " + route.pattern);
            }
            for (String method : hook.methods()) {
                Hook previous = route.byMethod.putIfAbsent(method, hook);
                if (previous != null) {
                    throw new IllegalArgumentException("hooks '" + previous.name() + "' and '" + hook.name()
                            + "' both take " + method + " " + hook.path());
                }
            }
        }
        Map<String, Route> literal = new HashMap<>();
        List<Route> templated = new ArrayList<>();
        for (Route route : byShape.values()) {
            route.seal(defaultMaxBodyBytes);
            if (route.pattern.isLiteral()) {
                literal.put(route.pattern.text(), route);
            } else {
                templated.add(route);
            }
        }
        return new RouteTable(literal, RouteTrie.of(templated), defaultMaxBodyBytes, List.copyOf(hooks));
    }

    /** Every hook, in configuration order. */
    public List<Hook> hooks() {
        return hooks;
    }

    @Override
    public RouteMatch resolve(RequestHead head) {
        if (head.path() == null || head.method() == null) {
            return null;
        }
        return match(head.method().name(), head.path());
    }

    /**
     * The match for a method and canonical path, or {@code null} when no hook has the path. The most specific route
     * that takes the method wins; when none takes it, the match carries no hook and the methods of the most specific
     * route, for a 405.
     */
    public RouteMatch match(String method, String path) {
        Route route = literal.get(path);
        if (route != null) {
            RouteMatch exact = route.literalMatches.get(method);
            if (exact != null) {
                return exact;
            }
            if (patterns.isEmpty()) {
                RouteMatch none = new RouteMatch(route, null, Map.of(), defaultMaxBodyBytes);
                return route.hidden ? none.asUnknownPath() : none;
            }
        }
        Route found = patterns.find(method, path);
        if (found != null) {
            return new RouteMatch(found, found.hookFor(method), found.pattern.match(path), defaultMaxBodyBytes);
        }
        // No route of this path takes the method: answer for the most specific, with what they all take.
        List<Route> matching = patterns.matching(path);
        if (route != null) {
            matching.add(0, route);
        }
        if (matching.isEmpty()) {
            return null;
        }
        TreeSet<String> allowed = new TreeSet<>();
        boolean hidden = true;
        for (Route candidate : matching) {
            allowed.addAll(candidate.methods());
            hidden &= candidate.hidden;
        }
        Route first = matching.get(0);
        // A path whose hooks all hide answers a method none takes as a path without a hook: 405 and its Allow would
        // tell a prober what is there.
        return new RouteMatch(first, null, first.pattern.match(path), defaultMaxBodyBytes, Route.allowOf(allowed),
                hidden);
    }
}
