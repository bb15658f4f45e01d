package io.hookgateway.processors.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.FakeHookRequest;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.processors.OptionParsing;
import io.hookgateway.processors.ProcessorContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one template syntax of every processor: each kind of reference, defaults, literals, and compile-time checks. */
class TemplateTest {

    private static String render(String template, HookRequest request) {
        return Template.compile(template).render(request);
    }

    private static String renderJson(String template, String body) {
        return render(template, FakeHookRequest.withBody(body));
    }

    @Nested
    class References {

        @Test
        void bodyIsTheWholeBodyAsText() {
            assertThat(renderJson("got: ${body}", "h\u00e9llo\nworld")).isEqualTo("got: h\u00e9llo\nworld");
        }

        @Test
        void jsonReadsAPointerIntoAJsonBody() {
            String body = "{\"value1\": \"on\", \"device\": {\"name\": \"lamp\", \"tags\": [\"a\", \"b\"]}, \"n\": 4.5, "
                    + "\"ok\": true, \"a/b\": \"slash\", \"m~n\": \"tilde\"}";

            assertThat(renderJson("${json:/value1}|${json:/device/name}|${json:/device/tags/1}|${json:/n}|${json:/ok}",
                    body)).isEqualTo("on|lamp|b|4.5|true");
            assertThat(renderJson("${json:/a~1b} ${json:/m~0n}", body)).isEqualTo("slash tilde");
        }

        @Test
        void jsonPointerToAnObjectOrListRendersItAsJsonText() {
            String body = "{\"device\": {\"name\": \"lamp\", \"on\": true}, \"list\": [1, \"two\", null]}";

            assertThat(renderJson("${json:/device}", body)).isEqualTo("{\"name\":\"lamp\",\"on\":true}");
            assertThat(renderJson("${json:/list}", body)).isEqualTo("[1,\"two\",null]");
        }

        @Test
        void anEmptyJsonPointerIsTheWholeDocument() {
            assertThat(renderJson("${json:}", "  {\"a\" : 1}  ")).isEqualTo("{\"a\":1}");
            assertThat(renderJson("${json:}", "\"just text\"")).isEqualTo("just text");
        }

        @Test
        void jsonStringsAreUnescaped() {
            assertThat(renderJson("${json:/s}", "{\"s\": \"line\\nnext \\u00e9 \\\"q\\\"\"}"))
                    .isEqualTo("line\nnext \u00e9 \"q\"");
        }

        @Test
        void formReadsAFieldOfAFormBody() {
            assertThat(renderJson("${form.name} / ${form.city}", "name=Ada+Lovelace&city=London%2C+UK"))
                    .isEqualTo("Ada Lovelace / London, UK");
        }

        @Test
        void formTakesTheFirstOfRepeatedFields() {
            assertThat(renderJson("${form.tag}", "tag=first&tag=second")).isEqualTo("first");
        }

        @Test
        void queryReadsAQueryParameter() {
            FakeHookRequest request = FakeHookRequest.builder().query("q=hello+world&n=1&n=2").build();

            assertThat(render("${query.q} ${query.n}", request)).isEqualTo("hello world 1");
        }

        @Test
        void headerReadsARequestHeaderInAnyCase() {
            FakeHookRequest request = FakeHookRequest.builder()
                    .header("x-token", "secret")
                    .header("X-Token", "second")
                    .build();

            assertThat(render("${header.X-TOKEN} ${header.x-token} ${header.X-Token}", request))
                    .isEqualTo("secret secret secret");
        }

        @Test
        void pathReadsAVariableOfTheHooksPath() {
            FakeHookRequest request = FakeHookRequest.builder()
                    .pathVariable("device", "lamp")
                    .pathVariable("state", "on")
                    .build();

            assertThat(render("${path.device} is ${path.state}", request)).isEqualTo("lamp is on");
        }

