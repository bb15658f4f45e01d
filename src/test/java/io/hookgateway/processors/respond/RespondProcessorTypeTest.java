package io.hookgateway.processors.respond;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.hookgateway.config.ConfigProblems;
import io.hookgateway.hooks.FakeHookRequest;
import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.HookResponse;
import io.hookgateway.processors.OptionParsing;
import io.hookgateway.processors.ProcessorContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code respond}: its options are read and checked like the rest of the configuration, a constant answer is built once,
 * and request text rendered into a header can never split the answer.
 */
class RespondProcessorTypeTest {

    private static final String KEY_PATH = OptionParsing.PROCESSOR;

    /** What option parsing is told about the hook: a path with the variable {@code device}. */
    private static final ProcessorContext.Static HOOK = OptionParsing.hook("lamp", Path.of(""), "device");

    private final RespondProcessorType type = new RespondProcessorType();
    private final OptionParsing parsing = new OptionParsing();

    /** Parses the options written in YAML, as they would be under {@code processor:} with its {@code type} read. */
    private RespondProcessorType.Options options(String yaml) {
        return parsing.parse(type, yaml, HOOK);
    }

    private HookProcessor processor(String yaml) {
        RespondProcessorType.Options options = options(yaml);
        assertThat(parsing.problems()).as("problems").isEmpty();
        return type.create(options, null);
    }

