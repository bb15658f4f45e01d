package io.hookgateway.processors.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.FakeHookRequest;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.UrlEncoded;
import io.hookgateway.processors.OptionParsing;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Templates that write documents escape each request value for the place it lands in, so that no value can change
 * the structure of the document: every hostile value of a class comes out as data, and the document stays what the
 * configuration wrote.
 */
class DocumentTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Values that would break out of a JSON string, a form field or markup if inserted as they are: quotes, escapes,
     * structure, every control character, line separators, lone surrogates, and text that looks escaped already.
     */
    static Stream<String> hostileValues() {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        return Stream.of(
                "on\", \"extra\": true, \"x\": \"",
                "\"}", "\\", "\\\"", "\\u0022", "on\"}, {\"admin\": true",
                controls.toString(), "\u007f\u0085", "\u2028\u2029",
                "\ud800", "\udc00 lone low", "ok \ud83d\ude00",
                "</script><script>alert(1)</script>", "' onmouseover='x' '", "\" onmouseover=\"x",
                "a&b=c", "a=b&c", "%26%3D", "+ +", "#fragment", "",
                "null", "true", "1, 2", "]", "}", "{}", "[]");
    }

    private static HookRequest withQuery(String name, String value) {
        return FakeHookRequest.builder().query(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)).build();
    }

    /** A JSON string of {@code value}, every character outside printable ASCII escaped, lone surrogates included. */
    private static String jsonString(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static JsonNode parse(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Nested
    class Json {

        @ParameterizedTest(name = "{index}")
        @MethodSource("io.hookgateway.processors.template.DocumentTemplateTest#hostileValues")
        void aValueInsideAStringStaysOneStringWhateverItHolds(String value) throws Exception {
            Template template = Template.compileDocument("{\"action\": \"${json:/v}\", \"from\": \"${query.q}\"}",
                    Format.JSON);
            HookRequest request = FakeHookRequest.builder()
                    .body(("{\"v\": " + jsonString(value) + "}").getBytes(StandardCharsets.UTF_8))
                    .query("q=" + URLEncoder.encode(value, StandardCharsets.UTF_8)).build();

            JsonNode document = parse(template.render(request));

            // A lone surrogate, escaped, survives as the same code unit; through a URL it became '?' on the way in.
            assertThat(document.size()).isEqualTo(2);
            assertThat(document.get("action").asText()).isEqualTo(value);
            assertThat(document.get("from").asText()).isEqualTo(new String(
                    value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        }

        @Test
        void theGarageExampleOfTheAttackSendsOneActionAndNothingElse() throws Exception {
            Template template = Template.compileDocument("{\"action\": \"${json:/value1}\"}", null);
            HookRequest request = FakeHookRequest.withBody(
                    "{\"value1\": \"on\\\", \\\"extra\\\": true, \\\"x\\\": \\\"\"}");

            String rendered = template.render(request);

            assertThat(parse(rendered).properties()).singleElement()
                    .satisfies(e -> assertThat(e.getValue().asText()).isEqualTo("on\", \"extra\": true, \"x\": \""));
            assertThat(rendered).isEqualTo("{\"action\": \"on\\\", \\\"extra\\\": true, \\\"x\\\": \\\"\"}");
        }

        @ParameterizedTest(name = "{index}")
        @MethodSource("io.hookgateway.processors.template.DocumentTemplateTest#hostileValues")
        void aValueOutsideQuotesFromTheQueryIsOneJsonString(String value) throws Exception {
            Template template = Template.compileDocument("{\"n\": ${query.q}, \"after\": 1}", Format.JSON);

            JsonNode document = parse(template.render(withQuery("q", value)));

            assertThat(document.size()).isEqualTo(2);
            assertThat(document.get("n").isTextual()).isTrue();
            assertThat(document.get("after").asInt()).isEqualTo(1);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"42", "-1.50e3", "true", "\"text \\\" quoted\"", "{\"a\": [1, {\"b\": null}]}",
                "[1, \"two\", false]"})
        void aJsonValueOutsideQuotesIsInsertedAsTheValueItIs(String value) throws Exception {
            Template template = Template.compileDocument("{\"v\": ${json:/v}, \"after\": 1}", Format.JSON);
            HookRequest request = FakeHookRequest.withBody("{\"v\": " + value + "}");

            JsonNode document = parse(template.render(request));

            assertThat(document.get("v")).isEqualTo(parse(value));
            assertThat(document.get("after").asInt()).isEqualTo(1);
        }

        @Test
        void aMissingValueOutsideQuotesIsItsDefaultAsJsonOrElseNull() throws Exception {
            HookRequest request = FakeHookRequest.withBody("{}");

            assertThat(Template.compileDocument("{\"v\": ${json:/v}}", Format.JSON).render(request))
                    .isEqualTo("{\"v\": null}");
            assertThat(Template.compileDocument("{\"v\": ${json:/v:-0}}", Format.JSON).render(request))
                    .isEqualTo("{\"v\": 0}");
            assertThat(Template.compileDocument("{\"v\": ${json:/v:-[1, 2]}}", Format.JSON).render(request))
                    .isEqualTo("{\"v\": [1, 2]}");
            assertThat(Template.compileDocument("{\"v\": ${json:/v:-off \"now\"}}", Format.JSON).render(request))
                    .isEqualTo("{\"v\": \"off \\\"now\\\"\"}");
            assertThat(Template.compileDocument("{\"v\": ${query.v:-x}}", Format.JSON).render(request))
                    .isEqualTo("{\"v\": \"x\"}");
        }

        @Test
        void aDefaultInsideQuotesIsEscapedLikeAValue() throws Exception {
            Template template = Template.compileDocument("{\"v\": \"${query.v:-say \"hi\"}\"}", Format.JSON);

            assertThat(parse(template.render(FakeHookRequest.builder().build())).get("v").asText())
                    .isEqualTo("say \"hi\"");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"application/json", "application/x-www-form-urlencoded", "text/html"})
        void exactlyTheBodyIsTheBodyAsItCameWhateverTheFormat(String contentType) {
            Template template = Template.compileDocument("${body}", Format.of(contentType));

            assertThat(template.isWholeBody()).isTrue();
            assertThat(template.render(FakeHookRequest.withBody("{\"a\": \"<b>\"}"))).isEqualTo("{\"a\": \"<b>\"}");
        }

        @Test
        void theBodyAsTextIsOneJsonStringAndTheWholeDocumentIsJsonEmpty() throws Exception {
            HookRequest request = FakeHookRequest.withBody("{\"a\": \"b\"}");

            assertThat(parse(Template.compileDocument("{\"text\": ${body}}", Format.JSON).render(request))
                    .get("text").asText()).isEqualTo("{\"a\": \"b\"}");
            assertThat(parse(Template.compileDocument("{\"doc\": ${json:}}", Format.JSON).render(request))
                    .get("doc").get("a").asText()).isEqualTo("b");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "two values side by side       | {\"a\": ${query.a}${query.b}}",
                "a value as a member name      | {${query.k}: 1}",
                "a value after a number        | {\"a\": 1${query.a}}",
                "a value after a closed string | {\"a\": \"x\"${query.a}}",
                "a missing comma               | {\"a\": 1 \"b\": 2}",
                "an unclosed object            | {\"a\": \"${query.a}\"",
                "a raw line break in a string  | {\"a\": \"line\nbreak\"}",
        })
        void refusesATemplateThatIsNotJsonWithEachValueInPlace(String label, String text) {
            assertThatThrownBy(() -> Template.compileDocument(text, Format.JSON))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageStartingWith("is JSON by its content type, but it is not valid JSON: ");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"{\"${query.k}\": 1}", "{\"a\": 1, \"k_${query.k}\": 2}",
                "[{\"x\": [1, {\"${query.k}\": 1}]}]", "{\"a\": {\"b\": \"v\", \"${query.k}_n\": 1}}"})
        void refusesAValueInAMemberName(String text) {
            assertThatThrownBy(() -> Template.compileDocument(text, Format.JSON))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining("${query.k} is part of a member name");
        }

        @Test
        void takesValuesInStringsThatLookLikeNamesAfterAColon() throws Exception {
            Template template = Template.compileDocument(
                    "{\"a\": \"${query.a}\", \"b\": [\"${query.b}\", {\"c\": \"${query.a}\"}], \"d\": \"x:${query.b},y\"}",
                    Format.JSON);

            JsonNode document = parse(template.render(FakeHookRequest.builder().query("a=1&b=2").build()));
            assertThat(document.toString()).isEqualTo("{\"a\":\"1\",\"b\":[\"2\",{\"c\":\"1\"}],\"d\":\"x:2,y\"}");
        }

        @Test
        void refusesAValueRightAfterABackslashInAString() {
            assertThatThrownBy(() -> Template.compileDocument("{\"a\": \"\\${query.a}\"}", Format.JSON))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining("${query.a} follows a backslash");
        }

        @Test
        void aTemplateThatStartsWithABraceIsJsonWithoutADeclaredType() throws Exception {
            Template template = Template.compileDocument("  {\"state\": \"${query.s}\"}", null);

            assertThat(template.format()).isEqualTo(Format.JSON);
            assertThat(parse(template.render(withQuery("s", "\"}"))).get("state").asText()).isEqualTo("\"}");
        }

        @Test
        void refusesATemplateThatStartsWithABraceButIsNotJson() {
            assertThatThrownBy(() -> Template.compileDocument("{\"state\": ${query.s}", null))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageStartingWith("starts with '{', so it is read as JSON, but it is not valid JSON: ");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"[lamp] ${query.s}", "on", "${json:/value1}", "lamp ${path.state}", "\"${query.s}\""})
        void anythingElseWithoutADeclaredTypeIsText(String text) {
            assertThat(Template.compileDocument(text, null).format()).isEqualTo(Format.TEXT);
        }

        @Test
        void aRawValueIsInsertedAsItIsButMayOnlyBeWhatItsPlaceHolds() throws Exception {
            Template template = Template.compileDocument("{\"n\": ${raw:query.n}, \"s\": \"${raw:query.s}\"}",
                    Format.JSON);

            JsonNode document = parse(template.render(FakeHookRequest.builder().query("n=%5B1,2%5D&s=a%5Cnb").build()));
            assertThat(document.get("n").size()).isEqualTo(2);
            assertThat(document.get("s").asText()).isEqualTo("a\nb");
            for (String query : List.of("n=5%7D", "n=1,%22admin%22:true", "s=x%22,%22admin%22:true,%22z%22:%22",
                    "s=a%5C", "n=")) {
                assertThatThrownBy(() -> template.render(FakeHookRequest.builder().query(query).build()))
                        .as(query)
                        .isInstanceOfSatisfying(HookException.class, e -> {
                            assertThat(e.status()).isEqualTo(400);
                            assertThat(e.getMessage()).contains("inserted raw, is not");
                        });
            }
        }

        @Test
        void readsTheBodyOnceForAllTheValuesOfATemplate() throws Exception {
            FakeHookRequest request = FakeHookRequest.withBody("{\"a\": 1, \"b\": {\"c\": 2}, \"d\": \"e\"}");
            Template template = Template.compileDocument(
                    "{\"a\": ${json:/a}, \"c\": \"${json:/b/c}\", \"d\": ${json:/d}, \"x\": ${json:/x}}", Format.JSON);

            assertThat(parse(template.render(request)).toString())
                    .isEqualTo("{\"a\":1,\"c\":\"2\",\"d\":\"e\",\"x\":null}");
            assertThat(request.bodyStreamCalls()).isEqualTo(1);
        }
    }

    @Nested
    class Form {

        @ParameterizedTest(name = "{index}")
        @MethodSource("io.hookgateway.processors.template.DocumentTemplateTest#hostileValues")
        void aValueIsOneFormValueWhateverItHolds(String value) {
            Template template = Template.compileDocument("state=${query.s}&device=lamp", Format.FORM);

            Map<String, List<String>> fields = UrlEncoded.parse(template.render(withQuery("s", value)));

            assertThat(fields).containsOnlyKeys("state", "device");
            assertThat(fields.get("state")).containsExactly(new String(value.getBytes(StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8));
            assertThat(fields.get("device")).containsExactly("lamp");
        }
    }

    @Nested
    class Markup {

        @ParameterizedTest(name = "{index}")
        @MethodSource("io.hookgateway.processors.template.DocumentTemplateTest#hostileValues")
        void aValueIsTextInAnElementAndInAQuotedAttribute(String value) {
            Template template = Template.compileDocument("<p title=\"${query.s}\" lang='${query.s}'>${query.s}</p>",
                    Format.MARKUP);

            String rendered = template.render(withQuery("s", value));
            String inside = rendered.substring("<p ".length(), rendered.length() - "</p>".length());

            assertThat(inside).matches("title=\"[^\"]*\" lang='[^']*'>[^<>]*");
            assertThat(rendered.chars().filter(c -> c < 0x20 && c != '\t' && c != '\n' && c != '\r')).isEmpty();
        }
    }

    @Nested
    class MarkupPlaces {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
            "<script>var a = \"${query.a}\";</script>",
            "<SCRIPT type=module>${query.a}</SCRIPT>",
            "<style>p { color: ${query.a} }</style>",
            "<a href=\"${query.a}\">x</a>",
            "<a href='${query.a}/path'>x</a>",
            "<img src=\"${query.a}\">",
            "<form action=\"${query.a}\">",
            "<svg><a xlink:href=\"${query.a}\"/></svg>",
            "<a href=${query.a}>x</a>",
            "<a title=x${query.a}>x</a>",
            "<div onclick=\"go('${query.a}')\">x</div>",
            "<div ONMOUSEOVER='${query.a}'>x</div>",
            "<div style=\"color: ${query.a}\">x</div>",
            "<div ${query.a}>x</div>",
            "<${query.a}>x</p>",
            "<div data-x=\"1\" ${query.a}=\"2\">",
        })
        void refusesAValueWhereMarkupEscapingWouldNotKeepItText(String text) {
            assertThatThrownBy(() -> Template.compileDocument(text, Format.MARKUP))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageStartingWith("the request value ${query.a} ");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
            "<p>${query.a}</p>",
            "<p title=\"${query.a}\" lang='${query.a}'>x</p>",
            "<a href=\"https://example.com/?q=${query.a}\">x</a>",
            "<a href=\"/search?q=${query.a}#${query.a}\">x</a>",
            "<script>var fixed = 1;</script><p>${query.a}</p>",
            "<!-- ${query.a} --><p>a < b: ${query.a}</p>",
            "<textarea>${query.a}</textarea>",
            "<?xml version=\"1.0\"?><event><name>${query.a}</name></event>",
        })
        void takesAValueWhereMarkupEscapingKeepsItText(String text) {
            Template template = Template.compileDocument(text, Format.MARKUP);

            String rendered = template.render(withQuery("a", "\"'><script>alert(1)</script>"));
            assertThat(rendered).doesNotContain("<script>alert").doesNotContain("\"'>");
        }
    }

    @Nested
    class Formats {

        @ParameterizedTest(name = "{0} is {1}")
        @CsvSource(delimiter = '|', value = {
                "application/json                   | JSON",
                "Application/JSON; charset=utf-8    | JSON",
                "application/vnd.api+json           | JSON",
                "application/x-www-form-urlencoded  | FORM",
                "text/html; charset=utf-8           | MARKUP",
                "application/xml                    | MARKUP",
                "application/atom+xml               | MARKUP",
                "text/plain                         | TEXT",
                "application/octet-stream           | TEXT",
        })
        void aDeclaredContentTypeChoosesTheFormat(String contentType, Format format) {
            assertThat(Format.of(contentType)).isEqualTo(format);
        }

        @Test
        void noDeclaredContentTypeLeavesTheChoiceToTheTemplate() {
            assertThat(Format.of(null)).isNull();
            assertThat(Format.of(" ")).isNull();
        }

        @Test
        void plainTextInsertsValuesAsTheyAre() {
            Template template = Template.compileDocument("state: ${query.s}", Format.TEXT);

            assertThat(template.render(withQuery("s", "\"<&>\""))).isEqualTo("state: \"<&>\"");
        }
    }

    @Nested
    class Problems {

        private final OptionParsing parsing = new OptionParsing();

        @Test
        void reportsEveryProblemOfATemplateAtOnce() {
            ConfigNode node = parsing.node(OptionParsing.PROCESSOR,
                    "{\"body\": \"${oops} then ${json:no-slash} then ${\"}");

            assertThat(Template.read(node, "body", null, OptionParsing.hook("h", Path.of("")))).isNull();

            assertThat(parsing.problems()).extracting(p -> p.message()).satisfiesExactly(
                    m -> assertThat(m).contains("'${oops}' refers to an unknown value"),
                    m -> assertThat(m).contains("'${json:no-slash}' has an invalid JSON Pointer"),
                    m -> assertThat(m).contains("'${' at position 35 has no closing '}'"));
        }

        @Test
        void reportsAJsonDocumentThatIsNotJsonAtItsKey() {
            ConfigNode node = parsing.node(OptionParsing.PROCESSOR, "{\"body\": \"{\\\"a\\\": ${query.a}${query.b}}\"}");

            assertThat(Template.readDocument(node, "body", null, OptionParsing.hook("h", Path.of("")),
                    "application/json")).isNull();

            assertThat(parsing.problems()).singleElement().satisfies(p -> {
                assertThat(p.keyPath()).isEqualTo("hooks[0].processor.body");
                assertThat(p.message()).startsWith("is JSON by its content type, but it is not valid JSON");
            });
        }
    }
}
