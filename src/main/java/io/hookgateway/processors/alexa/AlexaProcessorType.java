package io.hookgateway.processors.alexa;

import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.processors.ConfiguredProcessor;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.processors.ProcessorType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code alexa}: the web service of an Alexa custom skill. It answers each request of the Alexa Skills Kit with a
 * response envelope ({@link Answer}), chosen by the request's type and intent, and may first run other processors (an
 * MQTT publish, a command, a forward) and say one thing when they succeeded and another when one failed. Put it behind
 * {@code auth: {alexa: ...}}, which proves the request is Amazon's.
 *
 * <pre>
 * processor:
 *   type: alexa
 *   launch:                                    # "Alexa, open home"; end-session is false by default here
 *     speech: "Home here. Which light?"
 *     reprompt: "Say: turn on the kitchen light."
 *   intents:                                   # by intent name, as in the skill's interaction model
 *     TurnOnIntent:
 *       run:                                   # optional: processors run in order first, as a hook's own are
 *         - {type: mqtt, host: broker.local, topic: "home/${json:/request/intent/slots/room/value}/light", payload: ON}
 *       speech: "The ${json:/request/intent/slots/room/value} light is on."
 *       failure: {speech: "Sorry, the light did not answer."}   # when a step fails (or answers 400 and up)
 *   unknown-intent: {speech: "Sorry, I can't do that yet."}      # an intent not listed
 *   failure: {speech: "Sorry, that did not work."}               # the failure answer of intents without their own
 *   run-timeout: 6s                            # steps still running then count as failed; Alexa waits 8 s at most
 * </pre>
 *
 * A {@code SessionEndedRequest} (and any other request type, such as an AudioPlayer event) gets the empty response
 * Alexa expects, {@code {"version": "1.0", "response": {}}}. Without their own answer, {@code AMAZON.StopIntent} and
 * {@code AMAZON.CancelIntent} say "Goodbye." and end the session, as certification asks.
 */
public final class AlexaProcessorType implements ProcessorType<AlexaProcessorType.Options> {

    static final Duration DEFAULT_RUN_TIMEOUT = Duration.ofSeconds(6);
    /** Alexa waits this long for an answer, then tells the user the skill did not respond. */
    static final Duration ALEXA_WAIT = Duration.ofSeconds(8);

    static final Answer DEFAULT_LAUNCH = Answer.fixed("Welcome. What would you like to do?",
            "What would you like to do?", false);
    static final Answer DEFAULT_UNKNOWN = Answer.fixed("Sorry, I don't know how to do that.", null, true);
    static final Answer DEFAULT_FAILURE = Answer.fixed("Sorry, that did not work.", null, true);
    static final Answer GOODBYE = Answer.fixed("Goodbye.", null, true);
    static final Map<String, Answer> BUILT_IN = Map.of("AMAZON.StopIntent", GOODBYE, "AMAZON.CancelIntent", GOODBYE);

    /** An interaction model's intent names: letters and underscores; Amazon's own are {@code AMAZON.} and a name. */
    private static final Pattern INTENT_NAME = Pattern.compile("[A-Za-z_]+|AMAZON\\.[A-Za-z_]+");

    /**
     * What to do for one request type or intent: run the steps, if any, then answer; with {@code failure} when a step
     * failed.
     */
    record Action(List<ConfiguredProcessor> run, Answer answer, Answer failure) {
        Action {
            run = List.copyOf(run);
        }

        static Action answering(Answer answer) {
            return new Action(List.of(), answer, DEFAULT_FAILURE);
        }
    }

    /**
     * The validated options.
     *
     * @param launch the answer to a {@code LaunchRequest}
     * @param intents the action of each intent, by name
     * @param unknownIntent the answer to an intent not in {@code intents}
     * @param runTimeout how long the steps may take before they count as failed
     */
    public record Options(Action launch, Map<String, Action> intents, Answer unknownIntent, Duration runTimeout) {
        public Options {
            intents = Collections.unmodifiableMap(new LinkedHashMap<>(intents));
        }
    }

    @Override
    public String name() {
        return "alexa";
    }

    @Override
    public Options parseOptions(ConfigNode node, ProcessorContext.Static context) {
        Answer failure = DEFAULT_FAILURE;
        ConfigNode failureNode = node.object("failure");
        if (failureNode != null) {
            failure = Answer.read(failureNode, context, true);
            failureNode.finish();
        }
        Action launch = Action.answering(DEFAULT_LAUNCH);
        ConfigNode launchNode = node.object("launch");
        if (launchNode != null) {
            launch = action(launchNode, context, false, failure);
        }
        Map<String, Action> intents = new LinkedHashMap<>();
        ConfigNode intentsNode = node.object("intents");
        if (intentsNode != null) {
            for (String name : intentsNode.names()) {
                if (!INTENT_NAME.matcher(name).matches()) {
                    intentsNode.problem(name, "is not an intent name; an interaction model's names are letters and "
                            + "underscores, as TurnOnIntent, and Amazon's start with AMAZON., as AMAZON.HelpIntent");
                    continue;
                }
                ConfigNode intentNode = intentsNode.object(name);
                Action action = intentNode == null ? null : action(intentNode, context, true, failure);
                if (action != null) {
                    intents.put(name, action);
                }
            }
        }
        Answer unknown = DEFAULT_UNKNOWN;
        ConfigNode unknownNode = node.object("unknown-intent");
        if (unknownNode != null) {
            unknown = Answer.read(unknownNode, context, true);
            unknownNode.finish();
        }
        Duration runTimeout = node.duration("run-timeout", DEFAULT_RUN_TIMEOUT, Duration.ofMillis(100), ALEXA_WAIT);
        node.finish();
        if (failure == null || launch == null || unknown == null) {
            return null;
        }
        return new Options(launch, intents, unknown, runTimeout);
    }

    /** A launch or intent: its answer, the steps it runs first ({@code run}) and its own {@code failure}, if any. */
    private static Action action(ConfigNode node, ProcessorContext.Static context, boolean endSessionDefault,
                                 Answer defaultFailure) {
        Answer answer = Answer.read(node, context, endSessionDefault);
        List<ConfiguredProcessor> run = new ArrayList<>();
        boolean stepsRead = true;
        if (node.has("run")) {
            List<ConfigNode> steps = node.objects("run");
            if (steps.isEmpty()) {
                node.problem("run", "is empty; list the processors to run first, or remove it");
            }
            for (ConfigNode step : steps) {
                ConfiguredProcessor processor = context.processor(step);
                stepsRead &= processor != null;
                if (processor != null) {
                    run.add(processor);
                }
            }
        }
        Answer failure = defaultFailure;
        ConfigNode failureNode = node.object("failure");
        if (failureNode != null) {
            if (run.isEmpty() && !node.has("run")) {
                node.problem("failure", "is said when a step of run fails, and there is no run; remove it");
            }
            failure = Answer.read(failureNode, context, true);
            failureNode.finish();
        }
        node.finish();
        return answer == null || failure == null || !stepsRead ? null : new Action(run, answer, failure);
    }

    @Override
    public HookProcessor create(Options options, ProcessorContext context) throws Exception {
        return AlexaProcessor.create(options, context);
    }
}
