package io.hookgateway.hooks.mqtt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection meters of one broker ({@code host:port}), created once per gateway and shared by every connection to
 * it, so that two client ids at one broker add up instead of hiding each other:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><td>{@code hook_gateway_mqtt_connected{broker}}</td><td>gauge: connections up (1 with one client id), 0 when
 *   none is</td></tr>
 *   <tr><td>{@code hook_gateway_mqtt_connects_total{broker, outcome}}</td><td>connection attempts: {@code connected},
 *   {@code refused} (the broker's CONNACK said no), {@code failed} (network, TLS, timeout)</td></tr>
 * </table>
 */
final class BrokerMeters {

    private final AtomicInteger connected = new AtomicInteger();
    private final Counter accepted;
    private final Counter refused;
    private final Counter failed;

    BrokerMeters(MeterRegistry registry, String broker) {
        Gauge.builder("hook.gateway.mqtt.connected", connected, AtomicInteger::get)
                .description("MQTT connections to the broker that are up (CONNACK accepted)")
                .tag("broker", broker)
                .register(registry);
        accepted = attempts(registry, broker, "connected");
        refused = attempts(registry, broker, "refused");
        failed = attempts(registry, broker, "failed");
    }

    private static Counter attempts(MeterRegistry registry, String broker, String outcome) {
        return Counter.builder("hook.gateway.mqtt.connects")
                .description("MQTT connection attempts, by outcome; more than one 'connected' means reconnects")
                .tags("broker", broker, "outcome", outcome)
                .register(registry);
    }

    void connected() {
        accepted.increment();
        connected.incrementAndGet();
    }

    void disconnected() {
        connected.decrementAndGet();
    }

    void refused() {
        refused.increment();
    }

    void failed() {
        failed.increment();
    }
}
