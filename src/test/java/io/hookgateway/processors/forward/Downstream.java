package io.hookgateway.processors.forward;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP/1.1 server on 127.0.0.1, port 0, for forward tests: it reads each request (head and
 * {@code Content-Length} body) from a real socket, records it, and lets the test's {@link Behaviour} answer it — or
 * hang, close half-way, or say too much. It counts the connections it accepts and the ones the client closes, so
 * tests can see keep-alive reuse and aborted requests. Every socket read has a timeout, so a stuck test fails.
 */
final class Downstream implements AutoCloseable {

    /** What the server does with one request; {@code n} counts requests from 0, across connections. */
    @FunctionalInterface
    interface Behaviour {
        void handle(Received request, int n, Reply reply) throws IOException;
    }

    /** One request as it arrived, on the connection numbered {@code connection} (from 0). */
    record Received(int connection, String method, String target, List<String[]> headers, byte[] body) {

        String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** How a behaviour answers, on the request's own connection. */
    static final class Reply {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final Downstream server;
        private boolean closed;

        Reply(Socket socket, InputStream in, OutputStream out, Downstream server) {
            this.socket = socket;
            this.in = in;
            this.out = out;
            this.server = server;
        }

        /** A complete answer with {@code Content-Length}; the connection stays open. */
        void answer(int status, String contentType, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + " Status\r\n"
                    + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                    + "Content-Length: " + bytes.length + "\r\n\r\n";
            raw(head.getBytes(StandardCharsets.ISO_8859_1));
            raw(bytes);
        }

        /** Writes bytes as they are. */
        void raw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        void raw(String ascii) throws IOException {
            raw(ascii.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** Closes the connection at once, with whatever was written so far. */
        void close() throws IOException {
            closed = true;
            socket.close();
        }

        /** Answers nothing, and waits (up to 10 s) for the client to close the connection. */
        void hang() throws IOException {
            closed = true;
            socket.setSoTimeout(10_000);
            try {
                while (in.read() >= 0) {
                    // The client has nothing more to send; anything it does is ignored.
                }
                server.closedByClient.incrementAndGet();
            } catch (SocketTimeoutException e) {
                // The test fails on its own assertion.
            } catch (SocketException e) {
                server.closedByClient.incrementAndGet();
            } finally {
                socket.close();
            }
        }
    }

    private final ServerSocket serverSocket;
    private final Behaviour behaviour;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "downstream");
        t.setDaemon(true);
        return t;
    });
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger closedByClient = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private Downstream(ServerSocket serverSocket, Behaviour behaviour) {
        this.serverSocket = serverSocket;
        this.behaviour = behaviour;
        threads.execute(this::acceptLoop);
    }

    static Downstream start(Behaviour behaviour) throws IOException {
        return new Downstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), behaviour);
    }

    /** The same over TLS with the given server context. */
    static Downstream startTls(SSLContext tls, Behaviour behaviour) throws IOException {
        return new Downstream(tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                behaviour);
    }

    /** A behaviour that answers every request the same way. */
    static Behaviour answering(int status, String contentType, String body) {
        return (request, n, reply) -> reply.answer(status, contentType, body);
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    /** {@code http://127.0.0.1:port}. */
    String url() {
        return "http://127.0.0.1:" + port();
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    int connectionsAccepted() {
        return accepted.get();
    }

    /** Connections the client ended (end of stream or reset) while the server was reading or waiting. */
    int connectionsClosedByClient() {
        return closedByClient.get();
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                open.add(socket);
                int connection = accepted.getAndIncrement();
                threads.execute(() -> serve(socket, connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int connection) {
        try (socket) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                Received request = read(in, connection);
                if (request == null) {
                    closedByClient.incrementAndGet();
                    return;
                }
                received.add(request);
                Reply reply = new Reply(socket, in, out, this);
                behaviour.handle(request, requests.getAndIncrement(), reply);
                if (reply.closed) {
                    return;
                }
            }
        } catch (SocketException e) {
            closedByClient.incrementAndGet();
        } catch (IOException e) {
            // A TLS handshake the client refused, or a timeout: the connection just ends.
        } finally {
            open.remove(socket);
        }
    }

    /** Reads one request, or returns {@code null} when the client closed the connection before one began. */
    private static Received read(InputStream in, int connection) throws IOException {
        String requestLine = line(in);
        if (requestLine == null) {
            return null;
        }
        List<String[]> headers = new ArrayList<>();
        int length = 0;
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1).trim();
            headers.add(new String[] {name, value});
            if (name.toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Integer.parseInt(value);
            }
        }
        byte[] body = in.readNBytes(length);
        String[] parts = requestLine.split(" ");
        return new Received(connection, parts[0], parts[1], headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        for (Socket socket : open) {
            socket.close();
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
