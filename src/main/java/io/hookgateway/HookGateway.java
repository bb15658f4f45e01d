package io.hookgateway;

import io.hookgateway.config.ConfigException;
import io.hookgateway.config.ConfigProblems;
import io.hookgateway.loader.ConfigLoader;
import io.hookgateway.loader.GatewayConfig;
import io.hookgateway.loader.HookConfig;
import io.hookgateway.logging.LogFormat;
import io.hookgateway.logging.LogShutdown;
import io.hookgateway.logging.LogText;
import io.hookgateway.processors.ProcessorRegistry;
import io.hookgateway.security.PasswordHash;
import io.hookgateway.tls.ServerIdentity;
import io.hookgateway.tls.TlsConfig;
import io.hookgateway.tls.TlsFileException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line: reads the configuration, starts the gateway, and drains it on SIGTERM or SIGINT.
 *
 * <p>Exit status: 0 after a clean stop or a passing {@code --check}; 1 when the gateway cannot start (a port in use);
 * 2 for a bad command line or configuration. {@code --healthcheck} exits 0 or 1 only, as a container's health check
 * must (Docker reserves 2).
 */
public final class HookGateway {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private static final String USAGE = """
            Usage: java -jar hook-gateway.jar [options]

            Receives webhooks and routes each one by its path to a configured hook processor. The configuration
            file is reloaded when it changes and on SIGHUP; a file that is not valid is refused and the running
            configuration stays.

            Options:
              --config FILE        the configuration (YAML or JSON); default: $HOOK_GATEWAY_CONFIG, else the
                                   embedded default (POST /post answers SUCCESS)
              --port N             the plain hook port (overrides server.port; default 8080)
              --metrics-port N     the metrics port (overrides metrics.port; default 8081)
              --bind ADDR          the address every port listens on (overrides server.bind, the bind of each
                                   server.tls listener, and metrics.bind)
              --check              validate the configuration and exit: 0 if it is valid, 2 if not
              --healthcheck        ask /healthz on the metrics port of the gateway this configuration describes
                                   (the same --config, --metrics-port, --bind): 0 if it answers 200, 1 if not
              --hash-password      read a password (asked twice on a terminal, else one line of standard input)
                                   and print its hash, for a basic auth's users
              --print-schema       print the JSON Schema of the configuration (gateway/gateway.schema.json) and exit
              --version            print the version and exit
              --help               print this help and exit
            """;

    /** Netty's leak detection level; read once, when Netty first makes a buffer. */
    static final String LEAK_DETECTION = "io.netty.leakDetection.level";
    /** The name Netty 4.0 read, which Netty 4.2 still honours when the other is not set. */
    static final String LEAK_DETECTION_LEGACY = "io.netty.leakDetectionLevel";

    private HookGateway() {
    }

