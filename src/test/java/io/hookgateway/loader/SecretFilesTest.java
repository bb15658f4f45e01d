package io.hookgateway.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hookgateway.config.ConfigException;
import io.hookgateway.config.ConfigProblems;
import io.hookgateway.processors.ProcessorRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ${file:/run/secrets/name}}: a value read from a file, as Docker and Kubernetes mount secrets. One trailing
 * line break is taken off; a file that is missing, empty, too large or not text is a configuration error naming the
 * file and the key, never a hook open to anyone; and no message shows what the file holds.
 */
class SecretFilesTest {

    @TempDir
    Path dir;

    private Path secret(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private GatewayConfig load(String yaml) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return new ConfigLoader(ProcessorRegistry.load(), name -> null).load(file);
    }

    private List<String> problems(String yaml) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ConfigLoader(ProcessorRegistry.load(), name -> null).load(file));
        return e == null ? List.of() : e.problems().stream().map(ConfigProblems.Problem::toString).toList();
    }

    private static String respondWith(String body) {
        return """
                hooks:
                  - name: lamp
                    path: /lamp
                    processor: {type: respond, body: "%s"}
                """.formatted(body);
    }

    private static String bodyOf(GatewayConfig config) {
        return config.hooks().get(0).processor().options().toString();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"s3cret\n", "s3cret\r\n", "s3cret"})
    void readsTheFileAndTakesOffOneTrailingLineBreak(String content) throws Exception {
        secret("token", content);

        GatewayConfig config = load(respondWith("<${file:token}>"));

        assertThat(bodyOf(config)).contains("<s3cret>");
    }

    @Test
    void keepsEverythingButTheLastLineBreak() throws Exception {
        Path file = secret("token", " two\nlines \n\n");

        GatewayConfig config = load(respondWith("<${file:" + file + "}>"));

        assertThat(bodyOf(config)).contains("< two\nlines \n>");
    }

    @Test
    void aRelativePathIsTheConfigurationsDirectorys() throws Exception {
        Files.createDirectories(dir.resolve("secrets"));
        secret("secrets/token", "from-the-directory\n");

        assertThat(bodyOf(load(respondWith("${file:secrets/token}")))).contains("from-the-directory");
    }

    @Test
    void aDollarEscapedReferenceStaysText() throws Exception {
        assertThat(bodyOf(load(respondWith("$${file:/etc/passwd}")))).contains("${file:/etc/passwd}")
                .doesNotContain("root:");
    }

    @Test
    void aMissingFileIsAProblemNamingTheFileAndTheKey() throws Exception {
        Path missing = dir.resolve("nope");

        assertThat(problems(respondWith("${file:" + missing + "}"))).containsExactly(
                "hooks[0].processor.body: secret file " + missing + " does not exist; create it, or mount the "
                        + "secret there");
    }

    @Test
    void aDirectoryAnEmptyNameATooLargeFileAndBinaryAreProblems() throws Exception {
        Files.write(dir.resolve("binary"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        secret("large", "x".repeat(ConfigLoader.MAX_SECRET_FILE_BYTES + 1));

        assertThat(problems(respondWith("${file:" + dir + "}"))).singleElement().asString()
                .endsWith("is not a file; create it, or mount the secret there");
        assertThat(problems(respondWith("${file:}"))).singleElement().asString()
                .endsWith("${file:} names no file; write the secret file's path, as ${file:/run/secrets/name}");
        assertThat(problems(respondWith("${file:large}"))).singleElement().asString()
                .endsWith("holds more than 64 KiB, which no secret needs; check the path");
        assertThat(problems(respondWith("${file:binary}"))).singleElement().asString()
                .endsWith("is not UTF-8 text; write the secret as text");
    }

    @ParameterizedTest(name = "[{index}]")
    @ValueSource(strings = {"", "\n", " \n", "\u200B\n"})
    void anEmptyFileNeverOpensAHook(String content) throws Exception {
        Path file = secret("token", content);

        assertThat(problems("""
                hooks:
                  - name: lamp
                    path: /lamp
                    auth: {bearer: {token: "${file:%s}"}}
                    processor: {type: respond, body: ok}
                """.formatted(file))).singleElement().asString()
                .isEqualTo("hooks[0].auth.bearer.token: uses secret file " + file + ", which is empty; set it, or the "
                        + "hook would take requests without the secret");
    }

    /** The sweep of {@link ConfigSecretsTest}, with the secret in a file: no message under any key shows it. */
    @Test
    void noMessageShowsWhatTheFileHoldsWhereverItIsWritten() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (String shape : new String[] {"MQTTSEKRIT", "5SEKRIT", "mqtt://SEKRIT:SEKRIT@SEKRIT/x", "SEKRIT:1883",
            "/SEKRIT/../x", "SEKRIT KEY"}) {
            Path file = secret("secret", shape + "\n");
            for (String yaml : ConfigPlaces.everyPlace("'${file:" + file + "}'")) {
                for (String problem : problems(yaml)) {
                    if (problem.contains("SEKRIT")) {
                        leaks.add(shape + " in\n" + yaml + "  -> " + problem);
                    }
                }
            }
        }
        assertThat(leaks).isEmpty();
    }
}
