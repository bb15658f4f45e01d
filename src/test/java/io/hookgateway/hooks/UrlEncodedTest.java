package io.hookgateway.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Query strings and form bodies ({@code application/x-www-form-urlencoded}): pairs, {@code +} as space, UTF-8 percent
 * escapes, repeated names, and malformed escapes kept as written rather than failing the request.
 */
class UrlEncodedTest {

    @Test
    void splitsPairsOnAmpersandAndNamesFromValuesOnTheFirstEquals() {
        assertThat(UrlEncoded.parse("a=1&b=two&c=x=y"))
                .containsExactly(Map.entry("a", List.of("1")), Map.entry("b", List.of("two")),
                        Map.entry("c", List.of("x=y")));
    }

    @Test
    void collectsRepeatedNamesInOrderAndKeepsTheOrderOfFirstAppearance() {
        assertThat(UrlEncoded.parse("b=1&a=2&b=3&b=4"))
                .containsExactly(Map.entry("b", List.of("1", "3", "4")), Map.entry("a", List.of("2")));
    }

    @Test
    void aNameWithoutEqualsOrValueHasAnEmptyValue() {
        assertThat(UrlEncoded.parse("flag&empty=&=anonymous"))
                .containsExactly(Map.entry("flag", List.of("")), Map.entry("empty", List.of("")),
                        Map.entry("", List.of("anonymous")));
    }

    @Test
    void skipsEmptyPairs() {
        assertThat(UrlEncoded.parse("&&a=1&&&b=2&")).containsOnlyKeys("a", "b");
        assertThat(UrlEncoded.parse("&")).isEmpty();
    }

    @Test
    void nothingParsesToNothing() {
        assertThat(UrlEncoded.parse(null)).isEmpty();
        assertThat(UrlEncoded.parse("")).isEmpty();
    }

    @ParameterizedTest(name = "''{0}'' decodes to ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "plain             | plain",
            "a+b               | a b",
            "+                 | \" \"",
            "a%20b             | a b",
            "%2B               | +",
            "%2b               | +",
            "%26%3D%25         | &=%",
            "caf%C3%A9         | café",
            "%E2%82%AC5        | €5",
            "%F0%9F%98%80      | \uD83D\uDE00",
            "café              | café",
            "\uD83D\uDE00+x    | \uD83D\uDE00 x",
            "100%              | 100%",
            "%zz               | %zz",
            "%4                | %4",
            "%4g%41            | %4gA",
            "a%%41             | a%A",
            "%FF               | \uFFFD",
            "%C3               | \uFFFD",
    })
    void decodesPlusAndPercentEscapesAndKeepsMalformedEscapesAsWritten(String encoded, String decoded) {
        assertThat(UrlEncoded.parse("v=" + encoded).get("v")).containsExactly(decoded);
    }

    @Test
    void decodesNamesLikeValues() {
        assertThat(UrlEncoded.parse("first+name=Ada&a%3Db=c")).containsOnlyKeys("first name", "a=b");
    }

    @Test
    void anEncodedAmpersandOrEqualsDoesNotSplit() {
        assertThat(UrlEncoded.parse("q=a%26b%3Dc").get("q")).containsExactly("a&b=c");
    }

    @Test
    void decodesARangeOfTheText() {
        assertThat(UrlEncoded.decode("xx+%41yy", 2, 6)).isEqualTo(" A");
        assertThat(UrlEncoded.decode("ab%4", 0, 3)).isEqualTo("ab%");
    }

    @Test
    void parsesAtMostMaxPairs() {
        String text = "a=1&".repeat(UrlEncoded.MAX_PAIRS + 500) + "last=1";

        Map<String, List<String>> parsed = UrlEncoded.parse(text);

        assertThat(parsed.get("a")).hasSize(UrlEncoded.MAX_PAIRS);
        assertThat(parsed).doesNotContainKey("last");
    }

    @Test
    void emptyPairsDoNotCountTowardsTheLimit() {
        String text = "&".repeat(100_000) + "a=1";

        assertThat(UrlEncoded.parse(text)).containsExactly(Map.entry("a", List.of("1")));
    }

    @Test
    void theResultCannotBeChanged() {
        Map<String, List<String>> parsed = UrlEncoded.parse("a=1");

        assertThatThrownBy(() -> parsed.put("b", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> parsed.get("a").add("2")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void keepsEscapesWithDigitsOfOtherScriptsAsWritten() {
        // Only ASCII hex digits make an escape: Arabic-Indic and fullwidth digits are text, not hex.
        assertThat(UrlEncoded.parse("a=%\u0663\u0663&b=%\uFF21\uFF21"))
                .containsEntry("a", List.of("%\u0663\u0663"))
                .containsEntry("b", List.of("%\uFF21\uFF21"));
    }

    @Test
    void encodesAllButUnreservedCharacters() {
        StringBuilder out = new StringBuilder();
        UrlEncoded.encode("AZaz09-._~ /?#\u00e9", out);
        assertThat(out).hasToString("AZaz09-._~%20%2F%3F%23%C3%A9");
    }

    @Test
    void writesACanonicalPathBackAsAUriPath() {
        assertThat(UrlEncoded.encodePath("/deploy/\u20ac/a\"b c")).isEqualTo("/deploy/%E2%82%AC/a%22b%20c");
        assertThat(UrlEncoded.encodePath("/")).isEqualTo("/");
    }

    @Test
    void readsAtMostMaxPairsAndEachPairsNameWithinThePair() {
        // '=' is looked for within its pair only (an unbounded search made a body of 'a&' pairs quadratic).
        String text = "a&".repeat(200_000) + "b=1";
        assertThat(UrlEncoded.parse(text)).containsOnlyKeys("a");
        assertThat(UrlEncoded.parse(text).get("a")).hasSize(UrlEncoded.MAX_PAIRS).containsOnly("");
    }
}
