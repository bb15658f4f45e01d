package io.hookgateway.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One row of a conformance table: the raw bytes a client sends, in one write or in a few, the answers each write must
 * get in order, and the RFC section the expectation follows.
 *
 * <p>After the last answer the connection must be closed by the server when that answer {@linkplain Answer#closes()
 * closes}, and must otherwise still serve a further request (see {@link Conformance#verify}). A case without any
 * answer expects the server to close the connection without answering.
 *
 * @param id short and unique within its class, e.g. {@code RL-07}
 * @param rfc the section the case follows, e.g. {@code RFC 9112 §3}
 * @param description what is sent and what must happen
 * @param steps the writes, each with the answers read after it
 */
public record ConformanceCase(String id, String rfc, String description, List<Step> steps) {

    /** One write and the answers read after it. */
    public record Step(byte[] bytes, List<Answer> answers) {
    }

    public ConformanceCase {
        Objects.requireNonNull(id, "id");
        if (!rfc.matches("RFC \\d+ (§|Appendix )\\S.*")) {
            throw new IllegalArgumentException(id + ": cite a section, as in \"RFC 9112 §3\": " + rfc);
        }
        steps = List.copyOf(steps);
        List<Answer> all = new ArrayList<>();
        steps.forEach(s -> all.addAll(s.answers()));
        for (int i = 0; i < all.size() - 1; i++) {
            if (all.get(i).closes) {
                throw new IllegalArgumentException(id + ": only the last answer can close the connection");
            }
        }
    }

    /** A case of one write. {@code request} holds bytes as chars 0-255 (ISO-8859-1), so any octet can be sent. */
    public static ConformanceCase of(String id, String rfc, String description, String request, Answer... answers) {
        return new ConformanceCase(id, rfc, description, List.of(new Step(octets(id, request), List.of(answers))));
    }

    /** This case with one more write, sent after the answers so far were read. */
    public ConformanceCase then(String request, Answer... answers) {
        List<Step> more = new ArrayList<>(steps);
        more.add(new Step(octets(id, request), List.of(answers)));
        return new ConformanceCase(id, rfc, description, more);
    }

    /** Every answer of the case, in the order they must arrive. */
    public List<Answer> answers() {
        List<Answer> all = new ArrayList<>();
        steps.forEach(s -> all.addAll(s.answers()));
        return all;
    }

    /** The last answer, or {@code null} when the case expects none. */
    public Answer lastAnswer() {
        List<Answer> all = answers();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** What was sent, all writes together, with CR, LF and other unprintable octets escaped, for failure messages. */
    public String shownRequest() {
        StringBuilder b = new StringBuilder();
        for (Step step : steps) {
            if (b.length() > 0) {
                b.append(" | then | ");
            }
            b.append(Conformance.escape(step.bytes()));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return id + " (" + rfc + ") " + description;
    }

    private static byte[] octets(String id, String request) {
        for (int i = 0; i < request.length(); i++) {
            if (request.charAt(i) > 0xff) {
                throw new IllegalArgumentException(id + ": char " + (int) request.charAt(i) + " is not one octet; "
                        + "write bytes as \\u0000-\\u00ff");
            }
        }
        return request.getBytes(StandardCharsets.ISO_8859_1);
    }
}
