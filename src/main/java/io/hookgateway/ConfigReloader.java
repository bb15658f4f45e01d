package io.hookgateway;

import io.hookgateway.config.ConfigException;
import io.hookgateway.loader.GatewayConfig;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration file into a running gateway: when the file's content changes ({@link ConfigWatcher}) and
 * on {@code SIGHUP}. Each reload reads and validates the file exactly as the start did (so a refusal has the start's
 * words), then hands the result to {@link GatewayServer#reload}; reloads run one at a time on a thread of their own,
 * never on an event loop.
 *
 * <p>A file that is missing, empty or not valid is refused, logged with every problem, and counted; the configuration
 * running goes on as it was. A file without hooks is not valid, so no edit can leave the gateway without hooks.
 */
final class ConfigReloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

    /** Reads and validates the configuration as the start did: the file, then the command line's overrides. */
    @FunctionalInterface
    interface Source {
        GatewayConfig load() throws ConfigException;
    }

    /** What one reload did. */
    enum Outcome { APPLIED, REFUSED }

    private final GatewayServer server;
    private final Source source;
    /** One reload at a time; one more may wait, which covers every change made while one runs. */
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), new DefaultThreadFactory("config-reload", true));
    private final AtomicBoolean queued = new AtomicBoolean();
    private ConfigWatcher watcher;
    /** What else follows an applied configuration, outside the server: the log format. */
    private volatile Consumer<GatewayConfig> applied = next -> { };

    ConfigReloader(GatewayServer server, Source source) {
        this.server = Objects.requireNonNull(server, "server");
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Calls {@code then} with each configuration applied, after the server runs it. */
    ConfigReloader onApplied(Consumer<GatewayConfig> then) {
        applied = Objects.requireNonNull(then, "then");
        return this;
    }

    /** Watches {@code file}'s directory and reloads when the file's content changes. */
    ConfigReloader watch(Path file, Duration quiet) throws IOException {
        watcher = new ConfigWatcher(file, quiet, () -> request("the file changed"));
        log.info("watching {} for changes to reload the configuration (SIGHUP reloads too)", watcher.directory());
        return this;
    }

    /**
     * Asks for a reload, which runs on the reload thread; requests that come while one waits are covered by it.
     *
     * @param why what asked, for the log
     */
    void request(String why) {
        if (!queued.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                queued.set(false);
                reloadNow(why);
            });
        } catch (RejectedExecutionException closed) {
            queued.set(false);
        }
    }

    /** Reloads now, on the calling thread; what the file holds is applied or refused, and logged and counted. */
    synchronized Outcome reloadNow(String why) {
        GatewayConfig next;
        try {
            next = source.load();
        } catch (ConfigException e) {
            return refused(why, e.lines());
        }
        GatewayServer.Reloaded reloaded;
        try {
            reloaded = server.reload(next);
        } catch (ConfigException e) {
            return refused(why, e.lines());
        } catch (IllegalStateException stopping) {
            log.info("configuration reload ({}) skipped: the gateway is stopping", why);
            return Outcome.REFUSED;
        } catch (Exception e) {
            log.warn("configuration reload ({}) refused: the hooks could not be built; the configuration before it "
                    + "still runs", why, e);
            server.metrics().reloadRefused();
            return Outcome.REFUSED;
        }
        server.metrics().reloadApplied();
        applied.accept(next);
        log.info("configuration reloaded ({}) from {}: {} hooks; added {}, changed {}, removed {}, unchanged {}", why,
                next.source(), next.hooks().size(), reloaded.added(), reloaded.changed(), reloaded.removed(),
                reloaded.unchanged());
        if (!reloaded.needsRestart().isEmpty()) {
            log.warn("configuration reload: {} changed, which needs a restart; until then the gateway keeps the "
                    + "values it started with (the rest of the configuration applies now)",
                    String.join(", ", reloaded.needsRestart()));
        }
        return Outcome.APPLIED;
    }

    private Outcome refused(String why, List<String> problems) {
        server.metrics().reloadRefused();
        log.warn("configuration reload ({}) refused; the configuration before it still runs:", why);
        problems.forEach(line -> log.warn("  {}", line));
        return Outcome.REFUSED;
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        executor.shutdownNow();
    }
}
