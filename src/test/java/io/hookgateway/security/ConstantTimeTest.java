package io.hookgateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The comparison does not short-circuit: every pair is compared whichever matched and wherever, and what is compared
 * has a length that the presented value cannot change. Timing itself is left to the JDK's
 * {@code MessageDigest.isEqual}, whose loop runs over the known value's length with no early exit; a timed unit test
 * would measure the machine's noise, not this.
 */
class ConstantTimeTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Records each pair it is asked about, and answers as the real comparison does. */
    private static final class Recording implements BiPredicate<byte[], byte[]> {
        final List<String> pairs = new ArrayList<>();

        @Override
        public boolean test(byte[] known, byte[] presented) {
            pairs.add(new String(known, StandardCharsets.UTF_8) + "~" + new String(presented, StandardCharsets.UTF_8));
            return Arrays.equals(known, presented);
        }
    }

    @Test
    void comparesEveryPairEvenWhenTheFirstMatches() {
        Recording recording = new Recording();

        boolean match = ConstantTime.anyEqual(List.of(bytes("a"), bytes("b"), bytes("c")),
                List.of(bytes("a"), bytes("z")), recording);

        assertThat(match).isTrue();
        assertThat(recording.pairs).containsExactly("a~a", "a~z", "b~a", "b~z", "c~a", "c~z");
    }

    @Test
    void comparesEveryPairWhenNoneMatches() {
        Recording recording = new Recording();

        boolean match = ConstantTime.anyEqual(List.of(bytes("a"), bytes("b")), List.of(bytes("x")), recording);

        assertThat(match).isFalse();
        assertThat(recording.pairs).containsExactly("a~x", "b~x");
    }

    @Test
    void findsAMatchInAnyPosition() {
        List<byte[]> known = List.of(bytes("old"), bytes("new"));

        assertThat(ConstantTime.anyEqual(known, List.of(bytes("old")))).isTrue();
        assertThat(ConstantTime.anyEqual(known, List.of(bytes("x"), bytes("new")))).isTrue();
        assertThat(ConstantTime.anyEqual(known, List.of())).isFalse();
        assertThat(ConstantTime.anyEqual(List.of(), List.of(bytes("old")))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "secre", "secreT", "Secret", "secret ", " secret", "secretsecret", "secret\0"})
    void refusesEveryNearMiss(String presented) {
        assertThat(ConstantTime.equal(bytes("secret"), bytes(presented))).isFalse();
        assertThat(ConstantTime.equal(bytes("secret"), bytes("secret"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 31, 32, 33, 4096, 1 << 20})
    void aSharedSecretIsComparedAsADigestOfOneLengthWhateverIsPresented(int length) {
        // So a guess's length can change neither the loop's length nor the outcome's timing.
        assertThat(SharedSecrets.digest("x".repeat(length))).hasSize(32);
    }
}
