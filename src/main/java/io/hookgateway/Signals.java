package io.hookgateway;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Handles process signals with {@code sun.misc.Signal}, reached by reflection because it is not a public API. Where it
 * is missing the gateway still drains on shutdown, through its shutdown hook, but then exits with 128 + the signal.
 */
final class Signals {

    private Signals() {
    }

    /** Runs {@code action} on each of the named signals; returns false when signals cannot be handled here. */
    static boolean handle(Runnable action, String... names) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> constructor = signalClass.getConstructor(String.class);
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            action.run();
                        }
                        return null;
                    });
            for (String name : names) {
                handle.invoke(null, constructor.newInstance(name), handler);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}
