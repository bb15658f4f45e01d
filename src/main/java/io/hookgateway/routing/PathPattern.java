package io.hookgateway.routing;

import io.hookgateway.http.RequestPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A hook's path: literal segments and whole-segment variables, {@code /hooks/{device}/on}. It is put in the same
 * canonical form as request paths ({@link RequestPath}), so {@code /post/} and {@code /post} are one pattern.
 */
public final class PathPattern {

    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");

    private final String text;
    private final String[] segments;
    /** The variable name of each segment, {@code null} for a literal segment. */
    private final String[] variables;
    private final Set<String> variableNames;

    private PathPattern(String text, String[] segments, String[] variables) {
        this.text = text;
        this.segments = segments;
        this.variables = variables;
        Set<String> names = new LinkedHashSet<>();
        for (String v : variables) {
            if (v != null) {
                names.add(v);
            }
        }
        this.variableNames = Collections.unmodifiableSet(names);
    }

    /**
     * Parses a pattern; a bad one throws {@link IllegalArgumentException} saying how to write it. Variables are found
     * in the text as written, before any decoding, so {@code %7Bx%7D} is the literal text {@code {x}}, never a
     * variable. Non-ASCII characters are taken as their UTF-8 percent-encoding, as a client would send them.
     */
    public static PathPattern parse(String text) {
        if (text.isEmpty() || text.charAt(0) != '/') {
            throw new IllegalArgumentException("must start with '/'; write \"/" + text + "\"");
        }
        if (text.indexOf('?') >= 0 || text.indexOf('#') >= 0) {
            throw new IllegalArgumentException("must be a path only, without '?' or '#'");
        }
        List<String> segments = new ArrayList<>();
        List<String> variables = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String raw : text.substring(1).split("/", -1)) {
            if (raw.isEmpty()) {
                continue;
            }
            if (raw.indexOf('{') >= 0 || raw.indexOf('}') >= 0) {
                String name = variableName(raw);
                if (!seen.add(name)) {
                    throw new IllegalArgumentException("variable '{" + name + "}' appears twice");
                }
                segments.add(raw);
                variables.add(name);
                continue;
            }
            String decoded = RequestPath.canonicalize("/" + encodeNonAscii(raw));
            if (decoded == null || decoded.length() < 2 || decoded.indexOf('/', 1) >= 0) {
                throw new IllegalArgumentException("is not a valid path: segment '" + raw + "' has a bad %-escape, "
                        + "an encoded '/', is '.' or '..', or has a space (write %20) or a control character");
            }
            segments.add(decoded.substring(1));
            variables.add(null);
        }
        StringBuilder canonical = new StringBuilder();
        for (String segment : segments) {
            canonical.append('/').append(segment);
        }
        return new PathPattern(canonical.length() == 0 ? "/" : canonical.toString(),
                segments.toArray(new String[0]), variables.toArray(new String[0]));
    }

    private static String variableName(String segment) {
        if (!(segment.startsWith("{") && segment.endsWith("}") && segment.indexOf('{', 1) < 0
                && segment.indexOf('}') == segment.length() - 1)) {
            throw new IllegalArgumentException("segment '" + segment + "' mixes text and a variable; a variable must "
                    + "be a whole segment, as in /hooks/{device}/on");
        }
        String name = segment.substring(1, segment.length() - 1);
        if (!VARIABLE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("variable '{" + name + "}' must be a name of letters, digits, "
                    + "'_' and '-', starting with a letter");
        }
        return name;
    }

    /** Percent-encodes characters beyond ASCII as their UTF-8 bytes, leaving everything else as written. */
    private static String encodeNonAscii(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(s.substring(0, i));
            }
            int cp = s.codePointAt(i);
            for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
            i += Character.charCount(cp) - 1;
        }
        return out == null ? s : out.toString();
    }

    /** The canonical text, e.g. {@code /hooks/{device}/on}. */
    public String text() {
        return text;
    }

    public boolean isLiteral() {
        return variableNames.isEmpty();
    }

    public Set<String> variableNames() {
        return variableNames;
    }

    int segmentCount() {
        return segments.length;
    }

    /** The text of segment {@code i}, {@code null} when it is a variable. */
    String literalSegment(int i) {
        return variables[i] == null ? segments[i] : null;
    }

    /** The index of the first segment that is one of the {@code variables}, or -1 when none is. */
    public int firstSegmentOf(Set<String> variables) {
        for (int i = 0; i < this.variables.length; i++) {
            if (this.variables[i] != null && variables.contains(this.variables[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code path}, a path this pattern matched, with the segments of the {@code hidden} variables written
     * {@code ***}: what a log may show of a path that carries a secret ({@code /ifttt/***}{@code /lamp}). A path
     * that does not have this pattern's segments is shown as the pattern itself.
     */
    public String redact(String path, Set<String> hidden) {
        if (hidden.isEmpty()) {
            return path;
        }
        String[] parts = path.length() > 1 ? path.substring(1).split("/", -1) : new String[0];
        if (parts.length != segments.length) {
            return text;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            sb.append('/').append(variables[i] != null && hidden.contains(variables[i]) ? "***" : parts[i]);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    /**
     * The pattern with its variable names erased, {@code /hooks/{}/on}: two patterns of one shape match exactly the
     * same paths, so they cannot both be routed.
     */
    public String shape() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            sb.append('/').append(variables[i] != null ? "{}" : segments[i]);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    /**
     * Matches a canonical path, walked in place; returns the variables' values, or {@code null} when it does not match.
     * The values are only taken once the whole path matched.
     */
    Map<String, String> match(String path) {
        if (!path.startsWith("/")) {
            return null;
        }
        int slash = segmentsStart(path);
        for (int i = 0; i < segments.length; i++) {
            if (slash == path.length()) {
                return null;
            }
            int end = segmentEnd(path, slash);
            if (variables[i] == null && !isSegment(path, slash + 1, end, segments[i])) {
                return null;
            }
            slash = end;
        }
        if (slash != path.length()) {
            return null;
        }
        if (variableNames.isEmpty()) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>(variableNames.size() * 2);
        for (int i = 0, from = segmentsStart(path); i < segments.length; i++) {
            int end = segmentEnd(path, from);
            if (variables[i] != null) {
                values.put(variables[i], path.substring(from + 1, end));
            }
            from = end;
        }
        return Collections.unmodifiableMap(values);
    }

    /**
     * Orders patterns from most to least specific: at the first segment where they differ, a literal comes before a
     * variable. So {@code /hooks/lamp/on} wins over {@code /hooks/{device}/on} for the path {@code /hooks/lamp/on}.
     * {@link RouteTrie} finds the routes of a path in this order without sorting; its test checks it against a scan
     * of the routes sorted with this.
     */
    static int compareSpecificity(PathPattern a, PathPattern b) {
        int n = Math.min(a.segments.length, b.segments.length);
        for (int i = 0; i < n; i++) {
            boolean aVar = a.variables[i] != null;
            boolean bVar = b.variables[i] != null;
            if (aVar != bVar) {
                return aVar ? 1 : -1;
            }
        }
        return Integer.compare(a.segments.length, b.segments.length);
    }

    /**
     * Where a walk over the segments of a canonical path starts: its first {@code '/'}, which the first segment
     * follows; or its end for {@code /}, which has none. A walk goes from one {@code '/'} to the next
     * ({@link #segmentEnd}) and stops at the end of the path, so {@code /a/} has two segments, the second empty.
     */
    static int segmentsStart(String path) {
        return path.length() == 1 ? 1 : 0;
    }

    /** Where the segment that follows the {@code '/'} at {@code slash} ends: the next {@code '/'} or the path's end. */
    static int segmentEnd(String path, int slash) {
        int end = path.indexOf('/', slash + 1);
        return end < 0 ? path.length() : end;
    }

    /** Whether {@code path} from {@code start} to {@code end} is {@code segment}, compared in place. */
    static boolean isSegment(String path, int start, int end, String segment) {
        return end - start == segment.length() && path.startsWith(segment, start);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathPattern other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
