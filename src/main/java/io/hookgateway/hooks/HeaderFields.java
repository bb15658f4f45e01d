package io.hookgateway.hooks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable, ordered, case-insensitive multimap of header fields: the request's headers as the client sent them,
 * or the headers a processor wants in its answer.
 *
 * <p>Lookups scan linearly. Requests carry a few dozen fields at most (the decoder caps them), and a scan over that
 * many short strings is faster than hashing every name of every request up front.
 */
public final class HeaderFields {

    private static final HeaderFields EMPTY = new HeaderFields(new String[0], 0);

    /** Names at even, values at odd indexes. */
    private final String[] entries;
    private final int size;

    private HeaderFields(String[] entries, int size) {
        this.entries = entries;
        this.size = size;
    }

    public static HeaderFields empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder(8);
    }

    public static Builder builder(int expectedFields) {
        return new Builder(expectedFields);
    }

    /** Builds fields from alternating names and values: {@code of("Content-Type", "text/plain")}. */
    public static HeaderFields of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        Builder builder = new Builder(namesAndValues.length / 2);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            builder.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return builder.build();
    }

    /**
     * A value fit for a header field when it may hold request text (a JSON string can hold a newline): control
     * characters become spaces and characters beyond Latin-1 become '?', so no request can split a message or make it
     * unencodable (RFC 9110 §5.5). Leading and trailing whitespace is dropped.
     */
    public static String safeValue(String value) {
        char[] chars = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!HttpChars.isFieldChar(c)) {
                if (chars == null) {
                    chars = value.toCharArray();
                }
                chars[i] = c > 0xff ? '?' : ' ';
            }
        }
        return (chars == null ? value : new String(chars)).strip();
    }

    /** Whether {@code name} is a field name: a non-empty token (RFC 9110 §5.1, §5.6.2). */
    public static boolean isValidName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!HttpChars.isTchar(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the gateway writes this field itself, so a processor's value for it is dropped: the framing fields
     * {@code Content-Length}, {@code Transfer-Encoding} and {@code Connection} (RFC 9112 §6, §9.6).
     */
    public static boolean isFramingName(String name) {
        return name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding")
                || name.equalsIgnoreCase("connection");
    }

    /** The number of fields, counting repeated names once per occurrence. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public String name(int index) {
        Objects.checkIndex(index, size);
        return entries[index << 1];
    }

    public String value(int index) {
        Objects.checkIndex(index, size);
        return entries[(index << 1) + 1];
    }

    /** The first value of the named field, or {@code null}. */
    public String get(String name) {
        for (int i = 0; i < size; i++) {
            if (entries[i << 1].equalsIgnoreCase(name)) {
                return entries[(i << 1) + 1];
            }
        }
        return null;
    }

    /** Every value of the named field, in the order received. */
    public List<String> getAll(String name) {
        List<String> values = null;
        for (int i = 0; i < size; i++) {
            if (entries[i << 1].equalsIgnoreCase(name)) {
                if (values == null) {
                    values = new ArrayList<>(2);
                }
                values.add(entries[(i << 1) + 1]);
            }
        }
        return values == null ? List.of() : Collections.unmodifiableList(values);
    }

    public boolean contains(String name) {
        return get(name) != null;
    }

    /** How many fields carry this name. */
    public int count(String name) {
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (entries[i << 1].equalsIgnoreCase(name)) {
                count++;
            }
        }
        return count;
    }

    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(entries[i << 1], entries[(i << 1) + 1]);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeaderFields other
                && size == other.size
                && Arrays.equals(entries, 0, size << 1, other.entries, 0, other.size << 1);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < size << 1; i++) {
            h = 31 * h + entries[i].hashCode();
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(entries[i << 1]).append(": ").append(entries[(i << 1) + 1]);
        }
        return sb.append('}').toString();
    }

    /** Collects fields in order; not thread-safe, used once. */
    public static final class Builder {
        private String[] entries;
        private int size;

        private Builder(int expectedFields) {
            entries = new String[Math.max(2, expectedFields << 1)];
        }

        public Builder add(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if ((size << 1) == entries.length) {
                entries = Arrays.copyOf(entries, entries.length << 1);
            }
            entries[size << 1] = name;
            entries[(size << 1) + 1] = value;
            size++;
            return this;
        }

        public int size() {
            return size;
        }

        public HeaderFields build() {
            return size == 0 ? EMPTY : new HeaderFields(entries, size);
        }
    }
}
