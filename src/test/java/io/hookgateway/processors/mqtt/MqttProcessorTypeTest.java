package io.hookgateway.processors.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.config.ConfigProblems;
import io.hookgateway.processors.OptionParsing;
import io.hookgateway.processors.template.Template;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code mqtt}'s options: defaults, and every mistake reported at its key path with a way to fix it. */
class MqttProcessorTypeTest {

    private static final String KEY_PATH = OptionParsing.PROCESSOR;

    @TempDir
    Path configDirectory;

    private final MqttProcessorType type = new MqttProcessorType();
    private final OptionParsing parsing = new OptionParsing();

    private MqttProcessorType.Options options(String yaml) {
        return parsing.parse(type, yaml, OptionParsing.hook("lamp", configDirectory, "device"));
    }

    private MqttProcessorType.Options valid(String yaml) {
        MqttProcessorType.Options options = options(yaml);
        assertThat(parsing.problems()).as("problems").isEmpty();
        return options;
    }

    @Test
    void isNamedMqtt() {
        assertThat(type.name()).isEqualTo("mqtt");
    }

    @Test
    void needsOnlyHostAndTopicAndDefaultsTheRest() throws Exception {
        MqttProcessorType.Options options = valid("{host: broker.local, topic: home/lamp}");

        BrokerSettings broker = options.broker();
        assertThat(broker.host()).isEqualTo("broker.local");
        assertThat(broker.port()).isEqualTo(1883);
        assertThat(broker.clientId()).isNull();
        assertThat(broker.username()).isNull();
        assertThat(broker.password()).isNull();
        assertThat(broker.tls()).isFalse();
        assertThat(broker.keepAlive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(broker.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.topic().source()).isEqualTo("home/lamp");
        assertThat(options.payload().source()).isEqualTo("${body}");
        assertThat(options.payloadIsBody()).isTrue();
        assertThat(options.qos()).isEqualTo(1);
        assertThat(options.retain()).isFalse();
        assertThat(options.publishTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void readsEveryOption() throws Exception {
        Path ca = configDirectory.resolve("ca.pem");
        try (InputStream pem = MqttProcessorTypeTest.class.getResourceAsStream("test-ca.pem")) {
            Files.copy(pem, ca);
        }
        MqttProcessorType.Options options = valid("""
                host: 10.0.0.5
                port: 8884
                client-id: lamp-gw
                username: gateway
                password: s3cret
                tls: true
                tls-ca-file: ca.pem
                topic: "cmnd/${path.device}/POWER"
                payload: "${json:/value1}"
                qos: 0
                retain: true
                keep-alive: 1m
                connect-timeout: 2s
                publish-timeout: 500ms
                """);

        BrokerSettings broker = options.broker();
        assertThat(broker.address()).isEqualTo("10.0.0.5:8884");
        assertThat(broker.clientId()).isEqualTo("lamp-gw");
        assertThat(broker.username()).isEqualTo("gateway");
        assertThat(broker.password()).isEqualTo("s3cret");
        assertThat(broker.tls()).isTrue();
        assertThat(broker.tlsCaFile()).isEqualTo(ca.normalize());
        assertThat(broker.keepAlive()).isEqualTo(Duration.ofMinutes(1));
        assertThat(broker.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.payloadIsBody()).isFalse();
        assertThat(options.qos()).isZero();
        assertThat(options.retain()).isTrue();
        assertThat(options.publishTimeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void tlsChangesTheDefaultPortTo8883() throws Exception {
        assertThat(valid("{host: b, topic: t, tls: true}").broker().port()).isEqualTo(8883);
    }

    @Test
    void neverShowsThePasswordInTheSettingsText() throws Exception {
        BrokerSettings broker = valid("{host: b, topic: t, username: u, password: hunter2}").broker();

        assertThat(broker.toString()).doesNotContain("hunter2").contains("(hidden)");
    }

    @Test
    void hooksWithTheSameClientAndUserShareAConnectionKeyWhateverTheirTopic() throws Exception {
        String first = valid("{host: b, topic: one}").broker().key();
        String second = valid("{host: b, topic: two, qos: 0, retain: true}").broker().key();
        String otherUser = valid("{host: b, topic: two, username: u}").broker().key();

        assertThat(second).isEqualTo(first);
        assertThat(otherUser).isNotEqualTo(first);
    }

    @Test
    void hooksNamingOneClientIdShareAConnectionKeyWhateverTheirUserAndMustAgreeOnIt() throws Exception {
        // MQTT 3.1.1 §3.1.4: the broker drops the older connection of a client id whenever another connects.
        BrokerSettings alice = valid("{host: b, topic: t, client-id: gw, username: alice}").broker();
        BrokerSettings bob = valid("{host: b, topic: t, client-id: gw, username: bob, tls: true, port: 1883}").broker();
        BrokerSettings otherId = valid("{host: b, topic: t, client-id: gw2, username: alice}").broker();

        assertThat(bob.key()).isEqualTo(alice.key());
        assertThat(otherId.key()).isNotEqualTo(alice.key());
        assertThat(alice.differencesFrom(bob)).containsExactly("username", "tls");
    }

    @Test
    void namesTheSettingsThatHooksSharingAConnectionDisagreeOn() throws Exception {
        BrokerSettings one = valid("{host: b, topic: t, username: u, password: a}").broker();
        BrokerSettings two = valid("{host: b, topic: t, username: u, password: b, keep-alive: 10s}").broker();

        assertThat(one.differencesFrom(two)).containsExactly("password", "keep-alive");
        assertThat(one.differencesFrom(one)).isEmpty();
    }

    @Test
    void requiresHostAndTopic() throws Exception {
        options("{qos: 1}");

        assertThat(parsing.problemAt("host")).startsWith("is required;");
        assertThat(parsing.problemAt("topic")).startsWith("is required;").contains("cmnd/${path.device}/POWER");
    }

    @ParameterizedTest(name = "host ''{0}''")
    @CsvSource(delimiter = '|', value = {
        "mqtt://broker.local:1883 | is a URL; write the host name alone, as host: broker.local",
        "broker.local:1883        | write the port as port: 1883",
        "[::1]                    | without brackets",
        "broker local             | is not a host name or IP address"})
    void refusesAHostThatIsNotAHostName(String host, String message) throws Exception {
        options("{host: '" + host + "', topic: t}");

        assertThat(parsing.problemAt("host")).contains(message);
    }

    @Test
    void takesAnIpv6AddressWithoutBrackets() throws Exception {
        assertThat(valid("{host: '::1', topic: t}").broker().address()).isEqualTo("[::1]:1883");
    }

    @ParameterizedTest(name = "topic ''{0}''")
    @CsvSource(delimiter = '|', value = {
        "home/#                 | contains the wildcard '#'; wildcards are for subscribing",
        "home/+/lamp            | contains the wildcard '+'",
        "devices/${path.device}/# | contains the wildcard '#'",
        "$SYS/broker            | starts with '$'",
        "$${literal}/x          | starts with '$'",
        "'${json:/a'            | has no closing '}'",
        "${path.room}           | ${path.room} is not a variable of this hook's path"})
    void refusesATopicNoMessageCouldBePublishedTo(String topic, String message) throws Exception {
        options("{host: b, topic: \"" + topic.replace("'", "") + "\"}");

        assertThat(parsing.problemAt("topic")).contains(message);
    }

    @Test
    void refusesAnEmptyTopic() throws Exception {
        options("{host: b, topic: ''}");

        assertThat(parsing.problemAt("topic")).contains("is empty");
    }

    @Test
    void allowsWildcardCharactersInsideAReferenceDefault() throws Exception {
        // Only what the request fills in can tell; a rendered wildcard is refused per request (400).
        assertThat(valid("{host: b, topic: \"home/${json:/room:-a+b}\"}").topic().isConstant()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "qos: 2              | qos        | 2 (exactly once) is not supported; use 1 (at least once: the hook answers "
            + "after the broker's PUBACK) or 0",
        "qos: 3              | qos        | must be from 0 to 2, not 3",
        "password: p         | password   | is sent only with a user name (MQTT 3.1.1 §3.1.2.9); add username",
        "keep-alive: 1500ms  | keep-alive | must be whole seconds, which is what MQTT counts it in; write 2s",
        "keep-alive: 19h     | keep-alive | must be from 1s to",
        "connect-timeout: 0s | connect-timeout | must be from 100ms to 5m",
        "retained: true      | retained   | did you mean 'retain'?"})
    void refusesAnOptionAndSaysWhatToWrite(String option, String key, String message) throws Exception {
        options("{host: b, topic: t, " + option + "}");

        assertThat(parsing.problemAt(key)).contains(message);
    }

    @Test
    void refusesTlsOptionsWithoutTls() throws Exception {
        options("{host: b, topic: t, tls-insecure: true, tls-ca-file: ca.pem}");

        assertThat(parsing.problemAt("tls-insecure")).isEqualTo("has no effect without tls: true");
        assertThat(parsing.problemAt("tls-ca-file")).isEqualTo("has no effect without tls: true");
    }

    @Test
    void refusesInsecureTlsTogetherWithACaFile() throws Exception {
        Files.writeString(configDirectory.resolve("ca.pem"), "x");

        options("{host: b, topic: t, tls: true, tls-insecure: true, tls-ca-file: ca.pem}");

        assertThat(parsing.problemAt("tls-insecure")).contains("so tls-ca-file would be ignored");
    }

    @Test
    void aCaFileThatHoldsNoPemCertificateIsRefusedWhenTheConfigurationLoads() throws Exception {
        Files.writeString(configDirectory.resolve("ca.pem"), "not a certificate");
        options("{host: b, topic: t, tls: true, tls-ca-file: ca.pem}");

        assertThat(parsing.problemAt("tls-ca-file")).startsWith("cannot be used: ")
                .endsWith("; give a file of PEM CA certificates (-----BEGIN CERTIFICATE-----)");
    }

    @Test
    void refusesACaFileThatCannotBeReadAndSaysWhereItLooked() throws Exception {
        options("{host: b, topic: t, tls: true, tls-ca-file: missing.pem}");

        assertThat(parsing.problemAt("tls-ca-file")).contains("cannot read " + configDirectory.resolve("missing.pem"));
    }

    @Test
    void refusesAnEmptyClientIdOrUsername() throws Exception {
        options("{host: b, topic: t, client-id: '', username: ''}");

        assertThat(parsing.problemAt("client-id")).contains("remove it to have one generated");
        assertThat(parsing.problemAt("username")).contains("remove it to connect without a user name");
    }

    /**
     * The strings of the CONNECT and a topic's fixed text are held to the rule of MQTT strings at load: a broker closes
     * the connection on any of these, and would again on every reconnect. YAML's double-quoted escapes write them.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "client-id | topic: t, client-id: \"gw\\u0000\" | contains U+0000",
        "client-id | topic: t, client-id: \"gw\\t1\" | contains the control character U+0009",
        "client-id | topic: t, client-id: \"gw\\u0085\" | contains the control character U+0085",
        "client-id | topic: t, client-id: \"gw\\uFDD0\" | contains the noncharacter U+FDD0",
        "username | topic: t, username: \"us\\uFFFE\" | contains the noncharacter U+FFFE",
        "username | topic: t, username: \"us\\U0010FFFF\" | contains the noncharacter U+10FFFF",
        "username | topic: t, username: \"us\\x7f\" | contains the control character U+007F",
        "topic | topic: \"home/\\uFFFF\" | contains the noncharacter U+FFFF",
        "topic | topic: \"\\u001b[31m/${path.device}\" | contains the control character U+001B",
        "topic | topic: \"${path.device}/\\U0001FFFF\" | contains the noncharacter U+1FFFF"})
    void refusesACodePointThatMqttStringsMayNotHold(String key, String options, String message) throws Exception {
        options("{host: b, " + options + "}");

        assertThat(parsing.problemAt(key)).contains(message).contains("§1.5.3");
    }

    @Test
    void refusesAClientIdOrUsernameOver65535BytesOfUtf8() throws Exception {
        options("{host: b, topic: t, client-id: " + "\u00e9".repeat(32_768) + ", username: " + "u".repeat(65_536)
                + "}");

        assertThat(parsing.problemAt("client-id")).startsWith("is longer than 65535 bytes in UTF-8");
        assertThat(parsing.problemAt("username")).startsWith("is longer than 65535 bytes in UTF-8");
    }

    @Test
    void takesAPasswordOfAnyCharactersUpTo65535Bytes() throws Exception {
        // §3.1.3.5: the password is binary data, not an MQTT string; only its length is bounded.
        assertThat(valid("{host: b, topic: t, username: u, password: \"p\\u0000\\uFFFF\"}").broker().password())
                .isEqualTo("p\u0000\uffff");

        options("{host: b, topic: t, username: u, password: " + "p".repeat(65_536) + "}");

        assertThat(parsing.problemAt("password")).startsWith("is longer than 65535 bytes");
    }

    @Test
    void reportsEveryProblemAtOnce() throws Exception {
        MqttProcessorType.Options options = options("{host: 'mqtt://b', topic: 'a/#', qos: 2, publish-timeout: 0s}");

        assertThat(options).isNull();
        assertThat(parsing.problems()).extracting(ConfigProblems.Problem::keyPath).containsExactlyInAnyOrder(
                KEY_PATH + ".host", KEY_PATH + ".topic", KEY_PATH + ".qos", KEY_PATH + ".publish-timeout");
    }

    @Test
    void findsNoLiteralTextInReferences() {
        assertThat(MqttProcessorType.literalText(Template.compile("a/${json:/x#y}/b$${c}"))).isEqualTo("a//b${c}");
    }
}
