package io.hookgateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --check} with TLS listeners: it reads the certificate files as a start would, says what each listener will
 * serve, and exits 2 naming the file, the key and the fix when one cannot be used; {@code --port} may not take a TLS
 * listener's port.
 */
class TlsCheckCliTest {

    @TempDir
    static Path directory;

    private static TestPki.Issued server;
    private static TestPki.Issued other;
    private static TestPki.Authority ca;

    @BeforeAll
    static void makeCertificates() throws Exception {
        TestPki pki = new TestPki(directory);
        ca = pki.authority("check");
        server = pki.server(ca, "hooks.example.com");
        other = pki.server(ca, "hooks.example.com");
    }

    private record Result(int status, String out, String err) {
    }

    private static Result check(String yaml, String... more) throws Exception {
        Path config = Files.writeString(directory.resolve("gateway.yaml"), yaml);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = new String[more.length + 3];
        args[0] = "--check";
        args[1] = "--config";
        args[2] = config.toString();
        System.arraycopy(more, 0, args, 3, more.length);
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = HookGateway.run(args, Map.of(), new ByteArrayInputStream(new byte[0]), o, e);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String config(TestPki.Issued certificate, TestPki.Issued key, String more) {
        return """
                server:
                  tls: {certificate: '%s', key: '%s'%s}
                hooks:
                  - {name: lamp, path: /lamp, processor: {type: respond}}
                """.formatted(certificate.certificate(), key.key(), more);
    }

    @Test
    void saysWhatEachListenerServes() throws Exception {
        Result result = check(config(server, server, ", client-ca: '" + ca.certificate() + "'"));

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).contains("  TLS on 0.0.0.0:8443: CN=hooks.example.com for hooks.example.com, serial "
                + server.serial().toString(16) + ", valid " + server.x509().getNotBefore().toInstant() + " to "
                + server.x509().getNotAfter().toInstant() + "; client certificates required, from "
                + ca.certificate());
    }

    @Test
    void exitsTwoNamingTheFileTheKeyAndTheFixForAKeyThatIsNotTheCertificates() throws Exception {
        Result result = check(config(server, other, ""));

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains(directory.resolve("gateway.yaml") + ": server.tls.key: " + other.key()
                + " is not the key of the certificate in " + server.certificate()).contains("give the key the "
                + "certificate was issued for").doesNotContain("PRIVATE KEY");
    }

    @Test
    void refusesAPortGivenOnTheCommandLineThatATlsListenerHas() throws Exception {
        Result result = check(config(server, server, ""), "--port", "8443");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("server.tls.port: is the same as server.port (8443)");
    }
}
