package io.hookgateway.processors.alexa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hookgateway.config.ConfigException;
import io.hookgateway.config.ConfigProblems;
import io.hookgateway.processors.OptionParsing;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.testing.TestGateway;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code alexa} refuses when the configuration loads, each with its key path and a fix: two speeches in one
 * place, none, an answer that cannot fit Alexa's limits even without request values, SSML that is not well-formed or
 * puts a value where escaping cannot keep it text, a reprompt nobody hears, steps that cannot run inside it.
 */
class AlexaProcessorTypeTest {

    private static final ProcessorContext.Static HOOK = OptionParsing.hook("skill", Path.of(""));
    private static final String P = OptionParsing.PROCESSOR + ".";

    private static List<String> problems(String yaml) {
        OptionParsing parsing = new OptionParsing();
        parsing.parse(new AlexaProcessorType(), yaml, HOOK);
        return parsing.messages();
    }

    @Test
    void takesNothingButItsType() {
        OptionParsing parsing = new OptionParsing();
        AlexaProcessorType.Options options = parsing.parse(new AlexaProcessorType(), "{}", HOOK);

        assertThat(parsing.messages()).isEmpty();
        assertThat(options.intents()).isEmpty();
        assertThat(options.runTimeout()).isEqualTo(AlexaProcessorType.DEFAULT_RUN_TIMEOUT);
    }

    @Test
    void takesAFullSkill() {
        assertThat(problems("""
                launch: {ssml: "<speak>Hi <break time='1s'/> there</speak>", reprompt: "Which?"}
                intents:
                  TurnOnIntent:
                    speech: "The ${json:/request/intent/slots/room/value} light is on."
                    card: {title: Lights, content: "${json:/request/intent/slots/room/value}"}
                  AMAZON.HelpIntent: {speech: "Ask me.", reprompt-ssml: "<speak>Ask.</speak>", end-session: false}
                unknown-intent: {speech: "No."}
                failure: {speech: "Sorry."}
                run-timeout: 2s
                """)).isEmpty();
    }

    @Test
    void wantsOneSpeechInEachAnswer() {
        assertThat(problems("intents: {TurnOnIntent: {speech: a, ssml: \"<speak>a</speak>\"}}")).containsExactly(
                P + "intents.TurnOnIntent.ssml: and speech are both given; write the text once, as plain text "
                        + "(speech) or SSML (ssml)");
        assertThat(problems("intents: {TurnOnIntent: {end-session: true}}")).containsExactly(
                P + "intents.TurnOnIntent.speech: is required: what Alexa says, as speech: \"The light is on.\" (or "
                        + "ssml: for SSML)");
        assertThat(problems("intents: {TurnOnIntent: Done}")).hasSize(1)
                .allSatisfy(p -> assertThat(p).startsWith(P + "intents.TurnOnIntent: must be a mapping"));
    }

    @Test
    void refusesWhatIsNotAnIntentName() {
        assertThat(problems("intents: {\"Turn On\": {speech: a}}")).containsExactly(P + "intents.Turn On: is not an "
                + "intent name; an interaction model's names are letters and underscores, as TurnOnIntent, and "
                + "Amazon's start with AMAZON., as AMAZON.HelpIntent");
        assertThat(problems("intents: {TurnOn2: {speech: a}}")).hasSize(1);
    }

    @Test
    void refusesARepromptNobodyHears() {
        assertThat(problems("intents: {TurnOnIntent: {speech: a, reprompt: b}}")).containsExactly(
                P + "intents.TurnOnIntent.reprompt: is only heard while the session stays open; add end-session: "
                        + "false, or remove it");
        assertThat(problems("launch: {speech: a, reprompt: b}")).as("a launch keeps it open by default").isEmpty();
    }

    @Test
    void wantsACardWithTitleAndContent() {
        assertThat(problems("intents: {TurnOnIntent: {speech: a, card: {title: Lights}}}")).containsExactly(
                P + "intents.TurnOnIntent.card.content: is required: a Simple card has a title and a content, as "
                        + "card: {title: Lights, content: \"Kitchen: on\"}");
    }

