package io.hookgateway.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressRangeTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0/8        | 10.0.0.1              | true",
            "10.0.0.0/8        | 10.255.255.255        | true",
            "10.0.0.0/8        | 11.0.0.0              | false",
            "10.0.0.0/8        | ::ffff:10.0.0.1       | true",
            "10.0.0.0/8        | ::ffff:a00:1          | true",
            "10.0.0.0/8        | ::a00:1               | false",
            "10.0.0.0/8        | 2001:db8::a00:1       | false",
            "10.0.0.1          | 10.0.0.1              | true",
            "10.0.0.1          | 10.0.0.2              | false",
            "0.0.0.0/0         | 203.0.113.9           | true",
            "0.0.0.0/0         | ::1                   | false",
            "::ffff:10.0.0.0/104 | 10.1.2.3            | true",
            "::/0              | 10.0.0.1              | true",
            "::/0              | 2001:db8::1           | true",
            "::1               | ::1                   | true",
            "::1               | ::2                   | false",
            "::1/128           | 127.0.0.1             | false",
            "fd00::/8          | fd12:3456::1          | true",
            "fd00::/8          | fe00::1               | false",
            "2001:db8::/32     | 2001:db8:ffff::1      | true",
            "2001:db8::/32     | 2001:db9::1           | false",
            "2001:db8:0:1::/64 | 2001:db8:0:1:ffff::1  | true",
            "2001:db8:0:1::/64 | 2001:db8:0:2::1       | false",
            "2001:db8::1:0/112 | 2001:db8::1:ffff      | true",
            "2001:db8::1:0/112 | 2001:db8::2:0         | false",
            "192.168.0.0/16    | 192.168.255.1         | true",
            "192.168.1.128/25  | 192.168.1.200         | true",
            "192.168.1.128/25  | 192.168.1.100         | false",
    })
    void matchesByPrefix(String range, String address, boolean contained) {
        assertThat(AddressRange.parse(range).contains(IpAddress.parse(address))).isEqualTo(contained);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0/33     | has no valid prefix length: an IPv4 range takes /0 to /32",
            "::/129          | has no valid prefix length: an IPv6 range takes /0 to /128",
            "10.0.0.0/       | has no valid prefix length",
            "10.0.0.0/08     | has no valid prefix length",
            "10.0.0.0/-1     | has no valid prefix length",
            "10.0.0.0/8/8    | has no valid prefix length",
            "10.0.0.1/8      | has bits set past its /8 prefix; write 10.0.0.0/8 for the range, or 10.0.0.1 for the one",
            "fd00::1/8       | has bits set past its /8 prefix; write fd00::/8 for the range, or fd00::1 for the one",
            "010.0.0.0/8     | is not an IP address or range; write an address such as 10.0.0.1",
            "0x0a.0.0.0/8    | is not an IP address or range",
            "10/8            | is not an IP address or range",
            "fe80::1%eth0    | is not an IP address or range (a zone id such as %eth0 names an interface",
            "localhost       | is not an IP address or range",
            "''              | is not an IP address or range",
    })
    void refusesARangeItCannotReadSayingWhatToWrite(String range, String message) {
        assertThatThrownBy(() -> AddressRange.parse(range))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + range + "' " + message);
    }
}
