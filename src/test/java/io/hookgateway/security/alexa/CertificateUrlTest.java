package io.hookgateway.security.alexa;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code SignatureCertChainUrl} rules, with Amazon's own examples of valid and invalid URLs first, then the ways a
 * URL can look like Amazon's without being one.
 */
class CertificateUrlTest {

    private static URI normalised(String header) {
        URI parsed = CertificateUrl.parse(header);
        return parsed == null ? null : CertificateUrl.amazons(parsed);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            https://s3.amazonaws.com/echo.api/echo-api-cert.pem               | https://s3.amazonaws.com/echo.api/echo-api-cert.pem
            https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem           | https://s3.amazonaws.com/echo.api/echo-api-cert.pem
            https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem   | https://s3.amazonaws.com/echo.api/echo-api-cert.pem
            HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem               | https://s3.amazonaws.com/echo.api/echo-api-cert.pem
            Https://S3.AmazonAWS.com:443/echo.api/echo-api-cert-12.pem        | https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem
            https://s3.amazonaws.com/echo.api/./echo-api-cert.pem             | https://s3.amazonaws.com/echo.api/echo-api-cert.pem
            https://s3.amazonaws.com/echo.api/certs/../echo-api-cert.pem      | https://s3.amazonaws.com/echo.api/echo-api-cert.pem
            https://s3.amazonaws.com/../echo.api/echo-api-cert.pem            | https://s3.amazonaws.com/echo.api/echo-api-cert.pem
            https://s3.amazonaws.com/%65cho.api/echo-api-cert.pem             | https://s3.amazonaws.com/echo.api/echo-api-cert.pem
            https://s3.amazonaws.com/echo%2Eapi/echo-api-cert.pem             | https://s3.amazonaws.com/echo.api/echo-api-cert.pem
            https://s3.amazonaws.com/echo.api/%2e/echo-api-cert.pem           | https://s3.amazonaws.com/echo.api/echo-api-cert.pem
            # RFC 3986 §6.2.3: an empty port is the default one; a port is a number, so 0443 is 443.
            https://s3.amazonaws.com:0443/echo.api/echo-api-cert.pem          | https://s3.amazonaws.com/echo.api/echo-api-cert.pem
            https://s3.amazonaws.com:/echo.api/echo-api-cert.pem              | https://s3.amazonaws.com/echo.api/echo-api-cert.pem
            """)
    void acceptsAmazonsUrlsNormalised(String header, String expected) {
        assertThat(normalised(header)).isEqualTo(URI.create(expected));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            // Amazon's examples of invalid URLs.
            "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
            "https://notamazon.com/echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
            "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
            "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
            // The path after normalising.
            "https://s3.amazonaws.com/echo.api/../x",
            "https://s3.amazonaws.com/echo.api/../echo-api-cert.pem",
            "https://s3.amazonaws.com/echo.api/%2e%2e/x",
            "https://s3.amazonaws.com/echo.api/%2E%2E/x",
            "https://s3.amazonaws.com/echo.api/.%2e/x",
            "https://s3.amazonaws.com/ECHO.API/echo-api-cert.pem",
            "https://s3.amazonaws.com/echo.api",
            "https://s3.amazonaws.com/echo.api%2fecho-api-cert.pem",
            "https://s3.amazonaws.com/echo.api%2Fecho-api-cert.pem",
            "https://s3.amazonaws.com//echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.com/echo.apiX/echo-api-cert.pem",
            "https://s3.amazonaws.com/x/echo.api/echo-api-cert.pem",
            // No path.
            "https://s3.amazonaws.com",
            "https://s3.amazonaws.com/",
            "https://s3.amazonaws.com:443",
            // Other hosts, and hosts that only look like it.
            "https://s3.amazonaws.com.evil.com/echo.api/echo-api-cert.pem",
            "https://evil.com/s3.amazonaws.com/echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.com@evil.com/echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.com:443@evil.com/echo.api/echo-api-cert.pem",
            "https://evil.com#@s3.amazonaws.com/echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.com./echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.co/echo.api/echo-api-cert.pem",
            "https://s3.eu-west-1.amazonaws.com/echo.api/echo-api-cert.pem",
            "https://echo.api.s3.amazonaws.com/echo-api-cert.pem",
            "https://s3.amazonaw\u017f.com/echo.api/echo-api-cert.pem",
            "https://s3.amazon\u212aws.com/echo.api/echo-api-cert.pem",
            "https://s3%2eamazonaws.com/echo.api/echo-api-cert.pem",
            "https://52.216.0.1/echo.api/echo-api-cert.pem",
            "https://[::1]/echo.api/echo-api-cert.pem",
            // User information, even Amazon's host as the user.
            "https://user:password@s3.amazonaws.com/echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.com@s3.amazonaws.com/echo.api/echo-api-cert.pem",
            // Other schemes and ports.
            "ftp://s3.amazonaws.com/echo.api/echo-api-cert.pem",
            "file:///echo.api/echo-api-cert.pem",
            "https:/echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.com:80/echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.com:8443/echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.com:4430/echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.com:0/echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.com:x/echo.api/echo-api-cert.pem",
            // What Amazon never sends.
            "https://s3.amazonaws.com/echo.api/echo-api-cert.pem?versionId=1",
            "https://s3.amazonaws.com/echo.api/echo-api-cert.pem#x",
            // Not an absolute URL at all.
            "s3.amazonaws.com/echo.api/echo-api-cert.pem",
            "//s3.amazonaws.com/echo.api/echo-api-cert.pem",
            "/echo.api/echo-api-cert.pem",
            "",
    })
    void refusesEverythingElse(String header) {
        assertThat(normalised(header)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "https://s3.amazonaws.com/echo.api/echo api.pem",
            "https://s3.amazonaws.com/echo.api\\echo-api-cert.pem",
            "https://s3.amazonaws.com/echo.api/%zz.pem",
            "https://s3.amazonaws.com/echo.api/%2",
            "https://s3.amazonaws.com/echo.api/<x>.pem",
            "https://s3.amazonaws.com/echo.api/\"x\".pem",
            "mailto:alexa@amazon.com",
    })
    void readsAUrlThatIsNotOneAsMalformed(String header) {
        assertThat(CertificateUrl.parse(header)).isNull();
    }

    @Test
    void removesDotSegmentsAsRfc3986Does() {
        // RFC 3986 §5.2.4's own example, and the trailing-slash cases.
        assertThat(CertificateUrl.removeDotSegments("/a/b/c/./../../g")).isEqualTo("/a/g");
        assertThat(CertificateUrl.removeDotSegments("/a/b/..")).isEqualTo("/a/");
        assertThat(CertificateUrl.removeDotSegments("/a/.")).isEqualTo("/a/");
        assertThat(CertificateUrl.removeDotSegments("/../../a")).isEqualTo("/a");
        assertThat(CertificateUrl.removeDotSegments("/a//b")).isEqualTo("/a//b");
        assertThat(CertificateUrl.removeDotSegments("/a/..b/c.")).isEqualTo("/a/..b/c.");
    }

    @Test
    void decodesOnlyUnreservedCharacters() {
        assertThat(CertificateUrl.decodeUnreserved("/%65cho%2eapi/%7e%2f%2F%41%3a"))
                .isEqualTo("/echo.api/~%2F%2FA%3A");
    }
}
