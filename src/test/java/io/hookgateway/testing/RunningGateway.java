package io.hookgateway.testing;

import io.hookgateway.GatewayServer;
import io.micrometer.core.instrument.Counter;
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
        return server().metrics().registry().get(name).tags(tags).gauge().value();
    }
}
