package io.hookgateway.http;

import io.netty.util.internal.ObjectUtil;
import java.time.Duration;
import java.util.Objects;

/**
 * Every limit the HTTP stages enforce, in one place. Each is checked where it is set and applied before anything is
 * allocated for the request it limits.
 *
 * <table>
 *   <caption>Limits, defaults and answers</caption>
 *   <tr><th>limit</th><th>default</th><th>answer</th></tr>
 *   <tr><td>{@code maxRequestLineBytes}</td><td>8 KiB</td><td>414</td></tr>
 *   <tr><td>{@code maxHeaderBytes} (all field lines, trailers included)</td><td>16 KiB</td><td>431</td></tr>
 *   <tr><td>{@code maxHeaderFields}</td><td>100</td><td>431</td></tr>
 *   <tr><td>{@code defaultMaxBodyBytes} (hooks may set their own)</td><td>1 MiB</td><td>413</td></tr>
 *   <tr><td>{@code headTimeout}: from the first byte of a request to the end of its head</td><td>10 s</td>
 *       <td>408, close</td></tr>
 *   <tr><td>{@code bodyTimeout}: from the end of the head to the end of the body</td><td>30 s</td>
 *       <td>408, close</td></tr>
 *   <tr><td>{@code idleTimeout}: waiting for the first byte of a request, or for the client to take an
 *       answer</td><td>60 s</td><td>close, quietly</td></tr>
 * </table>
 */
public record HttpLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderFields, long defaultMaxBodyBytes,
                         Duration headTimeout, Duration bodyTimeout, Duration idleTimeout) {

    public static final Duration DEFAULT_HEAD_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    public HttpLimits {
        ObjectUtil.checkPositive(maxRequestLineBytes, "maxRequestLineBytes");
        ObjectUtil.checkPositive(maxHeaderBytes, "maxHeaderBytes");
        ObjectUtil.checkPositive(maxHeaderFields, "maxHeaderFields");
        ObjectUtil.checkPositiveOrZero(defaultMaxBodyBytes, "defaultMaxBodyBytes");
        checkPositive(headTimeout, "headTimeout");
        checkPositive(bodyTimeout, "bodyTimeout");
        checkPositive(idleTimeout, "idleTimeout");
    }

    /** The defaults of the table above. */
    public static HttpLimits defaults() {
        return new HttpLimits(HeaderLineDecoder.DEFAULT_MAX_REQUEST_LINE_BYTES,
                HeaderLineDecoder.DEFAULT_MAX_HEADER_BYTES, HeaderLineDecoder.DEFAULT_MAX_HEADER_FIELDS,
                FixedLengthBodyAggregator.DEFAULT_MAX_BODY_BYTES, DEFAULT_HEAD_TIMEOUT, DEFAULT_BODY_TIMEOUT,
                DEFAULT_IDLE_TIMEOUT);
    }

    private static void checkPositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
