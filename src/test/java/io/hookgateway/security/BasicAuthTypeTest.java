package io.hookgateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.hooks.Authenticator;
import io.hookgateway.hooks.Authenticator.Reason;
import io.hookgateway.hooks.FakeHookRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

/** What a Basic check's time tells a stranger: not whether the user it named exists. */
class BasicAuthTypeTest {

    /**
     * A hash made elsewhere with the fewest iterations the gateway takes (not --hash-password's 600,000): computed here
     * with the JDK's PBKDF2, in the stored form.
     */
    private static String hashWith(int iterations, String password) throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "pbkdf2-sha256$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    private static long nanosToRefuse(Authenticator basic, String userPass) {
        String field = "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
        long start = System.nanoTime();
        Authenticator.Verdict verdict = basic.check(FakeHookRequest.builder().header("Authorization", field).build());
        long took = System.nanoTime() - start;
        assertThat(verdict.failure()).isEqualTo(Reason.MISMATCH);
        return took;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    @Test
    void anUnknownUserTakesAsLongAsAKnownOneWhateverTheHashsIterations() throws Exception {
        Authenticator basic = new BasicAuthType.Basic(
                Map.of("alice", PasswordHash.parse(hashWith(PasswordHash.MIN_ITERATIONS, "right"))));
        nanosToRefuse(basic, "alice:warm-up");
        nanosToRefuse(basic, "mallory:warm-up");
        int rounds = 5;
        long[] known = new long[rounds];
        long[] unknown = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            // A new password each time: what a check concluded is remembered, and would answer at once.
            known[i] = nanosToRefuse(basic, "alice:wrong-" + i);
            unknown[i] = nanosToRefuse(basic, "mallory:wrong-" + i);
        }

        // Interleaved medians; a decoy of the default cost would take six times as long as alice's check.
        assertThat((double) median(unknown) / median(known)).isBetween(0.5, 2.0);
    }
}
