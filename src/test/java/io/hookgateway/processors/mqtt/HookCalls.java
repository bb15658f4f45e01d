package io.hookgateway.processors.mqtt;

import io.hookgateway.testing.Await;
import io.hookgateway.testing.PrometheusText;
import io.hookgateway.testing.TestGateway;
import io.micrometer.core.instrument.Counter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** What the MQTT end-to-end tests do to a gateway: post JSON to a hook, read the metrics, wait for a broker. */
final class HookCalls {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private HookCalls() {
    }

    /** Stops the gateway, then the broker; either may be {@code null} when a start failed. */
    static void stop(TestGateway gateway, MosquittoBroker broker) throws InterruptedException {
        if (gateway != null) {
            gateway.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /**
     * Starts a gateway with these hooks (the items of {@code hooks:}, YAML), in which {@code %1$s} stands for
     * {@code type: mqtt} with the broker's host and port, and waits until it has connected to the broker.
     */
    static TestGateway startConnected(MosquittoBroker broker, String hooks) throws Exception {
        String mqtt = "type: mqtt, host: 127.0.0.1, port: " + broker.port();
        TestGateway gateway = TestGateway.start("server: {access-log: false}\nhooks:\n" + hooks.formatted(mqtt));
        awaitConnected(gateway, broker.port());
        return gateway;
    }

    /** POSTs a JSON body to the hook at {@code path} and returns the answer. */
    static HttpResponse<String> post(TestGateway gateway, String path, String json) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(gateway.uri(path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The gateway's metrics, in the Prometheus text format. */
    static String scrape(TestGateway gateway) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(gateway.metricsUri("/metrics")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * The {@code hook_gateway_mqtt_connected} series of the broker on {@code brokerPort}, one per connection: the value
     * by the {@code client_id} label.
     */
    static Map<String, Double> connectedByClientId(TestGateway gateway, int brokerPort) throws Exception {
        String prefix = "hook_gateway_mqtt_connected{broker=\"127.0.0.1:" + brokerPort + "\",client_id=\"";
        Map<String, Double> series = new TreeMap<>();
        for (String line : scrape(gateway).split("\n")) {
            if (line.startsWith(prefix)) {
                int end = line.indexOf("\"}", prefix.length());
                String clientId = line.substring(prefix.length(), end);
                series.put(clientId, PrometheusText.sample(line, line.substring(0, end + 2)).orElseThrow());
            }
        }
        return series;
    }

    /** The gateway's connections to the broker on {@code brokerPort} that are up; 0 when there is none. */
    static double connected(TestGateway gateway, int brokerPort) throws Exception {
        return connectedByClientId(gateway, brokerPort).values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /**
     * The gateway's connection attempts to the broker at {@code address} ({@code host:port}) with this outcome
     * ({@code connected}, {@code refused}, {@code failed}), over all its connections there.
     */
    static double connects(TestGateway gateway, String address, String outcome) {
        return gateway.server().metrics().registry().find("hook.gateway.mqtt.connects")
                .tags("broker", address, "outcome", outcome).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Waits until the gateway's connection to the broker on {@code brokerPort} is up. */
    static void awaitConnected(TestGateway gateway, int brokerPort) throws InterruptedException {
        Await.until(Duration.ofSeconds(10), "the gateway is connected to the broker on port " + brokerPort,
                () -> connected(gateway, brokerPort) >= 1);
    }
}
