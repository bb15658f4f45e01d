package io.hookgateway.loader;

import io.hookgateway.clients.ClientPolicy;
import io.hookgateway.http.HttpLimits;
import io.hookgateway.tls.TlsConfig;
import java.time.Duration;
import java.util.List;

/**
 * The hook port: where it listens, plain and over TLS, its threads, and its limits.
 *
 * @param bind the address to listen on; {@code 0.0.0.0} for every IPv4 interface, {@code ::} for every interface
 * @param port the port; 0 picks a free one (tests)
 * @param ioThreads event loop threads; 0 means one per CPU core
 * @param workerThreads threads of the bounded pool that blocking processors run on
 * @param workerQueue tasks that may wait for a worker before new ones are refused with 503
 * @param maxRequestLineBytes longest request line; longer is answered 414
 * @param maxHeaderBytes all header field lines together; more is answered 431
 * @param maxHeaderFields most header fields; more is answered 431
 * @param maxBodyBytes default body limit of a hook; more is answered 413
 * @param maxConnections open connections beyond this are closed as soon as they are accepted
 * @param headTimeout from the first byte of a request to the end of its head; later is answered 408
 * @param bodyTimeout from the end of the head to the end of the body; later is answered 408
 * @param idleTimeout a connection waiting this long for a request, or for the client to take an answer, is closed
 * @param drainTimeout how long shutdown waits for requests in flight
 * @param accessLog whether each request is logged (hooks may override)
 * @param maxBufferedBodyBytes what request bodies of all connections may hold in memory together; 0 for the default,
 *                             derived from the JVM's direct memory ({@link io.hookgateway.http.BodyBudget})
 * @param clients trusted proxies, the client address rules of the whole port, the default rate limits of its hooks
 * @param plain whether {@code port} is listened on (plain HTTP); false when only the TLS listeners serve hooks
 * @param tls the TLS listeners, which serve the same hooks with the same limits; {@code max-connections} counts the
 *            connections of every listener together
 */
public record ServerConfig(String bind, int port, int ioThreads, int workerThreads, int workerQueue,
                           int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderFields, long maxBodyBytes,
                           int maxConnections, Duration headTimeout, Duration bodyTimeout, Duration idleTimeout,
                           Duration drainTimeout, boolean accessLog, long maxBufferedBodyBytes,
                           ClientPolicy clients, boolean plain, List<TlsConfig> tls) {

    public static final String DEFAULT_BIND = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;

    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    public ServerConfig {
        tls = List.copyOf(tls);
    }

    /** This configuration listening on {@code newBind}: the plain port and every TLS listener. */
    public ServerConfig withBind(String newBind) {
        return new ServerConfig(newBind, port, ioThreads, workerThreads, workerQueue, maxRequestLineBytes,
                maxHeaderBytes, maxHeaderFields, maxBodyBytes, maxConnections, headTimeout, bodyTimeout, idleTimeout,
                drainTimeout, accessLog, maxBufferedBodyBytes, clients, plain,
                tls.stream().map(t -> t.withBind(newBind)).toList());
    }

    /** This configuration with the plain port {@code newPort}. */
    public ServerConfig withPort(int newPort) {
        return new ServerConfig(bind, newPort, ioThreads, workerThreads, workerQueue, maxRequestLineBytes,
                maxHeaderBytes, maxHeaderFields, maxBodyBytes, maxConnections, headTimeout, bodyTimeout, idleTimeout,
                drainTimeout, accessLog, maxBufferedBodyBytes, clients, plain, tls);
    }

    /** This configuration with other TLS listeners. */
    public ServerConfig withTls(List<TlsConfig> newTls) {
        return new ServerConfig(bind, port, ioThreads, workerThreads, workerQueue, maxRequestLineBytes,
                maxHeaderBytes, maxHeaderFields, maxBodyBytes, maxConnections, headTimeout, bodyTimeout, idleTimeout,
                drainTimeout, accessLog, maxBufferedBodyBytes, clients, plain, newTls);
    }

    /** The limits the HTTP stages enforce, from this configuration. */
    public HttpLimits httpLimits() {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderFields, maxBodyBytes, headTimeout,
                bodyTimeout, idleTimeout);
    }
}
