package io.hookgateway.processors.alexa;

/**
 * What Alexa takes in one answer (Alexa Skills Kit, "Request and response JSON reference", response limits):
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><td>{@link #MAX_SPEECH_CHARS}</td><td>8,000 characters of {@code outputSpeech} text or SSML, and of a
 *       reprompt's</td></tr>
 *   <tr><td>{@link #MAX_CARD_CHARS}</td><td>8,000 characters of a card's title and content together</td></tr>
 *   <tr><td>{@link #MAX_RESPONSE_BYTES}</td><td>24 kilobytes of the whole answer</td></tr>
 * </table>
 *
 * A fixed text over a limit is a configuration problem; an answer that goes over one once the request's values are in
 * is replaced by a short one that says so ({@link Answer#TOO_LONG}), since Alexa would refuse it and tell the user
 * only that the skill did not answer properly.
 */
final class AlexaLimits {

    static final int MAX_SPEECH_CHARS = 8000;
    static final int MAX_CARD_CHARS = 8000;
    static final int MAX_RESPONSE_BYTES = 24 * 1024;

    private AlexaLimits() {
    }

    /** Characters as Alexa counts them: code points, so a character outside the BMP is one, not two. */
    static int characters(String text) {
        return text.codePointCount(0, text.length());
    }
}