    public static void main(String[] args) {
        chooseLeakDetection(System.getProperties());
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * Turns Netty's leak detection off unless the command line chose a level. Netty's default ({@code simple}) tracks
     * one buffer in 128 and records where each was made: a stack trace per tracked buffer, 2.4% of the event loops'
     * CPU under {@code src/bench/load.sh}. Every buffer the gateway owns is released on paths the tests run with
     * {@code paranoid} detection (every buffer tracked, with its accesses), which is where a leak is found; in
     * production the sampling would only find it later and slower. To look for one in a running gateway, start it
     * with {@code -Dio.netty.leakDetection.level=simple} (or {@code advanced}) and read the log.
     */
    static void chooseLeakDetection(Properties properties) {
        if (properties.getProperty(LEAK_DETECTION) == null && properties.getProperty(LEAK_DETECTION_LEGACY) == null) {
            properties.setProperty(LEAK_DETECTION, "disabled");
        }
    }

    /** The parsed command line. */
    record Options(String config, Integer port, Integer metricsPort, String bind, boolean check, boolean help,
                   boolean version, boolean hashPassword, boolean printSchema, boolean healthcheck) {
    }

    /**
     * Runs the command line; when it starts the gateway, returns only after a signal has stopped it and every log line
     * has been written out (logging is stopped then: the process is about to exit).
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, System.in, out, err);
    }

    /** As {@link #run(String[], Map, PrintStream, PrintStream)}, reading what it reads from {@code in}. */
    static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            println(err, "hook-gateway: " + e.getMessage());
            println(err, "Try --help.");
            return EXIT_USAGE;
        }
        if (options.help()) {
            // Fixed text, the one thing printed as it is.
            out.print(USAGE);
            return EXIT_OK;
        }
        if (options.version()) {
            println(out, "hook-gateway " + version());
            return EXIT_OK;
        }
        if (options.hashPassword()) {
            return hashPassword(in, out, err);
        }
        if (options.printSchema()) {
            // Fixed text made by the gateway, printed as it is.
            out.print(new ConfigLoader(ProcessorRegistry.load()).schemaText());
            return EXIT_OK;
        }
        String formatOverride = env.get(LogFormat.ENVIRONMENT);
        if (formatOverride != null && LogFormat.named(formatOverride) == null) {
            println(err, "hook-gateway: " + LogFormat.ENVIRONMENT + " is '" + formatOverride + "', not a log format; "
                    + "use plain or json, or unset it to take logging.format from the configuration");
            return EXIT_USAGE;
        }
        GatewayConfig config;
        try {
            config = load(options, env);
        } catch (ConfigException e) {
            if (options.healthcheck()) {
                println(err, "hook-gateway: healthcheck: " + e.lines().get(0) + "; --check shows the problems");
                return EXIT_FAILED;
            }
            e.lines().forEach(line -> println(err, line));
            return EXIT_USAGE;
        }
        if (options.healthcheck()) {
            String unhealthy = HealthCheck.probe(config.metrics(), HealthCheck.DEFAULT_TIMEOUT);
            if (unhealthy != null) {
                println(err, "hook-gateway: healthcheck: " + unhealthy);
                return EXIT_FAILED;
            }
            return EXIT_OK;
        }
        if (options.check()) {
            println(out, "configuration OK: " + config.source() + " (" + config.hooks().size() + " hooks)");
            for (TlsConfig tls : config.server().tls()) {
                println(out, "  TLS on " + tls.bind() + ":" + tls.port() + ": " + describe(tls));
            }
            for (HookConfig hook : config.hooks()) {
                println(out, "  " + hook.name() + ": " + String.join(",", new TreeSet<>(hook.methods())) + " "
                        + hook.path() + " -> " + hook.describeProcessors());
            }
            return EXIT_OK;
        }
        // The environment overrides the file, as it did for the lines written before the file was read.
        LogFormat.use(formatOverride != null ? LogFormat.named(formatOverride) : config.logFormat());
        Logger log = LoggerFactory.getLogger(HookGateway.class);
        if (config.isEmbeddedDefault()) {
            log.info("no configuration given (--config or HOOK_GATEWAY_CONFIG): using the embedded default, "
                    + "which is gateway/gateway.yaml of the source tree");
        } else {
            log.info("configuration: {}", config.source());
        }
        // Signals are handled from before the ports are bound, so a SIGTERM during start-up still drains.
        StopSignal stop = new StopSignal();
        GatewayServer server;
        try {
            server = GatewayServer.start(config);
        } catch (ConfigException e) {
            e.lines().forEach(line -> println(err, line));
            return EXIT_USAGE;
        } catch (Exception e) {
            println(err, "hook-gateway: cannot start: " + describe(e, config));
            return EXIT_FAILED;
        }
        ConfigReloader reloader = null;
        if (config.isEmbeddedDefault()) {
            // SIGHUP would otherwise end the process, which a user sending it to reload does not mean.
            Signals.handle(() -> log.info("SIGHUP: the embedded default configuration has no file to reload"), "HUP");
        } else {
            reloader = reloader(server, options, env, config, log);
        }
        stop.serve(server, reloader, log);
        return EXIT_OK;
    }

    /**
     * Reloads the configuration file when it changes and on SIGHUP, through the same loading as the start (the command
     * line's overrides included). Where the file cannot be watched, SIGHUP still reloads.
     */
    private static ConfigReloader reloader(GatewayServer server, Options options, Map<String, String> env,
                                           GatewayConfig config, Logger log) {
        ConfigReloader reloader = new ConfigReloader(server, () -> load(options, env));
        if (env.get(LogFormat.ENVIRONMENT) == null) {
            // logging.format applies at once; the environment's choice, when made, stays.
            reloader.onApplied(next -> LogFormat.use(next.logFormat()));
        }
        try {
            reloader.watch(Path.of(config.source()), ConfigWatcher.DEFAULT_QUIET);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot watch {} for changes ({}); send SIGHUP to reload it", config.source(), e.getMessage());
        }
        if (!Signals.handle(() -> reloader.request("SIGHUP"), "HUP")) {
            log.info("signals cannot be handled here: SIGHUP does not reload the configuration");
        }
        return reloader;
    }

    /**
     * {@code --hash-password}: on a terminal, asks for the password twice without echoing it; otherwise reads one line
     * of standard input (so {@code printf '%s\n' "$PW" | java -jar ... --hash-password} works in a script). Prints
     * the hash alone, for {@code users:} of a {@code basic} auth.
     */
    private static int hashPassword(InputStream in, PrintStream out, PrintStream err) {
        char[] password;
        Console console = in == System.in ? System.console() : null;
        if (console != null) {
            password = console.readPassword("password: ");
            char[] again = console.readPassword("again: ");
            if (password == null || again == null || !Arrays.equals(password, again)) {
                println(err, "hook-gateway: the two passwords differ; nothing was hashed");
                return EXIT_USAGE;
            }
            Arrays.fill(again, '\0');
        } else {
            try {
                String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
                password = line == null ? null : line.toCharArray();
            } catch (IOException e) {
                println(err, "hook-gateway: cannot read the password: " + e.getMessage());
                return EXIT_FAILED;
            }
        }
        if (password == null || password.length == 0) {
            println(err, "hook-gateway: the password is empty; nothing was hashed");
            return EXIT_USAGE;
        }
        try {
            println(out, PasswordHash.create(password));
        } finally {
            Arrays.fill(password, '\0');
        }
        return EXIT_OK;
    }

    /**
     * Prints one line as a log line is written ({@link LogText}): what it quotes (a key, a value, the file's name, an
     * option given) may hold a line break that would forge a line of its own, or an escape sequence that would set the
     * terminal's title or clear it; each becomes a visible escape, and one line stays one line.
     */
    private static void println(PrintStream stream, String line) {
        stream.println(LogText.escape(line));
    }

    private static GatewayConfig load(Options options, Map<String, String> env) throws ConfigException {
        ConfigLoader loader = new ConfigLoader(ProcessorRegistry.load(), env::get);
        String file = options.config() != null ? options.config() : env.get("HOOK_GATEWAY_CONFIG");
        GatewayConfig config = file != null && !file.isBlank() ? loader.load(Path.of(file))
                : loader.loadEmbeddedDefault();
        if (options.bind() != null) {
            config = config.withServer(config.server().withBind(options.bind()))
                    .withMetrics(config.metrics().withBind(options.bind()));
        }
        if (options.port() != null) {
            config = config.withServer(config.server().withPort(options.port()));
        }
        if (options.metricsPort() != null) {
            config = config.withMetrics(config.metrics().withPort(options.metricsPort()));
        }
        if (config.metrics().enabled() && config.metrics().port() != 0
                && config.metrics().port() == config.server().port()) {
            throw new ConfigException(config.source(), "metrics.port", "is the same as the hook port ("
                    + config.server().port() + "); give metrics a port of their own with --metrics-port");
        }
        // --port may now be a TLS listener's.
        List<ConfigProblems.Problem> clashes = ConfigLoader.portClashes(config.server(), config.metrics());
        if (!clashes.isEmpty()) {
            throw new ConfigException(config.source(), clashes);
        }
        return config;
    }

    static Options parse(String[] args) {
        String config = null;
        Integer port = null;
        Integer metricsPort = null;
        String bind = null;
        boolean check = false;
        boolean help = false;
        boolean version = false;
        boolean hashPassword = false;
        boolean printSchema = false;
        boolean healthcheck = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--config" -> config = nonEmpty(value != null ? value : next(args, ++i, arg), arg, "a file");
                case "--port" -> port = port(value != null ? value : next(args, ++i, arg), arg);
                case "--metrics-port" -> metricsPort = port(value != null ? value : next(args, ++i, arg), arg);
                case "--bind" -> bind = address(value != null ? value : next(args, ++i, arg), arg);
                case "--check" -> check = true;
                case "--help", "-h" -> help = true;
                case "--version" -> version = true;
                case "--hash-password" -> hashPassword = true;
                case "--print-schema" -> printSchema = true;
                case "--healthcheck" -> healthcheck = true;
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        return new Options(config, port, metricsPort, bind, check, help, version, hashPassword, printSchema,
                healthcheck);
    }

    private static String next(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static String nonEmpty(String value, String option, String what) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(option + " needs " + what + ", but was given an empty value");
        }
        return value;
    }

    /** An address to listen on, checked as the configuration's are, so that --check finds a bad one. */
    private static String address(String text, String option) {
        String problem = ConfigLoader.bindProblem(nonEmpty(text, option, "an address"));
        if (problem != null) {
            throw new IllegalArgumentException(option + " " + problem);
        }
        return text;
    }

    private static int port(String text, String option) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a port number from 0 to 65535, not '" + text + "'");
    }

    /** A TLS listener's certificate and client certificates, for {@code --check}. */
    private static String describe(TlsConfig tls) {
        String clients = switch (tls.clientAuth()) {
            case REQUIRE -> "; client certificates required, from " + tls.clientCa();
            case OPTIONAL -> "; client certificates optional, from " + tls.clientCa();
            case NONE -> "";
        };
        try {
            return ServerIdentity.load(tls).describe() + clients;
        } catch (TlsFileException e) {
            // Read well a moment ago, when the configuration was loaded: the files are being replaced.
            return e.getMessage();
        }
    }

    private static String describe(Exception e, GatewayConfig config) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("Address already in use")) {
            StringBuilder ports = new StringBuilder();
            if (config.server().plain()) {
                ports.append(config.server().bind()).append(':').append(config.server().port()).append(", ");
            }
            for (TlsConfig tls : config.server().tls()) {
                ports.append(tls.bind()).append(':').append(tls.port()).append(" (TLS), ");
            }
            return "cannot listen on " + ports + "or " + config.metrics().bind() + ":" + config.metrics().port()
                    + " (" + cause.getMessage() + "); stop the program using the port, or choose another with --port "
                    + "/ --metrics-port" + (config.server().tls().isEmpty() ? "" : " / server.tls.port");
        }
        if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
            return cause.getMessage();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /**
     * Waits for SIGTERM or SIGINT, then drains. The signals are handled directly, rather than through a shutdown hook
     * alone, so that the process exits 0 rather than 143; the hook still drains on any other exit.
     */
    private static final class StopSignal {
        private final CountDownLatch requested = new CountDownLatch(1);

        StopSignal() {
            Signals.handle(requested::countDown, "TERM", "INT");
        }

        void serve(GatewayServer server, ConfigReloader reloader, Logger log) {
            CountDownLatch stopped = new CountDownLatch(1);
            Runnable shutdown = () -> {
                if (reloader != null) {
                    reloader.close();
                }
                // A reload may have changed it.
                Duration drainTimeout = server.config().server().drainTimeout();
                log.info("stopping: draining requests in flight (up to {} ms)", drainTimeout.toMillis());
                boolean drained = server.drainAndStop(drainTimeout);
                log.info("stopped{}", drained ? "" : " (some requests were cut off at the drain timeout)");
                // The process exits next, and the access lines of the last requests may still wait in the log's queue.
                LogShutdown.flushAndStop();
                stopped.countDown();
            };
            Thread hook = new Thread(() -> {
                if (stopped.getCount() > 0) {
                    shutdown.run();
                }
            }, "hook-gateway-shutdown-hook");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                requested.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            shutdown.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The JVM is exiting for another reason; the drain above already ran.
            }
        }
    }

    /** The version from the jar's manifest, or {@code dev} when run from classes. */
    static String version() {
        String v = HookGateway.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