        @Test
        void requestReferencesDescribeTheRequest() {
            FakeHookRequest request = FakeHookRequest.builder()
                    .requestId("abc-42")
                    .method("PUT")
                    .path("/hooks/lamp")
                    .query("ignored=1")
                    .build();

            assertThat(render("${request.id} ${request.method} ${request.path}", request))
                    .isEqualTo("abc-42 PUT /hooks/lamp");
        }

        @Test
        void clientAddressIsTheIpAddressWithoutThePort() throws Exception {
            FakeHookRequest v4 = FakeHookRequest.builder()
                    .remoteAddress(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 54321)).build();
            FakeHookRequest v6 = FakeHookRequest.builder()
                    .remoteAddress(new InetSocketAddress(InetAddress.getByName("::1"), 54321)).build();
            FakeHookRequest unresolved = FakeHookRequest.builder()
                    .remoteAddress(InetSocketAddress.createUnresolved("client.example", 1)).build();

            assertThat(render("${client.address}", v4)).isEqualTo("192.0.2.7");
            assertThat(render("${client.address}", v6)).isEqualTo("0:0:0:0:0:0:0:1");
            assertThat(render("${client.address}", unresolved)).isEqualTo("client.example");
        }

        @Test
        void hookNameIsTheConfiguredName() {
            assertThat(render("from ${hook.name}", FakeHookRequest.builder().hookName("lights-on").build()))
                    .isEqualTo("from lights-on");
        }

