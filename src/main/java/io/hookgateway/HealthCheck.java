package io.hookgateway;

import io.hookgateway.config.MetricsConfig;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * {@code --healthcheck}: asks {@code GET /healthz} on the metrics port of the configured gateway, for a container's
 * {@code HEALTHCHECK} in an image that has the JRE but no curl. Healthy is a 200 within the timeout; anything else
 * (metrics switched off, nothing listening, another status, no answer in time) is one line saying why.
 *
 * <p>A wildcard bind ({@code 0.0.0.0}, {@code ::}) is asked on the loopback address; a given address is asked there.
 */
final class HealthCheck {

    /** Connecting and reading each; Docker's own default timeout for a health check is 30 s. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    private HealthCheck() {
    }

    /** Returns {@code null} when {@code /healthz} answered 200, else why not, in one line. */
    static String probe(MetricsConfig metrics, Duration timeout) {
        if (!metrics.enabled()) {
            return "the metrics port is switched off (metrics.enabled: false), and /healthz is served there; "
                    + "switch it on to use --healthcheck";
        }
        if (metrics.port() == 0) {
            return "metrics.port is 0 (a free port picked at start), so there is no known port to ask; give it a "
                    + "fixed port to use --healthcheck";
        }
        URI uri;
        try {
            uri = new URI("http", null, host(metrics.bind()), metrics.port(), "/healthz", null, null);
        } catch (UnknownHostException | URISyntaxException e) {
            return "cannot ask metrics.bind '" + metrics.bind() + "': " + e.getMessage();
        }
        HttpURLConnection connection = null;
        try {
            // No proxy: the gateway is on this machine, whatever http.proxyHost says.
            connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            connection.setConnectTimeout((int) timeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setUseCaches(false);
            connection.setInstanceFollowRedirects(false);
            int status = connection.getResponseCode();
            return status == 200 ? null : uri + " answered " + status + ", not 200";
        } catch (IOException e) {
            return "no answer from " + uri + " within " + timeout.toMillis() + " ms: " + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? ": " + e.getMessage() : "");
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /** Where a gateway listening on {@code bind} is reached from this machine. */
    private static String host(String bind) throws UnknownHostException {
        InetAddress address = InetAddress.getByName(bind);
        return address.isAnyLocalAddress() ? InetAddress.getLoopbackAddress().getHostAddress()
                : address.getHostAddress();
    }
}
