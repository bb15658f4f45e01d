package io.hookgateway.security.alexa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.hookgateway.security.AuthRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;

/**
 * Amazon's part of an Alexa request, played on this machine: a certificate authority of its own (a root and an
 * intermediate, made with {@code openssl}), a signing certificate for {@code echo-api.amazon.com} and a few that are
 * wrong in one way each, and an HTTPS server that publishes their chains where {@code s3.amazonaws.com/echo.api/}
 * would. The {@code alexa} way it gives ({@link #authType()}) fetches from that server and trusts only that root, at
 * the time of {@link #clock()}; {@link #sign} signs a body as Alexa does.
 *
 * <p>Without {@code openssl} the tests that need it are skipped, unless {@code HOOK_GATEWAY_REQUIRE_TOOLS=1} (as in
 * CI), when they fail saying which package to install.
 */
public final class LocalAmazon implements AutoCloseable {

    /** Amazon's URL of the good chain, which the local server serves. */
    public static final String CHAIN_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem";
    /** The certificates' validity, from when they are made. */
    static final Duration VALIDITY = Duration.ofDays(30);

    /** The chains served, by file name under {@code /echo.api/}. */
    static final String GOOD = "echo-api-cert-12.pem";
    static final String WITH_ROOT = "with-root.pem";
    static final String WRONG_NAME = "wrong-name.pem";
    static final String FOREIGN_ROOT = "foreign-root.pem";
    static final String NO_INTERMEDIATE = "no-intermediate.pem";
    static final String SELF_SIGNED = "self-signed.pem";
    static final String NOT_PEM = "not-pem.pem";
    static final String HUGE = "huge.pem";

    private final Path directory;
    private final X509Certificate root;
    private final PrivateKey signerKey;
    private final PrivateKey otherKey;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();
    private final HttpsServer server;
    private final SSLContext clientTls;
    private final AdjustableClock clock;

