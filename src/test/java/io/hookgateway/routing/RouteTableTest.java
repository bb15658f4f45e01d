package io.hookgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.HookResponse;
import io.hookgateway.http.HeaderLineDecoder;
import io.hookgateway.http.RequestHead;
import io.hookgateway.testing.TrackedBuffers;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Unit tests of {@link RouteTable}: literal paths before patterns and more specific patterns first (whatever the
 * configuration order), variable values, HEAD falling back to GET, a path without the method's hook (the 405 case)
 * with its Allow text, body limits per match, and the conflicts the table refuses.
 */
class RouteTableTest {

    private static final HookProcessor OK = request -> CompletableFuture.completedFuture(HookResponse.empty(204));
    private static final long DEFAULT_LIMIT = 4096;

    @Test
    void literalPathBeatsVariablePattern() {
        List<Hook> hooks = List.of(
                hook("device-on", "/hooks/{device}/on", "POST"),
                hook("lamp-on", "/hooks/lamp/on", "POST"));
        for (List<Hook> order : List.of(hooks, reversed(hooks))) {
            RouteTable table = RouteTable.of(order, DEFAULT_LIMIT);
            RouteMatch lamp = table.match("POST", "/hooks/lamp/on");
            assertThat(lamp.hook().name()).isEqualTo("lamp-on");
            assertThat(lamp.pathVariables()).isEmpty();
            RouteMatch fan = table.match("POST", "/hooks/fan/on");
            assertThat(fan.hook().name()).isEqualTo("device-on");
            assertThat(fan.pathVariables()).containsExactly(Map.entry("device", "fan"));
        }
    }

    @Test
    void moreSpecificPatternWinsWhateverTheConfigurationOrder() {
        List<Hook> hooks = List.of(
                hook("any", "/hooks/{device}/{action}", "POST"),
                hook("device-on", "/hooks/{device}/on", "POST"),
                hook("lamp-any", "/hooks/lamp/{action}", "POST"));
        for (List<Hook> order : List.of(hooks, reversed(hooks))) {
            RouteTable table = RouteTable.of(order, DEFAULT_LIMIT);
            assertThat(table.match("POST", "/hooks/lamp/on").hook().name()).isEqualTo("lamp-any");
            assertThat(table.match("POST", "/hooks/lamp/on").pathVariables())
                    .containsExactly(Map.entry("action", "on"));
            assertThat(table.match("POST", "/hooks/fan/on").hook().name()).isEqualTo("device-on");
            RouteMatch any = table.match("POST", "/hooks/fan/off");
            assertThat(any.hook().name()).isEqualTo("any");
            assertThat(any.pathVariables()).containsExactly(Map.entry("device", "fan"), Map.entry("action", "off"));
        }
    }

    @Test
    void returnsNullWhenNoRouteHasThePath() {
        RouteTable table = RouteTable.of(List.of(
                hook("lamp", "/hooks/lamp", "POST"),
                hook("device-on", "/hooks/{device}/on", "POST")), DEFAULT_LIMIT);
        assertThat(table.match("POST", "/hooks")).isNull();
        assertThat(table.match("POST", "/hooks/lamp/on/extra")).isNull();
        assertThat(table.match("POST", "/other/lamp/on")).isNull();
        assertThat(table.match("OPTIONS", "*")).isNull();
        assertThat(table.match("POST", "/")).isNull();
    }

    @Test
    void emptyTableMatchesNothing() {
        RouteTable table = RouteTable.of(List.of(), DEFAULT_LIMIT);
        assertThat(table.match("GET", "/")).isNull();
        assertThat(table.hooks()).isEmpty();
    }

    @Test
    void rootPathCanBeRouted() {
        RouteTable table = RouteTable.of(List.of(hook("root", "/", "GET")), DEFAULT_LIMIT);
        assertThat(table.match("GET", "/").hook().name()).isEqualTo("root");
    }

    @Test
    void headFallsBackToGet() {
        // RFC 9110 §9.3.2: HEAD is GET without content.
        RouteTable table = RouteTable.of(List.of(hook("status", "/status", "GET")), DEFAULT_LIMIT);
        assertThat(table.match("HEAD", "/status").hook().name()).isEqualTo("status");
    }

