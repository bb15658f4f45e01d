package io.hookgateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the configuration readers ask for, recorded while they read a specimen, and the JSON Schema made of it: the
 * schema is not written by hand but taken from the very calls that validate a file ({@link ConfigNode#integer},
 * {@link ConfigNode#duration}, {@link ConfigNode#object}, ...), so a key the loader reads is in the schema with the
 * type, bounds and default the loader gives it, and a key it does not read is refused by both.
 *
 * <p>Each {@link ConfigNode} read while describing has a {@link Recording}: its location (the key path with list
 * indexes as {@code []}, {@code hooks[].processor}), and what was asked of it. Readers add what the calls cannot tell:
 * {@link ConfigNode#describedAs} names a shape that recurs (a rule inside a rule) or that one key picks (a processor
 * by its {@code type}), {@link ConfigNode#names()} marks a mapping whose keys the user chooses, and
 * {@link ConfigNode#keys()} one that must hold exactly one of the keys read from it.
 *
 * <p>A reader only looks inside a mapping that is there, so the specimen grows: after each reading, every mapping or
 * list of mappings asked for and missing is added, empty, and the specimen read again, until nothing more is asked.
 * A key a reader only looks for ({@link ConfigNode#has}) and reads when present is then probed: a copy of the
 * specimen gets it, as text, and is read again, to learn how it is read (a probe where a mapping goes grows into one).
 */
public final class ConfigSchema {

    /** A probe key put in a mapping of user-chosen names, to learn what its values are read as. */
    static final String PROBE_NAME = "X_1";
    private static final int MAX_ROUNDS = 32;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** How a key was read. */
    enum Kind {
        STRING, STRINGS, STRING_MAP, INTEGER, BOOLEAN, DURATION, SIZE, OBJECT, OBJECTS, ANY
    }

    /** One read of a key: how, and the default and bounds the reader gave (null when none). */
    record Read(Kind kind, Object defaultValue, Object min, Object max) {
    }

    /** What one mapping was asked, while describing. */
    static final class Recording {
        private final ConfigSchema owner;
        final String location;
        /** The key path of the mapping in the specimen, {@code hooks[3].auth.bearer}. */
        final String keyPath;
        final ObjectNode source;
        String definition;
        String discriminatorKey;
        String discriminatorValue;
        boolean open;
        boolean exactlyOne;
        final Map<String, List<Read>> keys = new LinkedHashMap<>();
        final Set<String> required = new LinkedHashSet<>();

        Recording(ConfigSchema owner, String location, String keyPath, JsonNode source) {
            this.owner = owner;
            this.location = location;
            this.keyPath = keyPath;
            this.source = source instanceof ObjectNode object ? object : null;
        }

        ConfigSchema schemaOf() {
            return owner;
        }

        /** Where the keys read from it are described: its named shape, or its location. */
        String shape() {
            return definition != null ? "#" + definition : location;
        }

        /** The location of what is read at {@code key}, one item of a list when {@code item}. */
        String childLocation(String key, boolean item) {
            return shape() + "." + (open ? "*" : key) + (item ? "[]" : "");
        }

        void read(String key, Read read) {
            keys.computeIfAbsent(key, k -> new ArrayList<>()).add(read);
        }
    }

    private final List<Recording> recordings = new ArrayList<>();

    ConfigSchema() {
    }

    Recording record(String location, String keyPath, JsonNode source) {
        Recording recording = new Recording(this, location, keyPath, source);
        recordings.add(recording);
        return recording;
    }

    /**
     * Reads each specimen with {@code reader} until the readers ask for nothing more, and returns the schema of all
     * that was asked. The specimens are changed: mappings are added where readers looked for them.
     */
    public static ObjectNode describe(List<ObjectNode> specimens, Reader reader) {
        ConfigSchema all = new ConfigSchema();
        for (ObjectNode specimen : specimens) {
            List<Recording> read = readGrowing(specimen, reader).recordings;
            all.recordings.addAll(read);
            // First every such key at once, which teaches most of them; then one at a time those whose probe was
            // not read because another probe stood in the way (processor and processors both given, say).
            ObjectNode everyProbe = specimen.deepCopy();
            List<Map.Entry<Recording, String>> probes = probes(read);
            probes.forEach(probe -> probe(everyProbe, probe));
            all.recordings.addAll(readGrowing(everyProbe, reader).recordings);
            Set<String> typed = all.typedKeys();
            for (Map.Entry<Recording, String> probe : probes) {
                if (!typed.contains(probe.getKey().shape() + " " + probe.getValue())) {
                    ObjectNode copy = specimen.deepCopy();
                    probe(copy, probe);
                    all.recordings.addAll(readGrowing(copy, reader).recordings);
                }
            }
        }
        return all.schema();
    }

    /** Each key a mapping of the specimen was only looked for in, not read from, with that mapping. */
    private static List<Map.Entry<Recording, String>> probes(List<Recording> recordings) {
        List<Map.Entry<Recording, String>> probes = new ArrayList<>();
        for (Recording r : recordings) {
            if (r.source == null || r.open) {
                continue;
            }
            r.keys.forEach((key, reads) -> {
                if (r.source.get(key) == null && reads.stream().allMatch(x -> x.kind() == Kind.ANY)) {
                    probes.add(Map.entry(r, key));
                }
            });
        }
        return probes;
    }

    /** Puts a probe, text, in the copy of the specimen where its mapping is. */
    private static void probe(ObjectNode copy, Map.Entry<Recording, String> probe) {
        ObjectNode at = locate(copy, probe.getKey().keyPath);
        if (at != null) {
            at.put(probe.getValue(), "x");
        }
    }

    /** {@code "<shape> <key>"} of each key read in a way that says what it holds. */
    private Set<String> typedKeys() {
        Set<String> typed = new HashSet<>();
        for (Recording r : recordings) {
            r.keys.forEach((key, reads) -> {
                if (reads.stream().anyMatch(x -> x.kind() != Kind.ANY)) {
                    typed.add(r.shape() + " " + key);
                }
            });
        }
        return typed;
    }

    /** Reads the specimen, adding what the readers look for, until they ask for nothing more; the last reading. */
    private static ConfigSchema readGrowing(ObjectNode specimen, Reader reader) {
        ConfigSchema last = null;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            last = new ConfigSchema();
            reader.read(ConfigNode.describing(specimen, last));
            if (!last.grow()) {
                break;
            }
        }
        return last;
    }

    /** The mapping at a key path of a specimen ({@code hooks[3].auth.bearer}), or {@code null}. */
    private static ObjectNode locate(ObjectNode specimen, String keyPath) {
        JsonNode node = specimen;
        if (!keyPath.isEmpty()) {
            for (String part : keyPath.split("\\.")) {
                int bracket = part.indexOf('[');
                node = bracket < 0 ? node.path(part)
                        : node.path(part.substring(0, bracket)).path(Integer.parseInt(part.substring(bracket + 1,
                        part.length() - 1)));
            }
        }
        return node instanceof ObjectNode object ? object : null;
    }

    /** Reads a specimen as the loader reads a file. */
    public interface Reader {
        void read(ConfigNode root);
    }

    /** Adds to the specimen what the readers looked for and did not find; whether anything was added. */
    private boolean grow() {
        boolean grown = false;
        for (Recording r : recordings) {
            if (r.source == null) {
                continue;
            }
            if (r.open && r.source.isEmpty()) {
                r.source.putObject(PROBE_NAME);
                grown = true;
                continue;
            }
            for (Map.Entry<String, List<Read>> e : r.keys.entrySet()) {
                if (r.open) {
                    break;
                }
                JsonNode value = r.source.get(e.getKey());
                for (Read read : e.getValue()) {
                    if (read.kind() == Kind.OBJECT && (value == null || !value.isObject())) {
                        r.source.putObject(e.getKey());
                        grown = true;
                    } else if (read.kind() == Kind.OBJECTS && (value == null || !value.isArray() || value.isEmpty()
                            || !value.get(0).isObject())) {
                        r.source.putArray(e.getKey()).addObject();
                        grown = true;
                    }
                }
            }
        }
        return grown;
    }

    /** The merged description of every mapping of one shape. */
    private static final class Shape {
        final Map<String, List<Read>> keys = new LinkedHashMap<>();
        final Set<String> required = new LinkedHashSet<>();
        final Set<String> optional = new LinkedHashSet<>();
        boolean open;
        boolean exactlyOne;
        String discriminatorKey;
        String discriminatorValue;
    }

    private ObjectNode schema() {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        Map<String, Set<String>> variants = new LinkedHashMap<>();
        Set<String> named = new LinkedHashSet<>();
        for (Recording r : recordings) {
            if (r.definition != null) {
                named.add(r.shape());
            }
            Shape shape = shapes.computeIfAbsent(r.shape(), s -> new Shape());
            variants.computeIfAbsent(r.location, l -> new LinkedHashSet<>()).add(r.shape());
            shape.open |= r.open;
            shape.exactlyOne |= r.exactlyOne;
            if (r.discriminatorKey != null) {
                shape.discriminatorKey = r.discriminatorKey;
                shape.discriminatorValue = r.discriminatorValue;
            }
            r.keys.forEach((key, reads) -> {
                shape.keys.computeIfAbsent(key, k -> new ArrayList<>()).addAll(reads);
                (r.required.contains(key) ? shape.required : shape.optional).add(key);
            });
        }
        Emitter emitter = new Emitter(shapes, variants, named);
        ObjectNode root = JSON.objectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("title", "Hook Gateway configuration (gateway.yaml)");
        root.put("description", "Generated from the configuration loader by java -jar hook-gateway.jar --print-schema;"
                + " do not edit.");
        root.setAll(emitter.shape(""));
        ObjectNode definitions = root.putObject("definitions");
        new TreeMap<>(emitter.definitions).forEach(definitions::set);
        return root;
    }

    /** Writes shapes as JSON Schema (draft-07), named shapes once under {@code definitions}. */
    private static final class Emitter {
        private final Map<String, Shape> shapes;
        private final Map<String, Set<String>> variants;
        /** The shapes written once under {@code definitions}; the others are written where they stand. */
        private final Set<String> named;
        final Map<String, ObjectNode> definitions = new LinkedHashMap<>();

        Emitter(Map<String, Shape> shapes, Map<String, Set<String>> variants, Set<String> named) {
            this.shapes = shapes;
            this.variants = variants;
            this.named = named;
        }

        ObjectNode shape(String id) {
            Shape shape = shapes.get(id);
            ObjectNode out = JSON.objectNode();
            out.put("type", "object");
            if (shape.open) {
                List<Read> all = new ArrayList<>();
                shape.keys.values().forEach(all::addAll);
                out.set("additionalProperties", all.isEmpty() ? JSON.objectNode() : reads(id, "*", all));
                return out;
            }
            ObjectNode properties = out.putObject("properties");
            shape.keys.forEach((key, reads) -> {
                if (key.equals(shape.discriminatorKey)) {
                    properties.putObject(key).put("const", shape.discriminatorValue);
                } else {
                    properties.set(key, reads(id, key, reads));
                }
            });
            out.put("additionalProperties", false);
            List<String> required = new ArrayList<>();
            for (String key : shape.required) {
                if (!shape.optional.contains(key)) {
                    required.add(key);
                }
            }
            if (shape.discriminatorKey != null && !required.contains(shape.discriminatorKey)) {
                required.add(0, shape.discriminatorKey);
            }
            if (!required.isEmpty()) {
                ArrayNode list = out.putArray("required");
                required.forEach(list::add);
            }
            if (shape.exactlyOne) {
                out.put("minProperties", 1).put("maxProperties", 1);
            }
            return out;
        }

        /** The schema of a key read in one or more ways: each way once, any of them. */
        private ObjectNode reads(String shapeId, String key, List<Read> reads) {
            Map<Kind, Read> kinds = new LinkedHashMap<>();
            for (Read read : reads) {
                kinds.putIfAbsent(read.kind(), read);
            }
            if (kinds.size() > 1) {
                kinds.remove(Kind.ANY);
            }
            if (kinds.size() == 1) {
                return read(shapeId, key, kinds.values().iterator().next());
            }
            ObjectNode out = JSON.objectNode();
            ArrayNode anyOf = out.putArray("anyOf");
            kinds.values().forEach(read -> anyOf.add(read(shapeId, key, read)));
            return out;
        }

        private ObjectNode read(String shapeId, String key, Read read) {
            ObjectNode out = JSON.objectNode();
            switch (read.kind()) {
                case STRING -> out.set("type", scalarText());
                case STRINGS -> {
                    ArrayNode anyOf = out.putArray("anyOf");
                    anyOf.addObject().set("type", scalarText());
                    anyOf.addObject().put("type", "array").putObject("items").set("type", scalarText());
                }
                case STRING_MAP -> out.put("type", "object").putObject("additionalProperties")
                        .set("type", scalarText());
                case INTEGER -> {
                    ArrayNode anyOf = out.putArray("anyOf");
                    ObjectNode number = anyOf.addObject().put("type", "integer");
                    number.put("minimum", ((Number) read.min()).longValue());
                    number.put("maximum", ((Number) read.max()).longValue());
                    anyOf.addObject().put("type", "string").put("description", "a whole number, or ${VARIABLE}");
                }
                case BOOLEAN -> {
                    ArrayNode anyOf = out.putArray("anyOf");
                    anyOf.addObject().put("type", "boolean");
                    anyOf.addObject().put("type", "string").put("description", "true or false, or ${VARIABLE}");
                }
                case DURATION -> out.put("type", "string").put("description", "a duration with its unit, from "
                        + Units.formatDuration((Duration) read.min()) + " to "
                        + Units.formatDuration((Duration) read.max()) + ": 500ms, 10s, 2m, 1h");
                case SIZE -> {
                    ArrayNode anyOf = out.putArray("anyOf");
                    ObjectNode number = anyOf.addObject().put("type", "integer");
                    number.put("minimum", ((Number) read.min()).longValue());
                    number.put("maximum", ((Number) read.max()).longValue());
                    anyOf.addObject().put("type", "string").put("description", "a size from "
                            + Units.formatSize((Long) read.min()) + " to " + Units.formatSize((Long) read.max())
                            + ": 512, 16KiB, 1MiB");
                }
                case OBJECT -> out.setAll(location(shapeId + "." + key));
                case OBJECTS -> out.put("type", "array").set("items", location(shapeId + "." + key + "[]"));
                case ANY -> {
                }
            }
            putDefault(out, read);
            return out;
        }

        private static ArrayNode scalarText() {
            return JSON.arrayNode().add("string").add("number");
        }

        private static void putDefault(ObjectNode out, Read read) {
            Object value = read.defaultValue();
            if (value instanceof String s) {
                out.put("default", s);
            } else if (value instanceof Boolean b) {
                out.put("default", b);
            } else if (value instanceof Duration d) {
                out.put("default", Units.formatDuration(d));
            } else if (value instanceof Long size && read.kind() == Kind.SIZE) {
                out.put("default", Units.formatSize(size));
            } else if (value instanceof Number n) {
                out.put("default", n.longValue());
            } else if (value instanceof List<?> list) {
                ArrayNode items = out.putArray("default");
                list.forEach(item -> items.add(String.valueOf(item)));
            }
        }

        /** What may stand at a location: its own shape, a named one, or any of several. */
        private ObjectNode location(String location) {
            Set<String> found = variants.getOrDefault(location, Set.of());
            // Where a key picks the shape (a processor's type), a mapping read without a shape picked is one whose
            // key named none the loader knows: it is refused, not a shape of its own.
            boolean picked = found.stream().anyMatch(v -> named.contains(v) && shapes.get(v).discriminatorKey != null);
            List<ObjectNode> schemas = new ArrayList<>();
            for (String variant : found) {
                if (picked && !named.contains(variant)) {
                    continue;
                }
                if (named.contains(variant)) {
                    String name = variant.substring(1);
                    if (!definitions.containsKey(name)) {
                        definitions.put(name, JSON.objectNode());
                        definitions.put(name, shape(variant));
                    }
                    schemas.add(JSON.objectNode().put("$ref", "#/definitions/" + name));
                } else {
                    schemas.add(shape(variant));
                }
            }
            if (schemas.isEmpty()) {
                return JSON.objectNode().put("type", "object");
            }
            if (schemas.size() == 1) {
                return schemas.get(0);
            }
            ObjectNode out = JSON.objectNode();
            ArrayNode anyOf = out.putArray("anyOf");
            schemas.forEach(anyOf::add);
            return out;
        }
    }
}
