import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The memory soak load, all on loopback: BIG_CLIENTS clients that each send a body at the hook's limit (1 MiB) over
 * and over, JSON_CLIENTS clients that each send a megabyte of JSON made of tiny values to a hook whose template reads
 * it, FORWARD_CLIENTS clients that send 1 MiB bodies to the two forward hooks (every other one to each), and one probe
 * client that sends the seed's small request every 10 ms, measures its latency and must never fail.
 *
 * Run by memory-soak.sh with the JDK's single-file launcher, as two processes: the load at a low priority, standing in
 * for clients on other machines (200 busy client threads on the gateway's own two cores would otherwise take most of
 * its CPU), and the probe at the normal one:
 *   nice java MemorySoakDriver.java PORT SECONDS BIG_CLIENTS JSON_CLIENTS FORWARD_CLIENTS load
 *   java MemorySoakDriver.java PORT SECONDS 0 0 0 probe
 * The probe exits 1 if it saw a failure.
 */
public class MemorySoakDriver {

    static final int BODY_BYTES = 1024 * 1024;
    static final byte[] PROBE = ("POST /post HTTP/1.1\r\nHost: soak\r\nContent-Type: application/json\r\n"
            + "Content-Length: 14\r\n\r\n{\"value1\":\"x\"}").getBytes(StandardCharsets.ISO_8859_1);
    static final byte[] PROBE_ANSWER = "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nSUCCESS"
            .getBytes(StandardCharsets.ISO_8859_1);

    static final AtomicBoolean stop = new AtomicBoolean();
    static final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    static final List<Long> probeNanos = java.util.Collections.synchronizedList(new ArrayList<>());
    static final LongAdder probeFailures = new LongAdder();

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long seconds = Long.parseLong(args[1]);
        int bigClients = Integer.parseInt(args[2]);
        int jsonClients = Integer.parseInt(args[3]);
        int forwardClients = Integer.parseInt(args[4]);
        int headHolders = Integer.parseInt(args[5]);
        boolean probing = args.length < 7 || args[6].equals("probe");

