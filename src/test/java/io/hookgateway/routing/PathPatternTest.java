package io.hookgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Unit tests of {@link PathPattern}: parsing into the canonical form request paths use, whole-segment variables and
 * their extraction, the shape that detects conflicting patterns, specificity order, and every parse error.
 */
class PathPatternTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/,                       /",
            "/post,                   /post",
            "/post/,                  /post",
            "//hooks//lamp/,          /hooks/lamp",
            "/hooks/%6Camp,           /hooks/lamp",
            "/hooks/{device}/on,      /hooks/{device}/on",
            "/hooks/{device}/on/,     /hooks/{device}/on",
    })
    void parsesToCanonicalText(String text, String canonical) {
        assertThat(PathPattern.parse(text).text()).isEqualTo(canonical);
        assertThat(PathPattern.parse(text).toString()).isEqualTo(canonical);
    }

    @Test
    void literalPatternHasNoVariables() {
        PathPattern pattern = PathPattern.parse("/hooks/lamp/on");
        assertThat(pattern.isLiteral()).isTrue();
        assertThat(pattern.variableNames()).isEmpty();
        assertThat(pattern.shape()).isEqualTo("/hooks/lamp/on");
        assertThat(pattern.segmentCount()).isEqualTo(3);
    }

    @Test
    void rootPatternMatchesOnlyTheRoot() {
        PathPattern root = PathPattern.parse("/");
        assertThat(root.isLiteral()).isTrue();
        assertThat(root.shape()).isEqualTo("/");
        assertThat(root.segmentCount()).isZero();
        assertThat(root.match("/")).isEmpty();
        assertThat(root.match("/a")).isNull();
    }

    @Test
    void variablesAreNamedInOrderAndErasedFromTheShape() {
        PathPattern pattern = PathPattern.parse("/hooks/{device}/{action}");
        assertThat(pattern.isLiteral()).isFalse();
        assertThat(pattern.variableNames()).containsExactly("device", "action");
        assertThat(pattern.shape()).isEqualTo("/hooks/{}/{}");
    }

    @Test
    void extractsVariableValuesFromMatchingPath() {
        PathPattern pattern = PathPattern.parse("/hooks/{device}/{action}");
        Map<String, String> values = pattern.match("/hooks/lamp/on");
        assertThat(values).containsExactly(Map.entry("device", "lamp"), Map.entry("action", "on"));
    }

    @Test
    void extractsDecodedValuesFromCanonicalPath() {
        // The router matches canonical (decoded) paths, so a variable holds the decoded segment.
        PathPattern pattern = PathPattern.parse("/hooks/{device}");
        assertThat(pattern.match("/hooks/caf\u00e9"))
                .containsExactly(Map.entry("device", "caf\u00e9"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/hooks/lamp", "/hooks/lamp/on/now", "/other/lamp/on", "/hooks/lamp/off", "/",
        "/hooks/lamp/on/", "/hooks//on/x", "*", ""})
    void doesNotMatchOtherPaths(String path) {
        assertThat(PathPattern.parse("/hooks/{device}/on").match(path)).isNull();
    }

    @Test
    void walksSegmentsInPlaceWithAnEmptyOneAfterATrailingSlash() {
        PathPattern pattern = PathPattern.parse("/a/{x}");
        assertThat(pattern.match("/a/b")).containsExactly(Map.entry("x", "b"));
        assertThat(pattern.match("/a/")).containsExactly(Map.entry("x", ""));
        assertThat(pattern.match("/a")).isNull();
        assertThat(pattern.match("/a/b/")).isNull();
        assertThat(pattern.match("a/b")).isNull();
        assertThat(PathPattern.parse("/{x}").match("/")).isNull();
    }

    @Test
    void ordersLiteralBeforeVariableAtFirstDifference() {
        PathPattern literal = PathPattern.parse("/hooks/lamp/on");
        PathPattern variable = PathPattern.parse("/hooks/{device}/on");
        PathPattern lateLiteral = PathPattern.parse("/hooks/{device}/{action}");
        assertThat(PathPattern.compareSpecificity(literal, variable)).isNegative();
        assertThat(PathPattern.compareSpecificity(variable, literal)).isPositive();
        assertThat(PathPattern.compareSpecificity(variable, lateLiteral)).isNegative();
        assertThat(PathPattern.compareSpecificity(variable, variable)).isZero();
        // The first difference decides, even when the other pattern has more literal segments after it.
        assertThat(PathPattern.compareSpecificity(PathPattern.parse("/a/{x}/{y}"), PathPattern.parse("/{x}/b/c")))
                .isNegative();
    }

    @Test
    void equalsByCanonicalText() {
        assertThat(PathPattern.parse("/post/")).isEqualTo(PathPattern.parse("/post"))
                .hasSameHashCodeAs(PathPattern.parse("/post"));
        assertThat(PathPattern.parse("/{a}")).isNotEqualTo(PathPattern.parse("/{b}"));
    }

    @Test
    void acceptsVariableNamesUpToSixtyFourCharacters() {
        String name = "v" + "x".repeat(63);
        assertThat(PathPattern.parse("/{" + name + "}").variableNames()).containsExactly(name);
        assertThat(PathPattern.parse("/{_a-b_9}").variableNames()).containsExactly("_a-b_9");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            "",
            "post",
            "hooks/{device}",
            "*",
    })
    void refusesPatternWithoutLeadingSlash(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.parse(text))
                .withMessageContaining("must start with '/'");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/a?b=1", "/a#frag"})
    void refusesQueryOrFragment(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.parse(text))
                .withMessageContaining("path only");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/a/../b", "/a/./b", "/a%2Fb", "/a%zz", "/a/%2e%2e"})
    void refusesPathsRequestsCouldNeverHave(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.parse(text))
                .withMessageContaining("not a valid path");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/a{b}", "/{a}b", "/x{a}y", "/{a", "/a}", "/{a}{b}", "/{{a}}", "/}a{"})
    void refusesSegmentMixingTextAndVariable(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.parse(text))
                .withMessageContaining("mixes text and a variable");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/{}", "/{1device}", "/{-x}", "/{a.b}", "/{a b}", "/{caf\u00e9}"})
    void refusesBadVariableName(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.parse(text))
                .withMessageContaining("must be a name");
    }

    @Test
    void refusesVariableNameOverSixtyFourCharacters() {
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.parse("/{v" + "x".repeat(64) + "}"))
                .withMessageContaining("must be a name");
    }

    @Test
    void refusesDuplicateVariable() {
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.parse("/{id}/x/{id}"))
                .withMessageContaining("appears twice");
    }

    @Test
    void findsVariablesBeforeDecodingSoAnEncodedBraceIsLiteralText() {
        PathPattern pattern = PathPattern.parse("/a/%7Bx%7D");
        assertThat(pattern.isLiteral()).isTrue();
        assertThat(pattern.variableNames()).isEmpty();
    }

    @Test
    void takesNonAsciiCharactersAsTheirUtf8Encoding() {
        assertThat(PathPattern.parse("/caf\u00e9").text()).isEqualTo(PathPattern.parse("/caf%C3%A9").text())
                .isEqualTo("/caf\u00e9");
    }

    @Test
    void refusesASpaceAndSaysHowToWriteIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> PathPattern.parse("/a b"))
                .withMessageContaining("(write %20)");
    }

    @Test
    void redactsTheSegmentsOfHiddenVariablesOnly() {
        PathPattern pattern = PathPattern.parse("/ifttt/{key}/lamp/{state}");

        assertThat(pattern.redact("/ifttt/s3cret/lamp/on", Set.of("key"))).isEqualTo("/ifttt/***/lamp/on");
        assertThat(pattern.redact("/ifttt/s3cret/lamp/on", Set.of("key", "state"))).isEqualTo("/ifttt/***/lamp/***");
        assertThat(pattern.redact("/ifttt/s3cret/lamp/on", Set.of())).isEqualTo("/ifttt/s3cret/lamp/on");
        // Not a path of this pattern: the pattern, never the path.
        assertThat(pattern.redact("/ifttt/s3cret/lamp", Set.of("key"))).isEqualTo("/ifttt/{key}/lamp/{state}");
    }
}
