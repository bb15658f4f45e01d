package io.hookgateway.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one TLS listener serves, kept up to date with its files: each new connection gets an {@link SslHandler} of the
 * context current when it opens, so a renewed certificate is served from the next connection on, while established
 * connections keep the engine they started with. Nothing restarts and nothing is dropped.
 *
 * <p>Every {@link TlsConfig#reloadInterval()} the files are read again (following symbolic links, as Kubernetes and
 * cert-manager swap a {@code ..data} link to a new directory) and compared by digest with what was seen last. When they
 * changed, they are checked as at start ({@link ServerIdentity}) and a new context built; a pair that does not fit
 * (a key written before its certificate, or a file read half-written) keeps the current context, is logged once as an
 * error, and is tried again at the next change. Each reload is logged with the certificate's subject, serial and
 * validity, never its key; {@code hook_gateway_tls_certificate_expiry_timestamp_seconds} shows when the served
 * certificate expires and {@code hook_gateway_tls_certificate_reloads_total{outcome}} counts reloads.
 */
public final class ServerTls implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
    /** A certificate that expires sooner than this is logged as a warning whenever it is loaded. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(14);
    private static final String EXPIRY = "hook.gateway.tls.certificate.expiry.timestamp";

    private final TlsConfig config;
    private final Counter reloads;
    private final Counter failed;
    private final HandshakeFailures handshakeFailures;
    private volatile Serving serving;
    private volatile String name;
    /** What the last check read (a digest of the files, or of why they could not be read); the check's thread only. */
    private byte[] lastSeen;
    private ScheduledFuture<?> watch;

    /** The identity served, its context, and the implementation that serves it. */
    private record Serving(ServerIdentity identity, SslContext context, SslProvider provider) {

        static Serving of(TlsConfig config, ServerIdentity identity) throws SSLException {
            SslProvider provider = TlsContexts.provider(config.provider(), identity);
            return new Serving(identity, TlsContexts.build(config, identity, provider), provider);
        }

        String describe() {
            return identity.describe() + " by " + TlsContexts.describe(provider, identity);
        }
    }

    private ServerTls(TlsConfig config, Serving serving, MeterRegistry registry) {
        this.config = config;
        this.serving = serving;
        this.lastSeen = serving.identity().digest();
        this.name = "TLS port " + config.port();
        String certificate = config.certificate().toString();
        // Listeners serving the same files (one asking for client certificates, one not) show them once.
        if (registry.find(EXPIRY).tag("certificate", certificate).gauge() == null) {
            Gauge.builder(EXPIRY, this, tls -> tls.serving.identity().notAfter().getEpochSecond())
                    .description("When the certificate a TLS listener serves expires, as a Unix time")
                    .baseUnit("seconds")
                    .tag("certificate", certificate)
                    .strongReference(true)
                    .register(registry);
        }
        reloads = reloads(registry, certificate, "loaded");
        failed = reloads(registry, certificate, "failed");
        handshakeFailures = new HandshakeFailures(registry, this::name, config.clientAuth());
    }

    private static Counter reloads(MeterRegistry registry, String certificate, String outcome) {
        return Counter.builder("hook.gateway.tls.certificate.reloads")
                .description("Changes to a TLS listener's files: loaded, or failed and kept the certificate served")
                .tag("certificate", certificate)
                .tag("outcome", outcome)
                .register(registry);
    }

    /**
     * Reads the listener's files and builds its context.
     *
     * @throws TlsFileException when a file cannot be used
     * @throws SSLException when the TLS implementation refuses them
     * @throws IllegalStateException when the provider asked for is not available
     */
    public static ServerTls load(TlsConfig config, MeterRegistry registry) throws TlsFileException, SSLException {
        Objects.requireNonNull(registry, "registry");
        return new ServerTls(config, Serving.of(config, ServerIdentity.load(config)), registry);
    }

    /**
     * Checks the files for changes every {@link TlsConfig#reloadInterval()} on {@code executor}, a thread that may
     * block on a slow file system, never an event loop. {@code listening} names the listener in log lines.
     */
    public synchronized void watch(ScheduledExecutorService executor, String listening) {
        name = "TLS on " + listening;
        log.info("{}: serving {}", name, serving.describe());
        warnAboutValidity(serving.identity());
        long interval = config.reloadInterval().toMillis();
        watch = executor.scheduleWithFixedDelay(this::checkSafely, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** A new connection's handler, of the context current now. */
    public SslHandler newHandler(Channel channel) {
        SslHandler handler = serving.context().newHandler(channel.alloc());
        handler.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
        return handler;
    }

    /** The handler that counts this listener's failed handshakes, shared by its connections. */
    public HandshakeFailures handshakeFailures() {
        return handshakeFailures;
    }

    /** The listener, for log lines: {@code TLS on 0.0.0.0:8443} once it listens. */
    public String name() {
        return name;
    }

    private void checkSafely() {
        try {
            checkForChange();
        } catch (RuntimeException | Error e) {
            // A periodic task that throws is never run again: the files would no longer be watched.
            log.error("{}: checking the certificate files failed; trying again in {} ms", name,
                    config.reloadInterval().toMillis(), e);
        }
    }

    /** Reads the files once and, when they changed, loads them. Runs on the watch's thread (tests call it directly). */
    synchronized void checkForChange() {
        ServerIdentity.Contents contents;
        try {
            contents = ServerIdentity.read(config);
        } catch (TlsFileException e) {
            // A file missing for a moment (while a link is swapped) is seen again at the next check: remembered by
            // its message, so it is logged once however long it lasts.
            if (seenBefore(digest(e.getMessage()))) {
                return;
            }
            refused(e.getMessage());
            return;
        }
        if (seenBefore(contents.digest()) || serving.identity().sameFilesAs(contents.digest())) {
            return;
        }
        Serving loaded;
        try {
            loaded = Serving.of(config, ServerIdentity.of(config, contents));
        } catch (TlsFileException e) {
            refused(e.getMessage());
            return;
        } catch (SSLException | RuntimeException e) {
            refused("the TLS implementation refused them (" + e.getMessage() + ")");
            return;
        }
        serving = loaded;
        reloads.increment();
        log.info("{}: the certificate files changed; new connections get {}", name, loaded.describe());
        warnAboutValidity(loaded.identity());
    }

    /** Remembers what a check saw; true when the check before saw the same, and there is nothing new to do. */
    private boolean seenBefore(byte[] seen) {
        if (MessageDigest.isEqual(seen, lastSeen)) {
            return true;
        }
        lastSeen = seen;
        return false;
    }

    private void refused(String why) {
        failed.increment();
        log.error("{}: the certificate files changed but cannot be served: {}. Still serving {}; the files are "
                        + "checked again every {} ms", name, why, serving.identity().describe(),
                config.reloadInterval().toMillis());
    }

    private void warnAboutValidity(ServerIdentity identity) {
        Instant now = Instant.now();
        Instant notAfter = identity.notAfter();
        Instant notBefore = identity.chain().get(0).getNotBefore().toInstant();
        if (notAfter.isBefore(now)) {
            log.warn("{}: the certificate expired at {}: clients refuse it; renew it (the new files are loaded "
                    + "without a restart)", name, notAfter);
        } else if (notBefore.isAfter(now)) {
            log.warn("{}: the certificate is not valid before {}: clients refuse it until then; check the clock",
                    name, notBefore);
        } else if (notAfter.isBefore(now.plus(EXPIRY_WARNING))) {
            log.warn("{}: the certificate expires at {}, in less than {} days; renew it (the new files are loaded "
                    + "without a restart)", name, notAfter, EXPIRY_WARNING.toDays());
        }
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Stops watching the files; connections are not touched. */
    @Override
    public synchronized void close() {
        if (watch != null) {
            watch.cancel(false);
        }
    }
}
