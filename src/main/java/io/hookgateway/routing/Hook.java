package io.hookgateway.routing;

import io.hookgateway.clients.HookClients;
import io.hookgateway.hooks.Gate;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.Rule;
import io.hookgateway.http.MemoryBudget;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * A configured hook, ready to serve: its name, path, methods and limits, its cached meters, and the dispatcher that
 * runs its processor within those limits.
 */
public final class Hook {

    private final String name;
    private final PathPattern path;
    private final Set<String> methods;
    private final HookProcessor processor;
    private final long maxBodyBytes;
    private final boolean accessLog;
    private final RequestObserver.HookObserver observer;
    private final HookDispatcher dispatcher;
    private final Gate headGate;
    private final Set<String> secretPathVariables;
    private final boolean hidden;
    private final HookClients clients;

    /**
     * @param name the configured name, used in logs and as the {@code hook} metric tag
     * @param path the path pattern
     * @param methods the allowed methods, upper case
     * @param processor what handles its requests
     * @param maxBodyBytes the largest accepted body
     * @param accessLog whether each request is logged
     * @param observer its meters
     * @param limits its concurrency, queue and timeout
     * @param workers the pool its processor runs on if it blocks
     */
    public Hook(String name, PathPattern path, Set<String> methods, HookProcessor processor, long maxBodyBytes,
                boolean accessLog, RequestObserver.HookObserver observer, ExecutionLimits limits, Executor workers) {
        this(name, path, methods, processor, maxBodyBytes, accessLog, observer, limits, workers, Rule.ALWAYS);
    }

    /**
     * @param guard the hook's guard: one that reads no body is judged here, from the head, before any body is read
     *              (so the processor is built without it); one that reads the body is the processor's to judge
     */
    public Hook(String name, PathPattern path, Set<String> methods, HookProcessor processor, long maxBodyBytes,
                boolean accessLog, RequestObserver.HookObserver observer, ExecutionLimits limits, Executor workers,
                Rule guard) {
        this(name, path, methods, processor, maxBodyBytes, accessLog, observer, limits, workers, Gate.guard(guard),
                MemoryBudget.unlimited());
    }

    /**
     * @param gate who may call the hook: what of it the head alone decides ({@link Gate#atHead()}) is judged here,
     *             before any body is read; the rest is the processor's to judge (it is built with
     *             {@link Gate#afterHead()})
     * @param workMemory the heap large bodies may take while the processor reads them
     */
    public Hook(String name, PathPattern path, Set<String> methods, HookProcessor processor, long maxBodyBytes,
                boolean accessLog, RequestObserver.HookObserver observer, ExecutionLimits limits, Executor workers,
                Gate gate, MemoryBudget workMemory) {
        this(name, path, methods, processor, maxBodyBytes, accessLog, observer, limits, workers, gate, workMemory,
                HookClients.EVERYONE);
    }

    /**
     * @param clients which client addresses the hook serves and how often: judged from the head, before the gate
     */
    public Hook(String name, PathPattern path, Set<String> methods, HookProcessor processor, long maxBodyBytes,
                boolean accessLog, RequestObserver.HookObserver observer, ExecutionLimits limits, Executor workers,
                Gate gate, MemoryBudget workMemory, HookClients clients) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.headGate = Objects.requireNonNull(gate, "gate").atHead();
        this.secretPathVariables = gate.secretPathVariables();
        this.hidden = gate.hidden();
        this.name = Objects.requireNonNull(name, "name");
        this.path = Objects.requireNonNull(path, "path");
        this.methods = Set.copyOf(methods);
        this.processor = Objects.requireNonNull(processor, "processor");
        this.maxBodyBytes = maxBodyBytes;
        this.accessLog = accessLog;
        this.observer = Objects.requireNonNull(observer, "observer");
        this.dispatcher = new HookDispatcher(name, processor, Objects.requireNonNull(limits, "limits"),
                Objects.requireNonNull(workers, "workers"), observer, Objects.requireNonNull(workMemory, "workMemory"));
    }

    /** A hook with the default limits, whose blocking processor would run on the calling thread (tests, admin). */
    public Hook(String name, PathPattern path, Set<String> methods, HookProcessor processor, long maxBodyBytes,
                boolean accessLog, RequestObserver.HookObserver observer) {
        this(name, path, methods, processor, maxBodyBytes, accessLog, observer, ExecutionLimits.defaults(),
                Runnable::run);
    }

    public String name() {
        return name;
    }

    public PathPattern path() {
        return path;
    }

    public Set<String> methods() {
        return methods;
    }

    public HookProcessor processor() {
        return processor;
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    public boolean accessLog() {
        return accessLog;
    }

    public RequestObserver.HookObserver observer() {
        return observer;
    }

    public HookDispatcher dispatcher() {
        return dispatcher;
    }

    /**
     * Whether the hook hides from requests without credentials ({@link Gate#hidden()}): a method it does not take is
     * then answered as a path without a hook, not 405, when every hook of the path hides.
     */
    public boolean hidden() {
        return hidden;
    }

    /** The variables of its path that hold a secret: logs show their segments as {@code ***}. */
    public Set<String> secretPathVariables() {
        return secretPathVariables;
    }

    /** Which client addresses the hook serves, and how often. */
    HookClients clients() {
        return clients;
    }

    /** The part of the gate that the head alone decides. */
    Gate headGate() {
        return headGate;
    }

    @Override
    public String toString() {
        return "Hook[" + name + " " + methods + " " + path + "]";
    }
}
