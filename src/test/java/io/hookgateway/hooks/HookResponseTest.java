package io.hookgateway.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A processor's answer: a status of 200..599, token header names, and field values no request text can split. */
class HookResponseTest {

    @Test
    void keepsStatusHeadersAndBody() {
        HeaderFields headers = HeaderFields.of("X-A", "1");
        byte[] body = {1, 2, 3};

        HookResponse response = HookResponse.of(201, headers, body);

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.headers()).isSameAs(headers);
        assertThat(response.body()).isSameAs(body);
        assertThat(response).hasToString("HookResponse[201, {X-A: 1}, 3 bytes]");
    }

    @Test
    void encodesATextBodyAsUtf8() {
        HookResponse response = HookResponse.of(200, HeaderFields.empty(), "\u20ac");

        assertThat(response.body()).isEqualTo("\u20ac".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTextAnswerIsPlainUtf8Text() {
        HookResponse response = HookResponse.text(404, "no such hook");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.headers()).isEqualTo(HeaderFields.of("Content-Type", "text/plain; charset=utf-8"));
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("no such hook");
    }

    @Test
    void anEmptyAnswerHasNoHeadersAndNoBody() {
        HookResponse response = HookResponse.empty(204);

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.headers().isEmpty()).isTrue();
        assertThat(response.body()).isEmpty();
    }

    @ParameterizedTest(name = "status {0} is refused")
    @ValueSource(ints = {-1, 0, 100, 101, 199, 600, 1000})
    void refusesAStatusOutside200To599(int status) {
        assertThatThrownBy(() -> HookResponse.empty(status))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("status must be 200..599: " + status);
    }

    @ParameterizedTest(name = "status {0} is accepted")
    @ValueSource(ints = {200, 299, 300, 404, 500, 599})
    void acceptsAStatusFrom200To599(int status) {
        assertThat(HookResponse.empty(status).status()).isEqualTo(status);
    }

    @Test
    void refusesMissingHeadersOrBody() {
        assertThatThrownBy(() -> HookResponse.of(200, null, new byte[0])).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> HookResponse.of(200, HeaderFields.empty(), (byte[]) null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void refusesAnEmptyHeaderName() {
        assertThatThrownBy(() -> HookResponse.of(200, HeaderFields.of("", "v"), "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("empty header name");
    }

    @ParameterizedTest(name = "name ''{0}'' is refused")
    @ValueSource(strings = {"X-A\r\nX-B", "X-A\n", "X-A\r", "Bad Name", "X:Y", "X(Y)", "X/Y", "X\"Y", "X@Y",
            "X\u00e9", "X\tY", "X\u0000"})
    void refusesAHeaderNameThatIsNotAToken(String name) {
        assertThatThrownBy(() -> HookResponse.of(200, HeaderFields.of(name, "v"), "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header name is not a token: " + name);
    }

    @ParameterizedTest(name = "value with U+{0} is refused")
    @ValueSource(ints = {'\r', '\n', 0, 1, 0x1b, 0x1f, 0x7f, 0x100, 0x20ac})
    void refusesAHeaderValueWithCrLfOrAnotherControlOrNonLatin1Character(int c) {
        String value = "before" + (char) c + "after";

        assertThatThrownBy(() -> HookResponse.of(200, HeaderFields.of("X-A", value), "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header X-A has a character not allowed in a field value");
    }

    @Test
    void refusesAResponseSplitAttemptInAValue() {
        assertThatThrownBy(() -> HookResponse.of(200,
                HeaderFields.of("Location", "/x\r\nSet-Cookie: a=b"), "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsTabsSpacesPunctuationAndLatin1InAValue() {
        String value = "a\tb c !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ \u00a0\u00e9\u00ff";

        assertThat(HookResponse.of(200, HeaderFields.of("X-A", value), "x").headers().get("X-A")).isEqualTo(value);
    }

    @Test
    void acceptsEveryTokenCharacterInAName() {
        String name = "!#$%&'*+-.^_`|~09AZaz";

        assertThat(HookResponse.of(200, HeaderFields.of(name, ""), "x").headers().name(0)).isEqualTo(name);
    }

    @Test
    void tokenCharactersAreThoseOfRfc9110() {
        StringBuilder tokens = new StringBuilder();
        for (char c = 0; c < 0x180; c++) {
            if (HttpChars.isTchar(c)) {
                tokens.append(c);
            }
        }

        assertThat(tokens.toString())
                .isEqualTo("!#$%&'*+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz|~");
    }
}
