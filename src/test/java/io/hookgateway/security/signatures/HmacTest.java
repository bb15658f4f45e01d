package io.hookgateway.security.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.hooks.FakeHookRequest;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.security.signatures.Hmac.Algorithm;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HmacTest {

    private static final byte[] OLD = "old-secret".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW = "new-secret".getBytes(StandardCharsets.UTF_8);
    private static final HookRequest REQUEST = FakeHookRequest.withBody("{\"a\": \"z\"}");

    private static byte[] mac(byte[] key) {
        return Signing.mac("sha256", key, "{\"a\": \"z\"}");
    }

    @Test
    void anySignatureUnderAnySecretMatchesWhereverItStands() {
        Hmac hmac = new Hmac(Algorithm.SHA256, List.of(OLD, NEW));
        byte[] wrong = new byte[32];

        for (List<byte[]> signatures : List.of(List.of(mac(OLD)), List.of(mac(NEW)), List.of(wrong, mac(NEW)),
                List.of(mac(OLD), wrong), List.of(wrong, wrong, mac(OLD)))) {
            assertThat(hmac.verify(REQUEST, SignedContent.body(), signatures)).isNotNull();
        }
        assertThat(hmac.verify(REQUEST, SignedContent.body(), List.of(wrong, wrong))).isNull();
    }

    @Test
    void aDeliveryIsKnownByTheSameMacWhicheverSecretSignedIt() {
        // A sender rolling its secret signs with both; a replay that keeps only one of the two is the same delivery.
        Hmac hmac = new Hmac(Algorithm.SHA256, List.of(OLD, NEW));

        byte[] byOld = hmac.verify(REQUEST, SignedContent.body(), List.of(mac(OLD)));
        byte[] byNew = hmac.verify(REQUEST, SignedContent.body(), List.of(mac(NEW)));

        assertThat(byOld).isEqualTo(byNew).isEqualTo(mac(OLD));
    }

    @Test
    void theContentIsTheBytesInOrderWithTheBodyAsReceived() {
        byte[] body = {(byte) 0xff, 0x00, '{', (byte) 0xc3, (byte) 0xa9};
        HookRequest request = FakeHookRequest.builder().body(body).build();
        SignedContent content = SignedContent.builder().text("1700000000.").body().field("\u00e9").build();
        byte[] expected = Signing.macOfBytes("sha512", NEW, new byte[] {'1', '7', '0', '0', '0', '0', '0', '0', '0',
            '0', '.', (byte) 0xff, 0x00, '{', (byte) 0xc3, (byte) 0xa9, (byte) 0xe9});

        assertThat(new Hmac(Algorithm.SHA512, List.of(NEW)).verify(request, content, List.of(expected))).isNotNull();
    }
}
