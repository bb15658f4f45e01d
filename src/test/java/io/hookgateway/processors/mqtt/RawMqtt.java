package io.hookgateway.processors.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A bare MQTT 3.1.1 client on a plain socket, for tests that send a broker bytes the gateway never would: a topic
 * with any code point, encoded by hand. Every read has a timeout, so a stuck broker fails the test.
 */
final class RawMqtt implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 5000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawMqtt(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to the broker on 127.0.0.1 with a clean session and waits for its CONNACK to accept. */
    static RawMqtt connect(int port, String clientId) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        RawMqtt client = new RawMqtt(socket);
        ByteArrayOutputStream connect = new ByteArrayOutputStream();
        writeString(connect, "MQTT".getBytes(StandardCharsets.UTF_8));
        // §3.1.2: protocol level 4 (3.1.1), flags: clean session only, keep-alive 60 s.
        connect.writeBytes(new byte[] {4, 0x02, 0, 60});
        writeString(connect, clientId.getBytes(StandardCharsets.UTF_8));
        client.send(0x10, connect.toByteArray());
        byte[] connAck = client.in.readNBytes(4);
        if (!Arrays.equals(connAck, new byte[] {0x20, 2, 0, 0})) {
            socket.close();
            throw new IOException("the broker did not accept the connection: " + Arrays.toString(connAck));
        }
        return client;
    }

    /** The UTF-8 form of any code point, surrogates too (which a Java string cannot encode alone). */
    static byte[] utf8(int c) {
        if (c < 0x80) {
            return new byte[] {(byte) c};
        }
        if (c < 0x800) {
            return new byte[] {(byte) (0xc0 | c >> 6), continuation(c)};
        }
        if (c < 0x10000) {
            return new byte[] {(byte) (0xe0 | c >> 12), continuation(c >> 6), continuation(c)};
        }
        return new byte[] {(byte) (0xf0 | c >> 18), continuation(c >> 12), continuation(c >> 6), continuation(c)};
    }

    private static byte continuation(int bits) {
        return (byte) (0x80 | bits & 0x3f);
    }

    /** A QoS 0 PUBLISH with a one-byte payload to the topic whose bytes are given, as the broker is to read them. */
    void publish(byte[] topic) throws IOException {
        ByteArrayOutputStream publish = new ByteArrayOutputStream();
        writeString(publish, topic);
        publish.write('x');
        send(0x30, publish.toByteArray());
    }

    /**
     * Whether the broker still serves this connection: sends a PINGREQ, which the broker reads after everything sent
     * before it. True on its PINGRESP, false when it closed the connection instead.
     */
    boolean answersPing() throws IOException {
        try {
            send(0xc0, new byte[0]);
            byte[] answer = in.readNBytes(2);
            if (answer.length < 2) {
                return false;
            }
            if (!Arrays.equals(answer, new byte[] {(byte) 0xd0, 0})) {
                throw new IOException("not a PINGRESP: " + Arrays.toString(answer));
            }
            return true;
        } catch (SocketException reset) {
            return false;
        }
    }

    private void send(int header, byte[] body) throws IOException {
        ByteArrayOutputStream packet = new ByteArrayOutputStream(body.length + 5);
        packet.write(header);
        // §2.2.3: the remaining length, seven bits a byte, least significant first.
        int remaining = body.length;
        do {
            int digit = remaining % 128;
            remaining /= 128;
            packet.write(remaining > 0 ? digit | 0x80 : digit);
        } while (remaining > 0);
        packet.writeBytes(body);
        out.write(packet.toByteArray());
        out.flush();
    }

    private static void writeString(ByteArrayOutputStream packet, byte[] bytes) {
        packet.write(bytes.length >> 8);
        packet.write(bytes.length & 0xff);
        packet.writeBytes(bytes);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
