package io.hookgateway.processors.alexa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.processors.template.Template;

/**
 * One answer of a skill, and the response envelope Alexa reads it from: what Alexa says, a Simple card for the Alexa
 * app if wanted, what it says again when the user says nothing (the reprompt, only heard while the session stays open),
 * and whether the session ends. Every text is a template over the request.
 *
 * <pre>
 * speech: "The ${json:/request/intent/slots/room/value} light is on."   # or ssml: "&lt;speak&gt;...&lt;/speak&gt;"
 * card: {title: Lights, content: "Kitchen: on"}                          # optional
 * reprompt: "Which light?"                                               # or reprompt-ssml; needs end-session: false
 * end-session: true                                                      # false keeps the microphone open
 * </pre>
 *
 * Rendered, it is {@code {"version": "1.0", "response": {"outputSpeech": ..., "card": ..., "reprompt": ...,
 * "shouldEndSession": ...}}}, within {@link AlexaLimits}.
 */
final class Answer {

    /**
     * The mapper answers are written with, made when the first one is: building it loads most of Jackson's databind,
     * which a gateway without an {@code alexa} hook never needs (the holder idiom, JLS §12.4.1).
     */
    private static final class Json {
        /** Writes a character beyond the BMP (an emoji) as its four UTF-8 bytes, not as two twelve-byte escapes. */
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
    }

    static final String TOO_LONG_TEXT = "Sorry, that answer is too long for me to say.";
    /** Said instead of an answer that came out longer than Alexa takes. */
    static final Answer TOO_LONG = fixed(TOO_LONG_TEXT, null, true);

    private final Speech speech;
    private final Template cardTitle;
    private final Template cardContent;
    private final Speech reprompt;
    private final boolean endSession;

    private Answer(Speech speech, Template cardTitle, Template cardContent, Speech reprompt, boolean endSession) {
        this.speech = speech;
        this.cardTitle = cardTitle;
        this.cardContent = cardContent;
        this.reprompt = reprompt;
        this.endSession = endSession;
    }

    /** An answer of fixed plain text, with a reprompt when {@code again} is not {@code null}. */
    static Answer fixed(String text, String again, boolean endSession) {
        return new Answer(Speech.plain(text), null, null, again == null ? null : Speech.plain(again), endSession);
    }

    /**
     * Reads the answer's keys of {@code node}: {@code speech} or {@code ssml}, {@code card}, {@code reprompt} or
     * {@code reprompt-ssml}, {@code end-session}. Other keys are the caller's, which also {@linkplain
     * ConfigNode#finish() finishes} the node. {@code null} after reporting a problem.
     */
    static Answer read(ConfigNode node, ProcessorContext.Static context, boolean endSessionDefault) {
        Speech speech = Speech.read(node, "speech", "ssml", context, true);
        boolean endSession = node.bool("end-session", endSessionDefault);
        Speech reprompt = Speech.read(node, "reprompt", "reprompt-ssml", context, false);
        if (reprompt != null && endSession) {
            node.problem(node.has("reprompt") ? "reprompt" : "reprompt-ssml", "is only heard while the session stays "
                    + "open; add end-session: false, or remove it");
            reprompt = null;
        }
        Template title = null;
        Template content = null;
        ConfigNode card = node.object("card");
        if (card != null) {
            title = Template.read(card, "title", null, context);
            content = Template.read(card, "content", null, context);
            if (!card.has("title") || !card.has("content")) {
                card.problem(card.has("title") ? "content" : "title", "is required: a Simple card has a title and "
                        + "a content, as card: {title: Lights, content: \"Kitchen: on\"}");
            } else if (title != null && content != null) {
                int length = AlexaLimits.characters(Speech.fixedText(title))
                        + AlexaLimits.characters(Speech.fixedText(content));
                if (length > AlexaLimits.MAX_CARD_CHARS) {
                    node.problem("card", "is " + length + " characters without its request values; a card holds at "
                            + "most " + AlexaLimits.MAX_CARD_CHARS + " in its title and content together");
                }
            }
            card.finish();
        }
        if (speech == null || node.hasProblems()) {
            return null;
        }
        Answer answer = new Answer(speech, title, content, reprompt, endSession);
        byte[] least = answer.envelope(speech.fixedText(), title == null ? null : Speech.fixedText(title),
                content == null ? null : Speech.fixedText(content), reprompt == null ? null : reprompt.fixedText());
        if (least.length > AlexaLimits.MAX_RESPONSE_BYTES) {
            node.problem(null, "makes an answer of " + least.length + " bytes without its request values; Alexa takes "
                    + "at most " + AlexaLimits.MAX_RESPONSE_BYTES);
            return null;
        }
        return answer;
    }

    /** Whether rendering reads the body. */
    boolean readsBody() {
        return speech.readsBody() || reprompt != null && reprompt.readsBody()
                || cardTitle != null && cardTitle.readsBody() || cardContent != null && cardContent.readsBody();
    }

    /** The envelope with the request's values, or {@code null} when it is over one of {@link AlexaLimits}. */
    byte[] render(HookRequest request) {
        String said = speech.render(request);
        String again = reprompt == null ? null : reprompt.render(request);
        String title = cardTitle == null ? null : cardTitle.render(request);
        String content = cardContent == null ? null : cardContent.render(request);
        if (said == null || reprompt != null && again == null || title != null
                && AlexaLimits.characters(title) + AlexaLimits.characters(content) > AlexaLimits.MAX_CARD_CHARS) {
            return null;
        }
        byte[] envelope = envelope(said, title, content, again);
        return envelope.length > AlexaLimits.MAX_RESPONSE_BYTES ? null : envelope;
    }

    private byte[] envelope(String said, String title, String content, String again) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("version", AlexaProcessor.VERSION);
        ObjectNode response = root.putObject("response");
        response.set("outputSpeech", speech.outputSpeech(said));
        if (title != null) {
            response.putObject("card").put("type", "Simple").put("title", title).put("content", content);
        }
        if (again != null) {
            response.putObject("reprompt").set("outputSpeech", reprompt.outputSpeech(again));
        }
        response.put("shouldEndSession", endSession);
        try {
            return Json.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always writes", e);
        }
    }
}
