package io.hookgateway.testing;

import io.hookgateway.GatewayServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.net.URI;

/**
 * What an end-to-end test does with a started gateway: its ports and addresses, one-request exchanges over a raw
 * socket, and its meters. Everything is derived from {@link #server()}, which {@link TestGateway} and
 * {@link GatewayExtension} provide.
 */
public interface RunningGateway {

    GatewayServer server();

    default int port() {
        return server().hookPort();
    }

    /** The first TLS listener's port. */
    default int tlsPort() {
        return server().tlsPorts().get(0);
    }

    default int metricsPort() {
        return server().metricsPort();
    }

    default URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    default URI metricsUri(String path) {
        return URI.create("http://127.0.0.1:" + metricsPort() + path);
    }

    /** Sends one request (see {@link Requests}) on a new connection to the hook port and reads its answer. */
    default RawHttp.Response exchange(String request) throws IOException {
        return RawHttp.exchange(port(), request);
    }

    /** The count of the counter with these tags, or 0 when it has not been created yet (nothing counted so far). */
    default double counter(String name, String... tags) {
        Counter counter = server().metrics().registry().find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    /**
     * The value of the gauge with these tags. Throws when there is no such gauge, so that a missing gauge never passes
     * for a value (inside {@link Await#until} that counts as "not yet", then fails at the deadline).
     */
    default double gauge(String name, String... tags) {
        Gauge gauge = server().metrics().registry().find(name).tags(tags).gauge();
        if (gauge != null) {
            return gauge.value();
        }
        // The hooks' queue gauges are not Micrometer's: they reach the scrape directly, from a hook's first request on.
        StringBuilder series = new StringBuilder(name.replace('.', '_'));
        for (int i = 0; i < tags.length; i += 2) {
            series.append(i == 0 ? "{" : ",").append(tags[i]).append("=\"").append(tags[i + 1]).append('"');
        }
        String wanted = tags.length == 0 ? series.toString() : series.append('}').toString();
        return PrometheusText.sample(server().metrics().registry().scrape(), wanted)
                .orElseThrow(() -> new IllegalStateException("no gauge " + wanted));
    }
}
