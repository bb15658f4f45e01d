package io.hookgateway.hooks.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonPointer;
import io.hookgateway.hooks.FakeHookRequest;
import io.hookgateway.hooks.HookException;
import java.nio.charset.StandardCharsets;
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

    private static String json(String body, String pointer) {
        return values(body).json(JsonPointer.compile(pointer));
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

        assertThat(values.json().isMissingNode()).isTrue();
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
        values.json(JsonPointer.compile("/s"));
        values.json(JsonPointer.compile("/n"));
        values.json();

        assertThat(request.bodyStreamCalls()).isEqualTo(1);
    }

    @Test
    void isTheSameInstanceForEveryLookupOfOneRequest() {
        FakeHookRequest request = FakeHookRequest.withBody("{}");

        assertThat(request.values()).isSameAs(request.values());
    }

    @Test
    void aMalformedJsonBodyIsA400WithTheLineAndColumnOfTheError() {
        RequestValues values = values("{\"a\": 1,\n \"b\": }");

        assertThatThrownBy(values::json)
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
        assertThatThrownBy(() -> values(body).json())
                .isInstanceOfSatisfying(HookException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).startsWith("request body is not valid JSON").contains("line", "column");
                });
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"{\"a\": 1} x", "{\"a\": 1}{\"b\": 2}", "1 2", "[] []"})
    void refusesTrailingTokensAfterTheDocument(String body) {
        assertThatThrownBy(() -> values(body).json())
                .isInstanceOfSatisfying(HookException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).startsWith("request body is not valid JSON").contains("line 1, column");
                });
    }

    @Test
    void keepsTheReasonShortSoTheAnswerStaysSmall() {
        String longToken = "x".repeat(5000);

        assertThatThrownBy(() -> values("{\"a\": " + longToken + "}").json())
                .isInstanceOfSatisfying(HookException.class, e ->
                        assertThat(e.getMessage().length()).isLessThan(250));
    }

    @Test
    void failsAgainOnTheNextLookupAfterAMalformedBody() {
        RequestValues values = values("{");

        assertThatThrownBy(values::json).isInstanceOf(HookException.class);
        assertThatThrownBy(values::json).isInstanceOf(HookException.class);
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
