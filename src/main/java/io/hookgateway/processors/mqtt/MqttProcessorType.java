package io.hookgateway.processors.mqtt;

import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.Transport;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.processors.ProcessorType;
import io.hookgateway.processors.template.Template;
import io.netty.util.NetUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code mqtt}: publishes each request as a message to an MQTT 3.1.1 broker, over one persistent connection per broker
 * that every hook publishing there shares ({@link MqttConnection}). The topic and payload are templates over the
 * request.
 *
 * <pre>
 * processor:
 *   type: mqtt
 *   host: broker.local                     # required
 *   port: 1883                             # 8883 with tls
 *   client-id: lamp-gateway                # default: hook-gateway- and 10 random hex digits, per connection
 *   username: gateway                      # optional
 *   password: ${MQTT_PASSWORD}             # optional, needs username; never logged
 *   tls: false
 *   tls-insecure: false                    # with tls: accept any certificate (home labs only)
 *   tls-ca-file: ca.pem                    # with tls: trust these CAs instead of the JDK's
 *   topic: "cmnd/${path.device}/POWER"     # required, a template
 *   payload: "${json:/value1}"             # a template; default ${body}, the body's bytes as sent
 *   qos: 1                                 # 0 or 1; with 1 the hook answers after the broker's PUBACK
 *   retain: false
 *   keep-alive: 30s
 *   connect-timeout: 5s
 *   publish-timeout: 10s                   # QoS 1: no PUBACK within it answers 504
 * </pre>
 *
 * The hook answers {@code 200 published}; in a chain ({@code processors: [mqtt, respond]}) the next step answers.
 */
public final class MqttProcessorType implements ProcessorType<MqttProcessorType.Options> {

