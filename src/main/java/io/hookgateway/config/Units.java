package io.hookgateway.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Parses the durations and sizes a configuration is written in: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}
 * (or ISO-8601 such as {@code PT10S}); {@code 512}, {@code 16KiB}, {@code 1MiB}, {@code 1MB}.
 *
 * <p>A bare number is a size in bytes, but never a duration: "timeout: 30" could mean seconds or milliseconds, so the
 * unit must be written.
 */
public final class Units {

    private Units() {
    }

    public static Duration parseDuration(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("is empty; write a duration such as 10s or 500ms");
        }
        if (s.startsWith("P") || s.startsWith("p")) {
            try {
                return checkNotNegative(Duration.parse(s.toUpperCase(Locale.ROOT)), text);
            } catch (DateTimeParseException e) {
                if (e.getCause() instanceof ArithmeticException) {
                    throw new IllegalArgumentException("'" + text + "' is too long");
                }
                throw new IllegalArgumentException("'" + text
                        + "' is not an ISO-8601 duration; write e.g. 10s or PT10S");
            }
        }
        int unitStart = 0;
        while (unitStart < s.length() && (Character.isDigit(s.charAt(unitStart)) || s.charAt(unitStart) == '.')) {
            unitStart++;
        }
        String number = s.substring(0, unitStart);
        String unit = s.substring(unitStart).trim().toLowerCase(Locale.ROOT);
        if (number.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 10s or 500ms");
        }
        if (unit.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no unit; write e.g. " + number + "s or " + number
                    + "ms");
        }
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 10s or 500ms");
        }
        double nanosPerUnit = switch (unit) {
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m", "min" -> 60e9;
            case "h" -> 3600e9;
            default -> throw new IllegalArgumentException(
                    "'" + text + "' has an unknown unit '" + unit + "'; use ms, s, m or h");
        };
        double nanos = value * nanosPerUnit;
        if (nanos > Long.MAX_VALUE) {
            throw new IllegalArgumentException("'" + text + "' is too long");
        }
        return Duration.ofNanos((long) nanos);
    }

    public static long parseSize(String text) {
        String s = text.trim();
        int unitStart = 0;
        while (unitStart < s.length() && Character.isDigit(s.charAt(unitStart))) {
            unitStart++;
        }
        String number = s.substring(0, unitStart);
        String unit = s.substring(unitStart).trim();
        if (number.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is not a size; write e.g. 1MiB, 16KiB or 512");
        }
        if (unit.startsWith(".") || unit.startsWith(",")) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number; sizes are written in whole "
                    + "units, such as 1536KiB for 1.5MiB");
        }
        long multiplier = switch (unit.toUpperCase(Locale.ROOT)) {
            case "", "B" -> 1L;
            case "KB" -> 1000L;
            case "KIB", "K" -> 1024L;
            case "MB" -> 1000L * 1000;
            case "MIB", "M" -> 1024L * 1024;
            case "GB" -> 1000L * 1000 * 1000;
            case "GIB", "G" -> 1024L * 1024 * 1024;
            default -> throw new IllegalArgumentException(
                    "'" + text + "' has an unknown unit '" + unit + "'; use B, KiB, MiB or GiB");
        };
        long value;
        try {
            value = Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        if (value > Long.MAX_VALUE / multiplier) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return value * multiplier;
    }

    /**
     * Formats a byte count the way it would be written in the configuration: {@code 1MiB}, {@code 16KiB},
     * {@code 100}.
     */
    public static String formatSize(long bytes) {
        if (bytes >= 1024L * 1024 * 1024 && bytes % (1024L * 1024 * 1024) == 0) {
            return bytes / (1024L * 1024 * 1024) + "GiB";
        }
        if (bytes >= 1024L * 1024 && bytes % (1024L * 1024) == 0) {
            return bytes / (1024L * 1024) + "MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + "KiB";
        }
        return Long.toString(bytes);
    }

    /** Formats a duration the way it would be written in the configuration: {@code 10s}, {@code 500ms}. */
    public static String formatDuration(Duration d) {
        long millis = d.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    private static Duration checkNotNegative(Duration d, String text) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is negative");
        }
        return d;
    }
}
