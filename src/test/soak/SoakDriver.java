import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak load: well-behaved keep-alive clients that check every answer byte for byte, one latency probe, and hostile
 * clients (malformed, dripping, oversized, aborted, never-reading) at the same time, all on loopback.
 *
 * Run by soak.sh with the JDK's single-file launcher: java SoakDriver.java PORT VALID_REQUESTS MAX_SECONDS
 */
public class SoakDriver {

    static final byte[] REQUEST = ("POST /post HTTP/1.1\r\nHost: soak\r\nContent-Type: application/json\r\n"
            + "Content-Length: 14\r\n\r\n{\"value1\":\"x\"}").getBytes(StandardCharsets.ISO_8859_1);
    static final byte[] ANSWER = "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nSUCCESS".getBytes(StandardCharsets.ISO_8859_1);

    static final LongAdder validSent = new LongAdder();
    static final LongAdder validOk = new LongAdder();
    static final LongAdder validWrong = new LongAdder();
    static final Map<String, LongAdder> hostile = new ConcurrentHashMap<>();
    static final AtomicBoolean stop = new AtomicBoolean();
    static final List<Long> probeNanos = java.util.Collections.synchronizedList(new ArrayList<>());

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long validTarget = Long.parseLong(args[1]);
        long maxSeconds = Long.parseLong(args[2]);
        int validClients = 6;
        AtomicLong budget = new AtomicLong(validTarget);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < validClients; i++) {
            threads.add(start("valid-" + i, () -> validClient(port, budget)));
        }
        threads.add(start("probe", () -> probe(port)));
        threads.add(start("drippers", () -> drippers(port, 1000)));
        for (int i = 0; i < 8; i++) {
            long seed = i;
            threads.add(start("hostile-" + i, () -> hostileClient(port, new Random(seed))));
        }
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        long lastReport = System.nanoTime();
        while (budget.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                System.err.printf("  ... %d valid answered, %d wrong%n", validOk.sum(), validWrong.sum());
            }
        }
        boolean timedOut = budget.get() > 0;
        stop.set(true);
        for (Thread t : threads) {
            t.join(15_000);
        }
        long[] probe;
        synchronized (probeNanos) {
            probe = probeNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        System.out.printf("valid requests sent:        %d%n", validSent.sum());
        System.out.printf("valid answered correctly:   %d%n", validOk.sum());
        System.out.printf("valid answered wrongly:     %d%n", validWrong.sum());
        System.out.printf("probe requests:             %d%n", probe.length);
        if (probe.length > 0) {
            System.out.printf("probe latency p50 / p99:    %.3f ms / %.3f ms (max %.3f ms)%n",
                    probe[probe.length / 2] / 1e6, probe[(int) (probe.length * 0.99)] / 1e6,
                    probe[probe.length - 1] / 1e6);
        }
        System.out.println("hostile connections by outcome:");
        hostile.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> System.out.printf("  %-28s %d%n", e.getKey(), e.getValue().sum()));
        if (timedOut) {
            System.out.println("STOPPED at the time limit before every valid request was sent");
        }
        boolean ok = validWrong.sum() == 0 && validOk.sum() == validSent.sum() && !timedOut;
        System.exit(ok ? 0 : 1);
    }

    static Thread start(String name, ThrowingRunnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                if (!stop.get()) {
                    System.err.println(name + ": " + e);
                }
            }
        }, name);
        t.start();
        return t;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Sends the seed request over keep-alive, 100 at a time pipelined, and checks every answer byte for byte. */
    static void validClient(int port, AtomicLong budget) throws IOException {
        int batch = 32;
        byte[] burst = new byte[REQUEST.length * batch];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(REQUEST, 0, burst, i * REQUEST.length, REQUEST.length);
        }
        byte[] expected = new byte[ANSWER.length * batch];
        while (!stop.get() && budget.get() > 0) {
            try (Socket s = connect(port)) {
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                for (int round = 0; round < 500 && !stop.get(); round++) {
                    long n = Math.min(batch, budget.getAndAdd(-batch));
                    if (n <= 0) {
                        return;
                    }
                    out.write(burst, 0, (int) n * REQUEST.length);
                    out.flush();
                    validSent.add(n);
                    byte[] got = in.readNBytes((int) n * ANSWER.length);
                    for (int i = 0; i < n; i++) {
                        if (Arrays.equals(got, i * ANSWER.length, (i + 1) * ANSWER.length, ANSWER, 0, ANSWER.length)) {
                            validOk.increment();
                        } else {
                            validWrong.increment();
                        }
                    }
                }
            }
        }
    }

    /** The well-behaved client whose latency we report: one request at a time, never pipelined. */
    static void probe(int port) throws Exception {
        while (!stop.get()) {
            try (Socket s = connect(port)) {
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                for (int i = 0; i < 1000 && !stop.get(); i++) {
                    long t0 = System.nanoTime();
                    out.write(REQUEST);
                    out.flush();
                    byte[] got = in.readNBytes(ANSWER.length);
                    long t = System.nanoTime() - t0;
                    validSent.increment();
                    if (Arrays.equals(got, ANSWER)) {
                        validOk.increment();
                        probeNanos.add(t);
                    } else {
                        validWrong.increment();
                    }
                    Thread.sleep(2);
                }
            }
        }
    }

    /** A thousand connections that drip a byte of a header a second: slowloris. */
    static void drippers(int port, int count) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        List<Integer> progress = new ArrayList<>();
        byte[] head = "GET /post HTTP/1.1\r\nHost: drip\r\nX-Drip: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes();
        try {
            while (!stop.get()) {
                while (sockets.size() < count) {
                    sockets.add(connect(port));
                    progress.add(0);
                }
                for (int i = 0; i < sockets.size(); i++) {
                    Socket s = sockets.get(i);
                    try {
                        int p = progress.get(i);
                        s.getOutputStream().write(head[p % head.length]);
                        progress.set(i, p + 1);
                    } catch (IOException closedByGateway) {
                        count(s.isClosed() ? "drip: closed" : "drip: timed out (408/close)");
                        s.close();
                        sockets.set(i, connect(port));
                        progress.set(i, 0);
                    }
                }
                Thread.sleep(1000);
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** Malformed, oversized, aborted and never-reading connections, chosen at random. */
    static void hostileClient(int port, Random random) throws Exception {
        String[] malformed = {
            "GET /post HTTP/1.1\nHost: x\n\n",
            "GET /post HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
            "GET /post HTTP/1.1\r\nHost : x\r\n\r\n",
            "POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 2\r\n\r\nab",
            "POST /post HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n",
            "GET /%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
            "\u0000\u0001\u0002garbage\r\n\r\n",
            "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
        };
        while (!stop.get()) {
            int kind = random.nextInt(5);
            try (Socket s = connect(port)) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                switch (kind) {
                    case 0 -> {
                        out.write(malformed[random.nextInt(malformed.length)].getBytes(StandardCharsets.ISO_8859_1));
                        count("malformed: " + status(s.getInputStream()));
                    }
                    case 1 -> {
                        out.write(("POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                        out.write(new byte[64 * 1024]);
                        count("oversized: " + status(s.getInputStream()));
                    }
                    case 2 -> {
                        byte[] part = Arrays.copyOf(REQUEST, random.nextInt(REQUEST.length));
                        out.write(part);
                        count("aborted");
                    }
                    case 3 -> {
                        byte[] junk = new byte[random.nextInt(4096) + 1];
                        random.nextBytes(junk);
                        out.write(junk);
                        count("random bytes: " + status(s.getInputStream()));
                    }
                    default -> {
                        // Pipelines requests and never reads an answer, then goes away.
                        s.setSoTimeout(1);
                        for (int i = 0; i < 200; i++) {
                            out.write(REQUEST);
                        }
                        count("never reads");
                    }
                }
            } catch (IOException e) {
                count("hostile: " + e.getClass().getSimpleName());
            }
        }
    }

    static String status(InputStream in) {
        try {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                line.write(b);
            }
            String s = line.toString(StandardCharsets.ISO_8859_1).trim();
            return s.isEmpty() ? "closed without answer" : s.replaceFirst("^HTTP/1\\.1 ", "");
        } catch (IOException e) {
            return "closed (" + e.getClass().getSimpleName() + ")";
        }
    }

    static void count(String outcome) {
        hostile.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }

    static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(30_000);
        return s;
    }
}
