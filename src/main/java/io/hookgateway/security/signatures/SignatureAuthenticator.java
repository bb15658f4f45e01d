package io.hookgateway.security.signatures;

import io.hookgateway.hooks.Authenticator;
import io.hookgateway.hooks.HookRequest;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A signed-webhook check, whatever the sender: its scheme reads the signatures, what they cover, and any timestamp
 * and delivery id from the request ({@link Delivery}); then, in this order,
 *
 * <ol>
 *   <li>the signatures are checked against the MAC of the content under every secret ({@link Hmac}): none matches is
 *       {@link Reason#MISMATCH};</li>
 *   <li>a signed timestamp further than the tolerance from now, in the past or the future, is {@link Reason#EXPIRED}
 *       (judged only once the signature is good, so that the count of expired deliveries is one of real ones);</li>
 *   <li>a delivery remembered from before, by its id or its signature, is {@link Reason#REPLAYED}
 *       ({@link ReplayCache}).</li>
 * </ol>
 *
 * The body is read, as received, so the check runs once the body is in, before the first processor.
 */
final class SignatureAuthenticator implements Authenticator {

    private final Function<HookRequest, Delivery> scheme;
    private final Window window;
    private final ReplayCache replays;
    private final Clock clock;

    SignatureAuthenticator(Function<HookRequest, Delivery> scheme, Window window, ReplayCache replays, Clock clock) {
        this.scheme = scheme;
        this.window = window;
        this.replays = replays;
        this.clock = clock;
    }

    @Override
    public boolean readsBody() {
        return true;
    }

    /** No signature field: the scheme reads nothing more of such a request, and never its body. */
    @Override
    public boolean missingAtHead(HookRequest head) {
        return scheme.apply(head) == Delivery.MISSING;
    }

    @Override
    public Verdict check(HookRequest request) {
        Delivery delivery = scheme.apply(request);
        if (delivery.problem() != null) {
            return Verdict.failed(delivery.problem(), null);
        }
        byte[] mac = delivery.hmac().verify(request, delivery.content(), delivery.signatures());
        if (mac == null) {
            return Verdict.failed(Reason.MISMATCH, null);
        }
        long now = clock.millis();
        long until;
        if (delivery.hasTimestamp()) {
            long signedAt = delivery.timestamp() * 1000;
            if (Math.abs(now - signedAt) > window.toleranceMillis()) {
                return Verdict.failed(Reason.EXPIRED, null);
            }
            until = signedAt + window.toleranceMillis();
        } else {
            until = now + window.replayMillis();
        }
        List<ReplayCache.Key> keys = new ArrayList<>(2);
        if (delivery.id() != null) {
            keys.add(ReplayCache.Key.ofId(delivery.id()));
        }
        if (delivery.id() == null || !delivery.idSigned()) {
            keys.add(ReplayCache.Key.ofMac(mac));
        }
        return replays.claim(keys, until);
    }

    @Override
    public void bindMeters(MeterRegistry registry, String hookName) {
        replays.bindMeters(registry, hookName);
    }

    @Override
    public void takeOver(Authenticator previous) {
        if (previous instanceof SignatureAuthenticator before) {
            replays.takeOver(before.replays);
        }
    }

    /**
     * How long a delivery counts: a signed timestamp may be this far from now ({@code tolerance}), and a delivery
     * without one is remembered this long ({@code replay-window}).
     */
    record Window(long toleranceMillis, long replayMillis) {
    }
}
