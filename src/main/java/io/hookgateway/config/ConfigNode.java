package io.hookgateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A mapping in the configuration, read key by key with defaults and bounds. Every problem is recorded with its key path
 * ({@code hooks[2].processor.status}) instead of thrown, so one run reports all of them; {@link #finish()} then
 * reports every key that nothing read, because a typo must not silently turn an option off.
 *
 * <p>Processor types read their options through this class too, which is what gives a third-party processor the same
 * error messages as the built-in ones.
 */
public final class ConfigNode {

    private final JsonNode node;
    private final String path;
    private final ConfigProblems problems;
    private final Set<String> known = new LinkedHashSet<>();
    /** What is asked of this mapping, when the readers are run to describe the configuration; else {@code null}. */
    private final ConfigSchema.Recording recording;

    ConfigNode(JsonNode node, String path, ConfigProblems problems) {
        this(node, path, problems, null);
    }

    private ConfigNode(JsonNode node, String path, ConfigProblems problems, ConfigSchema.Recording recording) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        this.recording = recording;
    }

    /** The top of a specimen read to describe the configuration ({@link ConfigSchema}); its problems go nowhere. */
    static ConfigNode describing(JsonNode specimen, ConfigSchema schema) {
        return new ConfigNode(specimen, "", new ConfigProblems(), schema.record("", "", specimen));
    }

    private ConfigNode child(JsonNode value, String key, String childPath, boolean item) {
        return new ConfigNode(value, childPath, problems,
                recording == null ? null
                        : recording.schemaOf().record(recording.childLocation(key, item), childPath, value));
    }

    private void record(String key, ConfigSchema.Kind kind, Object defaultValue, Object min, Object max) {
        if (recording != null) {
            recording.read(key, new ConfigSchema.Read(kind, defaultValue, min, max));
        }
    }

    private void record(String key, ConfigSchema.Kind kind, Object defaultValue) {
        record(key, kind, defaultValue, null, null);
    }

    /**
     * Tells the description of the configuration that this mapping has a shape of its own, named {@code name}, which
     * may recur (a rule inside a rule) or stand in several places; when {@code key} is given, the shape is the one
     * for which {@code key} holds {@code value} (a processor's {@code type}). Does nothing while loading a file.
     */
    public void describedAs(String name, String key, String value) {
        if (recording != null) {
            recording.definition = name;
            recording.discriminatorKey = key;
            recording.discriminatorValue = value;
        }
    }

    /** A node over an in-memory tree, for tests and tools. */
    public static ConfigNode of(JsonNode node, String path, ConfigProblems problems) {
        return new ConfigNode(node, path, problems);
    }

    /** The mapping itself, as the loader filled it in. */
    public JsonNode tree() {
        return node;
    }

    /** This mapping's key path, {@code ""} at the top. */
    public String path() {
        return path;
    }

    /** The key path of one key of this mapping. */
    public String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * Whether the key has a value. A key whose value is an unset environment variable has one, already reported:
     * nothing reports it missing too. So does one written as a bare {@code null} or {@code ~}, which is refused where
     * it is read ({@link NullWord}).
     */
    public boolean has(String key) {
        known.add(key);
        record(key, ConfigSchema.Kind.ANY, null);
        JsonNode value = node.get(key);
        return value != null && (!value.isNull() || value instanceof UnsetVariable || value instanceof NullWord);
    }

    /**
     * Whether the value at {@code key}, or anything in it, was written with environment variables ({@code ${NAME}}): a
     * message must not show it, nor anything made from it (a path resolved from it, a part of it), since it may be a
     * secret. A message that quotes the value whole needs no care: {@link ConfigProblems} hides it.
     */
    public boolean isFromEnvironment(String key) {
        return hasSubstitution(node.get(key));
    }

    private static boolean hasSubstitution(JsonNode value) {
        if (value instanceof SubstitutedText) {
            return true;
        }
        if (value != null && value.isContainerNode()) {
            for (JsonNode item : value) {
                if (hasSubstitution(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Where the value at {@code key} came from, for each part whose value shows nothing (empty, white space, a
     * zero-width or format character: {@link BlankText}), in order, as a message names it: {@code environment
     * variable KEY}, or {@code secret file /run/secrets/key}. Where a rule compares with such a value, it would let
     * through a request that lacks it, or one that nobody can see or type.
     */
    public List<String> blankVariables(String key) {
        List<String> blank = new ArrayList<>();
        if (node.get(key) instanceof SubstitutedText text) {
            text.variables().forEach((name, value) -> {
                if (BlankText.isBlank(value)) {
                    blank.add(SubstitutedText.describe(name));
                }
            });
        }
        return blank;
    }

    private static String unescape(String text) {
        return text == null || !text.contains("$${") ? text : text.replace("$${", "${");
    }

    /** Records a problem with one key of this mapping. */
    public void problem(String key, String message) {
        problems.add(key == null ? path : pathOf(key), message);
    }

    /** Whether anything has been reported so far, here or anywhere else in the same file. */
    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    /**
     * The text at {@code key}, with <code>$${</code> written back as <code>${</code> (the escape that keeps text from
     * being read as an environment variable or a request value).
     */
    public String string(String key, String defaultValue) {
        return unescape(rawString(key, defaultValue));
    }

    /** The text at {@code key} as written, escapes kept: what a template compiles itself. */
    public String rawString(String key, String defaultValue) {
        record(key, ConfigSchema.Kind.STRING, defaultValue);
        JsonNode value = value(key);
        if (value == null) {
            return defaultValue;
        }
        String text = text(value, pathOf(key));
        return text != null ? text : defaultValue;
    }

    /**
     * The text of a scalar, or {@code null} after reporting at {@code keyPath} why it is not text (or when it is an
     * unset environment variable, which is reported already). A scalar that YAML reads as something other than the
     * text written (a boolean, a null word, a number written otherwise than its value) is refused, not turned into
     * text: whoever wrote {@code to: 012345} meant the text, not the octal 5349.
     */
    private String text(JsonNode value, String keyPath) {
        if (value instanceof UnsetVariable) {
            // Reported where the variable was replaced; nothing is said about it twice.
            return null;
        }
        if (value instanceof NullWord word) {
            problems.add(keyPath, word.refused());
            return null;
        }
        if (value instanceof RetypedNumber number) {
            problems.add(keyPath, number.notText());
            return null;
        }
        if (!value.isValueNode() || value.isNull()) {
            problems.add(keyPath, "must be a string, not " + describe(value));
            return null;
        }
        if (value.isBoolean()) {
            problems.add(keyPath, BOOLEAN_AS_TEXT);
            return null;
        }
        return value.asText();
    }

    /**
     * YAML 1.1 reads a bare on, off, yes or no as true or false, so {@code name: on} would quietly become "true".
     * Where text is expected, a boolean is refused instead.
     */
    private static final String BOOLEAN_AS_TEXT = "is true or false here, but text is expected (YAML reads a bare on, "
            + "off, yes, no, true or false as a boolean); if you meant the word, quote it, as \"on\"";

    /** A string that must be present; {@code hint} says what to write. */
    public String requiredString(String key, String hint) {
        if (recording != null) {
            recording.required.add(key);
        }
        JsonNode raw = node.get(key);
        if (raw instanceof UnsetVariable || raw instanceof NullWord || raw instanceof RetypedNumber
                || raw != null && !raw.isNull() && (!raw.isValueNode() || raw.isBoolean())) {
            // Reported already, or by string(); no second "is empty" after it.
            string(key, null);
            return null;
        }
        String value = string(key, null);
        if (value == null || BlankText.isBlank(value)) {
            List<String> blank = blankVariables(key);
            problem(key, (raw == null || raw.isNull() ? "is required; "
                    : blank.isEmpty() ? "is empty; "
                    : "is empty: " + String.join(", ", blank) + " is empty; set it, or ")
                    + hint);
            return null;
        }
        return value;
    }

    public int integer(String key, int defaultValue, int min, int max) {
        record(key, ConfigSchema.Kind.INTEGER, defaultValue, min, max);
        JsonNode value = number(key);
        if (value == null) {
            return defaultValue;
        }
        long parsed;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            parsed = value.asLong();
        } else if (value.isTextual()) {
            try {
                parsed = Long.parseLong(value.asText().trim());
            } catch (NumberFormatException e) {
                problem(key, "must be a whole number from " + min + " to " + max + ", not " + describe(value));
                return defaultValue;
            }
        } else {
            problem(key, "must be a whole number from " + min + " to " + max + ", not " + describe(value));
            return defaultValue;
        }
        if (parsed < min || parsed > max) {
            problem(key, "must be from " + min + " to " + max + ", not " + parsed);
            return defaultValue;
        }
        return (int) parsed;
    }

    public boolean bool(String key, boolean defaultValue) {
        record(key, ConfigSchema.Kind.BOOLEAN, defaultValue);
        JsonNode value = value(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isTextual()) {
            String s = value.asText().trim().toLowerCase(Locale.ROOT);
            if (s.equals("true")) {
                return true;
            }
            if (s.equals("false")) {
                return false;
            }
        }
        problem(key, "must be true or false, not " + describe(value));
        return defaultValue;
    }

    /** A duration written with its unit ({@code 10s}, {@code 500ms}), within [min, max]. */
    public Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
        record(key, ConfigSchema.Kind.DURATION, defaultValue, min, max);
        JsonNode value = value(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isValueNode()) {
            problem(key, "must be a duration such as 10s, not " + describe(value));
            return defaultValue;
        }
        try {
            Duration parsed = Units.parseDuration(value.asText());
            if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
                problem(key, "must be from " + Units.formatDuration(min) + " to " + Units.formatDuration(max)
                        + ", not " + (value instanceof SubstitutedText ? describe(value) : value.asText()));
                return defaultValue;
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            problem(key, unparsed(value, e, "a duration such as 10s or 500ms"));
            return defaultValue;
        }
    }

    /** A size in bytes ({@code 1MiB}, {@code 16KiB}, {@code 512}), within [min, max]. */
    public long size(String key, long defaultValue, long min, long max) {
        record(key, ConfigSchema.Kind.SIZE, defaultValue, min, max);
        JsonNode value = number(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isValueNode()) {
            problem(key, "must be a size such as 1MiB, not " + describe(value));
            return defaultValue;
        }
        String text = value.asText();
        if (value.isNumber()) {
            if (!value.canConvertToExactIntegral()) {
                problem(key, "must be a whole number of bytes, or a size such as 16KiB, not " + text);
                return defaultValue;
            }
            text = value.bigIntegerValue().toString();
        }
        try {
            long parsed = Units.parseSize(text);
            if (parsed < min || parsed > max) {
                problem(key, "must be from " + Units.formatSize(min) + " to " + Units.formatSize(max)
                        + ", not " + (value instanceof SubstitutedText ? describe(value) : text));
                return defaultValue;
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            problem(key, unparsed(value, e, "a size such as 1MiB, 16KiB or 512"));
            return defaultValue;
        }
    }

    /**
     * A list of strings; a single string is taken as a list of one. When an item is not text (reported), the default.
     */
    public List<String> strings(String key, List<String> defaultValue) {
        List<String> raw = rawStrings(key, defaultValue);
        return raw == null ? null : raw.stream().map(ConfigNode::unescape).toList();
    }

    /** A list of texts as written, escapes kept: for lists of templates. */
    public List<String> rawStrings(String key, List<String> defaultValue) {
        record(key, ConfigSchema.Kind.STRINGS, defaultValue);
        JsonNode value = value(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.isValueNode()) {
            String text = text(value, pathOf(key));
            return text == null ? defaultValue : List.of(text);
        }
        if (!value.isArray()) {
            problem(key, "must be a list of strings, not " + describe(value));
            return defaultValue;
        }
        List<String> result = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            String item = text(value.get(i), pathOf(key) + "[" + i + "]");
            if (item != null) {
                result.add(item);
            }
        }
        // A list with an item that is not text, reported above, is read as not given: without the item, the others
        // would move up a place (command[1] becoming the program) and be reported for what they are not.
        return result.size() == value.size() ? List.copyOf(result) : defaultValue;
    }

    /** A mapping of string keys to string values, in file order; empty when absent. */
    public Map<String, String> stringMap(String key) {
        record(key, ConfigSchema.Kind.STRING_MAP, null);
        JsonNode value = mapping(key);
        Map<String, String> result = new LinkedHashMap<>();
        if (value == null) {
            return result;
        }
        if (!value.isObject()) {
            problem(key, "must be a mapping of names to values, not " + describe(value));
            return result;
        }
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            String text = text(e.getValue(), pathOf(key) + "." + e.getKey());
            if (text != null) {
                result.put(e.getKey(), unescape(text));
            }
        }
        return result;
    }

    /** A nested mapping, or {@code null} when absent (a problem is recorded when it is not a mapping). */
    public ConfigNode object(String key) {
        record(key, ConfigSchema.Kind.OBJECT, null);
        JsonNode value = mapping(key);
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            problem(key, "must be a mapping (key: value lines), not " + describe(value));
            return null;
        }
        return child(value, key, pathOf(key), false);
    }

    /** A list of mappings; empty when absent. An item that is not one is reported and left out. */
    public List<ConfigNode> objects(String key) {
        record(key, ConfigSchema.Kind.OBJECTS, null);
        JsonNode value = value(key);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            problem(key, "must be a list (lines starting with '- '), not " + describe(value));
            return List.of();
        }
        List<ConfigNode> result = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String itemPath = pathOf(key) + "[" + i + "]";
            if (item instanceof UnsetVariable) {
                continue;
            }
            if (!item.isObject()) {
                problems.add(itemPath, "must be a mapping (key: value lines), not " + describe(item));
            } else {
                result.add(child(item, key, itemPath, true));
            }
        }
        return result;
    }

    /** Reads a value with a parser that throws {@link IllegalArgumentException} with the reason. */
    public <T> T parsed(String key, T defaultValue, Function<String, T> parser) {
        String text = string(key, null);
        if (text == null) {
            return defaultValue;
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            problem(key, unparsed(node.get(key), e, null));
            return defaultValue;
        }
    }

    /**
     * The message for a value a parser refused: the parser's own, which quotes the value or parts of it, for a value
     * written in the file; for one from the environment, which may be a secret, only that it is not {@code what}. A
     * caller with no {@code what} to say gets the parser's message, in which {@link ConfigProblems} hides the value.
     */
    private String unparsed(JsonNode value, IllegalArgumentException e, String what) {
        if (!(value instanceof SubstitutedText)) {
            return e.getMessage();
        }
        return what == null ? e.getMessage() : describe(value) + " is not " + what;
    }

    /** Whether the key holds a list. */
    public boolean isList(String key) {
        record(key, ConfigSchema.Kind.ANY, null);
        JsonNode value = node.get(key);
        return value != null && value.isArray();
    }

    /** Whether the key holds a list with nothing in it. */
    public boolean isEmptyList(String key) {
        record(key, ConfigSchema.Kind.ANY, null);
        JsonNode value = node.get(key);
        return value != null && value.isArray() && value.isEmpty();
    }

    /**
     * The keys of this mapping, in file order, each counting as read, to see which one of the keys it may hold is
     * there (a rule's operator, a way to authenticate): the description of the configuration allows exactly one of
     * those read from it afterwards. For a mapping whose keys are names the user chooses, see {@link #names()}.
     */
    public List<String> keys() {
        if (recording != null) {
            recording.exactlyOne = true;
        }
        return readKeys();
    }

    /**
     * The keys of a mapping whose keys are names the user chooses (variables, header fields, intents), in file order;
     * each counts as read. The description of the configuration allows any name, with a value read as those are.
     */
    public List<String> names() {
        if (recording != null) {
            recording.open = true;
        }
        return readKeys();
    }

    private List<String> readKeys() {
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            keys.add(field.getKey());
            known.add(field.getKey());
        }
        return keys;
    }

    /** Marks a key as read without reading it (it is handled elsewhere). */
    public void markKnown(String key) {
        record(key, ConfigSchema.Kind.ANY, null);
        known.add(key);
    }

    /** Reports every key of this mapping that was not read, with the closest known key as a suggestion. */
    public void finish() {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = field.getKey();
            if (known.contains(key)) {
                continue;
            }
            String suggestion = closest(key, known);
            StringBuilder message = new StringBuilder("unknown key");
            message.append(suggestion != null ? "; did you mean '" + suggestion + "'?" : ".");
            message.append(" Keys allowed here: ").append(String.join(", ", known));
            problems.add(pathOf(key), message.toString());
        }
    }

    /**
     * The value at {@code key}, or {@code null} when it has none: absent, empty, or a bare null, refused here since
     * whoever wrote {@code to: ~} or {@code body: null} may have meant the word ({@link NullWord}).
     */
    private JsonNode value(String key) {
        known.add(key);
        JsonNode value = node.get(key);
        if (value instanceof NullWord word) {
            problem(key, word.refused());
        }
        return value == null || value.isNull() ? null : value;
    }

    /**
     * The value at {@code key} where a mapping is expected: a bare null is an empty one, as if everything under it
     * were commented out ({@code server: ~} takes the defaults), since no one means the word there.
     */
    private JsonNode mapping(String key) {
        if (node.get(key) instanceof NullWord) {
            known.add(key);
            return JsonNodeFactory.instance.objectNode();
        }
        return value(key);
    }

    /** The value at {@code key} where a number is expected: a number written otherwise ({@code 0x1F}) is its value. */
    private JsonNode number(String key) {
        JsonNode value = value(key);
        return value instanceof RetypedNumber number && number.reading() != null ? number.reading() : value;
    }

    private static String describe(JsonNode value) {
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value instanceof NullWord word) {
            return word.written();
        }
        if (value.isNull()) {
            return "empty";
        }
        return shown(value);
    }

    /**
     * A scalar as a message may show it: quoted as written in the file, or, when it came from the environment and
     * may be a secret, as the value of the {@code ${NAME}} written.
     */
    private static String shown(JsonNode value) {
        if (value instanceof SubstitutedText text) {
            String written = text.written();
            return "the value of " + (written.startsWith("${") && written.indexOf('}') == written.length() - 1
                    ? written : "'" + written + "'");
        }
        return "'" + value.asText() + "'";
    }

    /** The known key nearest by edit distance, if it is near enough to be a likely typo. */
    public static String closest(String key, Set<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = editDistance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int allowed = Math.max(2, key.length() / 3);
        return bestDistance <= allowed ? best : null;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
