package io.hookgateway.processors.alexa;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookgateway.testing.GatewayExtension;
import io.hookgateway.testing.LogCapture;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.Requests;
import io.hookgateway.testing.TestProcessors;
import java.io.StringReader;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * The {@code alexa} processor over a real socket: each request type and intent gets its answer as an Alexa response
 * envelope; steps run first, and their outcome picks the speech; request values in SSML stay text, whatever they hold;
 * an answer longer than Alexa takes is replaced by one that says so. (Who may call is the {@code alexa} auth's job,
 * tested on its own; these hooks have none.)
 */
class AlexaProcessorEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String CONFIG = """
            server: {access-log: false}
            hooks:
              - name: skill
                path: /skill
                processor:
                  type: alexa
                  launch:
                    speech: "Home here. Which light?"
                    reprompt: "Say, turn on the kitchen light."
                  intents:
                    TurnOnIntent:
                      run: [{type: test-echo}]
                      speech: "The ${json:/request/intent/slots/room/value} light is on."
                      card: {title: Lights, content: "${json:/request/intent/slots/room/value}: on"}
                      failure: {speech: "Sorry, the light did not answer."}
                    BrokenIntent:
                      run: [{type: test-fail-status, status: 503, async: true}]
                      speech: "Done."
                    ThrowingIntent:
                      run: [{type: test-echo}, {type: test-fail, mode: failed-stage}]
                      speech: "Done."
                      failure: {speech: "Sorry, the ${json:/request/intent/slots/room/value:-that} did not work."}
                    SlowIntent:
                      run: [{type: test-slow, delay: 10s}]
                      speech: "Done."
                    SayIntent:
                      ssml: "<speak>You said <emphasis level=\\"strong\\">${json:/request/intent/slots/text/value}</emphasis>.</speak>"
                    WhisperIntent:
                      ssml: "<amazon:effect name=\\"whispered\\">${json:/request/intent/slots/text/value}</amazon:effect>"
                    EchoIntent:
                      speech: "You said ${json:/request/intent/slots/text/value}."
                    AMAZON.HelpIntent:
                      speech: "Ask me to turn on a light."
                      reprompt: "Which light?"
                      end-session: false
                  unknown-intent: {speech: "Sorry, I can't do that yet."}
                  failure: {speech: "Sorry, that did not work."}
                  run-timeout: 300ms
              - name: defaults
                path: /defaults
                processor: {type: alexa}
            """;

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(CONFIG);

    /** An Alexa request body of {@code type}, with an intent and slots when {@code intent} is not null. */
    private static String request(String type, String intent, Map<String, String> slots) {
        ObjectNode body = JSON.createObjectNode().put("version", "1.0");
        ObjectNode request = body.putObject("request").put("type", type)
                .put("requestId", "amzn1.echo-api.request.1").put("timestamp", "2026-01-01T00:00:00Z")
                .put("locale", "en-US");
        if (intent != null) {
            ObjectNode slotsNode = request.putObject("intent").put("name", intent).putObject("slots");
            slots.forEach((name, value) -> slotsNode.putObject(name).put("name", name).put("value", value));
        }
        return body.toString();
    }

    private static String intent(String name, Map<String, String> slots) {
        return request("IntentRequest", name, slots);
    }

    private static JsonNode ask(String path, String body) throws Exception {
        RawHttp.Response answer = gateway.exchange(Requests.postJson(path, body));
        assertThat(answer.status()).as(answer.rawText()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json;charset=UTF-8");
        JsonNode envelope = JSON.readTree(answer.body());
        assertThat(envelope.path("version").asText()).isEqualTo("1.0");
        return envelope.path("response");
    }

    private static JsonNode ask(String body) throws Exception {
        return ask("/skill", body);
    }

    private static String said(JsonNode response) {
        JsonNode speech = response.path("outputSpeech");
        return speech.path("type").asText().equals("SSML") ? speech.path("ssml").asText()
                : speech.path("text").asText();
    }

    @Test
    void greetsALaunchAndKeepsTheSessionOpen() throws Exception {
        JsonNode response = ask(request("LaunchRequest", null, Map.of()));

        assertThat(response.path("outputSpeech").path("type").asText()).isEqualTo("PlainText");
        assertThat(said(response)).isEqualTo("Home here. Which light?");
        assertThat(response.path("reprompt").path("outputSpeech").path("text").asText())
                .isEqualTo("Say, turn on the kitchen light.");
        assertThat(response.path("shouldEndSession").asBoolean(true)).isFalse();
    }

    @Test
    void runsTheIntentsStepsThenSaysTheyWorked() throws Exception {
        JsonNode response = ask(intent("TurnOnIntent", Map.of("room", "kitchen")));

        assertThat(TestProcessors.invocations("skill")).isEqualTo(1);
        assertThat(said(response)).isEqualTo("The kitchen light is on.");
        assertThat(response.path("card").path("type").asText()).isEqualTo("Simple");
        assertThat(response.path("card").path("title").asText()).isEqualTo("Lights");
        assertThat(response.path("card").path("content").asText()).isEqualTo("kitchen: on");
        assertThat(response.path("shouldEndSession").asBoolean()).isTrue();
        assertThat(response.has("reprompt")).isFalse();
    }

    @Test
    void saysTheFailureSpeechWhenAStepFails() throws Exception {
        try (LogCapture log = LogCapture.gateway()) {
            assertThat(said(ask(intent("BrokenIntent", Map.of())))).as("the processor's failure speech")
                    .isEqualTo("Sorry, that did not work.");
            assertThat(log.messages()).anySatisfy(m -> assertThat(m).contains("intent BrokenIntent: a step failed with 503"));
        }
        assertThat(said(ask(intent("ThrowingIntent", Map.of("room", "porch"))))).as("the intent's own")
                .isEqualTo("Sorry, the porch did not work.");
        assertThat(said(ask(intent("ThrowingIntent", Map.of())))).isEqualTo("Sorry, the that did not work.");
        assertThat(TestProcessors.invocations("skill")).as("every step that ran, the failing ones too").isEqualTo(5);
    }

    @Test
    void saysTheFailureSpeechWhenAStepTakesLongerThanTheRunTimeout() throws Exception {
        long start = System.nanoTime();

        assertThat(said(ask(intent("SlowIntent", Map.of())))).isEqualTo("Sorry, that did not work.");

        assertThat((System.nanoTime() - start) / 1_000_000).as("answered at the run-timeout, not the step's 10s")
                .isLessThan(5000);
    }

    @Test
    void answersBuiltInAndUnknownIntents() throws Exception {
        JsonNode help = ask(intent("AMAZON.HelpIntent", Map.of()));
        assertThat(said(help)).isEqualTo("Ask me to turn on a light.");
        assertThat(help.path("shouldEndSession").asBoolean(true)).isFalse();

        JsonNode stop = ask(intent("AMAZON.StopIntent", Map.of()));
        assertThat(said(stop)).isEqualTo("Goodbye.");
        assertThat(stop.path("shouldEndSession").asBoolean()).isTrue();
        assertThat(said(ask(intent("AMAZON.CancelIntent", Map.of())))).isEqualTo("Goodbye.");

        assertThat(said(ask(intent("AMAZON.FallbackIntent", Map.of())))).isEqualTo("Sorry, I can't do that yet.");
        assertThat(said(ask(intent("OrderPizzaIntent", Map.of())))).isEqualTo("Sorry, I can't do that yet.");
        assertThat(said(ask(request("IntentRequest", null, Map.of())))).isEqualTo("Sorry, I can't do that yet.");
    }

    @Test
    void answersASessionsEndAndOtherRequestsWithAnEmptyResponse() throws Exception {
        for (String type : new String[] {"SessionEndedRequest", "AudioPlayer.PlaybackStarted",
                "System.ExceptionEncountered"}) {
            RawHttp.Response answer = gateway.exchange(Requests.postJson("/skill", request(type, null, Map.of())));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyText()).isEqualTo("{\"version\":\"1.0\",\"response\":{}}");
        }
        assertThat(TestProcessors.invocations("skill")).isZero();
    }

    @Test
    void refusesABodyThatIsNotAnAlexaRequest() throws Exception {
        assertThat(gateway.exchange(Requests.postJson("/skill", "{\"value1\": \"on\"}")).status()).isEqualTo(400);
        assertThat(gateway.exchange(Requests.postJson("/skill", "{\"request\": ")).status()).isEqualTo(400);
    }

    @Test
    void answersWithItsOwnDefaults() throws Exception {
        JsonNode launch = ask("/defaults", request("LaunchRequest", null, Map.of()));
        assertThat(said(launch)).isEqualTo("Welcome. What would you like to do?");
        assertThat(launch.path("shouldEndSession").asBoolean(true)).isFalse();
        assertThat(said(ask("/defaults", intent("TurnOnIntent", Map.of()))))
                .isEqualTo("Sorry, I don't know how to do that.");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "<audio src=\"https://evil.example/x.mp3\"/>",
            "</emphasis></speak><speak><audio src='x'/>",
            "a & b",
            "&amp; &lt;",
            "]]>",
            "<![CDATA[x]]>",
            "<!-- x -->",
            "\"double\" and 'single' quotes",
            "<?xml version=\"1.0\"?>",
            "<!DOCTYPE speak [<!ENTITY x \"y\">]>&x;",
            "emoji \uD83D\uDCA1 and \u00e9",
    })
    void keepsEveryValueTextInSsml(String hostile) throws Exception {
        for (String intent : new String[] {"SayIntent", "WhisperIntent"}) {
            JsonNode response = ask(intent(intent, Map.of("text", hostile)));

            assertThat(response.path("outputSpeech").path("type").asText()).isEqualTo("SSML");
            Document ssml = parse(said(response));
            assertThat(ssml.getDocumentElement().getTagName()).isEqualTo("speak");
            assertThat(ssml.getElementsByTagName("audio").getLength()).isZero();
            assertThat(ssml.getDocumentElement().getTextContent()).contains(hostile);
        }
    }

    @Test
    void writesAControlCharacterInSsmlAsAReplacement() throws Exception {
        JsonNode response = ask(intent("SayIntent", Map.of("text", "a\u0001b")));

        assertThat(parse(said(response)).getDocumentElement().getTextContent()).isEqualTo("You said a\uFFFDb.");
    }

    @Test
    void insertsValuesIntoPlainTextAsTheyAre() throws Exception {
        String value = "<b> & \"quotes\" \\ \n newline";

        assertThat(said(ask(intent("EchoIntent", Map.of("text", value))))).isEqualTo("You said " + value + ".");
    }

    @Test
    void answersThatAnAnswerIsTooLongInsteadOfSendingOneAlexaRefuses() throws Exception {
        String longest = "x".repeat(AlexaLimits.MAX_SPEECH_CHARS - "You said .".length());

        assertSaid(intent("EchoIntent", Map.of("text", longest)), "You said " + longest + ".");
        try (LogCapture log = LogCapture.gateway()) {
            assertSaid(intent("EchoIntent", Map.of("text", longest + "x")), Answer.TOO_LONG_TEXT);
            assertThat(log.messages()).anySatisfy(m ->
                    assertThat(m).contains("intent EchoIntent: the answer is longer than Alexa takes"));
        }
        // Characters, not UTF-16 units: 4,500 emoji are 9,000 units but 4,500 characters, within the limit.
        String emoji = "\uD83D\uDCA1".repeat(4500);
        assertSaid(intent("EchoIntent", Map.of("text", emoji)), "You said " + emoji + ".");
    }

    /** Asserts what Alexa is told to say, without printing thousands of characters when it is not. */
    private static void assertSaid(String request, String expected) throws Exception {
        String said = said(ask(request));
        assertThat(said.equals(expected)).withFailMessage("said %s... (%d characters), not %s... (%d)",
                said.substring(0, Math.min(40, said.length())), said.length(),
                expected.substring(0, Math.min(40, expected.length())), expected.length()).isTrue();
    }

    @Test
    void keepsTheWholeAnswerWithin24Kilobytes() throws Exception {
        // 7,990 three-byte characters are within the speech limit, but the card repeats them: over 24 KB in all.
        String wide = "\u20ac".repeat(AlexaLimits.MAX_SPEECH_CHARS - 30);

        JsonNode answer = ask(intent("TurnOnIntent", Map.of("room", wide)));

        assertThat(said(answer)).isEqualTo(Answer.TOO_LONG_TEXT);
        assertThat(answer.has("card")).isFalse();
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }
}
