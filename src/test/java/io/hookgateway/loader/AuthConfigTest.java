package io.hookgateway.loader;

import static io.hookgateway.loader.ConfigPlaces.withHook;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.hooks.Authenticator;
import io.hookgateway.testing.TestGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hook's {@code auth:} as read from the configuration: each mistake is a problem at its key path with the fix, a
 * secret that is missing or blank never leaves a hook open, and no message shows a secret.
 */
class AuthConfigTest {

    private static List<String> problems(String auth, Map<String, String> env) {
        return ConfigPlaces.problems(withHook("name: h, path: '/h/{key}', processor: {type: respond}, auth: " + auth),
                env);
    }

    private static List<String> problems(String auth) {
        return problems(auth, Map.of("KEY", "s3cret-value", "BLANK", " ", "EMPTY", ""));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {bearer: {token: '${KEY}'}}
            {bearer: {tokens: ['${KEY}', other-token]}}
            {header-key: {header: X-API-Key, key: '${KEY}'}}
            {query-key: {parameter: key, keys: ['${KEY}']}}
            {json-key: {pointer: /auth/key, key: '${KEY}'}}
            {path-key: {variable: key, key: '${KEY}'}}
            [{bearer: {token: '${KEY}'}}, {header-key: {header: X-K, key: '${KEY}'}}]
            {all: [{bearer: {token: '${KEY}'}}, {header-key: {header: X-K, key: '${KEY}'}}]}
            {any: [{bearer: {token: '${KEY}'}}, {query-key: {parameter: k, key: '${KEY}'}}]}
            """)
    void readsEveryWayAndCombination(String auth) {
        assertThat(problems(auth)).isEmpty();
    }

    @Test
    void aHookWithoutAuthHasNone() throws Exception {
        assertThat(TestGateway.parse(withHook("name: h, path: /h, processor: {type: respond}"), Map.of()).hooks()
                .get(0).auth()).isSameAs(Authenticator.NONE);
    }

    /** Each mistake, the key (under {@code hooks[0].auth.}) it is reported at, and how its message begins. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {bearer: {token: '${EMPTY}'}}         | bearer.token  | uses environment variable EMPTY, which is empty
            {bearer: {token: '${BLANK}'}}         | bearer.token  | uses environment variable BLANK, which is empty
            {bearer: {token: ''}}                 | bearer.token  | holds an empty secret
            {bearer: {tokens: []}}                | bearer.tokens | is empty; list at least one secret
            {bearer: {tokens: ['${KEY}', ' ']}}   | bearer.tokens | holds an empty secret
            {bearer: {}}                          | bearer.token  | is required: the secret to accept, as token:
            {bearer: {token: a, tokens: [b]}}     | bearer.tokens | and token are both given; write one list
            {bearer: {token: a, realm: x}}        | bearer.realm  | unknown key. Keys allowed here: token, tokens
            {bearer: token}                       | bearer        | must be a mapping (key: value lines), not 'token'
            {berer: {token: a}}                   | berer         | is not a way to authenticate; did you mean 'bearer'?
            {bearer: {token: a}, basic: {}}       |               | names 2 ways (bearer, basic); write one, as
            {}                                    |               | names no way to authenticate; write one, as
            {all: []}                             | all           | is empty; list at least one way
            {any: {bearer: {token: a}}}           | any           | must be a list of ways, as any: [
            {header-key: {header: 'X Y', key: a}} | header-key.header | is not a header field name
            {header-key: {key: a}}                | header-key.header | is required; name the header field
            {json-key: {pointer: key, key: a}}    | json-key.pointer  | 'key' is not a JSON Pointer
            {json-key: {pointer: '', key: a}}     | json-key.pointer  | points at the whole body
            {path-key: {variable: token, key: a}} | path-key.variable | 'token' is not a variable of the hook's path
            {basic: {users: {alice: password}}}   | basic.users.alice | is not a password hash; make one with java -jar
            {basic: {users: {alice: '%s'}}}       | basic.users.alice | uses 1000 iterations, fewer than 100000
            {basic: {users: {}}}                  | basic.users       | is empty; list at least one user
            """)
    void reportsEachMistakeAtItsKeyWithTheFix(String auth, String key, String message) {
        String where = key == null ? "hooks[0].auth" : "hooks[0].auth." + key;
        String written = auth.formatted("pbkdf2-sha256$1000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA");
        assertThat(problems(written)).singleElement().asString().startsWith(where + ": " + message);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{bearer: {token: 'x${UNSET}'}}", "{header-key: {header: X-K, key: '${UNSET}'}}"})
    void anUnsetVariableIsOneProblemAndNoOpenHook(String auth) {
        assertThat(problems(auth)).containsExactly(problems(auth).get(0)).singleElement().asString()
                .contains("environment variable UNSET is not set");
    }

    @Test
    void aPlainPasswordWrittenAsAHashIsNeverShown() {
        assertThat(problems("{basic: {users: {alice: '${KEY}'}}}")).singleElement().asString()
                .doesNotContain("s3cret-value");
    }

    @Test
    void hiddenNeedsAnAuth() {
        assertThat(ConfigPlaces.problems(withHook("name: h, path: /h, processor: {type: respond}, hidden: true"),
                Map.of())).containsExactly("hooks[0].hidden: is given but the hook has no auth, so nothing tells a "
                + "caller from a stranger; add auth, or remove it");
    }
}
