package io.hookgateway.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes of a {@link RouteTable} whose paths have variables, as a tree of path segments: a path is looked up one
 * segment at a time, a hash probe each, so a lookup costs the same among ten routes as among ten thousand. Built once,
 * then only read. {@link #find} walks the path in place and allocates nothing; {@link #matching}, for the answer when
 * no route takes the method, makes its list.
 *
 * <p>Every node has its literal children by segment text, at most one variable child (whatever the variable's name:
 * two routes with {@code {device}} and {@code {id}} at one place share it) and the route whose path ends there. The
 * walk tries the literal child before the variable child and takes a route only where the path ends, so it meets the
 * routes a path matches in {@link PathPattern#compareSpecificity} order: they all have as many segments as the path,
 * no two have one shape, so any two differ first at a segment where one has a literal and the other a variable, and
 * the walk goes through the whole subtree of that node's literal child (holding the first) before its variable child
 * (holding the second), as the specificity order puts the literal one first.
 */
final class RouteTrie {

    private final Node root;
    private final boolean empty;

    private RouteTrie(Node root, boolean empty) {
        this.root = root;
        this.empty = empty;
    }

    /** Builds the tree of these routes, all with variables and of distinct shapes. */
    static RouteTrie of(List<RouteTable.Route> routes) {
        Node root = new Node();
        for (RouteTable.Route route : routes) {
            PathPattern pattern = route.pattern();
            Node node = root;
            for (int i = 0; i < pattern.segmentCount(); i++) {
                node = node.child(pattern.literalSegment(i));
            }
            node.route = route;
        }
        root.seal();
        return new RouteTrie(root, routes.isEmpty());
    }

    boolean isEmpty() {
        return empty;
    }

    /** The most specific route {@code path} matches that takes {@code method}, or {@code null} when none does. */
    RouteTable.Route find(String method, String path) {
        return path.startsWith("/") ? root.walk(path, PathPattern.segmentsStart(path), method, null) : null;
    }

    /** Every route {@code path} matches, most specific first. */
    List<RouteTable.Route> matching(String path) {
        List<RouteTable.Route> found = new ArrayList<>(2);
        if (path.startsWith("/")) {
            root.walk(path, PathPattern.segmentsStart(path), null, found);
        }
        return found;
    }

    private static final class Node {
        /** 2^32 divided by the golden ratio: multiplying by it spreads hashes that differ little (Knuth, 6.4). */
        private static final int GOLDEN = 0x9E3779B9;

        /** The literal children while the tree is built; {@link #seal()} moves them into the probe table. */
        private Map<String, Node> building = new HashMap<>();
        /**
         * The literal children by segment, in an open-addressing table (linear probing, a power of two long, at most
         * half full) probed with {@link String#hashCode()} of the segment computed in place, so that the path is not
         * cut into strings to look it up.
         */
        private String[] keys;
        private Node[] children;
        /** How far a hash times {@link #GOLDEN} is shifted right to leave the index bits of {@link #keys}. */
        private int shift;
        private Node variable;
        private RouteTable.Route route;

        /** The child for a segment with this text, or for a variable when {@code literal} is {@code null}. */
        Node child(String literal) {
            if (literal == null) {
                return variable != null ? variable : (variable = new Node());
            }
            return building.computeIfAbsent(literal, s -> new Node());
        }

        void seal() {
            int capacity = building.isEmpty() ? 0 : Integer.highestOneBit(building.size() * 2 + 1) * 2;
            keys = new String[capacity];
            children = new Node[capacity];
            shift = Integer.SIZE - Integer.numberOfTrailingZeros(capacity);
            building.forEach((key, child) -> {
                int i = slot(key.hashCode());
                while (keys[i] != null) {
                    i = (i + 1) & (capacity - 1);
                }
                keys[i] = key;
                children[i] = child;
                child.seal();
            });
            building = null;
            if (variable != null) {
                variable.seal();
            }
        }

        /**
         * Walks the routes below this node that the rest of {@code path}, from the {@code '/'} at {@code slash},
         * matches, most specific first: returns the first that takes {@code method}, and adds each one passed over to
         * {@code passed} when it is not {@code null}. With a {@code null} method, no route takes it: every one is
         * passed over.
         */
        RouteTable.Route walk(String path, int slash, String method, List<RouteTable.Route> passed) {
            if (slash == path.length()) {
                if (route != null && method != null && route.hookFor(method) != null) {
                    return route;
                }
                if (route != null && passed != null) {
                    passed.add(route);
                }
                return null;
            }
            int end = PathPattern.segmentEnd(path, slash);
            Node literal = literal(path, slash + 1, end);
            RouteTable.Route found = literal != null ? literal.walk(path, end, method, passed) : null;
            if (found == null && variable != null) {
                found = variable.walk(path, end, method, passed);
            }
            return found;
        }

        private Node literal(String path, int start, int end) {
            if (keys.length == 0) {
                return null;
            }
            int hash = 0; // String.hashCode() of the segment, without making the String
            for (int i = start; i < end; i++) {
                hash = 31 * hash + path.charAt(i);
            }
            for (int i = slot(hash); keys[i] != null; i = (i + 1) & (keys.length - 1)) {
                if (PathPattern.isSegment(path, start, end, keys[i])) {
                    return children[i];
                }
            }
            return null;
        }

        /**
         * Where a key with this hash is first looked for: the top bits of the hash times {@link #GOLDEN}. The hashes of
         * names that count up ({@code h1}, {@code h2}, ...) lie close together, and their low bits alone put them in
         * long runs of taken slots: 11 probes a lookup on average, 338 at worst, for {@code h0} to {@code h9999}; 1.1
         * and 4 this way.
         */
        private int slot(int hash) {
            return (hash * GOLDEN) >>> shift;
        }
    }
}
