package io.hookgateway.hooks.mqtt;

import java.nio.charset.StandardCharsets;

/**
 * What MQTT 3.1.1 allows as the topic of a PUBLISH (§4.7, §1.5.3), checked before anything is sent: a broker may close
 * the connection on a malformed topic, and that connection is shared by every hook of the broker, so one request must
 * never be able to cut it.
 */
final class TopicNames {

    /** An MQTT string's length is two bytes (§1.5.3). */
    static final int MAX_TOPIC_BYTES = 65_535;

    private TopicNames() {
    }

    /**
     * Why {@code topic} cannot be published to, as the end of a sentence ("is empty", "contains the wildcard '#' ..."),
     * or {@code null} when it can.
     */
    static String problem(String topic) {
        if (topic.isEmpty()) {
            return "is empty";
        }
        if (topic.charAt(0) == '$') {
            return "starts with '$', which marks the broker's own topics ($SYS/...); clients do not publish there";
        }
        String characters = characterProblem(topic);
        if (characters != null) {
            return characters;
        }
        if (topic.length() > MAX_TOPIC_BYTES / 3 && topic.getBytes(StandardCharsets.UTF_8).length > MAX_TOPIC_BYTES) {
            return "is longer than " + MAX_TOPIC_BYTES + " bytes";
        }
        return null;
    }

    /**
     * The check of {@link #problem} that applies to any part of a topic: wildcards (§4.7.1: they are for subscribing),
     * control characters (§1.5.3: U+0000 makes the broker close the connection, U+0001..U+001F and U+007F..U+009F
     * may) and unpaired surrogates (not encodable as UTF-8). {@code null} when there is none.
     */
    static String characterProblem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '#' || c == '+') {
                return "contains the wildcard '" + c + "'; wildcards are for subscribing, a message goes to one topic";
            }
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                return "contains a control character (U+" + String.format("%04X", (int) c) + ")";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "is not valid Unicode (an unpaired surrogate)";
            }
        }
        return null;
    }
}
