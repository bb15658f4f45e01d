package io.hookgateway.processors.mqtt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of one {@link MqttConnection}, tagged with the broker ({@code host:port}) and the connection's MQTT
 * client id. Two connections to one broker (two users, each with a generated id) are two series, so that the gauge
 * says 0 or 1 for each rather than adding them up: a broker holds one connection per client id (MQTT 3.1.1 §3.1.4),
 * so the id names the connection, and unlike the user name and password it is no credential.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><td>{@code hook_gateway_mqtt_connected{broker, client_id}}</td><td>gauge: 1 while the broker has accepted
 *   the connection, 0 while not</td></tr>
 *   <tr><td>{@code hook_gateway_mqtt_connects_total{broker, client_id, outcome}}</td><td>connection attempts:
 *   {@code connected}, {@code refused} (the broker's CONNACK said no), {@code failed} (network, TLS, timeout)</td></tr>
 * </table>
 */
final class ConnectionMeters {

    private final AtomicInteger connected = new AtomicInteger();
    private final MeterRegistry registry;
    private final Gauge connectedGauge;
    private final Counter accepted;
    private final Counter refused;
    private final Counter failed;

    ConnectionMeters(MeterRegistry registry, String broker, String clientId) {
        this.registry = registry;
        connectedGauge = Gauge.builder("hook.gateway.mqtt.connected", connected, AtomicInteger::get)
                .description("Whether the MQTT connection is up (CONNACK accepted): 1 or 0, one series per connection")
                .tags("broker", broker, "client_id", clientId)
                .register(registry);
        accepted = attempts(registry, broker, clientId, "connected");
        refused = attempts(registry, broker, clientId, "refused");
        failed = attempts(registry, broker, clientId, "failed");
    }

    private static Counter attempts(MeterRegistry registry, String broker, String clientId, String outcome) {
        return Counter.builder("hook.gateway.mqtt.connects")
                .description("MQTT connection attempts, by outcome; more than one 'connected' means reconnects")
                .tags("broker", broker, "client_id", clientId, "outcome", outcome)
                .register(registry);
    }

    /**
     * The connection is closed for good (no hook uses its broker any more): its gauge goes, so that a later connection
     * with the same broker and client id registers one of its own rather than being handed this one. The counters stay.
     */
    void closed() {
        registry.remove(connectedGauge);
    }

    void connected() {
        accepted.increment();
        connected.set(1);
    }

    void disconnected() {
        connected.set(0);
    }

    void refused() {
        refused.increment();
    }

    void failed() {
        failed.increment();
    }
}
