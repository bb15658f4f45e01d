package io.hookgateway.bench;

import io.hookgateway.http.FixedLengthBodyAggregator;
import io.hookgateway.http.FullRequest;
import io.hookgateway.http.HeaderLineDecoder;
import io.hookgateway.routing.ArrivingRequest;
import io.hookgateway.routing.RouteTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One request decoded and aggregated into a whole one, as the hook port's pipeline does it (HeaderLineDecoder,
 * ArrivingRequest, FixedLengthBodyAggregator, against a real route table) and as Netty's stock HttpRequestDecoder +
 * HttpObjectAggregator do, on EmbeddedChannel: three request shapes, each arriving whole or in five pieces. Run with
 * {@code -prof gc} for bytes per request. The pieces come from the pooled allocator, as a socket's reads do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class DecodeAggregateBenchmark {

    /** {@code ifttt}: a 150-byte JSON POST; {@code alexa}: a 2 KB one with Alexa's headers; {@code large}: 64 KB. */
    @Param({"ifttt", "alexa", "large"})
    public String shape;

    @Param({"1", "5"})
    public int pieces;

    private byte[][] request;
    private EmbeddedChannel gateway;
    private HeaderLineDecoder decoder;
    private EmbeddedChannel stock;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] whole = Requests.of(shape).getBytes(StandardCharsets.ISO_8859_1);
        request = new byte[pieces][];
        int from = 0;
        for (int i = 0; i < pieces; i++) {
            int to = whole.length * (i + 1) / pieces;
            request[i] = Arrays.copyOfRange(whole, from, to);
            from = to;
        }
        RouteTable routes = Requests.routes();
        decoder = new HeaderLineDecoder();
        gateway = new EmbeddedChannel(decoder, new ArrivingRequest(routes),
                new FixedLengthBodyAggregator(routes, Requests.MAX_BODY_BYTES));
        stock = new EmbeddedChannel(new HttpRequestDecoder(), new HttpObjectAggregator(Requests.MAX_BODY_BYTES));
        // Each side must turn the pieces into exactly one whole, good request, or the figures compare nothing.
        for (int i = 0; i < 2; i++) {
            expectOneWhole(gateway, FullRequest.class);
            decoder.resume();
            gateway.runPendingTasks();
            expectOneWhole(stock, FullHttpRequest.class);
        }
    }

    private void expectOneWhole(EmbeddedChannel channel, Class<?> type) {
        feed(channel);
        Object message = channel.readInbound();
        try {
            boolean good = type.isInstance(message) && channel.inboundMessages().isEmpty()
                    && (!(message instanceof FullHttpRequest full) || full.decoderResult().isSuccess());
            if (!good) {
                throw new IllegalStateException(shape + " in " + pieces + " pieces gave " + message + " and "
                        + channel.inboundMessages().size() + " more, not one whole " + type.getSimpleName());
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        gateway.finishAndReleaseAll();
        stock.finishAndReleaseAll();
    }

    private void feed(EmbeddedChannel channel) {
        for (byte[] piece : request) {
            ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(piece.length);
            channel.writeInbound(buffer.writeBytes(piece));
        }
    }

    private static int drain(EmbeddedChannel channel, Blackhole blackhole) {
        int messages = 0;
        for (Object message = channel.readInbound(); message != null; message = channel.readInbound()) {
            blackhole.consume(message);
            ReferenceCountUtil.release(message);
            messages++;
        }
        return messages;
    }

    @Benchmark
    public int gateway(Blackhole blackhole) {
        feed(gateway);
        int messages = drain(gateway, blackhole);
        // The router's part once the answer is written: read the connection's next request.
        decoder.resume();
        gateway.runPendingTasks();
        return messages;
    }

    @Benchmark
    public int stock(Blackhole blackhole) {
        feed(stock);
        return drain(stock, blackhole);
    }
}