    @Test
    void explicitHeadHookWinsOverGet() {
        RouteTable table = RouteTable.of(List.of(
                hook("status", "/status", "GET"),
                hook("status-head", "/status", "HEAD")), DEFAULT_LIMIT);
        assertThat(table.match("HEAD", "/status").hook().name()).isEqualTo("status-head");
        assertThat(table.match("GET", "/status").hook().name()).isEqualTo("status");
    }

    @Test
    void headDoesNotFallBackToPost() {
        RouteTable table = RouteTable.of(List.of(hook("post", "/post", "POST")), DEFAULT_LIMIT);
        RouteMatch match = table.match("HEAD", "/post");
        assertThat(match).isNotNull();
        assertThat(match.hook()).isNull();
    }

    @Test
    void pathWithoutTheMethodMatchesWithNullHookAndAllowText() {
        // RFC 9110 §15.5.6: a 405 response MUST carry Allow with the target's supported methods.
        RouteTable table = RouteTable.of(List.of(
                hook("lamp-write", "/lamp", "POST", "PUT"),
                hook("lamp-read", "/lamp", "GET")), DEFAULT_LIMIT);
        RouteMatch match = table.match("DELETE", "/lamp");
        assertThat(match.hook()).isNull();
        assertThat(match.allow()).isEqualTo("GET, HEAD, OPTIONS, POST, PUT");
        assertThat(match.hookName()).isEqualTo("lamp-write");
        assertThat(match.maxBodyBytes()).isEqualTo(DEFAULT_LIMIT);
    }

    @Test
    void allowListsOptionsButNotHeadWithoutGet() {
        RouteTable table = RouteTable.of(List.of(hook("post", "/post", "POST")), DEFAULT_LIMIT);
        assertThat(table.match("GET", "/post").allow()).isEqualTo("OPTIONS, POST");
        assertThat(table.match("POST", "/post").allow()).isEqualTo("OPTIONS, POST");
    }

    @Test
    void methodNotAllowedOnPatternRouteKeepsVariables() {
        RouteTable table = RouteTable.of(List.of(hook("device-on", "/hooks/{device}/on", "POST")), DEFAULT_LIMIT);
        RouteMatch match = table.match("GET", "/hooks/fan/on");
        assertThat(match.hook()).isNull();
        assertThat(match.allow()).isEqualTo("OPTIONS, POST");
        assertThat(match.pathVariables()).containsExactly(Map.entry("device", "fan"));
    }

    @Test
    void methodsAreCaseSensitive() {
        // RFC 9110 §9.1: the method token is case-sensitive.
        RouteTable table = RouteTable.of(List.of(hook("post", "/post", "POST")), DEFAULT_LIMIT);
        assertThat(table.match("post", "/post").hook()).isNull();
    }

    @Test
    void matchCarriesTheHookLimitAndName() {
        Hook small = new Hook("small", PathPattern.parse("/small"), Set.of("POST"), OK, 10, false,
                RequestObserver.HookObserver.NONE);
        RouteTable table = RouteTable.of(List.of(small), DEFAULT_LIMIT);
        RouteMatch match = table.match("POST", "/small");
        assertThat(match.hook()).isSameAs(small);
        assertThat(match.maxBodyBytes()).isEqualTo(10);
        assertThat(match.hookName()).isEqualTo("small");
    }

    @Test
    void sharesOnePathBetweenHooksOfDifferentMethods() {
        RouteTable table = RouteTable.of(List.of(
                hook("read", "/lamp", "GET"),
                hook("write", "/lamp/", "POST")), DEFAULT_LIMIT);
        assertThat(table.match("GET", "/lamp").hook().name()).isEqualTo("read");
        assertThat(table.match("POST", "/lamp").hook().name()).isEqualTo("write");
    }

    @Test
    void keepsHooksInConfigurationOrder() {
        Hook b = hook("b", "/b", "GET");
        Hook a = hook("a", "/a", "GET");
        assertThat(RouteTable.of(List.of(b, a), DEFAULT_LIMIT).hooks()).containsExactly(b, a);
    }

    @Test
    void refusesTwoHooksWithOneMethodOnOnePath() {
        assertThatIllegalArgumentException().isThrownBy(() -> RouteTable.of(List.of(
                hook("first", "/lamp", "GET", "POST"),
                hook("second", "/lamp", "POST")), DEFAULT_LIMIT))
                .withMessageContaining("'first'").withMessageContaining("'second'").withMessageContaining("POST");
    }

