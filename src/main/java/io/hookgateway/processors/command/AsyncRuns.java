package io.hookgateway.processors.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The asynchronous runs of one hook: at most {@code maxRunning} at once, {@code maxQueued} waiting, and the state of
 * finished ones kept for {@code keep} (at most {@code maxKept} of them) so that the client can read it.
 */
final class AsyncRuns {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandOptions.AsyncLimits limits;
    private final Consumer<Execution> starter;
    private final Map<String, Execution> byId = new LinkedHashMap<>();
    private final ArrayDeque<Execution> waiting = new ArrayDeque<>();
    private int running;

    /** @param starter starts a run once it has a slot; the slot frees when the run's {@code done()} completes */
    AsyncRuns(CommandOptions.AsyncLimits limits, Consumer<Execution> starter) {
        this.limits = limits;
        this.starter = starter;
    }

    /** Admits a run, starting it now if a slot is free, else later; 503 when every slot and queue place is taken. */
    void admit(Execution execution) {
        synchronized (this) {
            evict();
            if (running >= limits.maxRunning() && waiting.size() >= limits.maxQueued()) {
                throw new HookException(503, "this hook already has " + running + " runs going and "
                        + waiting.size() + " waiting; try again later", HeaderFields.of("Retry-After", "5"), null);
            }
            byId.put(execution.id(), execution);
            if (running >= limits.maxRunning()) {
                waiting.add(execution);
                return;
            }
            running++;
        }
        launch(execution);
    }

    private void launch(Execution execution) {
        execution.done().whenComplete((e, t) -> slotFreed());
        starter.accept(execution);
    }

    private void slotFreed() {
        Execution next;
        synchronized (this) {
            do {
                next = waiting.poll();
            } while (next != null && next.state() != Execution.State.QUEUED);
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            launch(next);
        }
    }

    synchronized Execution get(String id) {
        evict();
        return byId.get(id);
    }

    /** Every run not yet finished, for the gateway's stop. */
    synchronized List<Execution> unfinished() {
        return byId.values().stream().filter(e -> !e.isFinished()).toList();
    }

    /** Forgets finished runs older than {@code keep}, and the oldest beyond {@code maxKept}. */
    private void evict() {
        Instant cutoff = Instant.now().minus(limits.keep());
        int finishedCount = 0;
        for (Execution e : byId.values()) {
            if (e.isFinished()) {
                finishedCount++;
            }
        }
        for (Iterator<Execution> it = byId.values().iterator(); it.hasNext(); ) {
            Execution e = it.next();
            if (e.isFinished() && (e.finished().isBefore(cutoff) || finishedCount > limits.maxKept())) {
                it.remove();
                finishedCount--;
            }
        }
    }

    /** The state of a run as JSON, what {@code GET .../executions/{execution}} answers. */
    static byte[] describe(Execution e) {
        ObjectNode json = JSON.createObjectNode();
        json.put("id", e.id());
        json.put("state", e.state().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (e.isFinished() && e.exitCode() >= 0) {
            json.put("exitCode", e.exitCode());
        }
        json.put("createdAt", e.created().toString());
        if (e.started() != null) {
            json.put("startedAt", e.started().toString());
            json.put("durationMillis", e.duration().toMillis());
        }
        if (e.finished() != null) {
            json.put("finishedAt", e.finished().toString());
        }
        json.put("stdout", e.stdout().text());
        json.put("stdoutTruncated", e.stdout().truncated());
        json.put("stderr", e.stderr().text());
        json.put("stderrTruncated", e.stderr().truncated());
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
