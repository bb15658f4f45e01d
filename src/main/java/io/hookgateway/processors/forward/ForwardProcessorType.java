package io.hookgateway.processors.forward;

import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookMethods;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.Transport;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.processors.ProcessorType;
import io.hookgateway.processors.respond.RespondProcessorType;
import io.hookgateway.processors.template.Template;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code forward}: relays the request to a downstream HTTP or HTTPS URL (an ESP8266 on the LAN, Home Assistant,
 * IFTTT's trigger URL) and answers with the downstream's answer, or with a configured one.
 *
 * <pre>
 * processor:
 *   type: forward
 *   url: "http://192.168.1.20/relay?state=${path.state}"  # required; request values are percent-encoded
 *   method: POST                       # default: the request's method
 *   headers: {Authorization: "Bearer ${HA_TOKEN}"}         # templates; replace passed fields of the same name
 *   pass-headers: [Content-Type]       # request fields passed on; the default
 *   body: "${body}"                    # a template; the default passes the body's bytes unchanged
 *   connect-timeout: 5s
 *   response-timeout: 10s
 *   retries: 2
 *   retry-backoff: 200ms               # doubled after each retry, up to 10s
 *   retry-on: [connect, 5xx]           # default: [connect, 5xx] for idempotent methods, [connect] for POST, PATCH
 *   max-response-size: 1MiB
 *   max-connections: 8                 # per downstream host and port
 *   tls-insecure: false
 *   response: {status: 200, body: OK}  # respond's keys; default: pass the downstream's answer back
 * </pre>
 */
public final class ForwardProcessorType implements ProcessorType<ForwardProcessorType.Options> {

    private static final Logger log = LoggerFactory.getLogger(ForwardProcessorType.class);

    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    static final int DEFAULT_RETRIES = 2;
    static final int MAX_RETRIES = 10;
    static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(200);
    static final long DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
    static final long MAX_MAX_RESPONSE_BYTES = 64L * 1024 * 1024;
    static final int DEFAULT_MAX_CONNECTIONS = 8;
    static final int MAX_MAX_CONNECTIONS = 256;
    static final String PASS_BODY = "${body}";

    /** Fields about the connection or the framing, which the client sets itself (RFC 9110 §7.6.1, RFC 9112 §6). */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "content-length", "expect");

    private static final RespondProcessorType RESPOND = new RespondProcessorType();

    /**
     * The validated options.
     *
     * @param method a fixed method, or {@code null} for the request's
     * @param headers header templates by name, in file order
     * @param passHeaders the request's fields passed on, as written
     * @param retryOn what is retried, or {@code null} to decide by method
     * @param response the replacement answer, or {@code null} to pass the downstream's back
     */
    record Options(UrlTemplate url, String method, Map<String, Template> headers, List<String> passHeaders,
                   Template body, Duration connectTimeout, Duration responseTimeout, int retries,
                   Duration retryBackoff, Set<RetryOn> retryOn, long maxResponseBytes, int maxConnections,
                   boolean tlsInsecure, RespondProcessorType.Options response) {

        Options {
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            passHeaders = List.copyOf(passHeaders);
        }

        /** Whether the body is exactly {@code ${body}}: then its bytes go as they came, whatever their charset. */
        boolean passesBody() {
            return body.source().equals(PASS_BODY);
        }
    }

    @Override
    public String name() {
        return "forward";
    }

    @Override
    public Options parseOptions(ConfigNode node, ProcessorContext.Static context) {
        UrlTemplate url = url(node, context);
        String method = node.parsed("method", null, ForwardProcessorType::method);
        Map<String, Template> headers = headers(node, context);
        List<String> passHeaders = passHeaders(node);
        // A body written here is written for the Content-Type set under headers (or, without one, for what it looks
        // like): a request value cannot break out of a JSON string or a form field.
        Template body = Template.readDocument(node, "body", PASS_BODY, context, Template.declaredContentType(headers));
        Duration connectTimeout = node.duration("connect-timeout", DEFAULT_CONNECT_TIMEOUT, Duration.ofMillis(1),
                Duration.ofMinutes(5));
        Duration responseTimeout = node.duration("response-timeout", DEFAULT_RESPONSE_TIMEOUT, Duration.ofMillis(1),
                Duration.ofMinutes(10));
        int retries = node.integer("retries", DEFAULT_RETRIES, 0, MAX_RETRIES);
        Duration retryBackoff = node.duration("retry-backoff", DEFAULT_RETRY_BACKOFF, Duration.ZERO,
                ForwardCall.MAX_RETRY_BACKOFF);
        Set<RetryOn> retryOn = retryOn(node);
        long maxResponseBytes = node.size("max-response-size", DEFAULT_MAX_RESPONSE_BYTES, 0, MAX_MAX_RESPONSE_BYTES);
        int maxConnections = node.integer("max-connections", DEFAULT_MAX_CONNECTIONS, 1, MAX_MAX_CONNECTIONS);
        boolean tlsInsecure = node.bool("tls-insecure", false);
        ConfigNode responseNode = node.object("response");
        RespondProcessorType.Options response = responseNode == null ? null
                : RESPOND.parseOptions(responseNode, context);
        node.finish();
        return new Options(url, method, headers, passHeaders, body == null ? Template.compile(PASS_BODY) : body,
                connectTimeout, responseTimeout, retries, retryBackoff, retryOn, maxResponseBytes, maxConnections,
                tlsInsecure, response);
    }

    @Override
    public HookProcessor create(Options options, ProcessorContext context) throws SSLException {
        Transport transport = context.service(Transport.class);
        // Host names are looked up with a blocking call; outside a gateway there is no worker pool to lend.
        Executor resolver = context.blockingExecutor() != null ? context.blockingExecutor() : ForkJoinPool.commonPool();
        DownstreamClient client = context.shared(DownstreamClient.SHARED_KEY, DownstreamClient.class,
                () -> DownstreamClient.create(transport, resolver));
        if (options.url().https()) {
            client.tls(options.tlsInsecure());
        }
        HookProcessor replacement = options.response() == null ? null : RESPOND.create(options.response(), context);
        if (options.tlsInsecure()) {
            log.warn("hook {} forwards with tls-insecure: its downstream's certificate is not checked, so anyone on "
                    + "the network path can read and change what is sent", context.hookName());
        }
        return new ForwardProcessor(context.hookName(), options, client,
                new ForwardMeters(context.meterRegistry(), context.hookName()), replacement);
    }

    private static UrlTemplate url(ConfigNode node, ProcessorContext.Static context) {
        if (node.requiredString("url", "write the downstream's address, such as http://192.168.1.20/relay") == null) {
            return null;
        }
        Template template = Template.read(node, "url", null, context);
        if (template == null) {
            return null;
        }
        try {
            return UrlTemplate.of(template);
        } catch (IllegalArgumentException e) {
            node.problem("url", e.getMessage());
            return null;
        }
    }

    private static String method(String text) {
        String method = text.trim().toUpperCase(Locale.ROOT);
        if (!HookMethods.isHookMethod(method)) {
            throw new IllegalArgumentException("must be one of " + String.join(", ", HookMethods.ALL) + ", not '" + text
                    + "'; leave it out to send the request's own method");
        }
        return method;
    }

    private static Map<String, Template> headers(ConfigNode node, ProcessorContext.Static context) {
        Map<String, Template> headers = new LinkedHashMap<>();
        ConfigNode fields = node.object("headers");
        if (fields == null) {
            return headers;
        }
        for (String name : fields.names()) {
            String problem = fieldNameProblem(name);
            if (problem != null) {
                fields.problem(name, problem);
                continue;
            }
            Template value = Template.read(fields, name, null, context);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return headers;
    }

    private static List<String> passHeaders(ConfigNode node) {
        List<String> names = node.strings("pass-headers", List.of("Content-Type"));
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String problem = name.equalsIgnoreCase("Host")
                    ? "is the gateway's own; the Host sent is the url's, or one set under headers"
                    : fieldNameProblem(name);
            if (problem != null) {
                node.problem("pass-headers[" + i + "]", "'" + name + "' " + problem);
            }
        }
        return names;
    }

    /** Why a field cannot be configured, or {@code null} when it can. */
    private static String fieldNameProblem(String name) {
        if (!HeaderFields.isValidName(name)) {
            return "is not a valid header name; use letters, digits and - only";
        }
        if (HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
            return "is set by the gateway for each connection; remove it";
        }
        return null;
    }

    private static Set<RetryOn> retryOn(ConfigNode node) {
        List<String> names = node.strings("retry-on", null);
        if (names == null) {
            return null;
        }
        Set<RetryOn> retryOn = EnumSet.noneOf(RetryOn.class);
        for (int i = 0; i < names.size(); i++) {
            RetryOn value = RetryOn.ofConfigName(names.get(i));
            if (value == null) {
                node.problem("retry-on[" + i + "]", "'" + names.get(i) + "' is not something to retry on; "
                        + "use connect, 5xx, or both");
            } else {
                retryOn.add(value);
            }
        }
        return Collections.unmodifiableSet(retryOn);
    }
}