    private LocalAmazon(Path directory) throws Exception {
        requireOpenssl();
        this.directory = directory;
        selfSigned("root", "/CN=Local Amazon Root", "basicConstraints=critical,CA:TRUE",
                "keyUsage=critical,keyCertSign,cRLSign");
        issue("intermediate", "/CN=Local Amazon Intermediate", "root", "basicConstraints=critical,CA:TRUE,pathlen:0\n"
                + "keyUsage=critical,keyCertSign,cRLSign\n");
        issue("signer", "/CN=echo-api.amazon.com", "intermediate", leafExtensions("DNS:echo-api.amazon.com"));
        issue("wrong-name", "/CN=echo-api.amazon.com", "intermediate", leafExtensions("DNS:echo-api.amazon.net"));
        issue("server", "/CN=127.0.0.1", "root", leafExtensions("IP:127.0.0.1"));
        selfSigned("foreign", "/CN=Someone Else's Root", "basicConstraints=critical,CA:TRUE",
                "keyUsage=critical,keyCertSign,cRLSign");
        issue("foreign-signer", "/CN=echo-api.amazon.com", "foreign", leafExtensions("DNS:echo-api.amazon.com"));
        selfSigned("self", "/CN=echo-api.amazon.com", "basicConstraints=critical,CA:FALSE",
                "subjectAltName=DNS:echo-api.amazon.com");

        root = certificate("root.pem");
        signerKey = privateKey("signer.key");
        otherKey = privateKey("foreign-signer.key");
        files.put(GOOD, concat("signer.pem", "intermediate.pem"));
        files.put(WITH_ROOT, concat("signer.pem", "intermediate.pem", "root.pem"));
        files.put(WRONG_NAME, concat("wrong-name.pem", "intermediate.pem"));
        files.put(FOREIGN_ROOT, concat("foreign-signer.pem", "foreign.pem"));
        files.put(NO_INTERMEDIATE, concat("signer.pem"));
        files.put(SELF_SIGNED, concat("self.pem"));
        files.put(NOT_PEM, "this is not a certificate\n".getBytes(StandardCharsets.US_ASCII));
        files.put(HUGE, new byte[HttpsCertificateFetcher.MAX_BYTES + 1]);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls()));
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            fetches.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            byte[] body = path.startsWith("/echo.api/") ? files.get(path.substring("/echo.api/".length())) : null;
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        clientTls = trusting(root);
        // An hour after the certificates were made, so a test may move it back a little and still be in their time.
        clock = new AdjustableClock(Instant.now().plus(Duration.ofHours(1)));
    }

    /** Makes the certificates in {@code directory} and starts the certificate server. */
    public static LocalAmazon start(Path directory) throws Exception {
        return new LocalAmazon(directory);
    }

    private static void requireOpenssl() {
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, "openssl"))) {
                return;
            }
        }
        String message = "openssl is not installed; install the Debian package openssl (sudo apt-get install openssl)";
        if ("1".equals(System.getenv("HOOK_GATEWAY_REQUIRE_TOOLS"))) {
            fail(message);
        }
        Assumptions.assumeTrue(false, message);
    }

    /**
     * The {@code alexa} way as the gateway would have it, but fetching from this server (the URL's host and port
     * replaced by its own) and trusting only this root, at the time of {@link #clock()}.
     */
    public AlexaAuthType authType() {
        return new AlexaAuthType(fetcher(), () -> Set.of(new TrustAnchor(root, null)), clock);
    }

    /** The root of the local certificate authority. */
    X509Certificate root() {
        return root;
    }

    /** The ways of authenticating, with {@link #authType()} for {@code alexa}: for a configuration loader. */
    public AuthRegistry authTypes() {
        return AuthRegistry.load().with(authType());
    }

    /** The production fetcher, sending Amazon's URLs to this server. */
    HttpsCertificateFetcher fetcher() {
        int port = server.getAddress().getPort();
        return new HttpsCertificateFetcher(() -> HttpClient.newBuilder().sslContext(clientTls)
                .connectTimeout(HttpsCertificateFetcher.CONNECT_TIMEOUT).build(),
                url -> URI.create("https://127.0.0.1:" + port + url.getRawPath()));
    }

    /** The clock the checks read: moved by a test to see certificates expire and timestamps go stale. */
    public AdjustableClock clock() {
        return clock;
    }

    /** How many times the server has been asked for {@code /echo.api/<file>}. */
    int fetches(String file) {
        AtomicInteger count = fetches.get("/echo.api/" + file);
        return count == null ? 0 : count.get();
    }

    /** The chain served as {@code file}. */
    byte[] chain(String file) {
        return files.get(file);
    }

    /** Amazon's URL of a chain this server serves. */
    static String urlOf(String file) {
        return "https://s3.amazonaws.com/echo.api/" + file;
    }

    /** {@code Signature-256} of {@code body}, as Alexa signs it with the good signing certificate's key. */
    public String sign(byte[] body) {
        return sign(body, signerKey);
    }

    /** {@code Signature-256} of {@code body} made with another key than the signing certificate's. */
    public String signWithAnotherKey(byte[] body) {
        return sign(body, otherKey);
    }

    private static String sign(byte[] body, PrivateKey key) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(body);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The header fields Alexa sends with {@code body}: the chain URL and the signature, each {@code "Name: value"}.
     */
    public String[] signedFields(byte[] body) {
        return new String[] {"SignatureCertChainUrl: " + CHAIN_URL, "Signature-256: " + sign(body)};
    }

    /**
     * A request body as Alexa sends it: {@code request} is the inner {@code "request"} object's members after
     * {@code type}, {@code requestId}, {@code timestamp} and {@code locale}.
     */
    public String body(String applicationId, String type, String requestMembers) {
        String timestamp = clock.instant().toString();
        return """
                {"version": "1.0",
                 "session": {"new": true, "sessionId": "amzn1.echo-api.session.1",
                             "application": {"applicationId": "%1$s"}, "user": {"userId": "amzn1.ask.account.X"}},
                 "context": {"System": {"application": {"applicationId": "%1$s"},
                                        "user": {"userId": "amzn1.ask.account.X"}}},
                 "request": {"type": "%2$s", "requestId": "amzn1.echo-api.request.1", "timestamp": "%3$s",
                             "locale": "en-US"%4$s}}
                """.formatted(applicationId, type, timestamp, requestMembers.isEmpty() ? "" : ", " + requestMembers);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static String leafExtensions(String subjectAltName) {
        return "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                + "subjectAltName=" + subjectAltName + "\n";
    }

    private void key(String name) throws Exception {
        run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name + ".key");
    }

    /** A key for {@code name} and a certificate for it signed by that key, with these two extensions. */
    private void selfSigned(String name, String subject, String extension, String otherExtension) throws Exception {
        key(name);
        run("req", "-x509", "-new", "-key", name + ".key", "-subj", subject, "-days",
                Long.toString(VALIDITY.toDays()), "-addext", extension, "-addext", otherExtension, "-out", name + ".pem");
    }

    /** A key for {@code name} and a certificate for it issued by {@code issuer}, with these extensions. */
    private void issue(String name, String subject, String issuer, String extensions) throws Exception {
        key(name);
        run("req", "-new", "-key", name + ".key", "-subj", subject, "-out", name + ".csr");
        Files.writeString(directory.resolve(name + ".ext"), extensions);
        run("x509", "-req", "-in", name + ".csr", "-CA", issuer + ".pem", "-CAkey", issuer + ".key",
                "-set_serial", Long.toString(System.nanoTime() & Long.MAX_VALUE), "-days",
                Long.toString(VALIDITY.toDays()), "-extfile", name + ".ext", "-out", name + ".pem");
    }

    private void run(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0)
                .as("%s: %s", command, output).isTrue();
    }

    private byte[] concat(String... names) throws IOException {
        StringBuilder pem = new StringBuilder();
        for (String name : names) {
            pem.append(Files.readString(directory.resolve(name), StandardCharsets.US_ASCII));
        }
        return pem.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private X509Certificate certificate(String name) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(directory.resolve(name))));
    }

    private PrivateKey privateKey(String name) throws Exception {
        String pem = Files.readString(directory.resolve(name), StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    private SSLContext serverTls() throws Exception {
        char[] password = "local".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", privateKey("server.key"), password,
                new Certificate[] {certificate("server.pem"), certificate("root.pem")});
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(managers.getKeyManagers(), null, null);
        return tls;
    }

    private static SSLContext trusting(X509Certificate root) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("root", root);
        TrustManagerFactory managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        managers.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, managers.getTrustManagers(), null);
        return tls;
    }

    /** A clock a test sets; it starts an hour after the certificates were made. */
    public static final class AdjustableClock extends Clock {
        private volatile Instant now;

        AdjustableClock(Instant now) {
            this.now = now;
        }

        /** Moves the clock by {@code amount}, forward or (negative) back. */
        public void advance(Duration amount) {
            now = now.plus(amount);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