    @Test
    void refusesFixedTextLongerThanAlexaTakes() {
        String most = "x".repeat(AlexaLimits.MAX_SPEECH_CHARS);
        assertThat(problems("intents: {A: {speech: " + most + "}}")).isEmpty();
        assertThat(problems("intents: {A: {speech: \"" + most + "x${json:/v}\"}}")).containsExactly(
                P + "intents.A.speech: is 8001 characters without its request values; Alexa speaks at most 8000");
        assertThat(problems("intents: {A: {ssml: " + most + "}}")).as("with the <speak> it is given")
                .containsExactly(P + "intents.A.ssml: is 8015 characters without its request values; Alexa speaks "
                        + "at most 8000");
        assertThat(problems("intents: {A: {speech: a, card: {title: " + most.substring(10) + ", content: "
                + "0123456789x}}}")).containsExactly(P + "intents.A.card: is 8001 characters without its request "
                + "values; a card holds at most 8000 in its title and content together");
    }

    @Test
    void refusesAFixedAnswerOver24Kilobytes() {
        // Each text within its own limit, the three together (three bytes a character) over 24 KB.
        String wide = "\u20ac".repeat(4000);
        assertThat(problems("intents: {A: {speech: " + wide + ", card: {title: t, content: " + wide + "}}}"))
                .isEmpty();
        assertThat(problems("intents: {A: {speech: " + wide + ", reprompt: " + wide + ", end-session: false, "
                + "card: {title: t, content: " + wide + "}}}")).hasSize(1).allSatisfy(p -> assertThat(p)
                .matches(P.replace(".", "\\.").replace("[", "\\[").replace("]", "\\]")
                        + "intents\\.A: makes an answer of \\d+ bytes without its request values; Alexa takes at "
                        + "most 24576"));
    }

    @Test
    void refusesSsmlThatIsNotWellFormed() {
        assertThat(problems("intents: {A: {ssml: \"<speak>a <emphasis>b</speak>\"}}")).hasSize(1)
                .allSatisfy(p -> assertThat(p).startsWith(P + "intents.A.ssml: is not well-formed SSML ("));
        assertThat(problems("intents: {A: {ssml: \"Tom & Jerry\"}}")).hasSize(1)
                .allSatisfy(p -> assertThat(p).startsWith(P + "intents.A.ssml: is not well-formed SSML ("));
        assertThat(problems("intents: {A: {ssml: \"<!DOCTYPE speak [<!ENTITY x 'y'>]><speak>&x;</speak>\"}}"))
                .as("no DTD, so no entity expansion").hasSize(1)
                .allSatisfy(p -> assertThat(p).startsWith(P + "intents.A.ssml: is not well-formed SSML ("));
        assertThat(problems("intents: {A: {ssml: \"Tom &amp; <emphasis>${json:/x}</emphasis>\"}}")).isEmpty();
    }

    @Test
    void refusesARequestValueWhereSsmlEscapingCannotKeepItText() {
        assertThat(problems("intents: {A: {ssml: \"<speak><audio src=\\\"${json:/url}\\\"/></speak>\"}}"))
                .hasSize(1).allSatisfy(p -> assertThat(p).startsWith(P + "intents.A.ssml: the request value "
                        + "${json:/url} begins the URL of the src attribute"));
        assertThat(problems("intents: {A: {ssml: \"<speak><${json:/tag}>x</speak>\"}}")).hasSize(1);
        assertThat(problems("intents: {A: {ssml: \"<speak><say-as interpret-as=${json:/x}>1</say-as></speak>\"}}"))
                .hasSize(1).allSatisfy(p -> assertThat(p).contains("unquoted attribute value"));
    }

    @Test
    void refusesAFailureAnswerWithoutSteps() {
        assertThat(problems("intents: {A: {speech: a, failure: {speech: b}}}")).containsExactly(
                P + "intents.A.failure: is said when a step of run fails, and there is no run; remove it");
    }

