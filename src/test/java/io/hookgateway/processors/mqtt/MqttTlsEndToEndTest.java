package io.hookgateway.processors.mqtt;

import static io.hookgateway.processors.mqtt.HookCalls.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.processors.mqtt.MosquittoBroker.Subscriber;
import io.hookgateway.testing.Await;
import io.hookgateway.testing.LogCapture;
import io.hookgateway.testing.TestGateway;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishing over TLS to a real Mosquitto with a certificate made for the test (by the JDK's keytool, for 127.0.0.1
 * and localhost): trusted through {@code tls-ca-file}, refused without it, accepted anyway with {@code tls-insecure}.
 * Subscribers listen on the broker's plain listener.
 */
class MqttTlsEndToEndTest {

    private static final String STORE_PASSWORD = "test-only";

    @TempDir
    static Path directory;

    private static MosquittoBroker broker;
    private static TestGateway gateway;
    private static int tlsPort;

    @BeforeAll
    static void start() throws Exception {
        MosquittoBroker.requireInstalled();
        Path certificate = directory.resolve("broker.crt");
        Path key = directory.resolve("broker.key");
        makeCertificate(certificate, key);
        tlsPort = MosquittoBroker.freePort();
        broker = MosquittoBroker.create(directory, Map.of(), "listener " + tlsPort + " 127.0.0.1\n"
                + "certfile " + certificate + "\nkeyfile " + key + "\n");
        broker.start();
        gateway = TestGateway.start("""
                server: {access-log: false}
                hooks:
                  - name: trusted
                    path: /trusted
                    processor: {type: mqtt, host: 127.0.0.1, port: %1$d, tls: true, tls-ca-file: "%2$s",
                                topic: tls/trusted}
                  - name: untrusted
                    path: /untrusted
                    processor: {type: mqtt, host: localhost, port: %1$d, tls: true, topic: tls/untrusted}
                  - name: insecure
                    path: /insecure
                    processor: {type: mqtt, host: localhost, port: %1$d, tls: true, tls-insecure: true,
                                client-id: insecure-client, topic: tls/insecure}
                """.formatted(tlsPort, certificate));
    }

    @AfterAll
    static void stop() throws Exception {
        HookCalls.stop(gateway, broker);
    }

    /** A self-signed EC certificate for 127.0.0.1 and localhost, and its key, both PEM, as Mosquitto reads them. */
    private static void makeCertificate(Path certificate, Path key) throws Exception {
        Path store = directory.resolve("broker.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "broker",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0).as(output).isTrue();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, STORE_PASSWORD.toCharArray());
        }
        Files.writeString(certificate, pem("CERTIFICATE", keyStore.getCertificate("broker").getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", keyStore.getKey("broker", STORE_PASSWORD.toCharArray())
                .getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Test
    void publishesOverTlsToABrokerTrustedThroughTheCaFile() throws Exception {
        Subscriber subscriber = broker.subscribe("tls/#", 1);

        Await.until(Duration.ofSeconds(10), "a publish over TLS succeeds",
                () -> post(gateway, "/trusted", "secure hello").statusCode() == 200);

        assertThat(subscriber.next().payload()).isEqualTo("secure hello");
    }

    @Test
    void answers503AndLogsTheTlsFailureWhenTheCertificateIsNotTrusted() throws Exception {
        Await.until(Duration.ofSeconds(10), "the TLS handshake has failed",
                () -> HookCalls.connects(gateway, "localhost:" + tlsPort, "failed") > 0);

        HttpResponse<String> response;
        String logged;
        try (LogCapture log = LogCapture.gateway()) {
            response = post(gateway, "/untrusted", "x");
            logged = log.lineFor(response.body());
        }

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).startsWith("the MQTT broker is unavailable; try again later (error id ")
                .doesNotContain("localhost").doesNotContain("TLS");
        assertThat(logged).contains("MQTT broker localhost:" + tlsPort + " unavailable: TLS failed: the broker's "
                + "certificate is not trusted (").doesNotContain("sun.security", "Exception");
    }

    @Test
    void acceptsAnyCertificateWithTlsInsecure() throws Exception {
        Await.until(Duration.ofSeconds(10), "a publish over insecure TLS succeeds",
                () -> post(gateway, "/insecure", "x").statusCode() == 200);
    }
}
