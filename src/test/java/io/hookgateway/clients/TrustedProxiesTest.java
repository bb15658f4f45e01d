package io.hookgateway.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.hooks.HeaderFields;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Who the client is behind trusted proxies: the right-most address that is not a trusted proxy, from the one header
 * configured; headers from anyone else are never read; a hop the walk cannot read means the client cannot be told.
 */
class TrustedProxiesTest {

    private static final IpAddress PROXY = IpAddress.parse("10.0.0.2");
    private static final IpAddress STRANGER = IpAddress.parse("198.51.100.7");
    private static final TrustedProxies XFF = proxies(ForwardingHeader.X_FORWARDED_FOR);
    private static final TrustedProxies FORWARDED = proxies(ForwardingHeader.FORWARDED);

    private static TrustedProxies proxies(ForwardingHeader header) {
        return new TrustedProxies(AddressSet.of(List.of(AddressRange.parse("10.0.0.0/24"),
                AddressRange.parse("fd00::/8"))), header);
    }

    private static String clientOf(TrustedProxies proxies, IpAddress peer, String... namesAndValues) {
        IpAddress client = proxies.clientOf(peer, HeaderFields.of(namesAndValues));
        return client == null ? null : client.toString();
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItsHeadersSay() {
        assertThat(clientOf(XFF, STRANGER, "X-Forwarded-For", "10.0.0.5")).isEqualTo("198.51.100.7");
        assertThat(clientOf(XFF, STRANGER, "X-Forwarded-For", "garbage")).isEqualTo("198.51.100.7");
        assertThat(clientOf(FORWARDED, STRANGER, "Forwarded", "for=10.0.0.5")).isEqualTo("198.51.100.7");
    }

    @Test
    void aTrustedPeerWithoutTheHeaderIsTheClient() {
        assertThat(clientOf(XFF, PROXY)).isEqualTo("10.0.0.2");
        assertThat(clientOf(XFF, PROXY, "X-Forwarded-For", "")).isEqualTo("10.0.0.2");
        assertThat(clientOf(XFF, PROXY, "X-Forwarded-For", " , ,")).isEqualTo("10.0.0.2");
    }

    static Stream<Arguments> forwardedFor() {
        return Stream.of(
                Arguments.of(List.of("203.0.113.9"), "203.0.113.9"),
                // the right-most untrusted address: what is left of it was written by the client
                Arguments.of(List.of("10.0.0.9, 203.0.113.9"), "203.0.113.9"),
                Arguments.of(List.of("1.2.3.4, 203.0.113.9"), "203.0.113.9"),
                Arguments.of(List.of("garbage, 203.0.113.9"), "203.0.113.9"),
                Arguments.of(List.of("203.0.113.9, 10.0.0.7, 10.0.0.8"), "203.0.113.9"),
                Arguments.of(List.of("203.0.113.9,10.0.0.7"), "203.0.113.9"),
                Arguments.of(List.of("203.0.113.9 ,\t10.0.0.7 "), "203.0.113.9"),
                Arguments.of(List.of("203.0.113.9,,10.0.0.7"), "203.0.113.9"),
                // every hop trusted: the farthest of them
                Arguments.of(List.of("10.0.0.7, 10.0.0.8"), "10.0.0.7"),
                // several field lines are one list, in order
                Arguments.of(List.of("1.2.3.4", "203.0.113.9"), "203.0.113.9"),
                Arguments.of(List.of("203.0.113.9", "10.0.0.7"), "203.0.113.9"),
                Arguments.of(List.of("203.0.113.9", ""), "203.0.113.9"),
                // ports, brackets, IPv6
                Arguments.of(List.of("203.0.113.9:4711"), "203.0.113.9"),
                Arguments.of(List.of("2001:db8::1"), "2001:db8::1"),
                Arguments.of(List.of("[2001:db8::1]"), "2001:db8::1"),
                Arguments.of(List.of("[2001:db8::1]:4711"), "2001:db8::1"),
                Arguments.of(List.of("2001:db8::1, fd00::5"), "2001:db8::1"),
                // an IPv4-mapped address is the IPv4 address, and a mapped trusted proxy is trusted
                Arguments.of(List.of("::ffff:203.0.113.9"), "203.0.113.9"),
                Arguments.of(List.of("203.0.113.9, ::ffff:10.0.0.7"), "203.0.113.9"),
                Arguments.of(List.of("203.0.113.9, [::ffff:a00:7]:80"), "203.0.113.9"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("forwardedFor")
    void readsXForwardedForFromTheRight(List<String> lines, String client) {
        assertThat(clientOf(XFF, PROXY, fields("X-Forwarded-For", lines))).isEqualTo(client);
    }

    /**
     * Every spelling of an address that is not its one literal form, where the walk has to read it: the client cannot
     * be told, so it is neither the address a lenient reader would make of it nor the proxy.
     */
    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"010.0.0.1", "10.0.0.01", "0x0a.0.0.1", "0xa000001", "167772161", "10.1", "10.0.0.1.",
            "１０.0.0.1", "10.0.0.1%eth0", "fe80::1%eth0", "[fe80::1%25eth0]", "[10.0.0.1]", "[::1", "::1]",
            "[::1]x", "[::1]:", "[::1]:99999", "10.0.0.1:", "10.0.0.1:65536", "10.0.0.1:8a", "10.0.0.1:80:80",
            "2001:db8::1:80:80:80:80:80", "12345::1", "unknown", "_hidden", "localhost", "10.0.0.1 10.0.0.2",
            "\"10.0.0.1\"", "10.0.0.1;", "for=10.0.0.1", "::ffff:010.0.0.1", "\u00a010.0.0.1"})
    void cannotTellTheClientFromAHopItCannotRead(String hop) {
        assertThat(clientOf(XFF, PROXY, "X-Forwarded-For", hop)).isNull();
        assertThat(clientOf(XFF, PROXY, "X-Forwarded-For", "203.0.113.9, " + hop)).isNull();
        assertThat(clientOf(XFF, PROXY, "X-Forwarded-For", "203.0.113.9", "X-Forwarded-For", hop)).isNull();
        // A hop beyond the client is never read, whatever it holds.
        assertThat(clientOf(XFF, PROXY, "X-Forwarded-For", hop + ", 203.0.113.9")).isEqualTo("203.0.113.9");
    }

    static Stream<Arguments> forwarded() {
        return Stream.of(
                Arguments.of(List.of("for=203.0.113.9"), "203.0.113.9"),
                Arguments.of(List.of("FOR=203.0.113.9"), "203.0.113.9"),
                Arguments.of(List.of("for=\"203.0.113.9\""), "203.0.113.9"),
                Arguments.of(List.of("for=\"203.0.113.9:4711\""), "203.0.113.9"),
                Arguments.of(List.of("for=\"[2001:db8:cafe::17]\""), "2001:db8:cafe::17"),
                Arguments.of(List.of("for=\"[2001:db8:cafe::17]:4711\""), "2001:db8:cafe::17"),
                Arguments.of(List.of("for=\"[2001:db8:cafe::17]:_port\""), "2001:db8:cafe::17"),
                Arguments.of(List.of("for=\"\\203.0.113.9\""), "203.0.113.9"),
                Arguments.of(List.of("for=203.0.113.9;proto=https;by=10.0.0.2"), "203.0.113.9"),
                Arguments.of(List.of("proto=https;for=203.0.113.9"), "203.0.113.9"),
                Arguments.of(List.of("for=203.0.113.9; proto=https"), "203.0.113.9"),
                Arguments.of(List.of("for=192.0.2.43, for=203.0.113.9"), "203.0.113.9"),
                Arguments.of(List.of("for=\"_gazonk\", for=203.0.113.9"), "203.0.113.9"),
                Arguments.of(List.of("for=203.0.113.9, for=10.0.0.7;proto=http"), "203.0.113.9"),
                Arguments.of(List.of("for=203.0.113.9, for=\"[fd00::7]\""), "203.0.113.9"),
                Arguments.of(List.of("for=203.0.113.9,,for=10.0.0.7"), "203.0.113.9"),
                Arguments.of(List.of("for=10.0.0.7"), "10.0.0.7"),
                Arguments.of(List.of("for=198.51.100.1", "for=203.0.113.9"), "203.0.113.9"),
                Arguments.of(List.of("for=203.0.113.9;ext=\"a, b; c=d\""), "203.0.113.9"),
                // a line the walk never reaches may be anything
                Arguments.of(List.of("for=\"unclosed", "for=203.0.113.9"), "203.0.113.9"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("forwarded")
    void readsForwardedFromTheRight(List<String> lines, String client) {
        assertThat(clientOf(FORWARDED, PROXY, fields("Forwarded", lines))).isEqualTo(client);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"for=unknown", "for=_hidden", "for=\"_hidden:80\"", "proto=https",
            "for=[2001:db8::1]", "for=2001:db8::1", "for=\"2001:db8::1\"", "for=\"[10.0.0.1]\"", "for=010.0.0.1",
            "for=\"10.0.0.1%eth0\"", "for=\"[fe80::1%25eth0]\"", "for=", "for", "for=\"203.0.113.9",
            "for=203.0.113.9;for=198.51.100.1", "for =203.0.113.9", "for= 203.0.113.9", "for=203.0.113.9 x",
            "for=203.0.113.9;;x", "for=\"203.0.113.9\"x", "for=\"a\u0001\"", "=203.0.113.9", "for=203.0.113.9:80",
            "for=\"203.0.113.9:\"", "for=\"[::1]:65536\""})
    void cannotTellTheClientFromAForwardedHopItCannotRead(String line) {
        assertThat(clientOf(FORWARDED, PROXY, "Forwarded", line)).isNull();
        assertThat(clientOf(FORWARDED, PROXY, "Forwarded", "for=198.51.100.1", "Forwarded", line)).isNull();
    }

    @Test
    void anUnclosedQuoteSwallowsWhatFollowsItOnItsLineSoTheLineIsNotRead() {
        // A client's unclosed quote, extended by its proxy with ", for=<client>", must not hide the proxy's hop.
        assertThat(clientOf(FORWARDED, PROXY, "Forwarded", "for=\"1.2.3.4, for=203.0.113.9")).isNull();
    }

    @Test
    void readsOnlyTheConfiguredHeader() {
        assertThat(clientOf(XFF, PROXY, "Forwarded", "for=203.0.113.9")).isEqualTo("10.0.0.2");
        assertThat(clientOf(FORWARDED, PROXY, "X-Forwarded-For", "203.0.113.9")).isEqualTo("10.0.0.2");
        assertThat(clientOf(XFF, PROXY, "Forwarded", "for=1.1.1.1", "X-Forwarded-For", "203.0.113.9"))
                .isEqualTo("203.0.113.9");
    }

    @Test
    void aPeerOnlyAnIpv4MappedFormOfWhichIsTrustedIsTrusted() {
        IpAddress mapped = IpAddress.parse("::ffff:10.0.0.2");

        assertThat(clientOf(XFF, mapped, "X-Forwarded-For", "203.0.113.9")).isEqualTo("203.0.113.9");
    }

    private static String[] fields(String name, List<String> lines) {
        return lines.stream().flatMap(line -> Stream.of(name, line)).toArray(String[]::new);
    }
}