    @Test
    void refusesTwoSpellingsOfOnePathWithOneMethod() {
        assertThatIllegalArgumentException().isThrownBy(() -> RouteTable.of(List.of(
                hook("first", "/lamp", "POST"),
                hook("second", "//lamp/", "POST")), DEFAULT_LIMIT));
    }

    @Test
    void refusesPatternsThatDifferOnlyInVariableNames() {
        assertThatIllegalArgumentException().isThrownBy(() -> RouteTable.of(List.of(
                hook("by-device", "/hooks/{device}/on", "POST"),
                hook("by-id", "/hooks/{id}/on", "GET")), DEFAULT_LIMIT))
                .withMessageContaining("matches the same requests");
    }

    @Test
    void resolvesDecodedRequestHead() {
        RouteTable table = RouteTable.of(List.of(hook("device-on", "/hooks/{device}/on", "POST")), DEFAULT_LIMIT);
        RequestHead head = decodeHead("POST /hooks/%6Camp//on/?x=1 HTTP/1.1\r\nHost: h\r\n\r\n");
        RouteMatch match = table.resolve(head);
        assertThat(match.hook().name()).isEqualTo("device-on");
        assertThat(match.pathVariables()).containsExactly(Map.entry("device", "lamp"));
    }

    @Test
    void resolvesFailedHeadToNothing() {
        RouteTable table = RouteTable.of(List.of(hook("root", "/", "GET")), DEFAULT_LIMIT);
        assertThat(table.resolve(decodeHead("GET / HTTP/1.1\r\n\r\n"))).isNull();
        assertThat(table.resolve(decodeHead("G@T / HTTP/1.1\r\n\r\n"))).isNull();
    }

    private static Hook hook(String name, String path, String... methods) {
        return new Hook(name, PathPattern.parse(path), Set.of(methods), OK, 1024, false,
                RequestObserver.HookObserver.NONE);
    }

    private static List<Hook> reversed(List<Hook> hooks) {
        List<Hook> copy = new ArrayList<>(hooks);
        Collections.reverse(copy);
        return copy;
    }

    private static RequestHead decodeHead(String request) {
        EmbeddedChannel channel = new EmbeddedChannel(new HeaderLineDecoder());
        channel.writeInbound(TrackedBuffers.latin1(request));
        RequestHead head = channel.readInbound();
        channel.finishAndReleaseAll();
        return head;
    }

    @Test
    void aLiteralPathDoesNotHideAPatternThatTakesAnotherMethod() {
        Hook switchOn = new Hook("switch-on", PathPattern.parse("/hooks/lamp/on"), Set.of("POST"),
                request -> null, 1024, false, RequestObserver.HookObserver.NONE);
        Hook read = new Hook("read", PathPattern.parse("/hooks/{device}/on"), Set.of("GET"),
                request -> null, 1024, false, RequestObserver.HookObserver.NONE);
        RouteTable table = RouteTable.of(List.of(switchOn, read), 64);

        assertThat(table.match("POST", "/hooks/lamp/on").hook()).isSameAs(switchOn);
        assertThat(table.match("GET", "/hooks/lamp/on").hook()).isSameAs(read);
        assertThat(table.match("GET", "/hooks/lamp/on").pathVariables()).containsEntry("device", "lamp");
        RouteMatch neither = table.match("DELETE", "/hooks/lamp/on");
        assertThat(neither.hook()).isNull();
        assertThat(neither.allow()).isEqualTo("GET, HEAD, OPTIONS, POST");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/nowhere           | -1 | /nowhere",
        "/a/b/c             | -1 | /a/b/c",
        "/q?key=s           | -1 | /q?***",
        "/                  | 1  | /",
        "/pk                | 1  | /pk",
        "/pk/s3cret/lamp/x  | 1  | /pk/***/***/***",
        "/pk/s3cret/        | 1  | /pk/***/",
        "/pk?key=s/x        | 1  | /pk?***",
        "/pk/a?key=s        | 1  | /pk/***?***",
        "/s3cret            | 0  | /***",
        "/s3cret/lamp       | 0  | /***/***",
        "/a/b/s3cret/x      | 2  | /a/b/***/***",
        "/a/b               | 2  | /a/b"})
    void aPathNoHookTakesIsLoggedWithWhatMayBeASecretHidden(String path, int firstSecretSegment, String logged) {
        assertThat(RouteTable.loggedUnmatchedPath(path, firstSecretSegment)).isEqualTo(logged);
    }
}
