package io.hookgateway.processors.mqtt;

import io.netty.util.NetUtil;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to reach and log in to one MQTT broker: everything a {@link MqttConnection} needs, validated by
 * {@link MqttProcessorType}. Hooks whose settings share a {@link #key()} share one connection, so they must agree on
 * the rest as well.
 *
 * @param host the broker's host name or IP address
 * @param port its port
 * @param clientId the MQTT client identifier; {@code null} to generate one per connection
 * @param username the user name, or {@code null} to connect without one
 * @param password the password, or {@code null}; never logged ({@link #toString()} hides it)
 * @param tls whether to speak TLS
 * @param tlsInsecure with TLS, whether to accept any certificate and host name (for tests and home labs only)
 * @param tlsCaFile with TLS, PEM certificates to trust instead of the JDK's; {@code null} for the JDK's
 * @param keepAlive the MQTT keep-alive, in whole seconds
 * @param connectTimeout from the start of an attempt to the broker's CONNACK (TCP, TLS and MQTT together)
 */
record BrokerSettings(String host, int port, String clientId, String username, String password, boolean tls,
                      boolean tlsInsecure, Path tlsCaFile, Duration keepAlive, Duration connectTimeout) {

    BrokerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
        if (password != null && username == null) {
            throw new IllegalArgumentException("MQTT 3.1.1 sends a password only with a user name");
        }
    }

    /** {@code host:port}, with brackets around an IPv6 address: in messages and as the {@code broker} metric tag. */
    String address() {
        return NetUtil.toSocketAddressString(host, port);
    }

    /**
     * The key of the shared connection. A configured client id is the connection's key with the broker's address
     * alone: a broker holds one connection per client id and drops the older whenever a second connects (MQTT 3.1.1
     * §3.1.4), so two hooks naming one id must share one connection, and {@link #differencesFrom} makes them agree on
     * the user and TLS as well. Without one, each user and TLS setting gets a connection of its own, with an id
     * generated for it.
     */
    String key() {
        return clientId != null ? String.join("\u0000", "mqtt", address(), "client-id", clientId)
                : String.join("\u0000", "mqtt", address(), "user", Objects.toString(username, ""),
                        Boolean.toString(tls));
    }

    /**
     * The option names whose values differ between two settings of the same {@link #key()}, for the message that
     * asks hooks sharing a connection to agree; empty when they are equal.
     */
    List<String> differencesFrom(BrokerSettings other) {
        List<String> differences = new ArrayList<>();
        if (!Objects.equals(username, other.username)) {
            differences.add("username");
        }
        if (tls != other.tls) {
            differences.add("tls");
        }
        if (!Objects.equals(password, other.password)) {
            differences.add("password");
        }
        if (tlsInsecure != other.tlsInsecure) {
            differences.add("tls-insecure");
        }
        if (!Objects.equals(tlsCaFile, other.tlsCaFile)) {
            differences.add("tls-ca-file");
        }
        if (!keepAlive.equals(other.keepAlive)) {
            differences.add("keep-alive");
        }
        if (!connectTimeout.equals(other.connectTimeout)) {
            differences.add("connect-timeout");
        }
        return differences;
    }

    @Override
    public String toString() {
        return "BrokerSettings[" + address() + ", clientId=" + clientId + ", username=" + username
                + ", password=" + (password == null ? "none" : "(hidden)") + ", tls=" + tls
                + ", tlsInsecure=" + tlsInsecure + ", tlsCaFile=" + tlsCaFile + ", keepAlive=" + keepAlive
                + ", connectTimeout=" + connectTimeout + "]";
    }
}
