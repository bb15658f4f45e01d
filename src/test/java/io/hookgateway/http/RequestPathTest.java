package io.hookgateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.hooks.UrlEncoded;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table tests of {@link RequestPath#canonicalize}: the one canonical form routing sees (empty segments and a trailing
 * slash dropped, escapes decoded as UTF-8), and every spelling it refuses (encoded slash, malformed escapes, dot
 * segments plain or encoded, control characters, invalid UTF-8, no leading slash).
 */
class RequestPathTest {

    static Stream<Arguments> canonicalForms() {
        return Stream.of(
                Arguments.of("/", "/"),
                Arguments.of("//", "/"),
                Arguments.of("///", "/"),
                Arguments.of("/post", "/post"),
                Arguments.of("/post/", "/post"),
                Arguments.of("/a//b/", "/a/b"),
                Arguments.of("//a///b", "/a/b"),
                Arguments.of("/hooks/lamp/on", "/hooks/lamp/on"),
                // RFC 3986 §2.1: percent-encoded octets; hex digits in either case
                Arguments.of("/%41", "/A"),
                Arguments.of("/%61%62c", "/abc"),
                Arguments.of("/a%2db", "/a-b"),
                Arguments.of("/a%20b", "/a b"),
                Arguments.of("/%25", "/%"),
                Arguments.of("/%3F", "/?"),
                // RFC 3986 §2.5: non-ASCII characters as UTF-8 octets
                Arguments.of("/caf%C3%A9", "/caf\u00e9"),
                Arguments.of("/caf%c3%a9/", "/caf\u00e9"),
                Arguments.of("/%E2%82%AC", "/\u20ac"),
                Arguments.of("/%F0%9F%98%80", "/\ud83d\ude00"),
                // segments that only look like dot segments are ordinary
                Arguments.of("/.hidden", "/.hidden"),
                Arguments.of("/a./b..", "/a./b.."),
                Arguments.of("/...", "/..."),
                Arguments.of("/a/%2E%2E%2E", "/a/..."),
                Arguments.of("/a:b@c;d=e", "/a:b@c;d=e"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("canonicalForms")
    void canonicalizes(String raw, String canonical) {
        assertThat(RequestPath.canonicalize(raw)).isEqualTo(canonical);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("canonicalForms")
    void canonicalFormIsAFixedPoint(String raw, String canonical) {
        // Canonicalizing twice must change nothing, or two stages could disagree about one path. A canonical form with
        // '%', a space or a character beyond ASCII is not what a request carries: that one goes in percent-encoded.
        boolean asInARequest = !canonical.contains("%") && canonical.chars().allMatch(c -> c > 0x20 && c < 0x7f);
        String again = asInARequest ? canonical : UrlEncoded.encodePath(canonical);
        assertThat(RequestPath.canonicalize(again)).isEqualTo(canonical);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("encoded slash", "/a%2Fb"),
                Arguments.of("encoded C1 control (NEL)", "/a%C2%85b"),
                Arguments.of("encoded line separator", "/a%E2%80%A8b"),
                Arguments.of("encoded slash, lower case", "/a%2fb"),
                Arguments.of("encoded slash alone", "/%2F"),
                Arguments.of("non-hex escape", "/%zz"),
                Arguments.of("half-hex escape", "/%4g"),
                Arguments.of("truncated escape", "/%4"),
                Arguments.of("truncated escape mid-path", "/%4/b"),
                Arguments.of("lone percent", "/%"),
                Arguments.of("dot segment", "/./"),
                Arguments.of("dot segment at end", "/a/."),
                Arguments.of("dot-dot segment", "/../"),
                Arguments.of("dot-dot in the middle", "/a/../b"),
                Arguments.of("dot-dot at end", "/a/.."),
                Arguments.of("encoded dot-dot", "/%2E%2E"),
                Arguments.of("encoded dot-dot, lower case", "/a/%2e%2e/b"),
                Arguments.of("half-encoded dot-dot", "/.%2E"),
                Arguments.of("encoded dot", "/%2E"),
                Arguments.of("control character", "/a\u0001b"),
                Arguments.of("tab", "/a\tb"),
                Arguments.of("DEL", "/a\u007f"),
                Arguments.of("encoded NUL", "/%00"),
                Arguments.of("encoded control", "/a%0Ab"),
                Arguments.of("encoded DEL", "/%7F"),
                Arguments.of("truncated UTF-8", "/%C3"),
                Arguments.of("invalid UTF-8 continuation", "/%C3%28"),
                Arguments.of("lone continuation byte", "/%A9"),
                Arguments.of("overlong UTF-8 slash", "/%C0%AF"),
                Arguments.of("invalid UTF-8 byte", "/%FF"),
                Arguments.of("empty", ""),
                Arguments.of("no leading slash", "a/b"),
                Arguments.of("asterisk", "*"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refusals")
    void refuses(String label, String raw) {
        assertThat(RequestPath.canonicalize(raw)).isNull();
    }
}
