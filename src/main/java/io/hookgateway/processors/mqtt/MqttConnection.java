package io.hookgateway.processors.mqtt;

import io.hookgateway.config.Units;
import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.NetUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One persistent MQTT 3.1.1 connection to a broker, shared by every hook that publishes there (one per
 * {@link BrokerSettings#key()}), on one of the gateway's event loops. It connects when created and, while the gateway
 * runs, reconnects whenever the connection is lost, with exponential backoff and jitter: 100 ms doubling to 30 s.
 *
 * <pre>
 *  socket ─▶ mqtt-tls ─▶ mqtt-keep-alive ──▶ mqtt-decoder ─▶ mqtt-encoder ─▶ mqtt-client
 *            (tls: true)  reader idle for     CONNACK, PUBACK,  CONNECT,        CONNACK / PUBACK / PINGRESP;
 *                         keep-alive: PING;   PINGRESP, ≤ 4 KiB PUBLISH, PING,  keep-alive events; failures
 *                         again: close                          DISCONNECT
 * </pre>
 *
 * <p><b>Publishing.</b> {@link #publish} may be called from any thread; the work moves to the connection's event loop.
 * While not connected a publish fails at once with 503 and a {@code Retry-After} of the seconds to the next attempt,
 * rather than waiting: a webhook's sender should learn at once that the message did not go out. QoS 0 completes when
 * the PUBLISH is written to the socket of a connection the broker has accepted, QoS 1 when the broker's PUBACK arrives
 * (else 504 after the publish timeout). QoS 0 has no acknowledgement, so a written message counts as delivered only
 * because nothing written is ever a reason for the broker to close the connection behind it: callers check topics
 * with {@link TopicNames} first.
 *
 * <p><b>A lost connection fails every QoS 1 publish awaiting its PUBACK with 503</b>, rather than resending it with
 * DUP after the reconnect: the session is clean (nothing carries over at the broker), the hook's sender is still
 * waiting for an answer and can retry, and an honest "may or may not have been delivered" beats a hook that hangs
 * for a reconnect that may take up to 30 seconds.
 *
 * <p>Packet ids count 1..65535 and skip ids still awaiting a PUBACK. An id whose publish timed out becomes free again,
 * so a PUBACK that arrives later than the timeout could only be mistaken for another message's after the ids have gone
 * round all 65535.
 */
final class MqttConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MqttConnection.class);

    static final String TLS_HANDLER = "mqtt-tls";
    static final String KEEP_ALIVE_HANDLER = "mqtt-keep-alive";
    static final String DECODER = "mqtt-decoder";
    static final String ENCODER = "mqtt-encoder";
    static final String CLIENT_HANDLER = "mqtt-client";

    static final long INITIAL_BACKOFF_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 30_000;
    /**
     * A connection that stayed up this long resets the backoff. One dropped sooner does not, so that a broker that
     * accepts and at once drops again (a second client with the same id, say) is not called ten times a second.
     */
    static final long STABLE_CONNECTION_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** A broker sends this client CONNACK, PUBACK and PINGRESP only, 2 to 4 bytes each; more is a broken broker. */
    static final int MAX_INBOUND_MESSAGE_BYTES = 4096;
    private static final int MAX_PACKET_ID = 65_535;
    private static final long CLOSE_WAIT_MILLIS = 1000;
    /**
     * How far {@link #describe} follows a failure's causes: a TLS failure's chain is a few levels deep, and a cycle
     * of causes (two exceptions each other's cause) must not hold the event loop.
     */
    private static final int MAX_CAUSE_DEPTH = 10;

    /** A QoS 1 publish awaiting its PUBACK, and the timer that fails it with 504. */
    private record Pending(CompletableFuture<Void> done, ScheduledFuture<?> timeout) {
    }

    private final BrokerSettings settings;
    private final String clientId;
    private final String address;
    private final EventLoop loop;
    private final EventLoopGroup ownLoops;
    private final Class<? extends SocketChannel> channelType;
    private final Executor resolver;
    private final SslContext sslContext;
    private final ConnectionMeters meters;

    // Touched on `loop` only.
    private final IntObjectHashMap<Pending> pending = new IntObjectHashMap<>();
    private Channel channel;
    private String channelFailure;
    private boolean attemptCounted;
    private long connectedAtNanos;
    private ScheduledFuture<?> connectDeadline;
    private ScheduledFuture<?> reconnect;
    private long backoffMillis = INITIAL_BACKOFF_MILLIS;
    private int lastPacketId;
    private boolean closed;
    private String lastLoggedReason;
    private String unavailableReason = "connecting";

    // Written on `loop` only; read from any thread as well: by isConnected(), and for the Retry-After of a publish
    // that the loop refused to take.
    private volatile boolean connected;
    private volatile long nextAttemptNanos = System.nanoTime();

    /**
     * Creates the connection and starts connecting.
     *
     * @param transport the gateway's event loops, or {@code null} to run on a thread of its own
     * @param resolver where a host name is looked up, which blocks: never an event loop
     * @param registry where the connection's {@link ConnectionMeters} are registered
     * @throws IllegalArgumentException when the TLS settings cannot be used (a CA file that is not PEM)
     */
    MqttConnection(BrokerSettings settings, Transport transport, Executor resolver, MeterRegistry registry) {
        this.settings = settings;
        this.clientId = settings.clientId() != null ? settings.clientId() : generatedClientId();
        this.address = settings.address();
        this.resolver = resolver;
        this.meters = new ConnectionMeters(registry, address, clientId);
        this.sslContext = sslContext(settings);
        if (transport != null) {
            ownLoops = null;
            loop = transport.eventLoops().next();
            channelType = transport.socketChannelType();
        } else {
            ownLoops = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("mqtt-io", true),
                    NioIoHandler.newFactory());
            loop = ownLoops.next();
            channelType = NioSocketChannel.class;
        }
        loop.execute(this::attempt);
    }

    /**
     * {@code hook-gateway-} and 10 hex digits: 23 characters, the most MQTT 3.1.1 obliges a broker to take (§3.1.3.1),
     * and random, so two gateways at one broker do not throw each other off.
     */
    private static String generatedClientId() {
        return "hook-gateway-" + String.format("%010x", ThreadLocalRandom.current().nextLong(1L << 40));
    }

    static SslContext sslContext(BrokerSettings settings) {
        if (!settings.tls()) {
            return null;
        }
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
        if (settings.tlsInsecure()) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else {
            if (settings.tlsCaFile() != null) {
                builder.trustManager(settings.tlsCaFile().toFile());
            }
            builder.endpointIdentificationAlgorithm("HTTPS");
        }
        try {
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("MQTT broker " + settings.address() + ": cannot set up TLS"
                    + (settings.tlsCaFile() != null ? " with tls-ca-file " + settings.tlsCaFile() : "") + ": "
                    + e.getMessage(), e);
        }
    }

    /** Whether the broker has accepted the current connection. */
    boolean isConnected() {
        return connected;
    }

    /**
     * Publishes one message. The returned future completes when the message is out (QoS 0: written; QoS 1: PUBACK
     * received) or fails with a {@link HookException}: 503 while the broker is unavailable or when the connection is
     * lost first, 504 when no PUBACK comes within {@code timeout}. Cancelling it forgets the publish (its PUBACK is
     * no longer awaited); a message already written cannot be called back.
     */
    CompletableFuture<Void> publish(String topic, byte[] payload, MqttQoS qos, boolean retain, Duration timeout) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (loop.inEventLoop()) {
            send(topic, payload, qos, retain, timeout, done);
        } else {
            try {
                loop.execute(() -> send(topic, payload, qos, retain, timeout, done));
            } catch (RejectedExecutionException e) {
                done.completeExceptionally(unavailable("the gateway is stopping"));
            }
        }
        return done;
    }

    private void send(String topic, byte[] payload, MqttQoS qos, boolean retain, Duration timeout,
                      CompletableFuture<Void> done) {
        if (done.isDone()) {
            // Cancelled on its way to this loop: nothing was sent, nothing to forget.
            return;
        }
        if (!connected) {
            done.completeExceptionally(unavailable(unavailableReason));
            return;
        }
        // QoS 0 has no packet id (0 is not a valid one) and awaits nothing.
        int packetId = qos == MqttQoS.AT_LEAST_ONCE ? nextPacketId() : 0;
        if (packetId < 0) {
            done.completeExceptionally(unavailable("all 65535 packet ids await the broker's PUBACK"));
            return;
        }
        Pending entry = packetId == 0 ? null : await(packetId, timeout, done);
        // The payload becomes a buffer only here, on the loop, and is handed straight to the write, which owns it
        // from then on: the encoder releases it once written, the channel when the write fails.
        MqttPublishMessage message = MqttMessageBuilders.publish()
                .topicName(topic)
                .qos(qos)
                .retained(retain)
                .messageId(packetId)
                .payload(Unpooled.wrappedBuffer(payload))
                .build();
        channel.writeAndFlush(message).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess()) {
                if (entry != null) {
                    forget(packetId, entry);
                }
                done.completeExceptionally(unavailable("the message could not be sent ("
                        + describe(written.cause()) + ")"));
            } else if (entry == null) {
                done.complete(null);
            }
        });
    }

    /** Awaits the PUBACK of a QoS 1 publish: until it comes, the timeout fails it (504), or it is cancelled. */
    private Pending await(int packetId, Duration timeout, CompletableFuture<Void> done) {
        Pending entry = new Pending(done, loop.schedule(() -> timedOut(packetId, timeout), timeout.toNanos(),
                TimeUnit.NANOSECONDS));
        pending.put(packetId, entry);
        done.whenComplete((ignored, error) -> {
            if (error instanceof CancellationException) {
                onLoop(() -> forget(packetId, entry));
            }
        });
        return entry;
    }

    /** The next packet id not awaiting a PUBACK, or -1 when all 65535 are. */
    private int nextPacketId() {
        for (int tries = 0; tries < MAX_PACKET_ID; tries++) {
            lastPacketId = lastPacketId == MAX_PACKET_ID ? 1 : lastPacketId + 1;
            if (!pending.containsKey(lastPacketId)) {
                return lastPacketId;
            }
        }
        return -1;
    }

    private void timedOut(int packetId, Duration timeout) {
        Pending entry = pending.remove(packetId);
        if (entry != null) {
            entry.done().completeExceptionally(HookException.withLogDetail(504, "the MQTT broker did not acknowledge "
                    + "the message in time", HeaderFields.empty(), "MQTT broker " + address + " did not acknowledge "
                    + "the message within " + Units.formatDuration(timeout)));
        }
    }

    private void pubAck(int packetId) {
        Pending entry = pending.remove(packetId);
        if (entry == null) {
            // Its publish timed out or was cancelled: the answer has gone already.
            log.debug("MQTT broker {}: PUBACK for packet id {}, which nothing awaits", address, packetId);
            return;
        }
        entry.timeout().cancel(false);
        entry.done().complete(null);
    }

    private void forget(int packetId, Pending entry) {
        if (pending.get(packetId) == entry) {
            pending.remove(packetId);
        }
        entry.timeout().cancel(false);
    }

    private void failPending(HookException failure) {
        if (pending.isEmpty()) {
            return;
        }
        // Completing a future runs its callbacks, which may publish again: work on a copy.
        List<Pending> awaiting = new ArrayList<>(pending.values());
        pending.clear();
        for (Pending entry : awaiting) {
            entry.timeout().cancel(false);
            entry.done().completeExceptionally(failure);
        }
    }

    /**
     * 503 with a {@code Retry-After} of the whole seconds until the next attempt (at least 1). The caller, who may be
     * anyone, learns that the broker is unavailable; the reason, which names the broker and may quote its CONNACK or
     * the client id, goes to the log only.
     */
    private HookException unavailable(String reason) {
        return HookException.withLogDetail(503, "the MQTT broker is unavailable; try again later", retryAfter(),
                "MQTT broker " + address + " unavailable: " + reason);
    }

    /** 503 for a QoS 1 publish whose connection was lost before its PUBACK: the caller must know it may have gone. */
    private HookException lostBeforePubAck(String reason) {
        return HookException.withLogDetail(503, "the connection to the MQTT broker was lost before it acknowledged "
                + "the message, which may or may not have been delivered", retryAfter(), "MQTT broker " + address
                + ": the connection was lost before the PUBACK (" + reason + ")");
    }

    private HeaderFields retryAfter() {
        long wait = nextAttemptNanos - System.nanoTime();
        long seconds = Math.max(1, (wait + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
        return HeaderFields.of("Retry-After", Long.toString(seconds));
    }

    // ---- connecting -------------------------------------------------------------------------------------------

    /** One connection attempt: look the host up (off the loop unless it is an IP address), then connect. */
    private void attempt() {
        reconnect = null;
        if (closed) {
            return;
        }
        attemptCounted = false;
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(settings.host());
        if (literal != null) {
            try {
                connect(new InetSocketAddress(InetAddress.getByAddress(settings.host(), literal), settings.port()));
            } catch (UnknownHostException e) {
                down("bad IP address " + settings.host(), false);
            }
            return;
        }
        try {
            resolver.execute(() -> {
                try {
                    InetAddress resolved = InetAddress.getByName(settings.host());
                    onLoop(() -> connect(new InetSocketAddress(resolved, settings.port())));
                } catch (UnknownHostException e) {
                    onLoop(() -> down("unknown host " + settings.host(), false));
                }
            });
        } catch (RejectedExecutionException e) {
            down("the gateway's worker pool is too busy to look up " + settings.host(), false);
        }
    }

    private void connect(InetSocketAddress remote) {
        if (closed) {
            return;
        }
        long timeoutMillis = settings.connectTimeout().toMillis();
        ChannelFuture connecting = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        initPipeline(ch.pipeline());
                    }
                })
                .connect(remote);
        Channel ch = connecting.channel();
        channel = ch;
        channelFailure = null;
        // One deadline for TCP, TLS and CONNACK together.
        connectDeadline = loop.schedule(() -> {
            if (channel == ch && !connected) {
                fail(ch, (ch.isActive() ? "no CONNACK within " : "no connection within ")
                        + Units.formatDuration(settings.connectTimeout()));
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        // A failed connect may close the channel before its promise fails; the reason comes with the promise, so
        // the close is handled from there. A connected channel is handled when it closes.
        connecting.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                ch.closeFuture().addListener(closing -> lost(ch));
            } else {
                fail(ch, describe(f.cause()));
                lost(ch);
            }
        });
    }

    private void initPipeline(ChannelPipeline pipeline) {
        if (sslContext != null) {
            pipeline.addLast(TLS_HANDLER, sslContext.newHandler(pipeline.channel().alloc(), settings.host(),
                    settings.port()));
        }
        pipeline.addLast(KEEP_ALIVE_HANDLER, new IdleStateHandler(settings.keepAlive().toSeconds(), 0, 0,
                TimeUnit.SECONDS));
        pipeline.addLast(DECODER, new MqttDecoder(MAX_INBOUND_MESSAGE_BYTES));
        pipeline.addLast(ENCODER, MqttEncoder.INSTANCE);
        pipeline.addLast(CLIENT_HANDLER, new ClientHandler());
    }

    private void sendConnect(Channel ch) {
        MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_3_1_1)
                .clientId(clientId)
                // Nothing is subscribed and nothing awaited survives a lost connection, so no session is kept.
                .cleanSession(true)
                .keepAlive((int) settings.keepAlive().toSeconds());
        if (settings.username() != null) {
            connect.hasUser(true).username(settings.username());
        }
        if (settings.password() != null) {
            connect.hasPassword(true).password(settings.password().getBytes(StandardCharsets.UTF_8));
        }
        ch.writeAndFlush(connect.build()).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    private void connAck(Channel ch, MqttConnAckMessage message) {
        if (ch != channel || connected) {
            fail(ch, "a CONNACK it did not ask for");
            return;
        }
        if (connectDeadline != null) {
            connectDeadline.cancel(false);
        }
        attemptCounted = true;
        MqttConnectReturnCode code = message.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            meters.refused();
            fail(ch, refusal(code));
            return;
        }
        connected = true;
        connectedAtNanos = System.nanoTime();
        meters.connected();
        lastLoggedReason = null;
        log.info("MQTT broker {}: connected as client {}{}", address, clientId, sslContext != null ? " (TLS)" : "");
    }

    private String refusal(MqttConnectReturnCode code) {
        String says = "the broker refused the connection (CONNACK return code " + code.byteValue() + "): ";
        return says + switch (code) {
            case CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION -> "it does not speak MQTT 3.1.1";
            case CONNECTION_REFUSED_IDENTIFIER_REJECTED -> "it rejected the client id '" + clientId
                    + "'; set another client-id";
            case CONNECTION_REFUSED_SERVER_UNAVAILABLE -> "it is not available";
            case CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD ->
                    "bad user name or password; check username and password";
            case CONNECTION_REFUSED_NOT_AUTHORIZED -> "not authorized: the user name or password is wrong, or this "
                    + "client may not connect; check username and password";
            default -> "refused";
        };
    }

    /** Closes {@code ch} (once), remembering why, if it is the current channel. */
    private void fail(Channel ch, String reason) {
        if (ch == channel && channelFailure == null) {
            channelFailure = reason;
        }
        ch.close();
    }

    /** The current channel has closed: fail what awaits it and try again later. */
    private void lost(Channel ch) {
        if (ch != channel) {
            return;
        }
        channel = null;
        if (connectDeadline != null) {
            connectDeadline.cancel(false);
            connectDeadline = null;
        }
        String reason = channelFailure != null ? channelFailure : "the broker closed the connection";
        channelFailure = null;
        boolean wasConnected = connected;
        if (wasConnected) {
            connected = false;
            meters.disconnected();
            if (System.nanoTime() - connectedAtNanos >= STABLE_CONNECTION_NANOS) {
                backoffMillis = INITIAL_BACKOFF_MILLIS;
            }
        }
        down(reason, wasConnected);
    }

    /** Not connected, because of {@code reason}: answer 503 from now on and schedule the next attempt. */
    private void down(String reason, boolean wasConnected) {
        if (!wasConnected && !attemptCounted) {
            meters.failed();
        }
        attemptCounted = true;
        unavailableReason = wasConnected ? "the connection was lost (" + reason + ")" : reason;
        if (closed) {
            failPending(unavailable("the gateway is stopping"));
            return;
        }
        long delay = scheduleReconnect();
        failPending(lostBeforePubAck(reason));
        if (wasConnected || !reason.equals(lastLoggedReason)) {
            log.warn("MQTT broker {} unavailable: {}; next attempt in {} ms", address, unavailableReason, delay);
            lastLoggedReason = reason;
        } else {
            log.debug("MQTT broker {} still unavailable: {}; next attempt in {} ms", address, reason, delay);
        }
    }

    /** Schedules the next attempt after the current backoff with jitter (half to all of it); returns the delay. */
    private long scheduleReconnect() {
        long delay = backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
        backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
        nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
        try {
            reconnect = loop.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The event loops are shutting down: so is the gateway.
            closed = true;
        }
        return delay;
    }

    private void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // The gateway has stopped; close() has failed whatever was pending.
        }
    }

    /** A failure as a short reason for the 503 answer: what went wrong, in words, without class names. */
    static String describe(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "no connection within the connect-timeout";
        }
        if (cause instanceof ClosedChannelException) {
            return "the connection closed";
        }
        if (cause instanceof ConnectException) {
            return cause.getMessage() != null && cause.getMessage().contains("refused")
                    ? "connection refused" : "cannot connect (" + cause.getMessage() + ")";
        }
        boolean tls = false;
        boolean untrusted = false;
        Throwable deepest = cause;
        Throwable t = cause;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
            tls |= t instanceof SSLException;
            untrusted |= t instanceof CertificateException || t instanceof CertPathBuilderException
                    || t instanceof CertPathValidatorException;
            deepest = t;
        }
        String message = deepest.getMessage() != null ? deepest.getMessage() : deepest.getClass().getSimpleName();
        if (untrusted) {
            return "TLS failed: the broker's certificate is not trusted (" + message + "); check tls-ca-file and host";
        }
        return tls ? "TLS failed: " + message : message;
    }

    /** Publishes awaiting their PUBACK; for tests, from a thread that is not this connection's event loop. */
    int awaitingPubAck() throws Exception {
        return loop.submit(pending::size).get(5, TimeUnit.SECONDS);
    }

    /**
     * Stops for good: no more attempts, a DISCONNECT if connected, publishes still awaiting a PUBACK fail with 503.
     * Waits up to a second for the connection to close.
     */
    @Override
    public void close() {
        ChannelFuture closing = null;
        if (loop.inEventLoop()) {
            shutDown();
        } else {
            try {
                closing = loop.submit(this::shutDown).get(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.debug("MQTT broker {}: close did not complete", address, e);
            }
        }
        if (closing != null) {
            closing.awaitUninterruptibly(CLOSE_WAIT_MILLIS);
        }
        if (ownLoops != null) {
            ownLoops.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).awaitUninterruptibly(2000);
        }
        meters.closed();
    }

    private ChannelFuture shutDown() {
        closed = true;
        if (reconnect != null) {
            reconnect.cancel(false);
            reconnect = null;
        }
        Channel ch = channel;
        if (ch == null) {
            failPending(unavailable("the gateway is stopping"));
            return null;
        }
        if (connected) {
            // A clean DISCONNECT: the broker logs a goodbye instead of an error.
            ch.writeAndFlush(MqttMessage.DISCONNECT).addListener(ChannelFutureListener.CLOSE);
        } else {
            ch.close();
        }
        return ch.closeFuture();
    }

    /** The handler at the end of the pipeline: the broker's packets and the keep-alive events. */
    private final class ClientHandler extends SimpleChannelInboundHandler<MqttMessage> {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel ch = ctx.channel();
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (tls == null) {
                sendConnect(ch);
            } else {
                tls.handshakeFuture().addListener(handshake -> {
                    if (handshake.isSuccess()) {
                        sendConnect(ch);
                    } else {
                        fail(ch, describe(handshake.cause()));
                    }
                });
            }
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage message) {
            Channel ch = ctx.channel();
            if (message.decoderResult().isFailure()) {
                fail(ch, "a malformed packet from the broker (" + describe(message.decoderResult().cause()) + ")");
                return;
            }
            switch (message.fixedHeader().messageType()) {
                case CONNACK -> connAck(ch, (MqttConnAckMessage) message);
                case PUBACK -> pubAck(((MqttMessageIdVariableHeader) message.variableHeader()).messageId());
                case PINGRESP -> {
                    // Any packet read restarts the keep-alive's reader-idle clock; nothing else to do.
                }
                default -> fail(ch, "an unexpected " + message.fixedHeader().messageType() + " from the broker");
            }
        }

        /**
         * MQTT 3.1.1 §3.1.2.10: the client must send something within each keep-alive period (the broker waits one
         * and a half). The broker sends only answers, so nothing read for a keep-alive means nothing was sent for
         * about as long either, or only QoS 0 messages, which get none: send a PINGREQ, which proves the broker is
         * there too. If still nothing has been read a keep-alive later, the broker or the path to it is gone: close
         * and reconnect.
         */
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
                if (idle.isFirst()) {
                    ctx.writeAndFlush(MqttMessage.PINGREQ).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                } else {
                    fail(ctx.channel(), "no PINGRESP within the keep-alive of "
                            + Units.formatDuration(settings.keepAlive()));
                }
                return;
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A reset or a TLS failure is the broker's news, reported as the reason; not worth a stack trace.
            log.debug("MQTT broker {}: connection failed", address, cause);
            fail(ctx.channel(), describe(cause));
        }
    }
}
