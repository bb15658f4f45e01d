package io.hookgateway.processors.mqtt;

import io.netty.buffer.ByteBufUtil;

/**
 * What MQTT 3.1.1 allows in a UTF-8 encoded string (§1.5.3), the form of every topic name, client id and user name
 * the gateway sends. A broker may close the connection on any code point the section names, and Mosquitto does on
 * every one of them ({@code mosquitto_validate_utf8}, lib/utf8_mosq.c): since that connection is shared by every hook
 * of the broker, nothing outside this rule may ever be sent.
 *
 * <ul>
 *   <li>U+0000: the receiver must close the connection;</li>
 *   <li>the control characters U+0001..U+001F and U+007F..U+009F;</li>
 *   <li>the noncharacters: U+FDD0..U+FDEF, and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE,
 *       ... U+10FFFF);</li>
 *   <li>surrogates: in a Java string an unpaired one, which no UTF-8 can encode;</li>
 *   <li>more than 65535 bytes of UTF-8: the length is two bytes.</li>
 * </ul>
 */
final class MqttStrings {

    /** An MQTT string's length prefix is two bytes (§1.5.3). */
    static final int MAX_BYTES = 65_535;

    private MqttStrings() {
    }

    /** Why {@code text} cannot be sent as an MQTT string, as the end of a sentence ("contains ..."), or {@code null}. */
    static String problem(String text) {
        String characters = characterProblem(text);
        if (characters != null) {
            return characters;
        }
        // A code point takes at most 3 bytes per Java char, so a short text need not be measured.
        if (text.length() > MAX_BYTES / 3 && ByteBufUtil.utf8Bytes(text) > MAX_BYTES) {
            return "is longer than " + MAX_BYTES + " bytes in UTF-8, the most an MQTT string can hold (MQTT 3.1.1 "
                    + "§1.5.3)";
        }
        return null;
    }

    /**
     * The code point check of {@link #problem}, which also applies to any piece of a string (the text around a
     * template's references): the first code point §1.5.3 forbids, or {@code null} when there is none.
     */
    static String characterProblem(CharSequence text) {
        for (int i = 0; i < text.length(); ) {
            int c = Character.codePointAt(text, i);
            String refusal = refusal(c);
            if (refusal != null) {
                return refusal;
            }
            i += Character.charCount(c);
        }
        return null;
    }

    private static String refusal(int c) {
        if (c == 0) {
            return "contains U+0000, on which an MQTT broker must close the connection (MQTT 3.1.1 §1.5.3)";
        }
        if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
            return "contains the control character " + codePoint(c) + ", which MQTT 3.1.1 does not allow (§1.5.3)";
        }
        if (isNoncharacter(c)) {
            return "contains the noncharacter " + codePoint(c) + ", which MQTT 3.1.1 does not allow (§1.5.3)";
        }
        if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
            // Character.codePointAt returns a surrogate only when it is not half of a pair.
            return "is not valid Unicode: it holds an unpaired surrogate (" + codePoint(c) + ")";
        }
        return null;
    }

    /**
     * Unicode's 66 noncharacters (Unicode §23.7): U+FDD0..U+FDEF, and the code points ending in FFFE or FFFF on each
     * of the 17 planes.
     */
    static boolean isNoncharacter(int c) {
        return c >= 0xFDD0 && c <= 0xFDEF || (c & 0xFFFE) == 0xFFFE;
    }

    private static String codePoint(int c) {
        return String.format("U+%04X", c);
    }
}
