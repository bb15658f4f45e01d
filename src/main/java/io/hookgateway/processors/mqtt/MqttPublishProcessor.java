package io.hookgateway.processors.mqtt;

import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.HookResponse;
import io.hookgateway.processors.template.Template;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Publishes each request as one MQTT message through the broker's shared {@link MqttConnection}: the topic and the
 * payload are rendered from the request, and the answer is {@code 200 published} once the message is out (QoS 1: once
 * the broker has acknowledged it). It never blocks; a cancelled answer (the hook's timeout) stops waiting for the
 * PUBACK.
 *
 * <p>Each publish is timed as {@code hook_gateway_mqtt_publish_seconds{hook, broker, qos, outcome}}, the outcome being
 * {@code ok}, {@code unavailable} (503), {@code timeout} (504), {@code cancelled} or {@code failed}; requests refused
 * before publishing (a bad topic: 400) are not publishes and are not timed here.
 */
final class MqttPublishProcessor implements HookProcessor {

    /** What the hook answers once the message is out; a chain's next step (respond) usually answers instead. */
    static final HookResponse PUBLISHED = HookResponse.text(200, "published\n");

    /** Above this the PUBLISH's remaining length does not fit MQTT's four-byte variable length (§2.2.3). */
    static final long MAX_REMAINING_LENGTH = 268_435_455;

    /** Publish latency buckets: a local broker answers in a millisecond, a distant one in tens, a stuck one never. */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10)
    };

    /** How a publish ended, as the {@code outcome} tag. */
    enum Outcome {
        OK, UNAVAILABLE, TIMEOUT, CANCELLED, FAILED;

        static Outcome of(Throwable error) {
            if (error == null) {
                return OK;
            }
            if (error instanceof CancellationException) {
                return CANCELLED;
            }
            if (error instanceof HookException hook) {
                return hook.status() == 504 ? TIMEOUT : UNAVAILABLE;
            }
            return FAILED;
        }
    }

    private final MqttProcessorType.Options options;
    private final MqttConnection connection;
    private final MqttQoS qos;
    /** The request values of a topic with fixed text, each checked to stay within its place among the levels. */
    private final List<Template> levelValues;
    private final Map<Outcome, Timer> timers = new EnumMap<>(Outcome.class);

    MqttPublishProcessor(MqttProcessorType.Options options, MqttConnection connection, String hookName,
                         MeterRegistry registry) {
        this.options = options;
        this.connection = connection;
        this.qos = MqttQoS.valueOf(options.qos());
        this.levelValues = levelValues(options.topic());
        for (Outcome outcome : Outcome.values()) {
            timers.put(outcome, Timer.builder("hook.gateway.mqtt.publish")
                    .description("MQTT publishes, by hook, broker, QoS and outcome; QoS 1 is timed to the PUBACK")
                    .tags("hook", hookName, "broker", options.broker().address(), "qos",
                            Integer.toString(options.qos()), "outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry));
        }
    }

    /**
     * The values of a topic that also has fixed text ({@code home/${path.device}/set}): each fills a place among fixed
     * levels. A topic that is one value alone is the sender's to choose, levels and all.
     */
    private static List<Template> levelValues(Template topic) {
        if (topic.isSingleReference()) {
            return List.of();
        }
        List<Template> values = new ArrayList<>();
        topic.visit(new Template.PartVisitor() {
            @Override
            public void literal(String text) {
            }

            @Override
            public void reference(int index, Template single) {
                values.add(single);
            }
        });
        return List.copyOf(values);
    }

    @Override
    public boolean readsBody() {
        return options.topic().readsBody() || options.payload().readsBody();
    }

    @Override
    public CompletionStage<HookResponse> process(HookRequest request) {
        for (Template value : levelValues) {
            String v = value.render(request);
            if (v.isEmpty() || v.indexOf('/') >= 0) {
                // MQTT 3.1.1 §4.7.1.1: '/' separates levels; a value beside fixed text fills a place in them, and
                // may not add levels or leave one empty, as a URL value may not add or empty a path segment.
                throw new HookException(400, "a request value in the MQTT topic is empty or holds '/', which would "
                        + "change the topic's levels");
            }
        }
        String topic = options.topic().render(request);
        String problem = TopicNames.problem(topic);
        if (problem != null) {
            // Not the topic itself: it may be long, and it is the sender's own text anyway.
            throw new HookException(400, "the MQTT topic rendered for this request " + problem);
        }
        // A copy either way: the body is valid only until the answer, and the write happens on another thread.
        byte[] payload = options.payloadIsBody() ? request.bodyBytes()
                : options.payload().render(request).getBytes(StandardCharsets.UTF_8);
        // §3.3: the topic with its length, the packet id (QoS 1) and the payload, which is binary (§3.3.3): its size
        // is all MQTT limits.
        long remaining = 2L + ByteBufUtil.utf8Bytes(topic) + (qos == MqttQoS.AT_MOST_ONCE ? 0 : 2) + payload.length;
        if (remaining > MAX_REMAINING_LENGTH) {
            throw new HookException(413, "the MQTT message would be larger than MQTT allows (256 MiB)");
        }
        long start = System.nanoTime();
        CompletableFuture<Void> published = connection.publish(topic, payload, qos, options.retain(),
                options.publishTimeout());
        CompletableFuture<HookResponse> answer = new CompletableFuture<>();
        // The connection completes this future itself, never through a dependent stage, so a failure arrives as
        // the HookException or CancellationException it is, not wrapped in a CompletionException.
        published.whenComplete((ignored, error) -> {
            timers.get(Outcome.of(error)).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (error == null) {
                answer.complete(PUBLISHED);
            } else {
                answer.completeExceptionally(error);
            }
        });
        answer.whenComplete((response, error) -> {
            if (answer.isCancelled()) {
                published.cancel(false);
            }
        });
        return answer;
    }
}
