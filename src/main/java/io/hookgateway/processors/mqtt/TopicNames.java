package io.hookgateway.processors.mqtt;

/**
 * What MQTT 3.1.1 allows as the topic of a PUBLISH (§4.7), checked before anything is sent: a broker may close the
 * connection on a malformed topic, and that connection is shared by every hook of the broker, so one request must
 * never be able to cut it. A topic is also an MQTT string, so {@link MqttStrings}' rule applies as well.
 */
final class TopicNames {

    private TopicNames() {
    }

    /**
     * Why {@code topic} cannot be published to, as the end of a sentence ("is empty", "contains the wildcard '#' ..."),
     * or {@code null} when it can.
     */
    static String problem(String topic) {
        if (topic.isEmpty()) {
            // §4.7.3: a topic name is at least one character long.
            return "is empty";
        }
        if (topic.charAt(0) == '$') {
            return "starts with '$', which marks the broker's own topics ($SYS/...); clients do not publish there";
        }
        String wildcard = wildcardProblem(topic);
        return wildcard != null ? wildcard : MqttStrings.problem(topic);
    }

    /**
     * The checks of {@link #problem} that apply to any piece of a topic (the text around a template's references):
     * wildcards, and the code points of {@link MqttStrings#characterProblem}. {@code null} when there is none.
     */
    static String characterProblem(String text) {
        String wildcard = wildcardProblem(text);
        return wildcard != null ? wildcard : MqttStrings.characterProblem(text);
    }

    /** §4.7.1: wildcards are for subscribing; a PUBLISH naming one is malformed (Mosquitto closes the connection). */
    private static String wildcardProblem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '#' || c == '+') {
                return "contains the wildcard '" + c + "'; wildcards are for subscribing, a message goes to one topic";
            }
        }
        return null;
    }
}
