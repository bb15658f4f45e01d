package io.hookgateway.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonPointer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The request values templates read: parsed lazily, once, and a malformed JSON body is the client's 400. */
class RequestValuesTest {

    private static final String DOCUMENT = "{\"s\": \"text\", \"n\": 12, \"f\": 1.5, \"b\": false, \"z\": null, "
            + "\"o\": {\"k\": [1, 2]}, \"a\": [\"x\", {\"y\": \"deep\"}]}";

    private static RequestValues values(String body) {
        return FakeHookRequest.withBody(body).values();
    }

    private static final JsonPointer ROOT = JsonPointer.compile("");

    private static String json(String body, String pointer) {
        return values(body).json(JsonPointer.compile(pointer));
    }

    private static String jsonValue(String body, String pointer) {
        return values(body).jsonValue(JsonPointer.compile(pointer));
    }

    @Test
    void bodyIsTheBodyDecodedAsText() {
        FakeHookRequest request = FakeHookRequest.builder()
                .body("caf\u00e9 \u20ac".getBytes(StandardCharsets.UTF_8)).build();

        assertThat(request.values().body()).isEqualTo("caf\u00e9 \u20ac");
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "/s      | text",
            "/n      | 12",
            "/f      | 1.5",
            "/b      | false",
            "/o      | {\"k\":[1,2]}",
            "/o/k    | [1,2]",
            "/o/k/0  | 1",
            "/a/1/y  | deep",
    })
    void rendersAJsonValueAsTextAndAStructureAsJson(String pointer, String expected) {
        assertThat(json(DOCUMENT, pointer)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is absent")
    @ValueSource(strings = {"/z", "/missing", "/o/k/7", "/s/deeper", "/a/-"})
    void givesNullForJsonNullAndForWhatIsNotThere(String pointer) {
        assertThat(json(DOCUMENT, pointer)).isNull();
    }

    @Test
    void anEmptyBodyIsAMissingDocumentNotAnError() {
        RequestValues values = values("");

        assertThat(values.json(JsonPointer.compile("/a"))).isNull();
        assertThat(values.json(JsonPointer.compile(""))).isNull();
    }

    @Test
    void aJsonNullDocumentHasNoValues() {
        assertThat(json("null", "")).isNull();
        assertThat(json("null", "/a")).isNull();
    }

    @Test
    void aScalarDocumentIsItsOwnRootValue() {
        assertThat(json("42", "")).isEqualTo("42");
        assertThat(json(" \"hi\" ", "")).isEqualTo("hi");
    }

    @Test
    void readsTheBodyForJsonOnlyOnceAndOnlyWhenAsked() {
        FakeHookRequest request = FakeHookRequest.withBody(DOCUMENT);
        RequestValues values = request.values();

        assertThat(request.bodyStreamCalls()).isZero();
        values.prepare(List.of(JsonPointer.compile("/s"), JsonPointer.compile("/n"), ROOT));
        values.json(JsonPointer.compile("/s"));
        values.json(JsonPointer.compile("/n"));

        // One pass for the document; the root, an object, is then read back from the span of the body it covers.
        assertThat(request.bodyStreamCalls()).isEqualTo(2);
        values.json(ROOT);
        assertThat(request.bodyStreamCalls()).isEqualTo(2);
    }

    @Test
    void isTheSameInstanceForEveryLookupOfOneRequest() {
        FakeHookRequest request = FakeHookRequest.withBody("{}");

        assertThat(request.values()).isSameAs(request.values());
    }

    @Test
    void aMalformedJsonBodyIsA400WithTheLineAndColumnOfTheError() {
        RequestValues values = values("{\"a\": 1,\n \"b\": }");

        assertThatThrownBy(() -> values.json(ROOT))
                .isInstanceOfSatisfying(HookException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage())
                            .startsWith("request body is not valid JSON (line 2, column ")
                            .endsWith(")");
                });
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"{", "{\"a\" 1}", "[1, 2", "tru", "{'a': 1}", "not json at all", "\u00ff\u00fe"})
    void refusesBodiesThatAreNotJsonWith400(String body) {
        assertThatThrownBy(() -> values(body).json(ROOT))
                .isInstanceOfSatisfying(HookException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).startsWith("request body is not valid JSON").contains("line", "column");
                });
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"{\"a\": 1} x", "{\"a\": 1}{\"b\": 2}", "1 2", "[] []"})
    void refusesTrailingTokensAfterTheDocument(String body) {
        assertThatThrownBy(() -> values(body).json(ROOT))
                .isInstanceOfSatisfying(HookException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).startsWith("request body is not valid JSON").contains("line 1, column");
                });
    }

    @Test
    void keepsTheReasonShortSoTheAnswerStaysSmall() {
        String longToken = "x".repeat(5000);

        assertThatThrownBy(() -> values("{\"a\": " + longToken + "}").json(ROOT))
                .isInstanceOfSatisfying(HookException.class, e ->
                        assertThat(e.getMessage().length()).isLessThan(250));
    }

    @Test
    void failsAgainOnTheNextLookupAfterAMalformedBody() {
        RequestValues values = values("{");

        assertThatThrownBy(() -> values.json(ROOT)).isInstanceOf(HookException.class);
        assertThatThrownBy(() -> values.json(ROOT)).isInstanceOf(HookException.class);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "/s      | \"text\"",
            "/n      | 12",
            "/f      | 1.5",
            "/b      | false",
            "/o      | {\"k\":[1,2]}",
            "/a/1    | {\"y\":\"deep\"}",
    })
    void givesAValueAsJsonTextForAJsonDocument(String pointer, String expected) {
        assertThat(jsonValue(DOCUMENT, pointer)).isEqualTo(expected);
    }

    @Test
    void keepsANumberAsItWasWritten() {
        assertThat(json("{\"a\": 1.50, \"b\": 1e3, \"c\": -0}", "/a")).isEqualTo("1.50");
        assertThat(json("{\"a\": 1.50, \"b\": 1e3, \"c\": -0}", "/b")).isEqualTo("1e3");
        assertThat(json("{\"a\": 1.50, \"b\": 1e3, \"c\": -0}", "/c")).isEqualTo("-0");
    }

    @Test
    void escapesAStringForJsonAndUnescapesItForText() {
        String body = "{\"s\": \"a\\\"b\\\\c\\n\\u2028\"}";

        assertThat(json(body, "/s")).isEqualTo("a\"b\\c\n\u2028");
        assertThat(jsonValue(body, "/s")).isEqualTo("\"a\\\"b\\\\c\\n\\u2028\"");
    }

    @Test
    void givesObjectsAndArraysAsCompactJsonWithTheirTextIntact() {
        String body = "{\"o\": {\"name\": \"caf\u00e9 \u20ac \ud83d\ude00\", \"n\": [1,\n 2.50]}}";

        assertThat(json(body, "/o")).isEqualTo("{\"name\":\"caf\u00e9 \u20ac \ud83d\ude00\",\"n\":[1,2.50]}");
        assertThat(json(body, "")).isEqualTo("{\"o\":" + json(body, "/o") + "}");
        assertThat(json("  [1, [2, 3]]  ", "/1")).isEqualTo("[2,3]");
    }

    @Test
    void findsEveryPointerAskedForInOnePassIncludingOnesInsideOneAnother() {
        FakeHookRequest request = FakeHookRequest.withBody(DOCUMENT);
        RequestValues values = request.values();
        List<JsonPointer> pointers = List.of(JsonPointer.compile("/o"), JsonPointer.compile("/o/k/1"),
                JsonPointer.compile("/a/1/y"), JsonPointer.compile("/missing"));

        values.prepare(pointers);
        int passes = request.bodyStreamCalls();
        assertThat(values.json(JsonPointer.compile("/o/k/1"))).isEqualTo("2");
        assertThat(values.json(JsonPointer.compile("/a/1/y"))).isEqualTo("deep");
        assertThat(values.json(JsonPointer.compile("/missing"))).isNull();
        assertThat(values.json(JsonPointer.compile("/o"))).isEqualTo("{\"k\":[1,2]}");
        assertThat(request.bodyStreamCalls()).isEqualTo(passes);
    }

    @Test
    void matchesAPointerSegmentThatLooksLikeAnIndexAgainstAMemberName() {
        assertThat(json("{\"0\": \"zero\", \"a/b\": 1, \"m~n\": 2}", "/0")).isEqualTo("zero");
        assertThat(json("{\"0\": \"zero\", \"a/b\": 1, \"m~n\": 2}", "/a~1b")).isEqualTo("1");
        assertThat(json("{\"0\": \"zero\", \"a/b\": 1, \"m~n\": 2}", "/m~0n")).isEqualTo("2");
        assertThat(json("[\"a\", \"b\"]", "/01")).isNull();
    }

    @Test
    void checksTheWholeDocumentWhateverThePointerFinds() {
        // The value is found early; the error comes later and still makes the body invalid.
        assertThatThrownBy(() -> json("{\"a\": 1, \"b\": [1, 2}", "/a"))
                .isInstanceOfSatisfying(HookException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nesting", "number", "name", "duplicate"})
    void refusesADocumentBeyondTheLimitsWith400(String limit) {
        String body = switch (limit) {
            case "nesting" -> "[".repeat(JsonDocuments.MAX_NESTING_DEPTH + 1)
                    + "]".repeat(JsonDocuments.MAX_NESTING_DEPTH + 1);
            case "number" -> "{\"n\": " + "9".repeat(JsonDocuments.MAX_NUMBER_CHARS + 1) + "}";
            case "name" -> "{\"" + "k".repeat(JsonDocuments.MAX_NAME_CHARS + 1) + "\": 1}";
            default -> "{\"a\": 1, \"a\": 2}";
        };

        assertThatThrownBy(() -> json(body, "/a"))
                .isInstanceOfSatisfying(HookException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).startsWith("request body is not valid JSON").hasSizeLessThan(250);
                });
    }

    @Test
    void readsADocumentOfManySmallValuesWithoutHoldingThem() {
        // Half a million tiny values: as a tree, tens of megabytes of heap; read as a stream, only the one kept.
        StringBuilder body = new StringBuilder("{\"x\": \"kept\", \"many\": [");
        for (int i = 0; i < 500_000; i++) {
            body.append(i == 0 ? "" : ",").append("{}");
        }
        body.append("]}");

        assertThat(json(body.toString(), "/x")).isEqualTo("kept");
    }

    @Test
    void refusesJsonThatIsNotUtf8() {
        byte[] utf16 = "{\"a\": \"b\"}".getBytes(StandardCharsets.UTF_16BE);
        RequestValues values = FakeHookRequest.builder().body(utf16).build().values();

        assertThatThrownBy(() -> values.json(JsonPointer.compile("/a")))
                .isInstanceOfSatisfying(HookException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void formReadsTheFirstValueOfAFieldOfAUrlEncodedBody() {
        RequestValues values = values("name=Ada+Lovelace&tag=a&tag=b&empty=&flag");

        assertThat(values.form("name")).isEqualTo("Ada Lovelace");
        assertThat(values.form("tag")).isEqualTo("a");
        assertThat(values.form("empty")).isEmpty();
        assertThat(values.form("flag")).isEmpty();
        assertThat(values.form("absent")).isNull();
    }

    @Test
    void formOfAnEmptyBodyHasNoFields() {
        assertThat(values("").form("a")).isNull();
    }

    @Test
    void queryReadsTheFirstValueOfADecodedParameter() {
        RequestValues values = FakeHookRequest.builder().query("q=a%20b&q=c&e=").build().values();

        assertThat(values.query("q")).isEqualTo("a b");
        assertThat(values.query("e")).isEmpty();
        assertThat(values.query("absent")).isNull();
    }

    @Test
    void headerIsCaseInsensitiveAndTakesTheFirstField() {
        RequestValues values = FakeHookRequest.builder()
                .header("Content-Type", "text/plain")
                .header("X-Multi", "one")
                .header("x-multi", "two")
                .build().values();

        assertThat(values.header("content-type")).isEqualTo("text/plain");
        assertThat(values.header("X-MULTI")).isEqualTo("one");
        assertThat(values.header("Absent")).isNull();
    }

    @Test
    void pathReadsAVariableOfTheHooksPath() {
        RequestValues values = FakeHookRequest.builder().pathVariable("device", "lamp").build().values();

        assertThat(values.path("device")).isEqualTo("lamp");
        assertThat(values.path("other")).isNull();
    }
}
