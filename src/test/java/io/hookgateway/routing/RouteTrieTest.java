package io.hookgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.hooks.Authenticator;
import io.hookgateway.hooks.Gate;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.HookResponse;
import io.hookgateway.hooks.Rule;
import io.hookgateway.http.MemoryBudget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Property test of {@link RouteTrie} through {@link RouteTable#match}: for random tables of literal and templated
 * paths (overlapping, sharing prefixes, variables anywhere, several hooks and methods on a path, some hidden) and
 * random paths (matching ones, near misses, a segment too many or too few, empty segments), the table answers as the
 * linear scan in specificity order it replaced, kept here as the reference: the same hook, 405 with the same
 * {@code Allow}, the same unknown-path answer for hidden hooks, the same variables and the same logged path.
 */
class RouteTrieTest {

    private static final HookProcessor OK = request -> CompletableFuture.completedFuture(HookResponse.empty(204));
    private static final List<String> WORDS = List.of("a", "b", "ab", "lamp", "on");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "HEAD");
    private static final List<String> ASKED = List.of("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "post");

    @Test
    void answersAsTheLinearScanForRandomTablesAndPaths() {
        for (long seed = 0; seed < 400; seed++) {
            Random random = new Random(seed);
            List<Hook> hooks = randomHooks(random);
            RouteTable table = RouteTable.of(hooks, 64);
            List<PathPattern> patterns = hooks.stream().map(Hook::path).distinct().toList();
            for (int i = 0; i < 200; i++) {
                String path = randomPath(random, patterns);
                String method = ASKED.get(random.nextInt(ASKED.size()));
                assertThat(answer(table.match(method, path), path))
                        .as("seed %d: %s %s among %s", seed, method, path, hooks)
                        .isEqualTo(reference(hooks, method, path));
            }
        }
    }

    @Test
    void findsTheSameRouteAmongTenThousandSiblings() {
        List<Hook> hooks = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            hooks.add(hook("h" + i, "/h" + i + "/{device}/on", Set.of("POST"), false, Set.of()));
        }
        RouteTable table = RouteTable.of(hooks, 64);
        for (int i = 0; i < 10_000; i += 97) {
            String path = "/h" + i + "/lamp/on";
            assertThat(answer(table.match("POST", path), path)).isEqualTo(reference(hooks, "POST", path));
        }
        assertThat(table.match("POST", "/h10000/lamp/on")).isNull();
    }

    /** What a caller can see of a match. */
    private record Answer(String hook, String hookName, String allow, String variables, boolean unknownPath,
                          String loggedPath) {
    }

    private static Answer answer(RouteMatch match, String path) {
        if (match == null) {
            return null;
        }
        return new Answer(match.hook() == null ? null : match.hook().name(), match.hookName(), match.allow(),
                String.valueOf(match.pathVariables()), match.isUnknownPath(), match.loggedPath(path));
    }

    /**
     * The linear scan: every path's hooks, most specific path first (a stable sort, so configuration order breaks
     * ties); the first path that matches and has a hook for the method wins, else the first that matches answers 405
     * with every matching path's methods, as an unknown path when all their hooks hide.
     */
    private static Answer reference(List<Hook> hooks, String method, String path) {
        Map<PathPattern, List<Hook>> byPath = new LinkedHashMap<>();
        hooks.forEach(hook -> byPath.computeIfAbsent(hook.path(), p -> new ArrayList<>()).add(hook));
        List<PathPattern> ordered = new ArrayList<>(byPath.keySet());
        ordered.sort(PathPattern::compareSpecificity);
        PathPattern first = null;
        Set<String> allowed = new TreeSet<>();
        boolean hidden = true;
        for (PathPattern pattern : ordered) {
            Map<String, String> values = segmentMatch(pattern, path);
            if (values == null) {
                continue;
            }
            List<Hook> onPath = byPath.get(pattern);
            for (String wanted : method.equals("HEAD") ? List.of("HEAD", "GET") : List.of(method)) {
                for (Hook hook : onPath) {
                    if (hook.methods().contains(wanted)) {
                        return new Answer(hook.name(), hook.name(), allowOf(onPath), values.toString(), false,
                                logged(pattern, onPath, path));
                    }
                }
            }
            if (first == null) {
                first = pattern;
            }
            onPath.forEach(hook -> allowed.addAll(hook.methods()));
            hidden &= onPath.stream().allMatch(Hook::hidden);
        }
        if (first == null) {
            return null;
        }
        List<Hook> onFirst = byPath.get(first);
        return new Answer(null, onFirst.get(0).name(), RouteTable.Route.allowOf(allowed),
                segmentMatch(first, path).toString(), hidden, logged(first, onFirst, path));
    }

    /** Matches by splitting the path into its segments, as the linear scan did. */
    private static Map<String, String> segmentMatch(PathPattern pattern, String path) {
        if (!path.startsWith("/")) {
            return null;
        }
        String[] segments = path.equals("/") ? new String[0] : path.substring(1).split("/", -1);
        String[] own = pattern.text().equals("/") ? new String[0] : pattern.text().substring(1).split("/", -1);
        if (segments.length != own.length) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < own.length; i++) {
            if (pattern.literalSegment(i) == null) {
                values.put(own[i].substring(1, own[i].length() - 1), segments[i]);
            } else if (!own[i].equals(segments[i])) {
                return null;
            }
        }
        return values;
    }

    private static String allowOf(List<Hook> hooks) {
        Set<String> methods = new HashSet<>();
        hooks.forEach(hook -> methods.addAll(hook.methods()));
        return RouteTable.Route.allowOf(methods);
    }

    private static String logged(PathPattern pattern, List<Hook> hooks, String path) {
        Set<String> secret = new HashSet<>();
        hooks.forEach(hook -> secret.addAll(hook.secretPathVariables()));
        return pattern.redact(path, secret);
    }

    /**
     * Up to 24 hooks on paths of up to four segments drawn from few words, so paths overlap and share prefixes; a
     * path of one shape is always written the same way (the table refuses two spellings), and a path's hooks take
     * distinct methods.
     */
    private static List<Hook> randomHooks(Random random) {
        Map<String, String> textByShape = new LinkedHashMap<>();
        Map<String, Set<String>> takenByShape = new LinkedHashMap<>();
        List<Hook> hooks = new ArrayList<>();
        int count = 1 + random.nextInt(24);
        for (int n = 0; n < count; n++) {
            PathPattern pattern = PathPattern.parse(randomPattern(random));
            String text = textByShape.computeIfAbsent(pattern.shape(), shape -> pattern.text());
            Set<String> taken = takenByShape.computeIfAbsent(pattern.shape(), shape -> new HashSet<>());
            Set<String> methods = new LinkedHashSet<>();
            for (String method : METHODS) {
                if (!taken.contains(method) && random.nextInt(3) == 0) {
                    methods.add(method);
                }
            }
            if (methods.isEmpty()) {
                continue;
            }
            taken.addAll(methods);
            PathPattern path = PathPattern.parse(text);
            Set<String> secret = new HashSet<>();
            path.variableNames().forEach(name -> {
                if (random.nextInt(3) == 0) {
                    secret.add(name);
                }
            });
            hooks.add(hook("h" + n, text, methods, random.nextInt(3) == 0, secret));
        }
        return hooks;
    }

    private static String randomPattern(Random random) {
        int length = random.nextInt(5);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append('/');
            sb.append(random.nextInt(3) == 0 ? "{" + "xyz".charAt(random.nextInt(3)) + i + "}" : word(random));
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    /** A path of one of the patterns with its variables filled in, often then changed a little; or any path. */
    private static String randomPath(Random random, List<PathPattern> patterns) {
        if (patterns.isEmpty() || random.nextInt(5) == 0) {
            int kind = random.nextInt(8);
            if (kind == 0) {
                return List.of("/", "", "*", "//", "/?").get(random.nextInt(5));
            }
            List<String> segments = new ArrayList<>();
            for (int i = random.nextInt(5); i > 0; i--) {
                segments.add(random.nextInt(6) == 0 ? "" : word(random));
            }
            return "/" + String.join("/", segments);
        }
        PathPattern pattern = patterns.get(random.nextInt(patterns.size()));
        List<String> segments = new ArrayList<>();
        for (int i = 0; i < pattern.segmentCount(); i++) {
            String literal = pattern.literalSegment(i);
            segments.add(literal != null ? literal : random.nextInt(8) == 0 ? "" : word(random));
        }
        switch (random.nextInt(6)) {
            case 0 -> segments.add(random.nextInt(4) == 0 ? "" : word(random));
            case 1 -> {
                if (!segments.isEmpty()) {
                    segments.remove(random.nextInt(segments.size()));
                }
            }
            case 2 -> {
                if (!segments.isEmpty()) {
                    segments.set(random.nextInt(segments.size()), word(random) + "x");
                }
            }
            default -> {
            }
        }
        return segments.isEmpty() ? "/" : "/" + String.join("/", segments);
    }

    private static String word(Random random) {
        return WORDS.get(random.nextInt(WORDS.size()));
    }

    private static Hook hook(String name, String path, Set<String> methods, boolean hidden, Set<String> secret) {
        Authenticator auth = new Authenticator() {
            @Override
            public boolean readsBody() {
                return false;
            }

            @Override
            public Set<String> secretPathVariables() {
                return secret;
            }

            @Override
            public Verdict check(HookRequest request) {
                return Verdict.PASSED;
            }
        };
        return new Hook(name, PathPattern.parse(path), methods, OK, 1024, false, RequestObserver.HookObserver.NONE,
                ExecutionLimits.defaults(), Runnable::run, Gate.of(name, auth, Rule.ALWAYS, hidden, null),
                MemoryBudget.unlimited());
    }
}
