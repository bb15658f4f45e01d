package io.hookgateway;

import static io.hookgateway.testing.Requests.basicAuthorization;
import static io.hookgateway.testing.Requests.postJson;
import static io.hookgateway.testing.Requests.postWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.security.PasswordHash;
import io.hookgateway.testing.LogCapture;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secret grep: a configuration with every way of {@code auth}, its secrets from the environment and from a file,
 * each carrying the marker {@value #MARK}. Then {@code --check}, a run with the access log on and requests that
 * present the right secret and wrong ones (in the header, the query, the path, the body), processors that fail, and a
 * scrape of {@code /metrics}: no log line, no output and no metric text may contain the marker anywhere.
 */
class SecretsStayOutOfLogsEndToEndTest {

    private static final String MARK = "SEKRIT";
    private static final String TOKEN = MARK + "-token-9a7";
    private static final String KEY = MARK + "-key-4f1";
    private static final String FILE_TOKEN = MARK + "-file-5d2";
    private static final String PASSWORD = MARK + "-password-1c8";
    private static final String WRONG = MARK + "-wrong-guess";

    private static final String CONFIG = """
            server: {access-log: true}
            hooks:
              - name: bearer
                path: /bearer
                auth: {bearer: {token: "${TOKEN}"}}
                processor: {type: test-fail, message: failed after auth}
              - name: header
                path: /header
                auth: {header-key: {header: X-API-Key, key: "${KEY}"}}
                processor: {type: respond, body: ok}
              - name: query
                path: /query
                auth: {query-key: {parameter: key, key: "${KEY}"}}
                processor: {type: test-fail, mode: failed-stage, message: failed after auth}
              - name: json
                path: /json
                auth: {json-key: {pointer: /key, key: "${KEY}"}}
                processor: {type: respond, body: ok}
              - name: garage
                path: /garage/{state}/{key}
                auth: {path-key: {variable: key, key: "${KEY}"}}
                processor: {type: respond, body: ok}
              - name: path
                path: /ifttt/{key}/lamp/{state}
                auth: {path-key: {variable: key, key: "${KEY}"}}
                processor: {type: test-fail, message: failed after auth}
              - name: basic
                path: /basic
                auth: {basic: {users: {alice: "${HASH}"}}}
                processor: {type: respond, body: ok}
              - name: file
                path: /file
                auth: {bearer: {token: "${file:%s}"}}
                processor: {type: respond, body: ok}
            """;

    @TempDir
    Path dir;

    @Test
    void noLogLineOutputOrMetricEverShowsASecret() throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, FILE_TOKEN + "\n");
        String yaml = CONFIG.formatted(tokenFile);
        Map<String, String> env = Map.of("TOKEN", TOKEN, "KEY", KEY,
                "HASH", PasswordHash.create(PASSWORD.toCharArray()));
        List<String> seen = new ArrayList<>();

        seen.add(check(yaml, env));
        try (LogCapture logs = LogCapture.gateway(); TestGateway gateway = TestGateway.start(yaml, env)) {
            for (String secret : new String[] {TOKEN, KEY, FILE_TOKEN, WRONG}) {
                exchange(gateway, postWith("/bearer", "Authorization: Bearer " + secret), seen);
                exchange(gateway, postWith("/header", "X-API-Key: " + secret), seen);
                exchange(gateway, postWith("/query?key=" + secret + "&other=1"), seen);
                exchange(gateway, postWith("/query?key=" + secret + "&key=" + secret), seen);
                exchange(gateway, postJson("/json", "{\"key\": \"" + secret + "\"}"), seen);
                exchange(gateway, postJson("/json", "{\"key\": \"" + secret + "\""), seen);
                exchange(gateway, postWith("/ifttt/" + secret + "/lamp/on"), seen);
                exchange(gateway, postWith("/ifttt/" + secret + "/lamp/on?" + secret), seen);
                // Near misses no hook takes, so the path is logged as unmatched: a segment too many or too few, another
                // case, the key where another segment goes, and a query key sent inside the path as %3F.
                exchange(gateway, postWith("/ifttt/" + secret + "/lamp/on/extra"), seen);
                exchange(gateway, postWith("/ifttt/" + secret + "/lamp"), seen);
                exchange(gateway, postWith("/IFTTT/" + secret + "/lamp/on"), seen);
                exchange(gateway, postWith("/ifttt/x/" + secret + "/on/y"), seen);
                exchange(gateway, postWith("/garage/open/" + secret + "/now"), seen);
                exchange(gateway, postWith("/query%3Fkey=" + secret), seen);
                exchange(gateway, postWith("/quer%3Fkey%3D" + secret + "?key=x"), seen);
                exchange(gateway, postWith("/file", "Authorization: Bearer " + secret), seen);
                exchange(gateway, postWith("/basic", basicAuthorization("alice:" + secret)), seen);
            }
            exchange(gateway, postWith("/basic", basicAuthorization("alice:" + PASSWORD)), seen);
            seen.add(HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.metricsUri("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            gateway.close();
            seen.addAll(logs.linesWithExceptions());

            assertThat(logs.messages()).as("the access log writes the path, its secret segment hidden")
                    .anySatisfy(line -> assertThat(line).startsWith("POST /ifttt/***/lamp/on hook=path status=500"))
                    .anySatisfy(line -> assertThat(line).startsWith("POST /query hook=query status=500"))
                    .anySatisfy(line -> assertThat(line).startsWith("hook 'path' failed on POST /ifttt/***/lamp/on"))
                    .anySatisfy(line -> assertThat(line).startsWith("POST /ifttt/***/***/***/*** hook=unmatched"))
                    .anySatisfy(line -> assertThat(line).startsWith("POST /query?*** hook=unmatched"));
        }
        assertThat(seen).as("everything printed, logged or served").isNotEmpty()
                .noneMatch(text -> text.contains(MARK));
    }

    /** {@code --check} of the configuration, as a user runs it: its whole output. */
    private String check(String yaml, Map<String, String> env) throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, yaml);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream printed = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            int status = HookGateway.run(new String[] {"--check", "--config", config.toString()}, env, printed,
                    printed);
            assertThat(status).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(0);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void exchange(TestGateway gateway, String request, List<String> seen) throws Exception {
        RawHttp.Response answer = gateway.exchange(request);
        seen.add(new String(answer.raw(), StandardCharsets.ISO_8859_1));
    }
}
