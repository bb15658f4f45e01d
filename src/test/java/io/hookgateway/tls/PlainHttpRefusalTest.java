package io.hookgateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.ClientAuth;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The first byte decides: a TLS handshake record goes on to the {@code SslHandler} untouched, plain HTTP gets a 400
 * that says to use https://, anything else a close; every byte refused is released.
 */
class PlainHttpRefusalTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HandshakeFailures failures = new HandshakeFailures(registry, () -> "TLS", ClientAuth.NONE);

    private double count(String reason) {
        return registry.get("hook.gateway.tls.handshake.failures").tag("reason", reason).counter().count();
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    @Test
    void passesAHandshakeRecordOnAndStepsAside() {
        EmbeddedChannel channel = new EmbeddedChannel(new PlainHttpRefusal(failures));
        ByteBuf hello = Unpooled.wrappedBuffer(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05});

        channel.writeInbound(hello);

        ByteBuf passed = channel.readInbound();
        assertThat(passed).isSameAs(hello);
        passed.release();
        assertThat(channel.pipeline().get(PlainHttpRefusal.class)).isNull();
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void answersPlainHttpWith400AndDropsWhatFollows() {
        EmbeddedChannel channel = new EmbeddedChannel(new PlainHttpRefusal(failures));

        // Two reads in one go: the answer closes an EmbeddedChannel at once (it is not a DuplexChannel to half-close).
        channel.writeInbound(bytes("POST /lamp HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n"),
                bytes("0123456789"));

        ByteBuf answer = channel.readOutbound();
        assertThat(answer.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 400 Bad Request\r\n")
                .contains("Connection: close\r\n").endsWith("\r\n\r\nthis port speaks TLS: send the request to "
                        + "https:// instead of http://\n");
        answer.release();
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
        assertThat(count("plain_http")).isEqualTo(1);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void closesAConnectionThatIsNeitherTlsNorHttp() {
        EmbeddedChannel channel = new EmbeddedChannel(new PlainHttpRefusal(failures));

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x00, 0x01}));

        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
        assertThat(count("not_tls")).isEqualTo(1);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
