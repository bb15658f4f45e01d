package io.hookgateway.loader;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.hookgateway.clients.ClientRules;
import io.hookgateway.clients.RateLimits;
import io.hookgateway.config.ConfigException;
import io.hookgateway.config.ConfigNode;
import io.hookgateway.config.ConfigProblems;
import io.hookgateway.config.ConfigSchema;
import io.hookgateway.config.ConfigTree;
import io.hookgateway.config.MetricsConfig;
import io.hookgateway.config.SubstitutedText;
import io.hookgateway.config.Units;
import io.hookgateway.config.UnsetVariable;
import io.hookgateway.config.YamlRefusals;
import io.hookgateway.hooks.Authenticator;
import io.hookgateway.hooks.HookMethods;
import io.hookgateway.hooks.Rule;
import io.hookgateway.http.FixedLengthBodyAggregator;
import io.hookgateway.http.HeaderLineDecoder;
import io.hookgateway.http.HttpLimits;
import io.hookgateway.logging.LogFormat;
import io.hookgateway.processors.ConfiguredProcessor;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.processors.ProcessorRegistry;
import io.hookgateway.processors.ProcessorType;
import io.hookgateway.processors.rules.Rules;
import io.hookgateway.routing.ExecutionLimits;
import io.hookgateway.routing.PathPattern;
import io.hookgateway.routing.RequestObserver;
import io.hookgateway.security.AuthRegistry;
import io.hookgateway.tls.TlsConfig;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads {@code gateway.yaml} (YAML, or JSON) into a validated {@link GatewayConfig}. Every problem in the file is
 * reported at once, each with its key path and a fix; any problem means no configuration
 * ({@link ConfigException}), because a gateway half-configured is worse than one that does not start.
 *
 * <p>{@code ${NAME}} and {@code ${NAME:-default}} in values are replaced from the environment first, and
 * {@code ${file:/path}} by what the file holds; only names in upper case are variables, so request-value templates
 * such as {@code ${body}} pass through untouched.
 */
public final class ConfigLoader {

    /** The source name of the configuration built into the jar. */
    public static final String EMBEDDED_SOURCE = "<embedded default>";
    /** Where the embedded default lives: the build copies {@code gateway/gateway.yaml} there. */
    public static final String EMBEDDED_RESOURCE = "/io/hookgateway/config/gateway.yaml";

    private static final Pattern HOOK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    /** Sorted, for the message that lists them. */
    private static final Set<String> METHODS = new TreeSet<>(HookMethods.ALL);
    private static final long MAX_BODY_LIMIT = 64L * 1024 * 1024;
    /** In YAML an empty value ("server:" with everything under it commented out) means absent, not ''. */
    private static final YAMLFactory YAML = YAMLFactory.builder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final ProcessorRegistry registry;
    private final UnaryOperator<String> environment;
    private final AuthReader auth;

    public ConfigLoader(ProcessorRegistry registry) {
        this(registry, System::getenv);
    }

    /** A loader reading variables from {@code environment} instead of the process's environment (tests). */
    public ConfigLoader(ProcessorRegistry registry, UnaryOperator<String> environment) {
        this(registry, environment, AuthRegistry.load());
    }

    /**
     * A loader with its own ways to authenticate: tests give the {@code alexa} way a local certificate server and
     * certificate authority in place of Amazon's.
     */
    public ConfigLoader(ProcessorRegistry registry, UnaryOperator<String> environment, AuthRegistry authTypes) {
        this.registry = registry;
        this.environment = environment;
        this.auth = new AuthReader(authTypes);
    }

