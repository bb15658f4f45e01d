package io.hookgateway.security.alexa;

import com.fasterxml.jackson.core.JsonPointer;
import io.hookgateway.config.BlankText;
import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.Authenticator.Reason;
import io.hookgateway.hooks.Authenticator.Verdict;
import io.hookgateway.hooks.Authenticator;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.RequestValues;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.security.AuthType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code alexa}: requests the Alexa Skills Kit sends to a custom skill hosted as a web service, verified the way
 * Amazon requires for certification ("Host a custom skill as a web service", verify that the request was sent by
 * Alexa).
 *
 * <pre>
 * auth:
 *   alexa:
 *     application-id: amzn1.ask.skill.0f6b...   # the skill's id, or application-ids: [...] for several skills
 *     timestamp-tolerance: 150s                  # 1s..150s; 150s, Amazon's limit, by default
 * </pre>
 *
 * <ol>
 *   <li>{@code SignatureCertChainUrl} is a URL Amazon would use ({@link CertificateUrl});</li>
 *   <li>the chain there is Amazon's: its signer valid now and named {@code echo-api.amazon.com}, the chain leading to a
 *       root the JDK trusts ({@link SigningCertificates}, fetched over HTTPS and cached until it expires);</li>
 *   <li>{@code Signature-256}, base64, is the signer's RSA signature with SHA-256 over the body's bytes as
 *       received;</li>
 *   <li>the body's {@code request.timestamp} is within the tolerance of now, either way, so a recorded request
 *       cannot be played again later;</li>
 *   <li>the application id, {@code session.application.applicationId} and
 *       {@code context.System.application.applicationId} wherever present (at least one), is one configured: another
 *       developer's skill, signed by Amazon just as well, is refused.</li>
 * </ol>
 *
 * A request without the two header fields gets 401, one whose fields cannot be read 401 too; a signature, chain or
 * application id that does not match 403, and so does a stale timestamp ({@code expired}). Fetching a chain may take
 * seconds the first time, so the check runs on the worker pool ({@link Authenticator#blocking()}), after the body is in.
 */
public final class AlexaAuthType implements AuthType {

    private static final Logger log = LoggerFactory.getLogger(AlexaAuthType.class);

    static final String CERTIFICATE_URL_HEADER = "SignatureCertChainUrl";
    static final String SIGNATURE_HEADER = "Signature-256";
    /** Amazon: "no more than 150 seconds"; a skill that allows more cannot be published. */
    static final Duration MAX_TOLERANCE = Duration.ofSeconds(150);
    /** Base64 of an RSA signature of 8192 bits is 1,368 characters; anything longer is not one. */
    private static final int MAX_SIGNATURE_CHARS = 1400;

    static final JsonPointer TIMESTAMP = JsonPointer.compile("/request/timestamp");
    static final JsonPointer SESSION_APPLICATION = JsonPointer.compile("/session/application/applicationId");
    static final JsonPointer CONTEXT_APPLICATION = JsonPointer.compile("/context/System/application/applicationId");

    private final CertificateFetcher fetcher;
    private final Supplier<Set<TrustAnchor>> trustAnchors;
    private final Clock clock;
    /** Made when the first signed request is checked: its cache is no start-up work for a gateway without one. */
    private volatile SigningCertificates certificates;

    /** Amazon's chains, fetched from Amazon, checked against the JDK's roots, at the system's time. */
    public AlexaAuthType() {
        this(new HttpsCertificateFetcher(), SigningCertificates::jdkTrustAnchors, Clock.systemUTC());
    }

    /** Chains fetched by {@code fetcher} and checked against {@code trustAnchors} at {@code clock}'s time: for tests. */
    AlexaAuthType(CertificateFetcher fetcher, Supplier<Set<TrustAnchor>> trustAnchors, Clock clock) {
        this.fetcher = fetcher;
        this.trustAnchors = trustAnchors;
        this.clock = clock;
    }

    private SigningCertificates certificates() {
        SigningCertificates made = certificates;
        if (made == null) {
            synchronized (this) {
                made = certificates;
                if (made == null) {
                    made = new SigningCertificates(fetcher, trustAnchors, clock);
                    certificates = made;
                }
            }
        }
        return made;
    }

    @Override
    public String name() {
        return "alexa";
    }

    @Override
    public Authenticator parse(ConfigNode node, ProcessorContext.Static context) {
        List<String> applicationIds = applicationIds(node);
        Duration tolerance = node.duration("timestamp-tolerance", MAX_TOLERANCE, Duration.ofSeconds(1),
                MAX_TOLERANCE);
        node.finish();
        return applicationIds == null ? null : new AlexaAuthenticator(Set.copyOf(applicationIds), tolerance);
    }

    private static List<String> applicationIds(ConfigNode node) {
        boolean one = node.has("application-id");
        boolean many = node.has("application-ids");
        if (one == many) {
            node.problem(one ? "application-ids" : "application-id", one
                    ? "and application-id are both given; write one list"
                    : "is required: the skill's id from the Alexa developer console, as application-id: "
                            + "amzn1.ask.skill.... (or application-ids: [...] for several skills)");
            return null;
        }
        String key = one ? "application-id" : "application-ids";
        if (!node.blankVariables(key).isEmpty()) {
            node.problem(key, "uses environment variable " + String.join(", ", node.blankVariables(key))
                    + ", which is empty; set it to the skill's id");
            return null;
        }
        List<String> ids = node.strings(key, List.of());
        for (String id : ids) {
            if (BlankText.isBlank(id)) {
                node.problem(key, "holds an empty id; write the skill's id, as amzn1.ask.skill....");
                return null;
            }
        }
        if (ids.isEmpty()) {
            // Otherwise it was not text, or an unset variable: reported already.
            if (node.isEmptyList(key)) {
                node.problem(key, "is empty; list at least one skill's id");
            }
            return null;
        }
        return ids;
    }

    /** The checks, in Amazon's order: what the body says is believed only once its signature is. */
    private final class AlexaAuthenticator implements Authenticator {
        private final Set<String> applicationIds;
        private final Duration tolerance;

        AlexaAuthenticator(Set<String> applicationIds, Duration tolerance) {
            this.applicationIds = applicationIds;
            this.tolerance = tolerance;
        }

        @Override
        public boolean readsBody() {
            return true;
        }

        /** A chain may have to be fetched, which takes a network round trip or several. */
        @Override
        public boolean blocking() {
            return true;
        }

        /** Without both fields, {@link #check} refuses as missing, whatever the body. */
        @Override
        public boolean missingAtHead(HookRequest head) {
            return head.headers().getAll(CERTIFICATE_URL_HEADER).isEmpty()
                    || head.headers().getAll(SIGNATURE_HEADER).isEmpty();
        }

        @Override
        public Verdict check(HookRequest request) {
            List<String> urls = request.headers().getAll(CERTIFICATE_URL_HEADER);
            List<String> signatures = request.headers().getAll(SIGNATURE_HEADER);
            if (urls.isEmpty() || signatures.isEmpty()) {
                return refused(request, Reason.MISSING, "no " + (urls.isEmpty() ? CERTIFICATE_URL_HEADER
                        : SIGNATURE_HEADER));
            }
            if (urls.size() > 1 || signatures.size() > 1) {
                return refused(request, Reason.MALFORMED, "more than one " + (urls.size() > 1 ? CERTIFICATE_URL_HEADER
                        : SIGNATURE_HEADER));
            }
            byte[] signature = base64(signatures.get(0));
            URI written = CertificateUrl.parse(urls.get(0));
            if (signature == null || written == null) {
                return refused(request, Reason.MALFORMED, signature == null ? SIGNATURE_HEADER + " is not base64"
                        : CERTIFICATE_URL_HEADER + " is not a URL");
            }
            URI url = CertificateUrl.amazons(written);
            if (url == null) {
                return refused(request, Reason.MISMATCH, CERTIFICATE_URL_HEADER + " is not a URL Amazon uses");
            }
            SigningCertificates.Signer signer = certificates().signerAt(url);
            if (signer.refusal() != null) {
                return refused(request, Reason.MISMATCH, signer.refusal());
            }
            if (!verifies(signer.certificate().getPublicKey(), signature, request)) {
                return refused(request, Reason.MISMATCH, SIGNATURE_HEADER + " is not the signature of the body");
            }
            return checkBody(request);
        }

        /** The timestamp and the application id, now that the body is known to be Amazon's. */
        private Verdict checkBody(HookRequest request) {
            RequestValues values = request.values();
            String timestamp;
            List<String> presented = new ArrayList<>(2);
            try {
                values.prepare(List.of(TIMESTAMP, SESSION_APPLICATION, CONTEXT_APPLICATION));
                timestamp = values.json(TIMESTAMP);
                for (JsonPointer pointer : List.of(SESSION_APPLICATION, CONTEXT_APPLICATION)) {
                    if (values.json(pointer) != null) {
                        presented.add(values.json(pointer));
                    }
                }
            } catch (HookException notJson) {
                return refused(request, Reason.MALFORMED, "the body is not JSON");
            }
            Instant sent = instant(timestamp);
            if (sent == null) {
                return refused(request, Reason.MALFORMED, "request.timestamp is not an ISO 8601 time");
            }
            if (Duration.between(sent, clock.instant()).abs().compareTo(tolerance) > 0) {
                return refused(request, Reason.EXPIRED, "request.timestamp " + sent + " is more than "
                        + tolerance.toSeconds() + "s from now");
            }
            if (presented.isEmpty() || !applicationIds.containsAll(presented)) {
                return refused(request, Reason.MISMATCH, "the application id is not one configured");
            }
            return Verdict.PASSED;
        }
    }

    /** Why a request is refused goes to the debug log only: the answer and the metric say no more than the reason. */
    private static Verdict refused(HookRequest request, Reason reason, String why) {
        log.debug("hook {}: Alexa request {} refused ({}): {}", request.hookName(), request.requestId(), reason.tag(),
                why);
        return Verdict.failed(reason, null);
    }

    private static byte[] base64(String text) {
        if (text.isEmpty() || text.length() > MAX_SIGNATURE_CHARS) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether {@code signature} is RSA with SHA-256 over the body's bytes, read where they are, not copied. */
    private static boolean verifies(PublicKey key, byte[] signature, HookRequest request) {
        try (InputStream body = request.bodyStream()) {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key);
            byte[] buffer = new byte[8192];
            for (int n = body.read(buffer); n != -1; n = body.read(buffer)) {
                verifier.update(buffer, 0, n);
            }
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IOException e) {
            // A signature of the wrong length for the key, say: not this body's signature.
            return false;
        }
    }

    private static Instant instant(String timestamp) {
        if (timestamp == null) {
            return null;
        }
        try {
            // ISO 8601 as Amazon writes it, 2015-05-13T12:34:56Z, with or without fractions of a second.
            return Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
