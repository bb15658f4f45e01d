package io.hookgateway;

import io.hookgateway.config.ConfigException;
import io.hookgateway.loader.ConfigLoader;
import io.hookgateway.processors.ProcessorRegistry;
import io.hookgateway.testing.RunningGateway;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * A real gateway started from a real configuration file, reloading it as the command line does: its directory watched,
 * and {@link #reloader()} for what SIGHUP asks. The file is changed the ways people and tools change it: written in
 * place, replaced by a rename (vim, VS Code, deploy tools), deleted, emptied.
 */
final class FileGateway implements RunningGateway, AutoCloseable {

    /** Quicker than the gateway's own, to keep tests short; the bursts tests make are written without pauses. */
    static final Duration QUIET = Duration.ofMillis(150);

    private final Path file;
    private final ConfigLoader loader = new ConfigLoader(ProcessorRegistry.load(), name -> null);
    private final GatewayServer server;
    private final ConfigReloader reloader;

    private FileGateway(Path file) throws Exception {
        this.file = file;
        server = GatewayServer.start(loader.load(file));
        try {
            reloader = new ConfigReloader(server, () -> loader.load(file)).watch(file, QUIET);
        } catch (Exception e) {
            server.drainAndStop(Duration.ZERO);
            throw e;
        }
    }

    /** Writes {@code yaml} to {@code gateway.yaml} in {@code directory} and starts a gateway from it. */
    static FileGateway start(Path directory, String yaml) throws Exception {
        Path file = directory.resolve("gateway.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return new FileGateway(file);
    }

    /**
     * A configuration on local free ports, without access logs, with {@code hooks} (YAML items of {@code hooks:}) and
     * {@code serverKeys} added to {@code server:}.
     */
    static String config(String serverKeys, String hooks) {
        return """
                server: {bind: 127.0.0.1, port: 0, access-log: false%s}
                metrics: {bind: 127.0.0.1, port: 0}
                hooks:
                %s""".formatted(serverKeys.isEmpty() ? "" : ", " + serverKeys, hooks.indent(2));
    }

    /** One {@code respond} hook: {@code POST path} answers {@code body}. */
    static String respond(String name, String path, String body) {
        return "- {name: %s, path: %s, processor: {type: respond, body: %s}}\n".formatted(name, path, body);
    }

    Path file() {
        return file;
    }

    ConfigReloader reloader() {
        return reloader;
    }

    /** What the start would say of the file as it is now; fails when it would start. */
    List<String> startRefusal() {
        try {
            loader.load(file);
        } catch (ConfigException e) {
            return e.lines();
        }
        throw new AssertionError("the file is valid: " + file);
    }

    /** Writes the file in place: truncated, then written, as most programs write a file. */
    void writeInPlace(String yaml) throws Exception {
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
    }

    /** Replaces the file as vim and VS Code save: a new file beside it, renamed over it. */
    void replaceByRename(String yaml) throws Exception {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".swp");
        Files.writeString(temporary, yaml, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    void delete() throws Exception {
        Files.delete(file);
    }

    /** Reloads counted with this result ({@code applied}, {@code refused}). */
    long reloads(String result) {
        Counter counter = server.metrics().registry().find("hook.gateway.config.reloads").tag("result", result)
                .counter();
        return counter == null ? 0 : (long) counter.count();
    }

    @Override
    public GatewayServer server() {
        return server;
    }

    @Override
    public void close() {
        reloader.close();
        server.drainAndStop(Duration.ofSeconds(5));
    }
}
