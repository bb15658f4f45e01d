package io.hookgateway.processors.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.LogCapture;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code forward} to an https downstream with a self-signed certificate, as a LAN device has: refused by default
 * (502, no request sent), accepted with {@code tls-insecure: true}.
 */
// SelfSignedCertificate is deprecated for netty-pkitesting, which is not a dependency; for a test it does the job.
@SuppressWarnings("deprecation")
class ForwardTlsEndToEndTest {

    private static SelfSignedCertificate certificate;
    private static SSLContext serverTls;

    @BeforeAll
    static void makeCertificate() throws Exception {
        certificate = SelfSignedCertificate.builder().fqdn("esp.lan").algorithm("EC").bits(256).build();
        char[] password = "test".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("esp", certificate.key(), password, new Certificate[] {certificate.cert()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
    }

    @AfterAll
    static void deleteCertificate() {
        certificate.delete();
    }

    @Test
    void refusesASelfSignedCertificateByDefault() throws Exception {
        try (Downstream downstream = Downstream.startTls(serverTls, Downstream.answering(200, "text/plain", "on"));
             TestGateway gateway = ForwardHooks.start("url: https://127.0.0.1:" + downstream.port() + "/on");
             LogCapture log = LogCapture.gateway()) {
            RawHttp.Response response = ForwardHooks.post(gateway);

            ForwardHooks.assertAnswered(log, response, 502, "the TLS handshake with the downstream failed",
                    "downstream 127.0.0.1:" + downstream.port() + " TLS handshake failed: certificate not trusted, "
                            + "or not for this host");
            assertThat(downstream.received()).isEmpty();
            assertThat(ForwardHooks.attempts(gateway, "tls")).as("not retried").isEqualTo(1);
        }
    }

    @Test
    void tlsInsecureAcceptsASelfSignedCertificate() throws Exception {
        try (Downstream downstream = Downstream.startTls(serverTls, Downstream.answering(200, "text/plain", "on"));
             TestGateway gateway = ForwardHooks.start("url: https://127.0.0.1:" + downstream.port() + "/on\n"
                     + "tls-insecure: true")) {
            for (int i = 0; i < 2; i++) {
                RawHttp.Response response = ForwardHooks.post(gateway);

                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo("on");
            }
            assertThat(downstream.received()).extracting(Downstream.Received::target).containsExactly("/on", "/on");
            assertThat(downstream.connectionsAccepted()).as("one TLS connection, kept alive").isEqualTo(1);
        }
    }
}
