package io.hookgateway.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.1                                | 10.0.0.1",
            "0.0.0.0                                 | 0.0.0.0",
            "255.255.255.255                         | 255.255.255.255",
            "::1                                     | ::1",
            "::                                      | ::",
            "2001:db8::1                             | 2001:db8::1",
            "2001:DB8:0:0:0:0:0:1                    | 2001:db8::1",
            "2001:0db8:0000:0000:0000:0000:0000:0001 | 2001:db8::1",
            "fe80::1:0:0:1                           | fe80::1:0:0:1",
            "1::                                     | 1::",
            "1:0:0:2:0:0:0:3                         | 1:0:0:2::3",
            "1:2:3:4:5:6:7:8                         | 1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::                         | 1:2:3:4:5:6:7:0",
            // IPv4-mapped, however written, is the IPv4 address
            "::ffff:10.0.0.1                         | 10.0.0.1",
            "::FFFF:10.0.0.1                         | 10.0.0.1",
            "::ffff:a00:1                            | 10.0.0.1",
            "0:0:0:0:0:ffff:10.0.0.1                 | 10.0.0.1",
            "0000:0000:0000:0000:0000:ffff:0a00:0001 | 10.0.0.1",
            // other IPv6 addresses that embed an IPv4 one are IPv6 addresses of their own
            "::10.0.0.1                              | ::a00:1",
            "64:ff9b::10.0.0.1                       | 64:ff9b::a00:1",
    })
    void readsTheOneLiteralFormOfEachFamily(String text, String canonical) {
        IpAddress address = IpAddress.parse(text);

        assertThat(address).isNotNull();
        assertThat(address.toString()).isEqualTo(canonical);
        assertThat(IpAddress.parse(canonical)).isEqualTo(address);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", " ", "10.0.0", "10.0.0.1.", ".10.0.0.1", "10..0.1", "10.0.0.256", "10.0.0.1 ",
            " 10.0.0.1", "010.0.0.1", "10.0.0.01", "00.0.0.0", "0x0a.0.0.1", "0xa000001", "167772161", "10.1",
            "012.0.0.1", "1e1.0.0.1", "+1.0.0.1", "-1.0.0.1", "10.0.0.1/32", "10.0.0.1:80", "１０.0.0.1",
            "10\u00a0.0.0.1", "10.0.0.1\u0000", "[10.0.0.1]", ":", ":::", "1:::2", "1::2::3", ":1::",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7", "1::2:3:4:5:6:7:8", "12345::1", "00000::1", "::g", "fe80::1%eth0", "fe80::1%25eth0",
            "fe80::1%1", "[::1]", "::1]", "::ffff:10.0.0.1.", "::ffff:010.0.0.1", "::ffff:0x0a.0.0.1",
            "::ffff:10.0.0", "1:2:3:4:5:6:7:10.0.0.1", "::10.0.0.1:1", "1.2.3.4::", "::1 ", "unknown", "localhost",
            "_hidden"})
    void refusesEveryOtherSpelling(String text) {
        assertThat(IpAddress.parse(text)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"10.0.0.1", "::1", "2001:db8::8:800:200c:417a", "::ffff:192.0.2.1", "fe80::1"})
    void roundTripsThroughInetAddress(String text) throws Exception {
        IpAddress address = IpAddress.parse(text);

        assertThat(IpAddress.of(address.toInetAddress())).isEqualTo(address);
        assertThat(IpAddress.of(InetAddress.getByName(text))).isEqualTo(address);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"10.0.0.1", "::ffff:10.0.0.1"})
    void anIpv4AddressIsAnInet4AddressWhicheverWayItCame(String text) {
        assertThat(IpAddress.parse(text).toInetAddress().getHostAddress()).isEqualTo("10.0.0.1");
        assertThat(IpAddress.parse(text).isIpv4()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void dropsTheZoneOfAPeer() throws Exception {
        InetAddress scoped = InetAddress.getByName("fe80::1%1");

        assertThat(IpAddress.of(scoped)).isEqualTo(IpAddress.parse("fe80::1"));
    }
}
