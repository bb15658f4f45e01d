package io.hookgateway.routing;

import io.hookgateway.hooks.HookProcessor;
import java.util.Objects;
import java.util.Set;

/**
 * A configured hook, ready to serve: its name, path, methods, processor and limits, and its cached meters.
 *
 * @param name the configured name, used in logs and as the {@code hook} metric tag
 * @param path the path pattern
 * @param methods the allowed methods, upper case
 * @param processor what handles its requests
 * @param maxBodyBytes the largest accepted body
 * @param accessLog whether each request is logged
 * @param observer its meters
 */
public record Hook(String name, PathPattern path, Set<String> methods, HookProcessor processor, long maxBodyBytes,
                   boolean accessLog, RequestObserver.HookObserver observer) {

    public Hook {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        methods = Set.copyOf(methods);
        Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(observer, "observer");
    }
}
