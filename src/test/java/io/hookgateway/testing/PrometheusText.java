package io.hookgateway.testing;

import java.util.OptionalDouble;

/**
 * Reads samples out of a scrape in the Prometheus text format (or OpenMetrics), by exact series: the metric name and
 * its labels as the exposition writes them, e.g.
 * {@code hook_gateway_requests_seconds_count{hook="post",method="POST",status="200"}}.
 */
public final class PrometheusText {

    private PrometheusText() {
    }

    /** The value of the series, if the scrape has it. */
    public static OptionalDouble sample(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                String rest = line.substring(series.length() + 1).trim();
                int space = rest.indexOf(' ');
                // A timestamp (or an OpenMetrics exemplar) may follow the value.
                return OptionalDouble.of(Double.parseDouble(space < 0 ? rest : rest.substring(0, space)));
            }
        }
        return OptionalDouble.empty();
    }

    /** The value of the series, or 0 when the scrape does not have it (a counter not yet created). */
    public static double sampleOrZero(String scrape, String series) {
        return sample(scrape, series).orElse(0);
    }
}
