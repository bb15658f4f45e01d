package io.hookgateway.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.hooks.HookException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The per-client buckets under floods of distinct addresses, driven directly with synthetic addresses on a clock the
 * test moves: the map never holds more than its bound, and flooding it does not give a limited client a fresh bucket.
 */
class ClientBucketsTest {

    private static final int MAX_CLIENTS = 10_000;
    private static final RateLimit ONE_A_MINUTE = new RateLimit(1, Duration.ofMinutes(1), 1);

    private final AtomicLong clock = new AtomicLong(TimeUnit.SECONDS.toNanos(1));
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ClientBuckets buckets = new ClientBuckets(MAX_CLIENTS, Duration.ofMinutes(1), clock::get, registry);
    private final HookClients hook = HookClients.of("h", ClientRules.EVERYONE, new RateLimits(ONE_A_MINUTE, null),
            buckets, registry);

    @Test
    void holdsNoMoreThanItsBoundWhateverTheNumberOfAddresses() {
        int admitted = 0;
        for (int i = 0; i < 150_000; i++) {
            if (hook.refusal(ipv4(i)) == null) {
                admitted++;
            }
            if (i % 10_000 == 0) {
                assertThat(buckets.size()).isLessThanOrEqualTo(MAX_CLIENTS);
            }
        }
        for (long i = 0; i < 100_000; i++) {
            // A /64 of its own each: IPv6 clients are told apart by their /64.
            if (hook.refusal(ipv6(0x2001_0db8_0000_0000L + (i << 16), 1)) == null) {
                admitted++;
            }
        }

        assertThat(admitted).isEqualTo(250_000);
        assertThat(buckets.size()).isLessThanOrEqualTo(MAX_CLIENTS).isGreaterThan(MAX_CLIENTS / 2);
        assertThat(registry.get("hook.gateway.rate.limit.clients").gauge().value())
                .isLessThanOrEqualTo(MAX_CLIENTS);
        assertThat(registry.get("hook.gateway.rate.limit.evictions").counter().count())
                .isGreaterThanOrEqualTo(250_000 - MAX_CLIENTS);
    }

    @Test
    void aFloodOfNewAddressesDoesNotGiveALimitedClientAFreshBucket() {
        InetSocketAddress limited = ipv4(0x0a00_0001);
        assertThat(hook.refusal(limited)).isNull();
        int admittedAgain = 0;
        int refused = 0;
        for (int i = 0; i < 200_000; i++) {
            hook.refusal(ipv4(0x6400_0000 + i));
            if (i % 100 == 0) {
                // The limited client keeps calling through the flood, as one trying to get through would.
                HookException answer = hook.refusal(limited);
                if (answer == null) {
                    admittedAgain++;
                } else {
                    refused++;
                }
            }
        }

        assertThat(admittedAgain).isZero();
        assertThat(refused).isEqualTo(2000);
        assertThat(buckets.size()).isLessThanOrEqualTo(MAX_CLIENTS);
    }

    @Test
    void anIpv6ClientCannotEscapeItsLimitByChangingItsAddressWithinItsSlash64() {
        assertThat(hook.refusal(ipv6(0x2001_0db8_0001_0002L, 1))).isNull();

        for (long host = 2; host < 1000; host++) {
            assertThat(hook.refusal(ipv6(0x2001_0db8_0001_0002L, host * 0x1_0001_0001L))).isNotNull();
        }
        assertThat(hook.refusal(ipv6(0x2001_0db8_0001_0003L, 1))).isNull();
        assertThat(buckets.size()).isEqualTo(2);
    }

    @Test
    void dropsBucketsThatHaveFilledAgainAndTheirClientsStartAfresh() {
        for (int i = 0; i < 5000; i++) {
            hook.refusal(ipv4(i));
        }
        assertThat(buckets.size()).isEqualTo(5000);
        assertThat(hook.refusal(ipv4(7))).isNotNull();

        clock.addAndGet(TimeUnit.MINUTES.toNanos(1) + 1);

        // Maintenance removes expired entries in bounded steps.
        long size = buckets.size();
        for (int i = 0; i < 100 && size > 0; i++) {
            size = buckets.size();
        }
        assertThat(size).isZero();
        // Dropped when full again: nothing is lost by dropping it.
        assertThat(hook.refusal(ipv4(7))).isNull();
    }

    @Test
    void answers429WithTheWholeSecondsUntilTheNextToken() {
        InetSocketAddress client = ipv4(0x0a00_0001);
        hook.refusal(client);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(20) + 1);

        HookException answer = hook.refusal(client);

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.getMessage()).isEqualTo("too many requests");
        // 40 s less a nanosecond, rounded up.
        assertThat(answer.headers().get("Retry-After")).isEqualTo("40");
        assertThat(registry.get("hook.gateway.auth.failures").tags("hook", "h", "reason", "rate").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aClientOverItsOwnLimitSpendsNothingOfTheHooks() {
        HookClients both = HookClients.of("both", ClientRules.EVERYONE,
                new RateLimits(ONE_A_MINUTE, new RateLimit(3, Duration.ofMinutes(1), 3)), buckets, registry);
        InetSocketAddress greedy = ipv4(0x0a00_0001);
        assertThat(both.refusal(greedy)).isNull();
        for (int i = 0; i < 100; i++) {
            assertThat(both.refusal(greedy)).isNotNull();
        }

        assertThat(both.refusal(ipv4(0x0a00_0002))).isNull();
        assertThat(both.refusal(ipv4(0x0a00_0003))).isNull();
        HookException full = both.refusal(ipv4(0x0a00_0004));
        assertThat(full.status()).isEqualTo(429);
        assertThat(full.headers().get("Retry-After")).isEqualTo("20");
    }

    @Test
    void refusesAnAddressTheRulesDoNotServeBeforeTakingAToken() {
        HookClients ruled = HookClients.of("ruled", new ClientRules(AddressSet.of(java.util.List.of(
                AddressRange.parse("10.0.0.0/8"))), AddressSet.EMPTY), new RateLimits(ONE_A_MINUTE, null), buckets,
                registry);

        assertThat(ruled.refusal(ipv4(0x0b00_0001))).isSameAs(HookException.FORBIDDEN);
        assertThat(ruled.refusal(ipv4(0x0b00_0001))).isSameAs(HookException.FORBIDDEN);
        assertThat(buckets.size()).isZero();
        assertThat(ruled.refusal(ipv4(0x0a00_0001))).isNull();
        assertThat(registry.get("hook.gateway.auth.failures").tags("hook", "ruled", "reason", "ip").counter()
                .count()).isEqualTo(2);
    }

    private static InetSocketAddress ipv4(int bits) {
        return new InetSocketAddress(IpAddress.ipv4(bits).toInetAddress(), 0);
    }

    private static InetSocketAddress ipv6(long hi, long lo) {
        return new InetSocketAddress(new IpAddress(hi, lo).toInetAddress(), 0);
    }
}
