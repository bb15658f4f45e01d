package io.hookgateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The units a configuration is written in: durations must name their unit, sizes may be bare byte counts. */
class UnitsTest {

    @ParameterizedTest(name = "''{0}'' is {1} ns")
    @CsvSource({
            "10s,        10000000000",
            "500ms,      500000000",
            "2m,         120000000000",
            "2min,       120000000000",
            "1h,         3600000000000",
            "1.5s,       1500000000",
            ".5s,        500000000",
            "0s,         0",
            "0ms,        0",
            "'  10s  ',  10000000000",
            "10 s,       10000000000",
            "10S,        10000000000",
            "10MS,       10000000",
            "1H,         3600000000000",
            "PT10S,      10000000000",
            "pt10s,      10000000000",
            "PT1M30S,    90000000000",
            "PT0.25S,    250000000",
            "P1D,        86400000000000",
    })
    void parsesDurationsWithTheirUnit(String text, long nanos) {
        assertThat(Units.parseDuration(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest(name = "''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "30       | '30' has no unit; write e.g. 30s or 30ms",
            "1.5      | has no unit",
            "''       | is empty; write a duration such as 10s or 500ms",
            "'   '    | is empty",
            "s        | 's' is not a duration; write e.g. 10s or 500ms",
            "-5s      | is not a duration",
            "10d      | '10d' has an unknown unit 'd'; use ms, s, m or h",
            "10us     | unknown unit 'us'",
            "10 secs  | unknown unit 'secs'",
            "1..5s    | is not a duration",
            "1.2.3s   | is not a duration",
            ".s       | is not a duration",
            "PT       | 'PT' is not an ISO-8601 duration",
            "P10      | is not an ISO-8601 duration",
            "PT-5S    | 'PT-5S' is negative",
            "forever  | is not a duration",
    })
    void refusesDurationsWithoutAValidUnitOrNumber(String text, String message) {
        assertThatThrownBy(() -> Units.parseDuration(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void refusesADurationTooLongForNanoseconds() {
        assertThatThrownBy(() -> Units.parseDuration("9999999999h"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'9999999999h' is too long");
    }

    @Test
    void acceptsTheLongestDurationThatFitsInNanoseconds() {
        // 2^63 - 1 ns is about 292 years, some 2.56 million hours.
        assertThat(Units.parseDuration("2562047h")).isEqualTo(Duration.ofHours(2_562_047));
    }

    @ParameterizedTest(name = "''{0}'' is {1} bytes")
    @CsvSource({
            "0,                   0",
            "512,                 512",
            "512B,                512",
            "512 b,               512",
            "16KiB,               16384",
            "16kib,               16384",
            "16K,                 16384",
            "16KB,                16000",
            "1MiB,                1048576",
            "1M,                  1048576",
            "1MB,                 1000000",
            "1mb,                 1000000",
            "2GiB,                2147483648",
            "2G,                  2147483648",
            "2GB,                 2000000000",
            "' 64 KiB ',          65536",
            "9223372036854775807, 9223372036854775807",
            "8589934591GiB,       9223372035781033984",
    })
    void parsesSizesWithOrWithoutAUnit(String text, long bytes) {
        assertThat(Units.parseSize(text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "''                    | '' is not a size; write e.g. 1MiB, 16KiB or 512",
            "KiB                   | 'KiB' is not a size",
            "-1                    | '-1' is not a size",
            "10TB                  | '10TB' has an unknown unit 'TB'; use B, KiB, MiB or GiB",
            "10 bytes              | unknown unit 'bytes'",
            "1.5MiB                | '1.5MiB' is not a whole number; sizes are written in whole units",
            "9223372036854775808   | '9223372036854775808' is too large",
            "9223372036854775807KB | '9223372036854775807KB' is too large",
            "8589934592GiB         | '8589934592GiB' is too large",
    })
    void refusesSizesThatAreNotAWholeNumberOfAKnownUnitOrTooLarge(String text, String message) {
        assertThatThrownBy(() -> Units.parseSize(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0} bytes is written {1}")
    @CsvSource({
            "0,          0",
            "100,        100",
            "1023,       1023",
            "1024,       1KiB",
            "1536,       1536",
            "16384,      16KiB",
            "1048576,    1MiB",
            "67108864,   64MiB",
            "1073741824, 1GiB",
    })
    void formatsSizesInTheLargestExactUnit(long bytes, String text) {
        assertThat(Units.formatSize(bytes)).isEqualTo(text);
        assertThat(Units.parseSize(text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0} ms is written {1}")
    @CsvSource({
            "0,        0s",
            "500,      500ms",
            "1000,     1s",
            "1500,     1500ms",
            "60000,    1m",
            "90000,    90s",
            "600000,   10m",
            "3600000,  1h",
    })
    void formatsDurationsInTheLargestExactUnit(long millis, String text) {
        assertThat(Units.formatDuration(Duration.ofMillis(millis))).isEqualTo(text);
        assertThat(Units.parseDuration(text)).isEqualTo(Duration.ofMillis(millis));
    }
}
