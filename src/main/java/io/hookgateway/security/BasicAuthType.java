package io.hookgateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.Authenticator.Reason;
import io.hookgateway.hooks.Authenticator.Verdict;
import io.hookgateway.hooks.Authenticator;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.processors.ProcessorContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code basic}: a user name and password in {@code Authorization: Basic} (RFC 7617), as {@code curl --user} sends
 * them; the passwords stored hashed ({@link PasswordHash}, made with {@code --hash-password}).
 *
 * <pre>
 * auth:
 *   basic:
 *     users:
 *       alice: "${ALICE_PASSWORD_HASH}"      # pbkdf2-sha256$600000$...$...
 * </pre>
 *
 * <p>A hash takes a few hundred milliseconds to check, by design, so the check runs on the worker pool, never an
 * event loop ({@link #blocking()}). What it concluded is remembered for {@value #REMEMBER_MINUTES} minutes, by a keyed
 * digest of the user and password (never the password), so a script calling every few seconds does not pay for it
 * each time. An unknown user costs the same as a known one: the password is checked against a decoy hash.
 */
public final class BasicAuthType implements AuthType {

    static final String CHALLENGE = "Basic realm=\"hook-gateway\", charset=\"UTF-8\"";
    static final int REMEMBER_MINUTES = 10;
    private static final int REMEMBERED = 10_000;
    /** Longer credentials than this are not a user and password anyone types; refused before hashing. */
    static final int MAX_CREDENTIALS_CHARS = 1024;

    @Override
    public String name() {
        return "basic";
    }

    @Override
    public Authenticator parse(ConfigNode node, ProcessorContext.Static context) {
        Map<String, String> written = node.stringMap("users");
        if (!node.has("users")) {
            node.problem("users", "is required: each user and the hash of their password, as users: {alice: "
                    + "\"${ALICE_PASSWORD_HASH}\"}; make a hash with java -jar hook-gateway.jar --hash-password");
        } else if (written.isEmpty()) {
            node.problem("users", "is empty; list at least one user and the hash of their password");
        }
        Map<String, PasswordHash> users = new HashMap<>();
        written.forEach((user, hash) -> {
            if (user.isEmpty() || user.indexOf(':') >= 0) {
                node.problem("users", "has a user name that is empty or holds ':', which Basic credentials cannot "
                        + "carry (RFC 7617 §2)");
                return;
            }
            try {
                users.put(user, PasswordHash.parse(hash));
            } catch (IllegalArgumentException e) {
                // Never the value: a plain password written by mistake must not reach the output.
                node.problem("users." + user, e.getMessage());
            }
        });
        node.finish();
        return users.isEmpty() || users.size() != written.size() ? null : new Basic(Map.copyOf(users));
    }

    /** Checks Basic credentials, remembering what it concluded by a keyed digest of them. */
    static final class Basic implements Authenticator {
        private final Map<String, PasswordHash> users;
        private final PasswordHash decoy;
        private final Cache<ByteBuffer, Boolean> checked = Caffeine.newBuilder()
                .maximumSize(REMEMBERED).expireAfterWrite(Duration.ofMinutes(REMEMBER_MINUTES)).build();
        /** Keys the digests that stand for checked credentials: without it, a memory dump could be guessed at. */
        private final byte[] digestKey = new byte[32];

        Basic(Map<String, PasswordHash> users) {
            this.users = users;
            // As costly as the costliest user's: a hash made elsewhere may use other iterations than the default.
            PasswordHash costliest = null;
            for (PasswordHash hash : users.values()) {
                costliest = costliest == null || hash.costlierThan(costliest) ? hash : costliest;
            }
            this.decoy = costliest.decoy();
            new SecureRandom().nextBytes(digestKey);
        }

        @Override
        public boolean readsBody() {
            return false;
        }

        @Override
        public boolean blocking() {
            return true;
        }

        @Override
        public Verdict check(HookRequest request) {
            String credentials = BearerAuthType.credentials(request.headers().getAll("Authorization"), "Basic");
            if (credentials == null) {
                return Verdict.failed(Reason.MISSING, CHALLENGE);
            }
            String decoded = decode(credentials);
            int colon = decoded == null ? -1 : decoded.indexOf(':');
            if (colon <= 0) {
                return Verdict.failed(Reason.MALFORMED, CHALLENGE);
            }
            String user = decoded.substring(0, colon);
            String password = decoded.substring(colon + 1);
            ByteBuffer key = ByteBuffer.wrap(keyedDigest(decoded));
            Boolean known = checked.getIfPresent(key);
            if (known == null) {
                PasswordHash hash = users.get(user);
                // An unknown user is checked against the decoy, so both take the same time.
                known = (hash != null ? hash : decoy).matches(password) && hash != null;
                checked.put(key, known);
            }
            return known ? Verdict.PASSED : Verdict.failed(Reason.MISMATCH, null);
        }

        /** The user-pass of RFC 7617 §2: base64, then UTF-8; {@code null} when it is neither or too long. */
        private static String decode(String credentials) {
            if (credentials.isEmpty() || credentials.length() > MAX_CREDENTIALS_CHARS) {
                return null;
            }
            try {
                byte[] bytes = Base64.getDecoder().decode(credentials);
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (IllegalArgumentException | CharacterCodingException e) {
                return null;
            }
        }

        private byte[] keyedDigest(String userPass) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(digestKey, "HmacSHA256"));
                return mac.doFinal(userPass.getBytes(StandardCharsets.UTF_8));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every Java platform has HmacSHA256", e);
            }
        }
    }
}