        @Test
        void rendersEveryReferenceOfOneTemplateInOrder() {
            FakeHookRequest request = FakeHookRequest.builder()
                    .hookName("h").method("POST").path("/x").query("q=1").header("H", "v")
                    .pathVariable("p", "pv").body("{\"a\": \"j\"}").build();

            assertThat(render("[${hook.name}][${request.method}][${request.path}][${query.q}][${header.h}]"
                    + "[${path.p}][${json:/a}][${body}]", request))
                    .isEqualTo("[h][POST][/x][1][v][pv][j][{\"a\": \"j\"}]");
        }
    }

    @Nested
    class MissingValuesAndDefaults {

        @ParameterizedTest(name = "{0} renders empty")
        @ValueSource(strings = {"${body}", "${json:/absent}", "${json:/a/b/c}", "${form.absent}", "${query.absent}",
                "${header.Absent}", "${path.absent}", "${client.address}"})
        void aMissingValueWithoutDefaultIsEmpty(String reference) {
            FakeHookRequest request = FakeHookRequest.builder().build();

            assertThat(render("<" + reference + ">", request)).isEqualTo("<>");
        }

        @ParameterizedTest(name = "{0} takes its default")
        @ValueSource(strings = {"body", "json:/absent", "form.absent", "query.absent", "header.Absent", "path.absent",
                "client.address"})
        void aMissingValueTakesItsDefault(String reference) {
            FakeHookRequest request = FakeHookRequest.builder().build();

            assertThat(render("<${" + reference + ":-fallback value}>", request)).isEqualTo("<fallback value>");
        }

        @Test
        void aPresentValueIgnoresItsDefault() {
            FakeHookRequest request = FakeHookRequest.builder().query("q=given").body("{\"a\": 0}").build();

            assertThat(render("${query.q:-d} ${json:/a:-d} ${body:-d}", request)).isEqualTo("given 0 {\"a\": 0}");
        }

        @Test
        void aPresentButEmptyValueIsKeptRatherThanDefaulted() {
            FakeHookRequest request = FakeHookRequest.builder().query("q=").body("{\"s\": \"\"}").build();

            assertThat(render("<${query.q:-d}><${json:/s:-d}>", request)).isEqualTo("<><>");
        }

        @Test
        void jsonNullTakesTheDefault() {
            assertThat(renderJson("${json:/v:-none}|${json:/v}|", "{\"v\": null}")).isEqualTo("none||");
        }

        @Test
        void aJsonPointerIntoAnEmptyBodyTakesTheDefault() {
            assertThat(renderJson("${json:/value1:-unset}", "")).isEqualTo("unset");
        }

        @Test
        void aDefaultMayBeEmptyAndMayHoldSpacesAndColons() {
            FakeHookRequest request = FakeHookRequest.builder().build();

            assertThat(render("<${query.a:-}><${query.b:- a:b - c }>", request)).isEqualTo("<>< a:b - c >");
        }
    }

    @Nested
    class BodyErrors {

        @Test
        void aMalformedJsonBodyFailsWith400AndThePositionOfTheError() {
            Template template = Template.compile("${json:/a}");
            FakeHookRequest request = FakeHookRequest.withBody("{\n  \"a\": tru\n}");

            assertThatThrownBy(() -> template.render(request))
                    .isInstanceOfSatisfying(HookException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).startsWith("request body is not valid JSON")
                                .contains("line 2", "column");
                    });
        }

        @Test
        void trailingTextAfterTheJsonDocumentIsRefused() {
            Template template = Template.compile("${json:/a}");

            assertThatThrownBy(() -> template.render(FakeHookRequest.withBody("{\"a\": 1} trailing")))
                    .isInstanceOfSatisfying(HookException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).contains("not valid JSON", "line", "column");
                    });
        }

        @Test
        void aTemplateThatDoesNotReadJsonDoesNotCareWhetherTheBodyIsJson() {
            assertThat(renderJson("${body} ${form.a}", "a=1 {not json")).isEqualTo("a=1 {not json 1 {not json");
        }
    }

    @Nested
    class Compiling {

        @ParameterizedTest(name = "''{0}''")
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "${              | '${' at position 0 has no closing '}'; write $${ for a literal ${",
                "abc ${body      | '${' at position 4 has no closing '}'; write $${ for a literal ${",
                "ok ${body} ${x  | '${' at position 11 has no closing '}'",
        })
        void refusesAnUnterminatedReferenceAndSaysHowToWriteALiteral(String text, String message) {
            assertThatThrownBy(() -> Template.compile(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(message);
        }

        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"${}", "${foo}", "${Body}", "${ body }", "${form.}", "${.name}", "${cookie.x}",
                "${request}", "${request.host}", "${client.port}", "${hook.id}", "${MyVar}"})
        void refusesAnUnknownReferenceAndListsTheKnownOnes(String text) {
            assertThatThrownBy(() -> Template.compile(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("'" + text + "' refers to an unknown value; use body, json:/pointer, "
                            + "form.NAME, query.NAME, header.NAME, path.NAME, request.id, request.method, "
                            + "request.path, client.ip, client.address or hook.name");
        }

        @Test
        void remindsThatOnlyUpperCaseNamesAreEnvironmentVariables() {
            assertThatThrownBy(() -> Template.compile("${MyVar}"))
                    .hasMessageEndingWith("(environment variables are replaced only when written in upper case, "
                            + "as ${HOME})");
        }

        @Test
        void refusesAJsonPointerThatDoesNotStartWithASlash() {
            assertThatThrownBy(() -> Template.compile("${json:value1}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'${json:value1}' has an invalid JSON Pointer 'value1'; it must be empty or start "
                            + "with '/', as in ${json:/value1}");
        }

        @Test
        void doubleDollarBraceWritesALiteralDollarBrace() {
            Template template = Template.compile("cost: $${price} for ${query.n}$${");

            assertThat(template.render(FakeHookRequest.builder().query("n=2").build()))
                    .isEqualTo("cost: ${price} for 2${");
        }

        @Test
        void aDollarNotFollowedByABraceIsPlainText() {
            assertThat(Template.compile("$5 $ $$ a$b").constantValue()).isEqualTo("$5 $ $$ a$b");
        }

        @Test
        void aTemplateWithoutReferencesIsConstant() {
            Template template = Template.compile("SUCCESS");

            assertThat(template.isConstant()).isTrue();
            assertThat(template.constantValue()).isEqualTo("SUCCESS");
            assertThat(template.render(null)).isEqualTo("SUCCESS");
        }

        @Test
        void anEmptyTemplateIsConstantAndEmpty() {
            Template template = Template.compile("");

            assertThat(template.isConstant()).isTrue();
            assertThat(template.constantValue()).isEmpty();
            assertThat(template.render(null)).isEmpty();
        }

        @Test
        void anEscapedReferenceIsStillConstant() {
            Template template = Template.compile("a $${body} b");

            assertThat(template.isConstant()).isTrue();
            assertThat(template.constantValue()).isEqualTo("a ${body} b");
        }

        @Test
        void aTemplateWithAReferenceIsNotConstant() {
            Template template = Template.compile("x ${hook.name}");

            assertThat(template.isConstant()).isFalse();
            assertThat(template.constantValue()).isNull();
        }

        @Test
        void keepsItsSourceText() {
            Template template = Template.compile("a $${b} ${body:-c}");

            assertThat(template.source()).isEqualTo("a $${b} ${body:-c}");
            assertThat(template).hasToString("a $${b} ${body:-c}");
        }

        @Test
        void listsThePathVariablesItReadsOnceEachInOrder() {
            Template template = Template.compile("${path.b} ${path.a} ${path.b:-x} ${query.c}");

            assertThat(template.pathVariables()).containsExactly("b", "a");
        }

        @Test
        void saysWhichSourcesItReads() {
            Template template = Template.compile("${json:/a} ${header.X}");

            assertThat(template.reads(Template.Source.JSON)).isTrue();
            assertThat(template.reads(Template.Source.HEADER)).isTrue();
            assertThat(template.reads(Template.Source.BODY)).isFalse();
            assertThat(template.reads(Template.Source.FORM)).isFalse();
        }
    }

    @Nested
    class ReadingFromConfiguration {

        private final OptionParsing parsing = new OptionParsing();

        private ConfigNode node(String json) {
            return parsing.node(OptionParsing.PROCESSOR, json);
        }

        /** A hook whose path has {@code pathVariables}. */
        private ProcessorContext.Static hook(String... pathVariables) {
            return OptionParsing.hook("h", Path.of(""), pathVariables);
        }

        @Test
        void compilesAValidTemplateWithoutProblems() throws Exception {
            Template template = Template.read(node("{\"body\": \"${path.id}\"}"), "body", null, hook("id"));

            assertThat(template.source()).isEqualTo("${path.id}");
            assertThat(parsing.problems().isEmpty()).isTrue();
        }

        @Test
        void usesTheDefaultTextWhenTheKeyIsAbsentAndNullWithoutOne() throws Exception {
            assertThat(Template.read(node("{}"), "body", "dflt", hook()).source()).isEqualTo("dflt");
            assertThat(Template.read(node("{}"), "body", null, hook())).isNull();
            assertThat(parsing.problems().isEmpty()).isTrue();
        }

        @Test
        void reportsAMalformedTemplateAtItsKey() throws Exception {
            assertThat(Template.read(node("{\"body\": \"${oops}\"}"), "body", null, hook())).isNull();

            assertThat(parsing.problems()).singleElement().satisfies(p -> {
                assertThat(p.keyPath()).isEqualTo("hooks[0].processor.body");
                assertThat(p.message()).contains("'${oops}' refers to an unknown value");
            });
        }

        @Test
        void reportsAPathVariableTheHooksPathDoesNotHaveAndNamesTheOnesItHas() throws Exception {
            assertThat(Template.read(node("{\"body\": \"${path.dev}\"}"), "body", null, hook("device"))).isNull();

            assertThat(parsing.problems()).singleElement().satisfies(p -> {
                assertThat(p.keyPath()).isEqualTo("hooks[0].processor.body");
                assertThat(p.message()).isEqualTo("${path.dev} is not a variable of this hook's path; it has device");
            });
        }
    }
}
