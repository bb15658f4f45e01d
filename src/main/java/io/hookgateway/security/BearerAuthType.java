package io.hookgateway.security;

import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.Authenticator.Reason;
import io.hookgateway.hooks.Authenticator.Verdict;
import io.hookgateway.hooks.Authenticator;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.processors.ProcessorContext;
import java.util.List;

/**
 * {@code bearer}: a token in {@code Authorization: Bearer <token>} (RFC 6750 §2.1), as curl sends with
 * {@code -H 'Authorization: Bearer …'}.
 *
 * <pre>
 * auth: {bearer: {token: "${HOOK_TOKEN}"}}          # or tokens: [...] while one is rotated
 * </pre>
 *
 * A request without one gets 401 with {@code WWW-Authenticate: Bearer realm="hook-gateway"}; one whose token is not
 * the syntax gets 401 with {@code error="invalid_request"}, a wrong one 403 (RFC 6750 §3.1).
 */
public final class BearerAuthType implements AuthType {

    static final String CHALLENGE = "Bearer realm=\"hook-gateway\"";

    @Override
    public String name() {
        return "bearer";
    }

    @Override
    public Authenticator parse(ConfigNode node, ProcessorContext.Static context) {
        SharedSecrets tokens = SharedSecrets.read(node, "token", "tokens", "\"${HOOK_TOKEN}\"");
        node.finish();
        return tokens == null ? null : new Authenticator() {
            @Override
            public boolean readsBody() {
                return false;
            }

            @Override
            public Verdict check(HookRequest request) {
                String token = credentials(request.headers().getAll("Authorization"), "Bearer");
                if (token == null) {
                    return Verdict.failed(Reason.MISSING, CHALLENGE);
                }
                if (!isB64Token(token)) {
                    return Verdict.failed(Reason.MALFORMED, CHALLENGE + ", error=\"invalid_request\"");
                }
                return tokens.matches(token) ? Verdict.PASSED : Verdict.failed(Reason.MISMATCH, null);
            }
        };
    }

    /**
     * The credentials after {@code scheme} in the one {@code Authorization} field (the scheme is case-insensitive,
     * RFC 9110 §11.1); {@code null} when there is none or it names another scheme; empty when the field is there but
     * unreadable (two fields, no credentials).
     */
    static String credentials(List<String> fields, String scheme) {
        if (fields.isEmpty()) {
            return null;
        }
        if (fields.size() > 1) {
            return "";
        }
        String field = fields.get(0);
        if (!field.regionMatches(true, 0, scheme, 0, scheme.length())) {
            return null;
        }
        if (field.length() == scheme.length()) {
            return "";
        }
        if (field.charAt(scheme.length()) != ' ') {
            return null;
        }
        return field.substring(scheme.length() + 1).strip();
    }

    /** RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". */
    static boolean isB64Token(String token) {
        int i = 0;
        while (i < token.length()) {
            char c = token.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~+/".indexOf(c) >= 0) {
                i++;
            } else {
                break;
            }
        }
        if (i == 0) {
            return false;
        }
        while (i < token.length() && token.charAt(i) == '=') {
            i++;
        }
        return i == token.length();
    }
}
