package io.hookgateway.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import io.hookgateway.testing.TestProcessors;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The shared part of the conformance tables: the gateway they run against, request-writing helpers, and
 * {@link #verify}, which sends one {@link ConformanceCase} over a fresh socket and checks every answer.
 *
 * <p>Every table runs against the same hooks:
 * <table>
 *   <caption>Hooks</caption>
 *   <tr><td>{@code /echo}</td><td>GET, POST, PUT, PATCH, DELETE</td><td>test-echo</td></tr>
 *   <tr><td>{@code /get}</td><td>GET (and so HEAD)</td><td>respond: 200 {@code got\n}</td></tr>
 *   <tr><td>{@code /small}</td><td>POST, {@code max-body-size: 16}</td><td>test-echo</td></tr>
 *   <tr><td>{@code /empty}</td><td>POST, {@code max-body-size: 0}</td><td>test-echo</td></tr>
 *   <tr><td>{@code /items/{id}}</td><td>GET, POST</td><td>test-echo</td></tr>
 * </table>
 */
final class Conformance {

    /**
     * A request sent after the last answer of a case that keeps the connection: its echo must name this very target,
     * which proves the connection is open and in step (no answer left over, no content taken as a request).
     */
    static final String PROBE_TARGET = "/echo?probe=after-the-case";
    static final String PROBE = "GET " + PROBE_TARGET + " HTTP/1.1\r\nHost: probe.test\r\n\r\n";

    /** The test-echo hooks, whose calls are counted to prove what reached a processor and what did not. */
    static final List<String> ECHO_HOOKS = List.of("conf-echo", "conf-small", "conf-empty", "conf-items");

    private static final String HOOKS = """
            hooks:
              - name: conf-echo
                path: /echo
                methods: [GET, POST, PUT, PATCH, DELETE]
                processor: {type: test-echo}
              - name: conf-get
                path: /get
                methods: [GET]
                processor: {type: respond, content-type: "text/plain; charset=utf-8", body: "got\\n"}
              - name: conf-small
                path: /small
                methods: [POST]
                max-body-size: 16
                processor: {type: test-echo}
              - name: conf-empty
                path: /empty
                methods: [POST]
                max-body-size: 0
                processor: {type: test-echo}
              - name: conf-items
                path: /items/{id}
                methods: [GET, POST]
                processor: {type: test-echo}
            """;

    private Conformance() {
    }

    /** Starts a gateway with the shared hooks; {@code serverKeys} are extra lines of its {@code server:} section. */
    static TestGateway start(String... serverKeys) throws Exception {
        StringBuilder yaml = new StringBuilder("server:\n  access-log: false\n");
        for (String key : serverKeys) {
            yaml.append("  ").append(key).append('\n');
        }
        return TestGateway.start(yaml + HOOKS);
    }

    /** Each line followed by CRLF; an empty string is the empty line that ends a head. */
    static String lines(String... lines) {
        StringBuilder b = new StringBuilder();
        for (String line : lines) {
            b.append(line).append("\r\n");
        }
        return b.toString();
    }

    /** {@code count} copies of {@code c}. */
    static String fill(char c, int count) {
        return String.valueOf(c).repeat(count);
    }

    /** A table of cases, checked for unique ids. */
    static Stream<ConformanceCase> table(ConformanceCase... cases) {
        Set<String> ids = new HashSet<>();
        for (ConformanceCase c : cases) {
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException("duplicate case id " + c.id());
            }
        }
        return Stream.of(cases);
    }

    /**
     * Sends the case on a new connection and checks, in order: each answer (interim 100 first where expected; status
     * line; {@code Connection}; {@code Content-Length} present except on 204, RFC 9110 §8.6; the expected fields and
     * body; what the echo processor received). Then, after a closing answer (or none), that the server closes the
     * connection with nothing more sent; otherwise that the same connection answers {@link #PROBE} next. Finally, that
     * the test-echo processors ran exactly once per echo answer (and probe), so nothing after a refusal reached a
     * processor.
     */
    static void verify(TestGateway gateway, ConformanceCase c) throws IOException {
        int callsBefore = echoCalls();
        int probes = 0;
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            int n = 0;
            for (ConformanceCase.Step step : c.steps()) {
                client.send(step.bytes());
                for (Answer expected : step.answers()) {
                    n++;
                    check(client, expected, c + ", answer " + n + ", request " + c.shownRequest());
                }
            }
            Answer last = c.lastAnswer();
            if (last == null || last.closes) {
                assertClosedWithNothingMore(client, c);
            } else {
                RawHttp.Response probe = client.send(PROBE).read();
                String shown = escape(probe.raw());
                assertThat(probe.status()).as("%s: the connection stays open for a probe; got %s", c, shown)
                        .isEqualTo(200);
                assertThat(probe.header("Content-Type")).as("%s: the probe is echoed; got %s", c, shown)
                        .isEqualTo("application/json");
                assertThat(Answer.JSON.readTree(probe.body()).path("rawTarget").asText())
                        .as("%s: the next answer is the probe's; got %s", c, shown).isEqualTo(PROBE_TARGET);
                probes = 1;
            }
        }
        long expectedCalls = probes + c.answers().stream().filter(a -> a.invokesProcessor).count();
        assertThat(echoCalls() - callsBefore).as("%s: test-echo processor calls", c).isEqualTo((int) expectedCalls);
    }

    private static void check(RawHttp client, Answer expected, String where) throws IOException {
        if (expected.interimContinue) {
            RawHttp.Response interim = client.read();
            assertThat(interim.rawText()).as("%s: 100 Continue first", where)
                    .isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        }
        RawHttp.Response r = expected.head ? client.readHead() : client.read();
        String shown = escape(r.raw());
        if (expected.status == 100) {
            assertThat(r.rawText()).as("%s: 100 Continue; got %s", where, shown)
                    .isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            return;
        }
        assertThat(r.statusLine()).as("%s: status line; got %s", where, shown)
                .startsWith("HTTP/1.1 " + expected.status + " ");
        if (expected.connection == null) {
            assertThat(r.header("Connection")).as("%s: no Connection field; got %s", where, shown).isNull();
        } else {
            assertThat(r.header("Connection")).as("%s: Connection; got %s", where, shown)
                    .isEqualToIgnoringCase(expected.connection);
        }
        if (expected.status == 204) {
            assertThat(r.header("Content-Length")).as("%s: no Content-Length in 204; got %s", where, shown).isNull();
        } else {
            assertThat(r.header("Content-Length")).as("%s: Content-Length; got %s", where, shown).isNotNull();
        }
        for (Map.Entry<String, String> field : expected.fields.entrySet()) {
            assertThat(r.header(field.getKey())).as("%s: field %s; got %s", where, field.getKey(), shown)
                    .isEqualTo(field.getValue());
        }
        if (expected.body != null) {
            assertThat(r.bodyText()).as("%s: body; got %s", where, shown).isEqualTo(expected.body);
        }
        if (expected.readsEcho()) {
            JsonNode echo = Answer.JSON.readTree(r.body());
            for (Map.Entry<String, JsonNode> property : expected.received.entrySet()) {
                assertThat(echo.get(property.getKey())).as("%s: processor received %s; got %s", where,
                        property.getKey(), shown).isEqualTo(property.getValue());
            }
            for (Map.Entry<String, List<String>> field : expected.receivedFields.entrySet()) {
                assertThat(Answer.fieldValues(echo, field.getKey()))
                        .as("%s: processor received field %s; got %s", where, field.getKey(), shown)
                        .isEqualTo(field.getValue());
            }
        }
    }

    private static void assertClosedWithNothingMore(RawHttp client, ConformanceCase c) throws IOException {
        byte[] rest;
        try {
            rest = client.readUntilClosed();
        } catch (SocketTimeoutException e) {
            throw new AssertionError(c + ": the server did not close the connection", e);
        } catch (SocketException reset) {
            // A reset after the answers were read is a close too.
            return;
        }
        if (rest.length > 0) {
            fail("%s: nothing may follow the last answer, got %s", c, escape(rest));
        }
    }

    private static int echoCalls() {
        int sum = 0;
        for (String hook : ECHO_HOOKS) {
            sum += TestProcessors.invocations(hook);
        }
        return sum;
    }

    /** Octets as text: printable ASCII as is, CR and LF as \r and \n, others as \xHH. */
    static String escape(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            int v = x & 0xff;
            if (v == '\r') {
                b.append("\\r");
            } else if (v == '\n') {
                b.append("\\n");
            } else if (v >= 0x20 && v < 0x7f && v != '\\') {
                b.append((char) v);
            } else {
                b.append(String.format("\\x%02X", v));
            }
        }
        return b.length() > 400 ? b.substring(0, 400) + "...(" + bytes.length + " bytes)" : b.toString();
    }
}
