package io.hookgateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestPki;
import io.hookgateway.testing.Tool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each kind of key a certificate may have, in each format it is found in, served by each TLS implementation to curl:
 * RSA as PKCS#1 (what cert-manager writes by default), EC as SEC 1 ({@code openssl ecparam -genkey}), Ed25519 as
 * PKCS#8. With {@code provider: auto} OpenSSL serves RSA and EC keys, and the JDK the Ed25519 one, which Netty does
 * not give OpenSSL.
 */
class KeyFormatsEndToEndTest {

    /** The listeners, in order: each key with provider auto, then each with the JDK. */
    private static final List<String> KEYS = List.of("RSA", "EC", "ED25519");

    @TempDir
    static Path directory;

    private static TestPki.Authority ca;
    private static Tool curl;

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(() -> {
        TestPki pki = new TestPki(directory);
        ca = pki.authority("keys");
        List<String> listeners = new ArrayList<>();
        for (String provider : List.of("auto", "jdk")) {
            for (String algorithm : KEYS) {
                TestPki.Issued issued = pki.serverWithKey(ca, algorithm, "localhost");
                // PKCS#8 as written, or the older format openssl calls "traditional".
                Path key = directory.resolve(algorithm + "-" + provider + ".key");
                if (algorithm.equals("ED25519")) {
                    key = issued.key();
                } else {
                    pki.run("pkey", "-in", issued.key().toString(), "-traditional", "-out", key.toString());
                }
                listeners.add("{port: 0, certificate: '%s', key: '%s', provider: %s}"
                        .formatted(issued.certificate(), key, provider));
            }
        }
        return TestGateway.start("""
                server:
                  access-log: false
                  plain: false
                  tls: [%s]
                hooks:
                  - name: hello
                    path: /hello
                    processor: {type: respond, body: hello}
                """.formatted(String.join(", ", listeners)));
    });

    @BeforeAll
    static void tools() {
        curl = Tool.require("curl", "curl");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void curlGets200(int listener) throws Exception {
        int port = gateway.server().tlsPorts().get(listener);

        Tool.Result result = curl.run(directory, "-sS", "--max-time", "10", "--cacert", ca.certificate().toString(),
                "--resolve", "localhost:" + port + ":127.0.0.1", "-d", "x", "-w", " %{http_code}",
                "https://localhost:" + port + "/hello");

        assertThat(result.out()).as("%s key, %s\n%s", KEYS.get(listener % KEYS.size()),
                listener < KEYS.size() ? "auto" : "JDK", result).isEqualTo("hello 200");
    }
}