    /** Loads a file. */
    public GatewayConfig load(Path file) throws ConfigException {
        String source = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, "", "file not found; check the path given with --config or "
                    + "HOOK_GATEWAY_CONFIG");
        } catch (IOException e) {
            throw new ConfigException(source, "", "cannot be read: " + e.getMessage());
        }
        Path directory = file.toAbsolutePath().getParent();
        boolean json = source.toLowerCase(Locale.ROOT).endsWith(".json");
        return parse(text, source, directory, json);
    }

    /** Loads the configuration built into the jar: the seed's {@code POST /post} and a few examples. */
    public GatewayConfig loadEmbeddedDefault() throws ConfigException {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(EMBEDDED_RESOURCE)) {
            if (in == null) {
                throw new ConfigException(EMBEDDED_SOURCE, "", "missing from the jar; rebuild it");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return parse(text, EMBEDDED_SOURCE, Path.of("").toAbsolutePath(), false);
        } catch (IOException e) {
            throw new ConfigException(EMBEDDED_SOURCE, "", "cannot be read: " + e.getMessage());
        }
    }

    /** Parses configuration text. */
    public GatewayConfig parse(String text, String source, Path directory, boolean json) throws ConfigException {
        ConfigProblems problems = new ConfigProblems();
        YAMLException unreadable = null;
        if (!json) {
            // What the reader would misread is refused before anything reads it.
            try {
                YamlRefusals.report(text, problems);
            } catch (YAMLException e) {
                unreadable = e;
            }
            if (unreadable == null && !problems.isEmpty()) {
                throw new ConfigException(source, problems.list());
            }
        }
        JsonNode root = tree(text, source, json);
        if (unreadable != null) {
            // Not YAML after the first document, which the reader does not read.
            throw new ConfigException(source, "", syntaxError(unreadable));
        }
        if (root == null || root.isNull()) {
            root = JsonNodeFactory.instance.objectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException(source, "", "must be a mapping with the keys server, metrics, logging and hooks");
        }
        JsonNode substituted = substitute(root, "", problems, directory);
        GatewayConfig config = read(ConfigNode.of(substituted, "", problems), source, directory);
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems.list());
        }
        return config;
    }

    /**
     * The JSON Schema (draft-07) of the configuration files this loader reads, taken from what its readers ask for
     * ({@link ConfigSchema}): every processor type and way to authenticate known to it is in it.
     */
    public ObjectNode schema() {
        Path here = Path.of("").toAbsolutePath();
        return ConfigSchema.describe(List.of(specimen(false), specimen(true)), root -> read(root, "<schema>", here));
    }

    /** {@link #schema()} as committed in {@code gateway/gateway.schema.json}: indented, one key a line. */
    public String schemaText() {
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(schema()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the schema could not be written", e);
        }
    }

    /**
     * A configuration that leads the readers everywhere: a hook for each processor type and each way to
     * authenticate, rules with each operator, a TLS listener (a list of them when {@code lists}, and auth as a list).
     * Its values do not matter, and no more is needed: the readers are led on from there to each mapping they ask for.
     */
    private ObjectNode specimen(boolean lists) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode server = root.putObject("server");
        if (lists) {
            server.putArray("tls").addObject();
        } else {
            server.putObject("tls");
        }
        ArrayNode hooks = root.putArray("hooks");
        for (String type : registry.names()) {
            hooks.addObject().putObject("processor").put("type", type);
        }
        ArrayNode chain = hooks.addObject().putArray("processors");
        for (String type : registry.names()) {
            chain.addObject().put("type", type);
        }
        String firstWay = null;
        for (String way : auth.wayNames()) {
            firstWay = firstWay == null ? way : firstWay;
            ObjectNode hook = hooks.addObject();
            (lists ? hook.putArray("auth").addObject() : hook.putObject("auth")).putObject(way);
        }
        for (String combination : List.of("all", "any")) {
            hooks.addObject().putObject("auth").putArray(combination).addObject().putObject(firstWay);
        }
        ObjectNode ruled = hooks.addObject();
        for (String key : List.of("guard", "rules")) {
            ArrayNode each = ruled.putObject(key).putArray("any");
            Rules.OPERATORS.forEach(op -> each.addObject().putObject(op));
        }
        return root;
    }

    /** The text's tree, keeping how numbers were written ({@link ConfigTree}); a syntax error is thrown, with where. */
    private static JsonNode tree(String text, String source, boolean json) throws ConfigException {
        try (JsonParser parser = (json ? JSON : YAML).createParser(text)) {
            JsonNode root = ConfigTree.read(parser, !json);
            if (json && root != null && parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw new ConfigException(source, "", "line " + at.getLineNr() + ", column " + at.getColumnNr()
                        + ": not valid JSON: a second value after the first; the gateway reads one, so put the whole "
                        + "configuration in one object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, "", syntaxError(e, json));
        } catch (IOException e) {
            throw new ConfigException(source, "", "cannot be read: " + e.getMessage());
        }
    }

    private GatewayConfig read(ConfigNode root, String source, Path directory) {
        ServerConfig server = readServer(root.object("server"), root, directory);
        MetricsConfig metrics = readMetrics(root.object("metrics"), root);
        for (ConfigProblems.Problem clash : portClashes(server, metrics)) {
            root.problem(clash.keyPath(), clash.message());
        }
        LogFormat logFormat = readLogging(root.object("logging"), root);
        List<HookConfig> hooks = readHooks(root, server, directory);
        checkBodyMemory(root, server, hooks);
        root.finish();
        return new GatewayConfig(source, directory, server, metrics, hooks, logFormat);
    }

    /** A body at a hook's limit must fit the memory large bodies may hold, or the hook could never take one. */
    private static void checkBodyMemory(ConfigNode root, ServerConfig server, List<HookConfig> hooks) {
        long budget = server.maxBufferedBodyBytes();
        if (budget == 0) {
            return;
        }
        long largest = server.maxBodyBytes();
        String where = "server.max-body-size";
        for (int i = 0; i < hooks.size(); i++) {
            if (hooks.get(i).maxBodyBytes() > largest) {
                largest = hooks.get(i).maxBodyBytes();
                where = "the max-body-size of hook '" + hooks.get(i).name() + "'";
            }
        }
        // The last eighth is kept for small bodies (BodyBudget), so a large one may take seven eighths.
        if (largest > budget - budget / 8) {
            root.problem("server.max-buffered-body-size", "is " + Units.formatSize(budget) + ", and seven eighths "
                    + "of it, what large bodies may take, is less than " + where + " (" + Units.formatSize(largest)
                    + "), so a body at that limit would always be refused; raise it, or lower the limit");
        }
    }

    /**
     * The ports that two listeners would share, each as a problem at the key to change: the plain port, each TLS
     * listener's and the metrics port must differ (port 0, a free one, aside). Checked again after the command line
     * has replaced ports.
     */
    public static List<ConfigProblems.Problem> portClashes(ServerConfig server, MetricsConfig metrics) {
        List<ConfigProblems.Problem> clashes = new ArrayList<>();
        Map<Integer, String> taken = new HashMap<>();
        if (server.plain() && server.port() != 0) {
            taken.put(server.port(), "server.port");
        }
        for (int i = 0; i < server.tls().size(); i++) {
            int port = server.tls().get(i).port();
            String key = server.tls().size() == 1 ? "server.tls.port" : "server.tls[" + i + "].port";
            String other = port == 0 ? null : taken.putIfAbsent(port, key);
            if (other != null) {
                clashes.add(new ConfigProblems.Problem(key, "is the same as " + other + " (" + port + "); a TLS "
                        + "listener needs a port of its own, such as " + TlsConfig.DEFAULT_PORT
                        + (other.equals("server.port") ? " (or turn the plain port off with server.plain: false)"
                        : "")));
            }
        }
        String other = metrics.enabled() && metrics.port() != 0 ? taken.get(metrics.port()) : null;
        if (other != null) {
            clashes.add(new ConfigProblems.Problem("metrics.port", "is the same as " + other + " (" + metrics.port()
                    + "); metrics need a port of their own, such as " + MetricsConfig.DEFAULT_PORT));
        }
        return clashes;
    }

    private static ServerConfig readServer(ConfigNode node, ConfigNode root, Path directory) {
        ConfigNode n = node != null ? node : emptyNode(root, "server");
        String bind = n.string("bind", ServerConfig.DEFAULT_BIND);
        ServerConfig server = new ServerConfig(
                bind,
                n.integer("port", ServerConfig.DEFAULT_PORT, 0, 65535),
                n.integer("io-threads", 0, 0, 256),
                n.integer("worker-threads", 16, 1, 1024),
                n.integer("worker-queue", 256, 0, 100_000),
                (int) n.size("max-request-line-size", HeaderLineDecoder.DEFAULT_MAX_REQUEST_LINE_BYTES, 256, 65536),
                (int) n.size("max-header-size", HeaderLineDecoder.DEFAULT_MAX_HEADER_BYTES, 1024, 256 * 1024),
                n.integer("max-header-count", HeaderLineDecoder.DEFAULT_MAX_HEADER_FIELDS, 1, 1000),
                n.size("max-body-size", FixedLengthBodyAggregator.DEFAULT_MAX_BODY_BYTES, 0, MAX_BODY_LIMIT),
                n.integer("max-connections", ServerConfig.DEFAULT_MAX_CONNECTIONS, 1, 1_000_000),
                n.duration("request-head-timeout", HttpLimits.DEFAULT_HEAD_TIMEOUT, Duration.ofMillis(100),
                        Duration.ofMinutes(10)),
                n.duration("request-body-timeout", HttpLimits.DEFAULT_BODY_TIMEOUT, Duration.ofMillis(100),
                        Duration.ofHours(1)),
                n.duration("idle-timeout", HttpLimits.DEFAULT_IDLE_TIMEOUT, Duration.ofMillis(100),
                        Duration.ofHours(1)),
                n.duration("drain-timeout", Duration.ofSeconds(10), Duration.ZERO, Duration.ofMinutes(10)),
                n.bool("access-log", true),
                n.size("max-buffered-body-size", 0, 64 * 1024, 64L * 1024 * 1024 * 1024),
                ClientsReader.readServer(n),
                n.bool("plain", true),
                TlsReader.read(n, bind, directory));
        checkBind(n, server.bind());
        if (!server.plain() && !n.has("tls")) {
            n.problem("plain", "is false and there is no tls listener, so no port would serve the hooks; add "
                    + "server.tls, or remove plain: false");
        }
        n.finish();
        return server;
    }

    private static MetricsConfig readMetrics(ConfigNode node, ConfigNode root) {
        ConfigNode n = node != null ? node : emptyNode(root, "metrics");
        MetricsConfig metrics = new MetricsConfig(
                n.bool("enabled", true),
                n.string("bind", ServerConfig.DEFAULT_BIND),
                n.integer("port", MetricsConfig.DEFAULT_PORT, 0, 65535));
        checkBind(n, metrics.bind());
        n.finish();
        return metrics;
    }

    /** {@code logging:}: the format of the log lines ({@link LogFormat}); the level is HOOK_GATEWAY_LOG_LEVEL's. */
    private static LogFormat readLogging(ConfigNode node, ConfigNode root) {
        ConfigNode n = node != null ? node : emptyNode(root, "logging");
        LogFormat format = n.parsed("format", LogFormat.PLAIN, word -> {
            LogFormat named = LogFormat.named(word);
            if (named == null) {
                throw new IllegalArgumentException("'" + word + "' is not a log format; use plain (text lines) or "
                        + "json (one object a line)");
            }
            return named;
        });
        n.finish();
        return format;
    }

    private static void checkBind(ConfigNode node, String bind) {
        String problem = bindProblem(bind);
        if (problem != null) {
            node.problem("bind", problem);
        }
    }

    /**
     * Why the gateway could not listen on {@code address}, as far as the configuration can tell, or {@code null}: an IP
     * address, or a name this machine resolves now (as the start would). Whether the machine has the address, or
     * the port is free, only the start can tell.
     */
    public static String bindProblem(String address) {
        if (address.isBlank()) {
            return "is empty; write an address such as 0.0.0.0 (all interfaces) or 127.0.0.1";
        }
        if (NetUtil.isValidIpV4Address(address) || NetUtil.isValidIpV6Address(address)) {
            return null;
        }
        try {
            InetAddress.getByName(address);
            return null;
        } catch (UnknownHostException | SecurityException e) {
            return "'" + address + "' is neither an IP address nor a name this machine resolves; write an address "
                    + "such as 0.0.0.0 (all interfaces), 127.0.0.1 or ::";
        }
    }

    private List<HookConfig> readHooks(ConfigNode root, ServerConfig server, Path directory) {
        if (!root.has("hooks")) {
            // One line, as every problem is: the command line prints one problem a line.
            root.problem("hooks", "is missing; add at least one hook, e.g. hooks: [{name: post, path: /post, "
                    + "methods: [POST], processor: {type: respond, body: SUCCESS}}]");
            return List.of();
        }
        List<ConfigNode> nodes = root.objects("hooks");
        List<HookConfig> hooks = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, Route> routes = new HashMap<>();
        Map<ProcessorType<?>, List<Parsed<?>>> byType = new LinkedHashMap<>();
        for (ConfigNode node : nodes) {
            List<Parsed<?>> parsed = new ArrayList<>();
            HookConfig hook = readHook(node, server, directory, parsed);
            parsed.forEach(p -> byType.computeIfAbsent(p.type(), t -> new ArrayList<>()).add(p));
            if (hook == null) {
                continue;
            }
            String previous = names.putIfAbsent(hook.name(), node.path());
            if (previous != null) {
                node.problem("name", "'" + hook.name() + "' is already the name of " + previous
                        + "; hook names must be unique");
                continue;
            }
            checkRoute(node, "path", "methods", hook.path(), hook.methods(), node.pathOf("path"), routes);
            for (Parsed<?> p : parsed) {
                checkSubResources(hook, p, routes);
            }
            hooks.add(hook);
        }
        if (nodes.isEmpty() && root.isEmptyList("hooks")) {
            root.problem("hooks", "is empty; add at least one hook");
        }
        byType.values().forEach(ConfigLoader::checkTogether);
        return hooks;
    }

    /** A processor as read, with the mapping it was read from: for the checks that look across hooks. */
    private record Parsed<O>(ProcessorType<O> type, O options, ConfigNode node) {
    }

    /** Hands every processor of one type to the type's {@link ProcessorType#checkTogether}. */
    @SuppressWarnings("unchecked")
    private static <O> void checkTogether(List<Parsed<?>> sameType) {
        ProcessorType<O> type = (ProcessorType<O>) sameType.get(0).type();
        List<ProcessorType.Configured<O>> configured = new ArrayList<>();
        for (Parsed<?> p : sameType) {
            configured.add(new ProcessorType.Configured<>((O) p.options(), p.node()));
        }
        try {
            type.checkTogether(configured);
        } catch (RuntimeException e) {
            sameType.get(0).node().problem(null, "processor '" + type.name() + "' could not check its hooks "
                    + "together: " + e.getMessage());
        }
    }

    /** The resources a processor serves besides its hook (an async run's state), routed with the hook for GET. */
    private static <O> void checkSubResources(HookConfig hook, Parsed<O> parsed, Map<String, Route> routes) {
        for (String sub : parsed.type().subResourcePaths(parsed.options())) {
            PathPattern path;
            try {
                path = PathPattern.parse(hook.path().text() + sub);
            } catch (IllegalArgumentException e) {
                parsed.node().problem(null, "its resource " + sub + " under the hook's path " + e.getMessage());
                continue;
            }
            checkRoute(parsed.node(), null, null, path, Set.of("GET"), "the resource that " + parsed.node().path()
                    + " serves", routes);
        }
    }

    /**
     * The routes already taken on one path shape, to find two that would take the same requests: the path as
     * written, the key path it was declared at, and who takes each method.
     */
    private record Route(String path, String declaredAt, Map<String, String> methods) {
    }

    /**
     * Checks a route against those before it: the same requests may not reach two hooks, nor a hook and another's
     * resource, or the gateway would not start. The problems go to {@code pathKey} and {@code methodsKey} of
     * {@code node} ({@code null} for the node itself); in messages about later routes, {@code declaredAt} names this
     * one's path and {@code node} the taker of each method.
     */
    private static void checkRoute(ConfigNode node, String pathKey, String methodsKey, PathPattern path,
                                   Set<String> methods, String declaredAt, Map<String, Route> routes) {
        Route route = routes.get(path.shape());
        if (route == null) {
            Map<String, String> taken = new HashMap<>();
            methods.forEach(m -> taken.put(m, node.path()));
            routes.put(path.shape(), new Route(path.text(), declaredAt, taken));
            return;
        }
        if (!route.path().equals(path.text())) {
            node.problem(pathKey, path + " matches exactly the requests of " + route.path() + " ("
                    + route.declaredAt() + "); use one spelling of the variables for both, or different paths");
            return;
        }
        for (String method : methods) {
            String other = route.methods().putIfAbsent(method, node.path());
            if (other != null) {
                node.problem(methodsKey, method + " " + path + " is already taken by " + other
                        + "; give one of the hooks another path or method");
            }
        }
    }

    private HookConfig readHook(ConfigNode node, ServerConfig server, Path directory, List<Parsed<?>> parsed) {
        String name = node.requiredString("name",
                "give the hook a name such as 'lights-on' (used in logs and metrics)");
        if (name != null && (!HOOK_NAME.matcher(name).matches() || name.equals(RequestObserver.UNMATCHED))) {
            node.problem("name", "'" + name + "' is not a valid hook name; use up to 64 letters, digits, '.', '_' "
                    + "and '-', starting with a letter or digit ('unmatched' is reserved)");
            name = null;
        }
        String pathText = node.requiredString("path", "write the path the hook answers on, such as /post");
        PathPattern path = null;
        if (pathText != null) {
            try {
                path = PathPattern.parse(pathText);
            } catch (IllegalArgumentException e) {
                node.problem("path", "'" + pathText + "' " + e.getMessage());
            }
        }
        Set<String> methods = new LinkedHashSet<>();
        boolean badMethod = false;
        List<String> listed = node.strings("methods", List.of("POST"));
        for (String m : listed) {
            String method = m.trim().toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                node.problem("methods", "'" + m + "' is not a method a hook can take; use "
                        + String.join(", ", METHODS));
                badMethod = true;
            } else {
                methods.add(method);
            }
        }
        if (listed.isEmpty() && !badMethod) {
            node.problem("methods", "is empty; list at least one method, such as [POST]");
        }
        long maxBody = node.size("max-body-size", server.maxBodyBytes(), 0, MAX_BODY_LIMIT);
        boolean accessLog = node.bool("access-log", server.accessLog());
        ExecutionLimits limits = new ExecutionLimits(
                node.integer("max-concurrent", ExecutionLimits.DEFAULT_MAX_CONCURRENT, 1, 10_000),
                node.integer("max-queued", ExecutionLimits.DEFAULT_MAX_QUEUED, 0, 100_000),
                node.duration("timeout", ExecutionLimits.DEFAULT_TIMEOUT, Duration.ofMillis(10), Duration.ofHours(1)));
        // With no valid path, which variables exist is unknown: a template's ${path.x} is not checked then.
        ProcessorContext.Static context =
                new StaticContext(directory, name, path == null ? null : path.variableNames(), parsed);
        List<HookConfig.ProcessorSpec<?>> processors = readProcessors(node, context, parsed);
        Authenticator authenticator = auth.read(node, context);
        // Absent: hidden. Written but unreadable (reported already): not, so that nothing more is said of it.
        boolean hiddenGiven = node.has("hidden");
        boolean hidden = node.bool("hidden", !hiddenGiven);
        if (hiddenGiven && hidden && !node.has("auth")) {
            node.problem("hidden", "is given but the hook has no auth, so nothing tells a caller from a stranger; add "
                    + "auth, or remove it");
        }
        Rule guard = Rules.read(node, "guard", context);
        Rule rule = Rules.read(node, "rules", context);
        HookConfig.ProcessorSpec<?> onMismatch = readOnMismatch(node, context, parsed);
        ClientRules clients = ClientsReader.rules(node);
        RateLimits rateLimit = ClientsReader.rateLimits(node, server.clients().rateLimit());
        node.finish();
        if (name == null || path == null || processors == null || onMismatch == null || methods.isEmpty()
                || authenticator == null) {
            return null;
        }
        return new HookConfig(name, path, methods, processors, authenticator, hidden, guard, rule, onMismatch,
                maxBody, accessLog, limits, clients, rateLimit, new HookConfig.Written(node.tree()));
    }

    /** {@code processor:} (one) or {@code processors:} (a chain, run in order); exactly one of them. */
    private List<HookConfig.ProcessorSpec<?>> readProcessors(ConfigNode hookNode, ProcessorContext.Static context,
                                                             List<Parsed<?>> parsed) {
        boolean one = hookNode.has("processor");
        boolean many = hookNode.has("processors");
        if (one && many) {
            hookNode.problem("processors", "and processor are both given; use processor for one, processors for "
                    + "a chain");
            return null;
        }
        if (!one && !many) {
            hookNode.problem("processor", "is required; for example: processor: {type: respond, body: OK}");
            return null;
        }
        List<ConfigNode> nodes;
        if (one) {
            ConfigNode node = hookNode.object("processor");
            nodes = node == null ? List.of() : List.of(node);
        } else {
            nodes = hookNode.objects("processors");
            if (nodes.isEmpty() && hookNode.isEmptyList("processors")) {
                hookNode.problem("processors", "is empty; list at least one processor");
            }
        }
        List<HookConfig.ProcessorSpec<?>> specs = new ArrayList<>();
        for (ConfigNode node : nodes) {
            HookConfig.ProcessorSpec<?> spec = readProcessor(node, context, parsed);
            if (spec != null) {
                specs.add(spec);
            }
        }
        return specs.isEmpty() || specs.size() != nodes.size() ? null : specs;
    }

    private HookConfig.ProcessorSpec<?> readProcessor(ConfigNode node, ProcessorContext.Static context,
                                                      List<Parsed<?>> parsed) {
        String typeName = node.requiredString("type", "name the processor type, one of: " + typeNames());
        if (typeName == null) {
            return null;
        }
        ProcessorType<?> type = registry.get(typeName);
        if (type == null) {
            Set<String> known = new TreeSet<>();
            registry.names().forEach(known::add);
            String suggestion = ConfigNode.closest(typeName, known);
            node.problem("type", "'" + typeName + "' is not a processor type"
                    + (suggestion != null ? "; did you mean '" + suggestion + "'?" : ".")
                    + " Known types: " + typeNames());
            return null;
        }
        node.describedAs("processor-" + typeName, "type", typeName);
        return spec(type, node, context, parsed);
    }

    /**
     * {@code on-mismatch:} takes the options of {@code respond}; by default a request that does not satisfy the rules
     * gets 200 (as adnanh/webhook answers), so a sender does not retry a delivery that was refused on purpose.
     */
    private HookConfig.ProcessorSpec<?> readOnMismatch(ConfigNode hookNode, ProcessorContext.Static context,
                                                       List<Parsed<?>> parsed) {
        ProcessorType<?> respond = registry.get("respond");
        ConfigNode node = hookNode.object("on-mismatch");
        if (node == null) {
            node = ConfigNode.of(JsonNodeFactory.instance.objectNode()
                    .put("body", "hook rules not satisfied; nothing was run\n"), hookNode.pathOf("on-mismatch"),
                    new ConfigProblems());
        } else if (!hookNode.has("rules")) {
            hookNode.problem("on-mismatch", "is given but the hook has no rules; add rules, or remove it");
        }
        return respond == null ? null : spec(respond, node, context, parsed);
    }

    private static <O> HookConfig.ProcessorSpec<O> spec(ProcessorType<O> type, ConfigNode node,
                                                        ProcessorContext.Static context, List<Parsed<?>> parsed) {
        try {
            O options = type.parseOptions(node, context);
            if (options != null) {
                parsed.add(new Parsed<>(type, options, node));
            }
            return new HookConfig.ProcessorSpec<>(type, options);
        } catch (RuntimeException e) {
            node.problem(null, "processor '" + type.name() + "' could not read its options: " + e.getMessage());
            return null;
        }
    }

    private String typeNames() {
        return String.join(", ", registry.names());
    }

    /** What a hook's processors are told while their options are read; {@code parsed} collects those read. */
    private final class StaticContext implements ProcessorContext.Static {
        private final Path configDirectory;
        private final String hookName;
        private final Set<String> pathVariables;
        private final List<Parsed<?>> parsed;

        StaticContext(Path configDirectory, String hookName, Set<String> pathVariables, List<Parsed<?>> parsed) {
            this.configDirectory = configDirectory;
            this.hookName = hookName;
            this.pathVariables = pathVariables;
            this.parsed = parsed;
        }

        @Override
        public Path configDirectory() {
            return configDirectory;
        }

        @Override
        public String hookName() {
            return hookName;
        }

        @Override
        public Set<String> pathVariables() {
            return pathVariables;
        }

        /** Read as a hook's own processor is, so it is checked with every other of its type. */
        @Override
        public ConfiguredProcessor processor(ConfigNode node) {
            HookConfig.ProcessorSpec<?> spec = readProcessor(node, this, parsed);
            if (spec == null || spec.options() == null) {
                return null;
            }
            if (!serves(spec).isEmpty()) {
                node.problem(null, "processor '" + spec.typeName() + "' serves " + serves(spec) + " besides its "
                        + "hook, which it cannot inside another processor; make it one of the hook's processors");
                return null;
            }
            return spec;
        }

        private static <O> List<String> serves(HookConfig.ProcessorSpec<O> spec) {
            return spec.type().subResourcePaths(spec.options());
        }
    }

    private static ConfigNode emptyNode(ConfigNode root, String key) {
        return ConfigNode.of(JsonNodeFactory.instance.objectNode(), root.pathOf(key), new ConfigProblems());
    }

    /** {@code ${NAME}}, {@code ${NAME:-default}}, or {@code ${file:/path}}. */
    private static final Pattern ENV_REFERENCE =
            Pattern.compile("\\$\\{(?:file:([^}]*)|([A-Z_][A-Z0-9_]*)(?::-([^}]*))?)}");
    /** A secret file larger than this is not a secret; it is refused rather than read whole. */
    static final int MAX_SECRET_FILE_BYTES = 64 * 1024;

    /**
     * Replaces {@code ${NAME}}, {@code ${NAME:-default}} and {@code ${file:/path}} in every string value, reporting
     * unset variables and unreadable files. A value with variables becomes a {@link SubstitutedText}, and each
     * variable's value is given to {@code problems} to hide, so that no message shows what the environment or a
     * secret file holds. A value with a variable that is not set, or a file that cannot be read, becomes an
     * {@link UnsetVariable}, which nothing reads.
     */
    private JsonNode substitute(JsonNode node, String path, ConfigProblems problems, Path directory) {
        if (node instanceof TextNode text) {
            return substituteText(text, path, problems, directory);
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String childPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                copy.set(field.getKey(), substitute(field.getValue(), childPath, problems, directory));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                copy.add(substitute(node.get(i), path + "[" + i + "]", problems, directory));
            }
            return copy;
        }
        return node;
    }

    private JsonNode substituteText(TextNode node, String path, ConfigProblems problems, Path directory) {
        String text = node.asText();
        if (text.indexOf("${") < 0) {
            // Kept as it is: a RetypedNumber stays one.
            return node;
        }
        Matcher m = ENV_REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        Map<String, String> variables = new LinkedHashMap<>();
        List<String> unset = new ArrayList<>();
        int last = 0;
        while (m.find()) {
            if (m.start() > 0 && text.charAt(m.start() - 1) == '$') {
                // $${NAME} is an escaped reference: left for the template, which turns $${ into ${.
                continue;
            }
            out.append(text, last, m.start());
            String name;
            String value;
            if (m.group(1) != null) {
                name = SubstitutedText.FILE_PREFIX + m.group(1);
                value = readSecretFile(m.group(1), directory, path, problems);
                if (value == null) {
                    unset.add(null);
                    value = "";
                } else {
                    problems.hide(path, value, m.group());
                }
            } else {
                name = m.group(2);
                value = environment.apply(name);
                if (value != null) {
                    problems.hide(path, value, "${" + name + "}");
                } else {
                    value = m.group(3);
                }
                if (value == null) {
                    if (!unset.contains(name)) {
                        // One problem a variable, however often it is written.
                        problems.add(path, "environment variable " + name + " is not set; set it, or give a "
                                + "default as ${" + name + ":-default}");
                    }
                    unset.add(name);
                    value = "";
                }
            }
            variables.put(name, value);
            // A value is data: a "${" in it (a password, say) must not become a reference to something else.
            out.append(value.replace("${", "$${"));
            last = m.end();
        }
        if (!unset.isEmpty()) {
            // No value: what is left of the text ("x-" of "x-${KEY}") would be reported again by whatever reads it,
            // as an empty secret, a method 'x-', a program not found.
            return UnsetVariable.INSTANCE;
        }
        out.append(text, last, text.length());
        return variables.isEmpty() ? TextNode.valueOf(out.toString())
                : new SubstitutedText(out.toString(), text, variables);
    }

    /**
     * The text of a secret file, {@code ${file:/run/secrets/name}} as Docker and Kubernetes mount them: UTF-8, one
     * trailing line break taken off (what {@code echo} and editors add), resolved against the configuration's
     * directory when relative. {@code null} after reporting why it cannot be read; the message names the file, never
     * what is in it.
     */
    private static String readSecretFile(String written, Path directory, String path, ConfigProblems problems) {
        if (written.isBlank()) {
            problems.add(path, "${file:} names no file; write the secret file's path, as ${file:/run/secrets/name}");
            return null;
        }
        Path file;
        try {
            file = directory.resolve(written);
        } catch (InvalidPathException e) {
            problems.add(path, "${file:" + written + "} is not a path; write the secret file's path, as "
                    + "${file:/run/secrets/name}");
            return null;
        }
        try {
            if (!Files.isRegularFile(file)) {
                problems.add(path, "secret file " + file + " " + (Files.exists(file) ? "is not a file"
                        : "does not exist") + "; create it, or mount the secret there");
                return null;
            }
            if (Files.size(file) > MAX_SECRET_FILE_BYTES) {
                problems.add(path, "secret file " + file + " holds more than " + MAX_SECRET_FILE_BYTES / 1024
                        + " KiB, which no secret needs; check the path");
                return null;
            }
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            if (text.endsWith("\r\n")) {
                return text.substring(0, text.length() - 2);
            }
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (CharacterCodingException e) {
            problems.add(path, "secret file " + file + " is not UTF-8 text; write the secret as text");
            return null;
        } catch (IOException e) {
            problems.add(path, "secret file " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + "); check that the gateway's user may read it");
            return null;
        }
    }

    private static String syntaxError(JsonProcessingException e, boolean json) {
        JsonLocation location = e.getLocation();
        return syntaxError(location != null ? location.getLineNr() : 0, location != null ? location.getColumnNr() : 0,
                e.getOriginalMessage(), json);
    }

    private static String syntaxError(YAMLException e) {
        Mark mark = e instanceof MarkedYAMLException marked ? marked.getProblemMark() : null;
        return syntaxError(mark != null ? mark.getLine() + 1 : 0, mark != null ? mark.getColumn() + 1 : 0,
                e instanceof MarkedYAMLException marked ? marked.getProblem() : e.getMessage(), false);
    }

    private static String syntaxError(int lineNr, int column, String message, boolean json) {
        String where = lineNr > 0 ? "line " + lineNr + ", column " + column + ": " : "";
        StringBuilder reason = new StringBuilder();
        for (String line : String.valueOf(message).split("\n")) {
            String l = line.trim();
            // SnakeYAML repeats the position ("in 'reader', line 3, column 2:") and quotes the line with a caret.
            if (l.isEmpty() || l.startsWith("in 'reader'") || l.startsWith("^") || line.startsWith("    ")) {
                continue;
            }
            // Jackson's JSON messages end with where the token started, in its own words.
            l = l.replaceAll("\\s*\\(for [^)]*\\[Source:.*$", "").replaceAll("\\s*at \\[Source:.*$", "");
            if (reason.length() > 0) {
                reason.append("; ");
            }
            reason.append(l);
        }
        return where + "not valid " + (json ? "JSON" : "YAML") + ": " + reason;
    }
}
