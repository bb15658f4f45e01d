package io.hookgateway.processors.forward;

import java.util.Locale;

/** What a forward may retry, as written in {@code retry-on}. */
enum RetryOn {
    /** A connection that could not be made (refused, unreachable, timed out): the request was never sent. */
    CONNECT("connect"),
    /**
     * A 5xx answer, or a new connection closed before any answer. The downstream may have acted before it failed, so
     * a retry may repeat the effect: a toggle toggles back.
     */
    STATUS_5XX("5xx");

    final String configName;

    RetryOn(String configName) {
        this.configName = configName;
    }

    /** The value written in the configuration, or {@code null} for an unknown one. */
    static RetryOn ofConfigName(String name) {
        for (RetryOn r : values()) {
            if (r.configName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        return null;
    }
}