        byte[] big = new byte[BODY_BYTES];
        Arrays.fill(big, (byte) 'b');
        byte[] json = tinyValuesJson(BODY_BYTES);

        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < bigClients; i++) {
            threads.add(start("big-" + i, () -> sender(port, "/upload", "application/octet-stream", big, "big")));
        }
        for (int i = 0; i < jsonClients; i++) {
            threads.add(start("json-" + i, () -> sender(port, "/json", "application/json", json, "json")));
        }
        for (int i = 0; i < forwardClients; i++) {
            String kind = i % 2 == 0 ? "forward" : "forward-json";
            threads.add(start(kind + "-" + i, () -> sender(port, "/" + kind, "application/octet-stream", big, kind)));
        }
        if (headHolders > 0) {
            threads.add(start("heads", () -> heads(port, headHolders)));
        }
        Thread probe = probing ? start("probe", () -> probe(port)) : null;
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long nextReport = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            Thread.sleep(200);
            if (System.nanoTime() > nextReport) {
                nextReport += 10_000_000_000L;
                System.err.println(probing ? "  ... probe " + probeNanos.size() + " ok, " + probeFailures.sum()
                        + " failed" : "  ... load answers: " + new TreeMap<>(outcomes));
            }
        }
        stop.set(true);
        if (probe != null) {
            probe.join(10_000);
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        if (!probing) {
            System.out.println("load answers by client kind: " + new TreeMap<>(outcomes));
            System.exit(0);
        }

        List<Long> sorted = new ArrayList<>(probeNanos);
        sorted.sort(null);
        System.out.println("probe requests answered 200: " + sorted.size());
        System.out.println("probe failures:              " + probeFailures.sum());
        if (!sorted.isEmpty()) {
            System.out.printf("probe latency p50 / p99 / max: %.2f / %.2f / %.2f ms%n", ms(sorted, 0.50),
                    ms(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
        }
        System.exit(probeFailures.sum() == 0 && !sorted.isEmpty() ? 0 : 1);
    }

    /** {"x": "kept", "many": [{},{},...]} of about {@code bytes} bytes: half a million values, read by ${json:/x}. */
    static byte[] tinyValuesJson(int bytes) {
        StringBuilder s = new StringBuilder(bytes + 16).append("{\"x\": \"kept\", \"many\": [{}");
        while (s.length() < bytes - 8) {
            s.append(",{}");
        }
        return s.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    static double ms(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) (q * sorted.size()))) / 1e6;
    }

    static Thread start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void count(String what) {
        outcomes.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    /** Sends {@code body} to {@code path} again and again on a kept-alive connection, reconnecting when it closes. */
    static void sender(int port, String path, String type, byte[] body, String kind) {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: soak\r\nContent-Type: " + type + "\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        while (!stop.get()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                while (!stop.get()) {
                    out.write(head);
                    out.write(body);
                    out.flush();
                    Answer answer = Answer.read(in);
                    count(kind + " " + answer.status);
                    if (answer.close) {
                        break;
                    }
                }
            } catch (IOException e) {
                // A 503 answered before the body closes the connection while the body is still being sent.
                count(kind + " connection closed while sending");
            }
        }
    }

    /**
     * Slow heads: {@code count} connections each send a head just under the header limit (98 fields of about 160
     * bytes) and never end it, and are opened again when the gateway's head timeout or its head budget closes them.
     * Thousands of these once exhausted the heap of a gateway with -Xmx64m.
     */
    static void heads(int port, int count) {
        StringBuilder head = new StringBuilder("POST /json HTTP/1.1\r\nHost: soak\r\n");
        for (int i = 0; i < 98; i++) {
            head.append("X-Pad-").append(i).append(": ").append("h".repeat(150)).append("\r\n");
        }
        byte[] partial = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        List<Socket> open = new ArrayList<>();
        while (!stop.get()) {
            for (int i = open.size(); i < count && !stop.get(); i++) {
                try {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                    socket.getOutputStream().write(partial);
                    open.add(socket);
                    count("head held");
                } catch (IOException e) {
                    count("head refused");
                }
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                break;
            }
            // A closed one shows at the next read; sweep them and open new ones in their place.
            open.removeIf(MemorySoakDriver::answeredOrClosed);
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the run is over
            }
        }
    }

    /** Whether the gateway has answered (408, 503) or closed a held head's connection; such a socket is closed. */
    static boolean answeredOrClosed(Socket socket) {
        try {
            socket.setSoTimeout(1);
            socket.getInputStream().read();
        } catch (SocketTimeoutException stillWaiting) {
            return false;
        } catch (IOException reset) {
            // closed with a reset: done as well
        }
        count("head answered or closed");
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        return true;
    }

    /** The well-behaved client: one small request every 10 ms on its own connection, each timed. */
    static void probe(int port) {
        while (!stop.get()) {
            long start = System.nanoTime();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(PROBE);
                byte[] answer = socket.getInputStream().readNBytes(PROBE_ANSWER.length);
                if (Arrays.equals(answer, PROBE_ANSWER)) {
                    probeNanos.add(System.nanoTime() - start);
                } else {
                    probeFailures.increment();
                    System.err.println("  probe got: " + new String(answer, StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                probeFailures.increment();
                System.err.println("  probe failed: " + e);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A status line and headers, then exactly Content-Length bytes of body. */
    record Answer(int status, boolean close) {
        static Answer read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed before the answer");
                }
                head.write(b);
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(text.substring(9, 12));
            int length = 0;
            boolean close = false;
            for (String line : text.split("\r\n")) {
                String lower = line.toLowerCase();
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                } else if (lower.equals("connection: close")) {
                    close = true;
                }
            }
            in.readNBytes(length);
            return new Answer(status, close);
        }
    }
}
