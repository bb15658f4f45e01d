package io.hookgateway.processors;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The processor types known by name: the built-in ones and any found on the class path. */
public final class ProcessorRegistry {

    private final Map<String, ProcessorType<?>> types;

    private ProcessorRegistry(Map<String, ProcessorType<?>> types) {
        this.types = Collections.unmodifiableMap(types);
    }

    /** Every type on the class path, found with {@link ServiceLoader}. Two types of one name are an error. */
    public static ProcessorRegistry load(ClassLoader loader) {
        Map<String, ProcessorType<?>> types = new TreeMap<>();
        for (ProcessorType<?> type : ServiceLoader.load(ProcessorType.class, loader)) {
            ProcessorType<?> previous = types.putIfAbsent(type.name(), type);
            if (previous != null && previous.getClass() != type.getClass()) {
                throw new IllegalStateException("two processor types are named '" + type.name() + "': "
                        + previous.getClass().getName() + " and " + type.getClass().getName());
            }
        }
        return new ProcessorRegistry(types);
    }

    public static ProcessorRegistry load() {
        return load(ProcessorRegistry.class.getClassLoader());
    }

    /** The type of this name, or {@code null}. */
    public ProcessorType<?> get(String name) {
        return types.get(name);
    }

    /** The known names, sorted. */
    public Iterable<String> names() {
        return types.keySet();
    }
}
