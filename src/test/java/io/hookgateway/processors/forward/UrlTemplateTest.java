package io.hookgateway.processors.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hookgateway.hooks.FakeHookRequest;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.processors.template.Template;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The downstream URL: taken apart once when it is constant, and per request when it holds request values, which are
 * percent-encoded in the path and query and kept to host-name characters in the host. A request whose values would
 * change the path or make the URL invalid is refused with 400.
 */
class UrlTemplateTest {

    private static UrlTemplate url(String text) {
        return UrlTemplate.of(Template.compile(text));
    }

    private static HookRequest device(String name) {
        return FakeHookRequest.builder().pathVariable("device", name).build();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://192.168.1.20/relay?on=1  | false | 192.168.1.20 | 80    | 192.168.1.20       | /relay?on=1",
        "http://ESP.lan:8080             | false | esp.lan      | 8080  | ESP.lan:8080       | /",
        "https://maker.ifttt.com/trigger | true  | maker.ifttt.com | 443 | maker.ifttt.com   | /trigger",
        "https://ha.lan:8443/api?a=b&c=d | true  | ha.lan       | 8443  | ha.lan:8443        | /api?a=b&c=d",
        "http://[::1]:9000/x             | false | ::1          | 9000  | [::1]:9000         | /x",
    })
    void takesAConstantUrlApartOnce(String text, boolean https, String host, int port, String hostHeader,
                                    String target) {
        UrlTemplate url = url(text);

        assertThat(url.isConstant()).isTrue();
        Target rendered = url.render(null);
        assertThat(rendered).isEqualTo(new Target(https, host, port, hostHeader, target));
        assertThat(url.render(null)).isSameAs(rendered);
    }

    @Test
    void hostPortIsAllThatIsEverShown() {
        assertThat(url("https://maker.ifttt.com/trigger/x/with/key/SECRET").render(null).hostPort())
                .isEqualTo("maker.ifttt.com:443");
        assertThat(url("http://[::1]:9000/").render(null).hostPort()).isEqualTo("[::1]:9000");
    }

    @Test
    void percentEncodesRequestValuesInThePathAndQuery() {
        UrlTemplate url = url("http://h/devices/${path.device}?state=${json:/value1}&n=${query.n:-0}");
        HookRequest request = FakeHookRequest.builder().pathVariable("device", "lamp 1/ü")
                .body("{\"value1\": \"on & off?#\"}").build();

        assertThat(url.render(request).requestTarget())
                .isEqualTo("/devices/lamp%201%2F%C3%BC?state=on%20%26%20off%3F%23&n=0");
    }

    @Test
    void insertsAHostNameValueIntoTheHost() {
        Target target = url("http://${path.device}.lan:8080/on").render(device("esp-kitchen"));

        assertThat(target.host()).isEqualTo("esp-kitchen.lan");
        assertThat(target.hostHeader()).isEqualTo("esp-kitchen.lan:8080");
        assertThat(target.requestTarget()).isEqualTo("/on");
    }

    @Test
    void refusesAValueThatWouldChangeMoreThanTheHostWith400() {
        UrlTemplate url = url("http://${path.device}/on");

        for (String value : new String[] {"evil.example/x?", "evil.example:25", "user@evil.example", "a b"}) {
            HookException e = catchThrowableOfType(HookException.class, () -> url.render(device(value)));
            assertThat(e.status()).as(value).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo("a request value in the downstream URL's host is not a host name "
                    + "(letters, digits, '-' and '.')");
        }
    }

    @Test
    void aUrlTheRequestsValuesMakeInvalidAnswers400WithoutShowingItAndLogsWhy() {
        UrlTemplate url = url("http://${path.device}/secret-key/${query.x:-x}");

        HookException e = catchThrowableOfType(HookException.class, () -> url.render(device("")));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("the request's values make the downstream URL invalid");
        assertThat(e.logDetail()).isEqualTo("the downstream URL for this request has no valid host name (letters, "
                + "digits, '-' and '.'; or an IP address)").doesNotContain("secret");
        assertThat(catchThrowableOfType(HookException.class, () -> url.render(device("a..b"))).status())
                .isEqualTo(400);
    }

    private static HookRequest query(String query) {
        return FakeHookRequest.builder().query(query).build();
    }

    /**
     * The whole class of values that would change a URL's path rather than name a segment of it: {@code .},
     * {@code ..} and the empty value, as a whole segment at the start, middle and end of the path, and made up of
     * two values, or of a value and literal text.
     */
    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource(delimiter = '|', value = {
        "http://h/devices/${query.a}/on     | a=..       | ..",
        "http://h/devices/${query.a}/on     | a=.        | .",
        "http://h/devices/${query.a}/on     | a=         | ''",
        "http://h/devices/${query.a}/on     | ''         | ''",
        "http://h/devices/${query.a}/on     | a=%2E%2E   | ..",
        "http://h/devices/${query.a}        | a=..       | ..",
        "http://h/devices/${query.a}        | a=.        | .",
        "http://h/devices/${query.a}        | a=         | ''",
        "http://h/devices/${query.a}?on=1   | a=..       | ..",
        "http://h/devices/${query.a}#top    | a=         | ''",
        "http://h/${query.a}/on             | a=..       | ..",
        "http://h/${query.a}                | a=.        | .",
        "http://h/${query.a}                | a=         | ''",
        "http://h/${query.a}${query.b}/on   | a=.&b=.    | ..",
        "http://h/${query.a}${query.b}/on   | a=.&b=     | .",
        "http://h/${query.a}${query.b}/on   | a=&b=      | ''",
        "http://h/x/.${query.a}/on          | a=.        | ..",
        "http://h/x/.${query.a}/on          | a=         | .",
        "http://h/x/${query.a}./on          | a=.        | ..",
        "http://h/x/${query.a:-.}/on        | ''         | .",
    })
    void refusesAPathValueThatMakesASegmentDotDotDotOrEmpty(String template, String query, String segment) {
        HookException e = catchThrowableOfType(HookException.class, () -> url(template).render(query(query)));

        assertThat(e).as("refused").isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("a request value makes a segment of the downstream URL's path '"
                + segment + "'; '.', '..' and empty segments would change the path (RFC 3986 §5.2.4)");
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource(delimiter = '|', value = {
        "http://h/devices/${query.a}/on     | a=...          | /devices/.../on",
        "http://h/devices/${query.a}/on     | a=.x           | /devices/.x/on",
        "http://h/devices/${query.a}/on     | a=x..          | /devices/x../on",
        "http://h/devices/${query.a}/on     | a=%252E%252E   | /devices/%252E%252E/on",
        "http://h/devices/${query.a}/on     | a=..%2F..      | /devices/..%2F../on",
        "http://h/devices/${query.a}/on     | a=.%20         | /devices/.%20/on",
        "http://h/devices/x${query.a}/on    | a=             | /devices/x/on",
        "http://h/${query.a}${query.b}/on   | a=.&b=x        | /.x/on",
        "http://h/on?d=${query.a}           | a=..           | /on?d=..",
        "http://h/on?d=${query.a}           | a=             | /on?d=",
        "http://h//x/${query.a}             | a=y            | //x/y",
    })
    void takesAPathValueThatNamesASegment(String template, String query, String target) {
        assertThat(url(template).render(query(query)).requestTarget()).isEqualTo(target);
    }
}
