package io.hookgateway.bench;

import io.hookgateway.hooks.HookResponse;
import io.hookgateway.routing.Hook;
import io.hookgateway.routing.PathPattern;
import io.hookgateway.routing.RequestObserver;
import io.hookgateway.routing.RouteTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Finding the hook of a request among 1 to 10,000: all exact paths ({@code /hooks/h17/on}), or all templated
 * ({@code /h17/{device}/on}). Each invocation looks up the paths of several hooks spread over the table, the first, the
 * last and between, so a table searched in order shows its cost as it grows.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoutingBenchmark {

    private static final int LOOKUPS = 8;

    @Param({"1", "100", "1000", "10000"})
    public int hooks;

    @Param({"exact", "templated"})
    public String kind;

    private RouteTable table;
    private String[] paths;

    @Setup(Level.Trial)
    public void setUp() {
        List<Hook> all = new ArrayList<>(hooks);
        for (int i = 0; i < hooks; i++) {
            String path = kind.equals("exact") ? "/hooks/h" + i + "/on" : "/h" + i + "/{device}/on";
            all.add(new Hook("h" + i, PathPattern.parse(path), Set.of("POST"),
                    request -> CompletableFuture.completedFuture(HookResponse.empty(204)), 1024, false,
                    RequestObserver.HookObserver.NONE));
        }
        table = RouteTable.of(all, 1024);
        paths = new String[LOOKUPS];
        for (int i = 0; i < LOOKUPS; i++) {
            int hook = (int) ((long) (hooks - 1) * i / (LOOKUPS - 1));
            paths[i] = kind.equals("exact") ? "/hooks/h" + hook + "/on" : "/h" + hook + "/lamp-" + i + "/on";
            if (table.match("POST", paths[i]) == null) {
                throw new IllegalStateException("no hook for " + paths[i]);
            }
        }
    }

    /** The average time of one lookup is this figure divided by {@value #LOOKUPS}. */
    @Benchmark
    public int match() {
        int found = 0;
        for (String path : paths) {
            if (table.match("POST", path) != null) {
                found++;
            }
        }
        return found;
    }
}
