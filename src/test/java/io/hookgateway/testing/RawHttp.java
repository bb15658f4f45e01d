package io.hookgateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A raw HTTP/1.1 client over a real socket, for the exchanges a real client library would not send: exact bytes,
 * pipelining, half-finished requests. Every read has a timeout, so a hang fails the test instead of stalling it.
 */
public final class RawHttp implements AutoCloseable {

    /** One parsed answer. */
    public record Response(String statusLine, int status, List<String[]> headers, byte[] body, byte[] raw) {

        public String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String rawText() {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawHttp connect(int port) throws IOException {
        return connect(null, "127.0.0.1", port);
    }

    /**
     * Connects to {@code host} ({@code 127.0.0.1}, {@code ::1}) from the local address {@code from}, or any when
     * {@code null}: on Linux every 127.x.y.z is this machine, so a test can call from several IPv4 addresses.
     */
    public static RawHttp connect(String from, String host, int port) throws IOException {
        Socket socket = new Socket();
        if (from != null) {
            socket.bind(new InetSocketAddress(from, 0));
        }
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        return new RawHttp(socket);
    }

    /** A client over a socket already connected, such as a TLS one; reads time out after five seconds. */
    public static RawHttp over(Socket socket) throws IOException {
        socket.setSoTimeout(5000);
        return new RawHttp(socket);
    }

    /** Sends one request on a new connection, reads its answer, and closes the connection. */
    public static Response exchange(int port, String request) throws IOException {
        try (RawHttp client = connect(port)) {
            return client.send(request).read();
        }
    }

    public Socket socket() {
        return socket;
    }

    public RawHttp send(String ascii) throws IOException {
        return send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one answer; its body by Content-Length. */
    public Response read() throws IOException {
        return read(false);
    }

    /** Reads one answer to a HEAD request: Content-Length is present but no body follows. */
    public Response readHead() throws IOException {
        return read(true);
    }

    private Response read(boolean head) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        String statusLine = readLine(raw);
        if (statusLine == null) {
            throw new IOException("connection closed before an answer");
        }
        List<String[]> headers = new ArrayList<>();
        long length = -1;
        for (String line = readLine(raw); ; line = readLine(raw)) {
            if (line == null) {
                throw new IOException("connection closed inside the answer's head");
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1).trim();
            headers.add(new String[] {name, value});
            if (name.toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Long.parseLong(value);
            }
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        byte[] body = new byte[0];
        if (!head && length > 0) {
            body = in.readNBytes((int) length);
            if (body.length < length) {
                throw new IOException("connection closed inside the body");
            }
            raw.write(body);
        }
        return new Response(statusLine, status, headers, body, raw.toByteArray());
    }

    private String readLine(ByteArrayOutputStream raw) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 && previous < 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            raw.write(b);
            if (b == '\n' && previous == '\r') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            previous = b;
        }
    }

    /** Reads until the server closes, and returns everything read. */
    public byte[] readUntilClosed() throws IOException {
        return in.readAllBytes();
    }

    /** Whether the server has closed the connection (read returns end of stream) within the socket timeout. */
    public boolean isClosedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // A reset is a close too.
            return true;
        }
    }

    public void setTimeoutMillis(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