    private static HookResponse answer(HookProcessor processor, HookRequest request) throws Exception {
        CompletionStage<HookResponse> stage = processor.process(request);
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static String bodyOf(HookResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void isNamedRespond() {
        assertThat(type.name()).isEqualTo("respond");
    }

    @Test
    void answers200WithAnEmptyBodyAndNoHeadersByDefault() throws Exception {
        HookResponse response = answer(processor("type: respond"), FakeHookRequest.withBody("x"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().isEmpty()).isTrue();
        assertThat(response.body()).isEmpty();
    }

    @Test
    void readsStatusContentTypeHeadersAndBody() throws Exception {
        RespondProcessorType.Options options = options("""
                type: respond
                status: 418
                content-type: text/plain; charset=utf-8
                headers:
                  X-One: "1"
                  X-Two: two
                body: teapot
                """);

        assertThat(parsing.problems()).isEmpty();
        assertThat(options.status()).isEqualTo(418);
        assertThat(options.headers()).containsOnlyKeys("Content-Type", "X-One", "X-Two");
        assertThat(options.headers().keySet()).containsExactly("Content-Type", "X-One", "X-Two");
        assertThat(options.body().source()).isEqualTo("teapot");
    }

    @Test
    void theSeedsConstantAnswerIsBuiltOnceAndReturnedEveryTime() throws Exception {
        HookProcessor processor = processor("""
                type: respond
                status: 200
                body: SUCCESS
                """);

        CompletionStage<HookResponse> first = processor.process(FakeHookRequest.withBody("{\"value1\":\"x\"}"));
        CompletionStage<HookResponse> second = processor.process(FakeHookRequest.withBody("other"));

        assertThat(second).isSameAs(first);
        HookResponse response = first.toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(response.status()).isEqualTo(200);
        assertThat(bodyOf(response)).isEqualTo("SUCCESS");
        assertThat(response.headers().isEmpty()).isTrue();
    }

    @Test
    void aConstantAnswerIsTheSameResponseInstanceEachCall() throws Exception {
        HookProcessor processor = processor("""
                type: respond
                content-type: text/plain
                headers: {X-Constant: fixed}
                body: OK
                """);

        HookResponse first = answer(processor, FakeHookRequest.withBody(""));
        HookResponse second = answer(processor, FakeHookRequest.withBody("different"));

        assertThat(second).isSameAs(first);
        assertThat(first.headers()).isEqualTo(HeaderFields.of("Content-Type", "text/plain", "X-Constant", "fixed"));
    }

    @Test
    void aConstantAnswerNeverReadsTheRequest() throws Exception {
        HookProcessor processor = processor("type: respond\nbody: SUCCESS");

        assertThat(bodyOf(answer(processor, null))).isEqualTo("SUCCESS");
    }

    @Test
    void rendersATemplatedBodyForEachRequest() throws Exception {
        HookProcessor processor = processor("""
                type: respond
                body: "${path.device} -> ${json:/value1:-none}"
                """);

        HookResponse on = answer(processor, FakeHookRequest.builder().pathVariable("device", "lamp")
                .body("{\"value1\": \"on\"}").build());
        HookResponse none = answer(processor, FakeHookRequest.builder().pathVariable("device", "fan").build());

        assertThat(bodyOf(on)).isEqualTo("lamp -> on");
        assertThat(bodyOf(none)).isEqualTo("fan -> none");
        assertThat(on).isNotSameAs(none);
    }

    @Test
    void encodesTheBodyAsUtf8() throws Exception {
        HookProcessor processor = processor("type: respond\nbody: \"caf\u00e9 ${query.x}\"");

        HookResponse response = answer(processor, FakeHookRequest.builder().query("x=%E2%82%AC").build());

        assertThat(response.body()).isEqualTo("caf\u00e9 \u20ac".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rendersTemplatedHeadersAndContentType() throws Exception {
        HookProcessor processor = processor("""
                type: respond
                content-type: "${header.Accept:-text/plain}"
                headers:
                  X-Hook: "${hook.name}"
                  X-Device: "${path.device}"
                """);

        HookResponse response = answer(processor, FakeHookRequest.builder().hookName("lamp")
                .pathVariable("device", "kitchen").header("accept", "application/json").build());

        assertThat(response.headers()).isEqualTo(HeaderFields.of(
                "Content-Type", "application/json", "X-Hook", "lamp", "X-Device", "kitchen"));
    }

    @Test
    void sanitizesCrAndLfFromAJsonBodyInAHeaderValue() throws Exception {
        HookProcessor processor = processor("""
                type: respond
                headers: {X-Echo: "${json:/v}"}
                """);

        HookResponse response = answer(processor, FakeHookRequest.withBody(
                "{\"v\": \"ok\\r\\nSet-Cookie: evil=1\\r\\n\\r\\n<html>\"}"));

        String value = response.headers().get("X-Echo");
        assertThat(value).doesNotContain("\r", "\n").isEqualTo("ok  Set-Cookie: evil=1    <html>");
        assertThat(response.headers().size()).isEqualTo(1);
        assertThat(response.headers().contains("Set-Cookie")).isFalse();
    }

    @Test
    void sanitizesCrAndLfFromARequestHeaderEchoedInAHeaderValue() throws Exception {
        HookProcessor processor = processor("""
                type: respond
                headers: {X-Echo: "[${query.v}]"}
                """);

        HookResponse response = answer(processor, FakeHookRequest.builder().query("v=a%0D%0Ab%00c%7Fd").build());

        assertThat(response.headers().get("X-Echo")).isEqualTo("[a  b c d]");
    }

    @Test
    void replacesCharactersBeyondLatin1InAHeaderValueAndTrimsIt() throws Exception {
        HookProcessor processor = processor("""
                type: respond
                headers: {X-Echo: "${json:/v}"}
                """);

        HookResponse response = answer(processor, FakeHookRequest.withBody(
                "{\"v\": \"  caf\\u00e9 \\u20ac\\tok\\n\"}"));

        assertThat(response.headers().get("X-Echo")).isEqualTo("caf\u00e9 ?\tok");
    }

    @Test
    void aMalformedJsonBodyFailsTheRequestWith400() throws Exception {
        HookProcessor processor = processor("type: respond\nbody: \"${json:/a}\"");

        // Thrown at once or as the stage's failure: the router answers both the same way.
        Throwable failure = catchThrowable(() -> answer(processor, FakeHookRequest.withBody("{oops")));
        if (failure instanceof ExecutionException wrapped) {
            failure = wrapped.getCause();
        }

        assertThat(failure).isInstanceOfSatisfying(HookException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"Content-Length", "content-length", "Connection", "CONNECTION", "Transfer-Encoding"})
    void refusesFramingHeadersTheGatewaySetsItself(String name) throws Exception {
        options("type: respond\nheaders: {" + name + ": x}");

        assertThat(parsing.problemAt("headers." + name)).isEqualTo("is set by the gateway itself; remove it");
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(strings = {"X Space", "X:Colon", "X(paren)", "X\u00e9", "X/slash", "X@at"})
    void refusesHeaderNamesThatAreNotTokens(String name) throws Exception {
        options("type: respond\nheaders: {'" + name + "': x}");

        assertThat(parsing.problemAt("headers." + name))
                .isEqualTo("is not a valid header name; use letters, digits and - only");
    }

    @ParameterizedTest(name = "status {0} is refused")
    @ValueSource(ints = {0, 100, 199, 600, 999})
    void refusesAStatusOutOfRange(int status) throws Exception {
        options("type: respond\nstatus: " + status);

        assertThat(parsing.problemAt("status")).isEqualTo("must be from 200 to 599, not " + status);
    }

    @ParameterizedTest(name = "status {0} is accepted")
    @ValueSource(ints = {200, 201, 204, 302, 404, 599})
    void acceptsAStatusFrom200To599(int status) throws Exception {
        assertThat(answer(processor("type: respond\nstatus: " + status), FakeHookRequest.withBody("")).status())
                .isEqualTo(status);
    }

    @Test
    void refusesAStatusThatIsNotANumber() throws Exception {
        options("type: respond\nstatus: OK");

        assertThat(parsing.problemAt("status")).isEqualTo("must be a whole number from 200 to 599, not 'OK'");
    }

    @Test
    void refusesAnUnknownOptionWithASuggestion() throws Exception {
        options("type: respond\nheader: {X-A: b}");

        assertThat(parsing.problemAt("header")).startsWith("unknown key; did you mean 'headers'?")
                .contains("Keys allowed here: type, status, content-type, headers, body");
    }

    @Test
    void refusesATemplateProblemInAHeaderValueAtItsKey() throws Exception {
        options("type: respond\nheaders: {X-A: \"${path.room}\"}");

        assertThat(parsing.problemAt("headers.X-A"))
                .isEqualTo("${path.room} is not a variable of this hook's path; it has device");
    }

    @Test
    void refusesATemplateProblemInTheContentType() throws Exception {
        options("type: respond\ncontent-type: \"text/${nope}\"");

        assertThat(parsing.problemAt("content-type")).contains("'${nope}' refers to an unknown value");
    }

    @Test
    void reportsEveryBadOptionAtOnce() throws Exception {
        options("""
                type: respond
                status: 700
                headers: {Content-Length: "5", "Bad Name": x, X-Ok: fine}
                body: "${body"
                """);

        assertThat(parsing.problems()).extracting(ConfigProblems.Problem::keyPath).containsExactly(
                KEY_PATH + ".status", KEY_PATH + ".headers.Content-Length", KEY_PATH + ".headers.Bad Name",
                KEY_PATH + ".body");
    }

    @Test
    void optionsCannotBeChangedAfterParsing() throws Exception {
        RespondProcessorType.Options options = options("type: respond\nheaders: {X-A: b}");

        assertThatThrownBy(() -> options.headers().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void doesNotBlock() throws Exception {
        assertThat(processor("type: respond").blocking()).isFalse();
    }

    @ParameterizedTest(name = "{0}: reads the body {1}")
    @CsvSource(delimiter = '|', value = {
            "body: SUCCESS                                        | false",
            "body: 'hello ${query.name} ${path.device} ${header.A}' | false",
            "'headers: {X-V: \"${json:/v}\"}'                     | true",
            "body: '${body}'                                      | true",
            "body: '{\"v\": \"${json:/v}\"}'                        | true",
            "body: '${form.f}'                                    | true",
    })
    void saysWhetherItReadsTheBodySoALargeOneIsLeftWhereItIs(String yaml, boolean readsBody) {
        assertThat(processor(yaml).readsBody()).isEqualTo(readsBody);
    }
}
