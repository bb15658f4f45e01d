package io.hookgateway.security;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The ways to authenticate known by name: the built-in ones and any found on the class path. */
public final class AuthRegistry {

    private final Map<String, AuthType> types;

    private AuthRegistry(Map<String, AuthType> types) {
        this.types = Collections.unmodifiableMap(types);
    }

    /** Every type on the class path, found with {@link ServiceLoader}. Two types of one name are an error. */
    public static AuthRegistry load(ClassLoader loader) {
        Map<String, AuthType> types = new TreeMap<>();
        for (AuthType type : ServiceLoader.load(AuthType.class, loader)) {
            AuthType previous = types.putIfAbsent(type.name(), type);
            if (previous != null && previous.getClass() != type.getClass()) {
                throw new IllegalStateException("two auth types are named '" + type.name() + "': "
                        + previous.getClass().getName() + " and " + type.getClass().getName());
            }
        }
        return new AuthRegistry(types);
    }

    public static AuthRegistry load() {
        return load(AuthRegistry.class.getClassLoader());
    }

    /** This registry with {@code type} in place of the type of its name, if any: for tests. */
    public AuthRegistry with(AuthType type) {
        Map<String, AuthType> changed = new TreeMap<>(types);
        changed.put(type.name(), type);
        return new AuthRegistry(changed);
    }

    /** The type of this name, or {@code null}. */
    public AuthType get(String name) {
        return types.get(name);
    }

    /** The known names, sorted. */
    public Iterable<String> names() {
        return types.keySet();
    }
}