    static final String BODY = "${body}";
    static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);
    static final Duration MAX_KEEP_ALIVE = Duration.ofSeconds(65_535);
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The validated options of one hook's {@code mqtt} processor.
     *
     * @param broker where to publish, and how to log in
     * @param topic the topic template
     * @param payload the payload template
     * @param qos 0 or 1
     * @param retain the PUBLISH's retain flag
     * @param publishTimeout how long a QoS 1 publish waits for its PUBACK
     */
    record Options(BrokerSettings broker, Template topic, Template payload, int qos, boolean retain,
                   Duration publishTimeout) {
        Options {
            Objects.requireNonNull(broker, "broker");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(publishTimeout, "publishTimeout");
            if (qos != 0 && qos != 1) {
                throw new IllegalArgumentException("qos must be 0 or 1: " + qos);
            }
        }

        /**
         * Whether the payload is exactly {@code ${body}}: then the body's bytes are sent as they came, without
         * decoding and encoding them again.
         */
        boolean payloadIsBody() {
            return payload.isWholeBody();
        }
    }

    @Override
    public String name() {
        return "mqtt";
    }

    @Override
    public Options parseOptions(ConfigNode node, ProcessorContext.Static context) {
        String host = node.requiredString("host", "name the broker, as host: broker.local or host: 192.168.1.10");
        String hostProblem = host != null ? hostProblem(host) : null;
        if (hostProblem != null) {
            // The suggestion is made of parts of the value, which the environment may have filled with a secret.
            node.problem("host", node.isFromEnvironment("host") ? "is not a host name or IP address alone; write "
                    + "the host name only, with port: and tls: as keys of their own" : hostProblem);
            host = null;
        }
        boolean tls = node.bool("tls", false);
        int port = node.integer("port", tls ? 8883 : 1883, 1, 65535);
        String clientId = connectString(node, "client-id", "remove it to have one generated");
        String username = connectString(node, "username", "remove it to connect without a user name");
        String password = node.string("password", null);
        if (password != null && !node.has("username")) {
            node.problem("password", "is sent only with a user name (MQTT 3.1.1 §3.1.2.9); add username, or remove "
                    + "password");
            password = null;
        } else if (password != null && password.getBytes(StandardCharsets.UTF_8).length > MqttStrings.MAX_BYTES) {
            // §3.1.3.5: binary data behind a two-byte length, so any characters, but no more bytes than that.
            node.problem("password", "is longer than " + MqttStrings.MAX_BYTES + " bytes, the most MQTT 3.1.1 can "
                    + "send (§3.1.3.5)");
            password = null;
        }
        boolean tlsInsecure = node.bool("tls-insecure", false);
        if (tlsInsecure && !tls) {
            node.problem("tls-insecure", "has no effect without tls: true");
        }
        Path caFile = caFile(node, context, tls, tlsInsecure);
        Template topic = topic(node, context);
        // A payload that is JSON, {"state": "${path.state}"}, keeps every request value inside its string.
        Template payload = Template.readDocument(node, "payload", BODY, context, null);
        int qos = node.integer("qos", 1, 0, 2);
        if (qos == 2) {
            node.problem("qos", "2 (exactly once) is not supported; use 1 (at least once: the hook answers after the "
                    + "broker's PUBACK) or 0 (at most once: the hook answers once the message is sent)");
        }
        boolean retain = node.bool("retain", false);
        Duration keepAlive = node.duration("keep-alive", DEFAULT_KEEP_ALIVE, Duration.ofSeconds(1), MAX_KEEP_ALIVE);
        if (keepAlive.getNano() != 0) {
            node.problem("keep-alive", "must be whole seconds, which is what MQTT counts it in; write "
                    + Math.max(1, Math.round(keepAlive.toMillis() / 1000.0)) + "s");
        }
        Duration connectTimeout = node.duration("connect-timeout", DEFAULT_CONNECT_TIMEOUT, Duration.ofMillis(100),
                Duration.ofMinutes(5));
        Duration publishTimeout = node.duration("publish-timeout", DEFAULT_PUBLISH_TIMEOUT, Duration.ofMillis(10),
                Duration.ofMinutes(5));
        node.finish();
        if (host == null || topic == null || payload == null || qos == 2 || keepAlive.getNano() != 0) {
            return null;
        }
        BrokerSettings broker = new BrokerSettings(host, port, clientId, username, password, tls, tlsInsecure,
                caFile, keepAlive, connectTimeout);
        if (caFile != null) {
            // Built now as at start, so that --check finds a file that is not PEM certificates.
            try {
                MqttConnection.sslContext(broker);
            } catch (IllegalArgumentException e) {
                node.problem("tls-ca-file", "cannot be used: " + (e.getCause() != null ? e.getCause() : e).getMessage()
                        + "; give a file of PEM CA certificates (-----BEGIN CERTIFICATE-----)");
                return null;
            }
        }
        return new Options(broker, topic, payload, qos, retain, publishTimeout);
    }

    /**
     * Hooks with the same broker and client id, or without a client id the same broker, user and TLS, share one
     * connection ({@link BrokerSettings#key()}), so they must agree on the rest of its settings.
     */
    @Override
    public void checkTogether(List<Configured<Options>> processors) {
        Map<String, Configured<Options>> first = new HashMap<>();
        for (Configured<Options> processor : processors) {
            BrokerSettings broker = processor.options().broker();
            Configured<Options> earlier = first.putIfAbsent(broker.key(), processor);
            List<String> differences = earlier == null ? List.of()
                    : broker.differencesFrom(earlier.options().broker());
            if (!differences.isEmpty()) {
                processor.node().problem(null, "publishes to MQTT broker " + broker.address() + " over the same "
                        + "connection as " + earlier.node().path() + " (the same client-id; without one, the same "
                        + "username and tls) but with a different " + String.join(", ", differences)
                        + "; give them the same settings");
            }
        }
    }

    /** Why {@code host} is not a host name or IP address, or {@code null}; the common mistake is writing a URL. */
    static String hostProblem(String host) {
        int scheme = host.indexOf("://");
        if (scheme >= 0) {
            return "'" + host + "' is a URL; write the host name alone, as host: "
                    + host.substring(scheme + 3).replaceFirst("[:/].*", "") + ", with port: and tls: as keys of "
                    + "their own";
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c <= ' ' || c == '/' || c == '[' || c == ']' || c == '@' || c == 0x7f) {
                return "'" + host + "' is not a host name or IP address (write an IPv6 address without brackets)";
            }
        }
        if (host.indexOf(':') >= 0 && !NetUtil.isValidIpV6Address(host)) {
            return "'" + host + "' is not a host name or IP address; write the port as port: "
                    + host.substring(host.lastIndexOf(':') + 1);
        }
        return null;
    }

    /**
     * An optional option sent in the CONNECT as an MQTT string (client-id, username), held to {@link MqttStrings}'
     * rule: a broker closes the connection on a CONNECT it cannot read, and the gateway would try again for as long as
     * it runs. {@code null} when absent or refused.
     */
    private static String connectString(ConfigNode node, String key, String fixWhenEmpty) {
        String value = node.string(key, null);
        if (value == null) {
            return null;
        }
        String problem = value.isEmpty() ? "is empty; " + fixWhenEmpty : MqttStrings.problem(value);
        if (problem != null) {
            node.problem(key, problem);
            return null;
        }
        return value;
    }

    private static Path caFile(ConfigNode node, ProcessorContext.Static context, boolean tls, boolean tlsInsecure) {
        String file = node.string("tls-ca-file", null);
        if (file == null) {
            return null;
        }
        if (!tls) {
            node.problem("tls-ca-file", "has no effect without tls: true");
            return null;
        }
        if (tlsInsecure) {
            node.problem("tls-insecure", "turns certificate checks off, so tls-ca-file would be ignored; use one of "
                    + "them");
            return null;
        }
        Path path = context.configDirectory().resolve(file).normalize();
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            node.problem("tls-ca-file", "cannot read " + path + "; give a file of PEM CA certificates (a relative "
                    + "path starts at the configuration's directory)");
            return null;
        }
        return path;
    }

    private static Template topic(ConfigNode node, ProcessorContext.Static context) {
        if (!node.has("topic")) {
            node.problem("topic", "is required; for example topic: home/lamp/set, or topic: "
                    + "\"cmnd/${path.device}/POWER\"");
            return null;
        }
        Template topic = Template.read(node, "topic", null, context);
        if (topic == null) {
            return null;
        }
        String problem;
        if (topic.isConstant()) {
            problem = TopicNames.problem(topic.constantValue());
        } else if (topic.source().startsWith("$") && !topic.source().startsWith("${")) {
            problem = TopicNames.problem("$");
        } else {
            // What the request fills in is checked per request (400); the text around it is checked now.
            problem = TopicNames.characterProblem(literalText(topic));
        }
        if (problem != null) {
            node.problem("topic", "'" + topic.source() + "' " + problem);
            return null;
        }
        return topic;
    }

    /**
     * The text of a template outside its references, {@code $${} written as the {@code ${} it stands for: taken from
     * the compiled parts, so that it can never read the syntax differently from the template itself.
     */
    static String literalText(Template template) {
        StringBuilder literal = new StringBuilder();
        template.visit(new Template.PartVisitor() {
            @Override
            public void literal(String text) {
                literal.append(text);
            }

            @Override
            public void reference(int index, Template single) {
                // What a request fills in is checked when it is rendered.
            }
        });
        return literal.toString();
    }

    /**
     * Builds the processor on the broker's shared connection, which the first hook to use a broker creates (and which
     * starts connecting at once). A second hook on the same connection ({@link BrokerSettings#key()}) must agree on the
     * rest.
     */
    @Override
    public HookProcessor create(Options options, ProcessorContext context) {
        BrokerSettings broker = options.broker();
        Transport transport = context.service(Transport.class);
        // Hooks that share this connection agree on its settings: checkTogether made sure of it when they loaded.
        MqttConnection connection = context.shared(broker.key(), MqttConnection.class,
                () -> new MqttConnection(broker, transport, context.blockingExecutor(), context.meterRegistry()));
        return new MqttPublishProcessor(options, connection, context.hookName(), context.meterRegistry());
    }
}