    @Test
    void boundsTheRunTimeoutByWhatAlexaWaits() {
        assertThat(problems("run-timeout: 8s")).isEmpty();
        assertThat(problems("run-timeout: 9s")).hasSize(1)
                .allSatisfy(p -> assertThat(p).startsWith(P + "run-timeout:"));
    }

    @Test
    void reportsUnknownKeysWhereverTheyAre() {
        assertThat(problems("intents: {A: {speech: a, speach: b}}")).hasSize(1)
                .allSatisfy(p -> assertThat(p).startsWith(P + "intents.A.speach: unknown key"));
        assertThat(problems("launch: {speech: a, card: {title: t, content: c, image: i}}")).hasSize(1)
                .allSatisfy(p -> assertThat(p).startsWith(P + "launch.card.image: unknown key"));
        assertThat(problems("intent: {}")).hasSize(1).allSatisfy(p -> assertThat(p).startsWith(P + "intent: unknown "
                + "key; did you mean 'intents'?"));
    }

    // Steps are processors configured inside this one, read by the configuration loader.

    private static List<String> loaded(String processor) {
        String yaml = "hooks:\n  - name: skill\n    path: /skill\n    processor:\n" + processor.indent(6);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> TestGateway.parse(yaml, Map.of()));
        return e == null ? List.of() : e.problems().stream().map(ConfigProblems.Problem::toString).toList();
    }

    @Test
    void readsItsStepsAsTheHooksOwnProcessorsAreRead() {
        assertThat(loaded("""
                type: alexa
                intents:
                  TurnOnIntent:
                    run: [{type: test-echo}, {type: respond, body: ok}]
                    speech: On.
                    failure: {speech: Sorry.}
                """)).isEmpty();
        assertThat(loaded("""
                type: alexa
                intents:
                  TurnOnIntent:
                    run: [{type: mqtt, topic: "a/b"}, {type: respnd}]
                    speech: On.
                """)).containsExactly(
                "hooks[0].processor.intents.TurnOnIntent.run[0].host: is required; name the broker, as host: "
                        + "broker.local or host: 192.168.1.10",
                "hooks[0].processor.intents.TurnOnIntent.run[1].type: 'respnd' is not a processor type; did you mean "
                        + "'respond'? Known types: alexa, command, forward, mqtt, respond, test-echo, test-fail, "
                        + "test-fail-status, test-latch, test-resources, test-slow");
    }

    @Test
    void refusesAStepThatServesResourcesOfItsOwn() {
        assertThat(loaded("""
                type: alexa
                intents:
                  TurnOnIntent:
                    run: [{type: test-resources, declares: [/state]}]
                    speech: On.
                """)).containsExactly("hooks[0].processor.intents.TurnOnIntent.run[0]: processor 'test-resources' "
                + "serves [/state] besides its hook, which it cannot inside another processor; make it one of the "
                + "hook's processors");
        assertThat(loaded("""
                type: alexa
                intents: {A: {run: [], speech: On.}}
                """)).containsExactly("hooks[0].processor.intents.A.run: is empty; list the processors to run first, "
                + "or remove it");
    }

    @Test
    void checksItsMqttStepsWithTheHooksOwn() {
        // Two publishers on one connection must agree on its settings, wherever they are configured.
        String yaml = """
                hooks:
                  - name: plain
                    path: /plain
                    processor: {type: mqtt, host: broker.local, client-id: gateway, topic: a}
                  - name: skill
                    path: /skill
                    processor:
                      type: alexa
                      intents:
                        A:
                          run: [{type: mqtt, host: broker.local, client-id: gateway, keep-alive: 10s, topic: b}]
                          speech: On.
                """;
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> TestGateway.parse(yaml, Map.of()));

        assertThat(e).isNotNull();
        assertThat(e.problems()).anySatisfy(p -> assertThat(p.keyPath())
                .startsWith("hooks[1].processor.intents.A.run[0]"));
    }
}
