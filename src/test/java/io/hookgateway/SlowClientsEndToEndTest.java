package io.hookgateway;

import static io.hookgateway.testing.Requests.seedPost;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.Await;
import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.RawHttp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients that are slow on purpose: a head or body that never finishes gets 408 at its deadline, however the bytes
 * trickle in; many such connections do not keep a normal client from being served; and a client that sends without
 * ever reading makes the gateway stop reading, instead of buffering its requests.
 */
class SlowClientsEndToEndTest {

    private static final String CONFIG = """
            server:
              request-head-timeout: 400ms
              request-body-timeout: 400ms
              idle-timeout: 5s
              access-log: false
            hooks:
              - name: post
                path: /post
                methods: [POST]
                processor: {type: respond, body: SUCCESS}
            """;

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(CONFIG);

    private static double decodeErrors(String reason) {
        return gateway.counter("hook.gateway.decode.errors", "reason", reason);
    }

    @Test
    void answers408WhenTheHeadDoesNotFinishInTime() throws Exception {
        double before = decodeErrors("head_timeout");
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            RawHttp.Response answer = client.send("POST /post HTTP/1.1\r\nHost: a\r\n").read();

            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.header("Connection")).isEqualTo("close");
            assertThat(answer.bodyText()).isEqualTo("request head not received in time\n");
            assertThat(client.isClosedByServer()).isTrue();
        }
        assertThat(decodeErrors("head_timeout")).isEqualTo(before + 1);
    }

    @Test
    void answers408WhenTheBodyDoesNotFinishInTime() throws Exception {
        double before = decodeErrors("body_timeout");
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            RawHttp.Response answer = client.send("POST /post HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc")
                    .read();

            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.bodyText()).isEqualTo("request body not received in time\n");
            assertThat(client.isClosedByServer()).isTrue();
        }
        assertThat(decodeErrors("body_timeout")).isEqualTo(before + 1);
    }

    @Test
    void cutsOffAClientThatDripsItsHeadForeverAtTheHeadDeadline() throws Exception {
        byte[] head = "POST /post HTTP/1.1\r\nHost: a\r\nX-Drip: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5000);
            long start = System.nanoTime();
            boolean cutOff = false;
            // A byte every 50 ms never lets the connection go idle; only the head deadline can end it. (The sleep
            // paces this dripping client on purpose; it does not wait for anything.)
            for (byte b : head) {
                try {
                    socket.getOutputStream().write(b);
                    socket.getOutputStream().flush();
                } catch (IOException closed) {
                    cutOff = true;
                    break;
                }
                if (socket.getInputStream().available() > 0) {
                    cutOff = true;
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(cutOff).as("the gateway answered before the head was complete").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void servesANormalClientWhileHundredsOfConnectionsDripTheirHeads() throws Exception {
        List<Socket> drippers = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5000);
                s.getOutputStream().write("POST /post HTTP/1.1\r\nHost: drip\r\nX-A: ".getBytes(StandardCharsets.US_ASCII));
                drippers.add(s);
            }
            for (int i = 0; i < 20; i++) {
                try (RawHttp client = RawHttp.connect(gateway.port())) {
                    assertThat(client.send(seedPost()).read().bodyText()).isEqualTo("SUCCESS");
                }
            }
        } finally {
            for (Socket s : drippers) {
                s.close();
            }
        }
    }

    @Test
    void stopsReadingFromAClientThatNeverReadsItsAnswersThenClosesIt() throws Exception {
        byte[] request = seedPost().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer burst = ByteBuffer.allocate(request.length * 1000);
        for (int i = 0; i < 1000; i++) {
            burst.put(request);
        }
        long written = 0;
        boolean closedByGateway = false;
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", gateway.port()))) {
            channel.configureBlocking(false);
            long lastProgress = System.nanoTime();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            // Write until the connection has taken nothing for a second (the gateway stopped reading), or until the
            // gateway closes it (an answer it could not deliver for idle-timeout).
            while (System.nanoTime() - lastProgress < Duration.ofSeconds(1).toNanos()) {
                assertThat(System.nanoTime()).as("the gateway kept reading for 20 s").isLessThan(deadline);
                if (!burst.hasRemaining()) {
                    burst.rewind();
                }
                int n;
                try {
                    n = channel.write(burst);
                } catch (IOException reset) {
                    closedByGateway = true;
                    break;
                }
                if (n > 0) {
                    written += n;
                    lastProgress = System.nanoTime();
                } else {
                    // The socket takes nothing just now: back off briefly instead of spinning. This paces the writer;
                    // the condition ("nothing taken for a second") is measured by the loop itself.
                    Thread.sleep(10);
                }
            }
            // Whatever was taken fits in the two sockets' kernel buffers plus a read of the gateway's: the requests
            // wait in the network, not in the gateway's memory.
            assertThat(written).isLessThan(64L * 1024 * 1024);
            try (RawHttp other = RawHttp.connect(gateway.port())) {
                assertThat(other.send(seedPost()).read().bodyText()).isEqualTo("SUCCESS");
            }
        }
        if (!closedByGateway) {
            Await.until(Duration.ofSeconds(10), "the stuck connection is closed after idle-timeout",
                    () -> gateway.gauge("hook.gateway.connections.open") == 0);
        }
    }
}
