package io.hookgateway.processors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.hookgateway.hooks.HookException;
import io.hookgateway.testing.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@link MqttConnection} against a real Mosquitto, without a gateway around it (and so on an event loop of its
 * own): what happens to a publish awaiting its PUBACK when it is cancelled or the broker stops answering, and how the
 * connection ends.
 */
class MqttConnectionTest {

    private static final Duration CONNECTED_WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path brokerDirectory;

    private MosquittoBroker broker;
    private MqttConnection connection;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Host names handed to the resolver, which looks them up on a thread of its own, never the event loop's. */
    private final AtomicInteger lookups = new AtomicInteger();
    private final Executor resolver = lookup -> {
        lookups.incrementAndGet();
        ForkJoinPool.commonPool().execute(lookup);
    };

    @BeforeEach
    void startBroker() throws Exception {
        broker = MosquittoBroker.start(brokerDirectory);
    }

    @AfterEach
    void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (broker != null) {
            broker.resume();
            broker.close();
        }
    }

    private MqttConnection connect(String host, Duration keepAlive) throws InterruptedException {
        BrokerSettings settings = new BrokerSettings(host, broker.port(), "connection-test", null, null, false,
                false, null, keepAlive, Duration.ofSeconds(1));
        connection = new MqttConnection(settings, null, resolver, registry);
        Await.until(CONNECTED_WITHIN, "connected", connection::isConnected);
        return connection;
    }

    private static CompletableFuture<Void> publish(MqttConnection connection, MqttQoS qos, Duration timeout) {
        return connection.publish("test/connection", "m".getBytes(StandardCharsets.UTF_8), qos, false, timeout);
    }

    private static HookException failureOf(CompletableFuture<Void> publish) {
        Throwable failure = catchThrowable(() -> publish.get(10, TimeUnit.SECONDS));
        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause()).isInstanceOf(HookException.class);
        return (HookException) failure.getCause();
    }

    @Test
    void completesAQos1PublishOnThePubackAndAQos0OneOnceWritten() throws Exception {
        connect("127.0.0.1", Duration.ofSeconds(30));

        publish(connection, MqttQoS.AT_LEAST_ONCE, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
        publish(connection, MqttQoS.AT_MOST_ONCE, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);

        assertThat(connection.awaitingPubAck()).isZero();
    }

    @Test
    void looksUpAHostNameOffTheEventLoop() throws Exception {
        connect("localhost", Duration.ofSeconds(30));

        publish(connection, MqttQoS.AT_LEAST_ONCE, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
        assertThat(lookups.get()).as("host names handed to the resolver").isPositive();
    }

    @Test
    void connectsToAnIpAddressWithoutALookup() throws Exception {
        connect("127.0.0.1", Duration.ofSeconds(30));

        assertThat(lookups).hasValue(0);
    }

    @Test
    void forgetsACancelledPublishThatAwaitsItsPuback() throws Exception {
        connect("127.0.0.1", Duration.ofSeconds(30));
        broker.pause();

        CompletableFuture<Void> publish = publish(connection, MqttQoS.AT_LEAST_ONCE, Duration.ofSeconds(30));
        Await.until(Duration.ofSeconds(5), "the publish awaits its PUBACK", () -> connection.awaitingPubAck() == 1);
        publish.cancel(false);

        Await.until(Duration.ofSeconds(5), "the cancelled publish is forgotten",
                () -> connection.awaitingPubAck() == 0);
    }

    @Test
    void answers504AndForgetsAPublishWhosePubackDoesNotCome() throws Exception {
        connect("127.0.0.1", Duration.ofSeconds(30));
        broker.pause();

        HookException failure = failureOf(publish(connection, MqttQoS.AT_LEAST_ONCE, Duration.ofMillis(200)));

        assertThat(failure.status()).isEqualTo(504);
        assertThat(failure.getMessage()).isEqualTo("the MQTT broker did not acknowledge the message in time");
        assertThat(failure.logDetail()).isEqualTo("MQTT broker 127.0.0.1:" + broker.port() + " did not acknowledge "
                + "the message within 200ms");
        assertThat(connection.awaitingPubAck()).isZero();
    }

    @Test
    void keepAliveFindsABrokerThatStoppedAnsweringFailsWhatAwaitsItWith503AndReconnects() throws Exception {
        connect("127.0.0.1", Duration.ofSeconds(1));
        broker.pause();

        HookException failure = failureOf(publish(connection, MqttQoS.AT_LEAST_ONCE, Duration.ofSeconds(30)));

        assertThat(failure.status()).isEqualTo(503);
        assertThat(failure.getMessage()).isEqualTo("the connection to the MQTT broker was lost before it "
                + "acknowledged the message, which may or may not have been delivered");
        assertThat(failure.logDetail()).startsWith("MQTT broker 127.0.0.1:" + broker.port() + ": the connection was "
                + "lost before the PUBACK").contains("no PINGRESP within the keep-alive of 1s");
        assertThat(failure.headers().get("Retry-After")).isNotNull();
        assertThat(connection.isConnected()).isFalse();

        broker.resume();
        Await.until(CONNECTED_WITHIN, "reconnected", connection::isConnected);
        publish(connection, MqttQoS.AT_LEAST_ONCE, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
        assertThat(registry.get("hook.gateway.mqtt.connects").tag("outcome", "connected").counter().count())
                .isEqualTo(2);
    }

    @Test
    void describesAFailureWhoseCausesFormACycle() {
        SSLException outer = new SSLException("handshake failed");
        Exception inner = new Exception("inner");
        outer.initCause(inner);
        inner.initCause(outer);

        String description = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> MqttConnection.describe(outer));

        assertThat(description).startsWith("TLS failed: ");
    }

    @Test
    void closingSendsDisconnectAndStopsReconnecting() throws Exception {
        connect("127.0.0.1", Duration.ofSeconds(30));

        connection.close();

        Await.until(Duration.ofSeconds(5), "the broker got a DISCONNECT", () -> Files.readString(
                brokerDirectory.resolve("mosquitto.log")).contains("Received DISCONNECT from connection-test"));
        HookException failure = failureOf(publish(connection, MqttQoS.AT_MOST_ONCE, Duration.ofSeconds(1)));
        assertThat(failure.status()).isEqualTo(503);
        // Closed for good (no hook uses the broker any more, after a reload): no series says it is down.
        assertThat(registry.find("hook.gateway.mqtt.connected").gauge()).isNull();
        connection = null;
    }
}
