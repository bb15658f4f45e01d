package io.hookgateway.conformance;

import static io.hookgateway.conformance.Answer.echo;
import static io.hookgateway.conformance.Answer.got;
import static io.hookgateway.conformance.Answer.notFound;
import static io.hookgateway.conformance.Answer.refused;
import static io.hookgateway.conformance.Conformance.lines;
import static io.hookgateway.conformance.ConformanceCase.of;

import java.util.stream.Stream;

/**
 * The path of the request-target (RFC 9112 §3.2, RFC 3986 §3.3) and the gateway's documented canonical form:
 * percent escapes decoded as UTF-8 (RFC 3986 §2.1, §2.5); an encoded '/', a dot segment, a malformed escape, invalid
 * UTF-8 or a control character refused with 400 (the gateway refuses dot segments rather than removing them, RFC 3986
 * §5.2.4, documented); empty segments and a trailing slash dropped (documented); the query passed through as sent
 * (RFC 3986 §3.4).
 */
class PathConformanceTest extends ConformanceSuite {

    private static String get(String target) {
        return lines("GET " + target + " HTTP/1.1", "Host: gw", "");
    }

    /** An echo answer of the /items/{id} hook. */
    private static Answer item(String id) {
        return echo().receivedPath("/items/" + id).receivedVariable("id", id);
    }

    static Stream<ConformanceCase> cases() {
        return Conformance.table(
                // ----- decoding (RFC 3986 §2.1, §2.5)
                of("PA-01", "RFC 3986 §3.3", "a plain segment fills the path variable",
                        get("/items/abc"),
                        item("abc").receivedTarget("/items/abc")),
                of("PA-02", "RFC 3986 §2.1", "%41 is decoded to A; the raw target is kept as sent",
                        get("/items/%41"),
                        item("A").receivedTarget("/items/%41")),
                of("PA-03", "RFC 3986 §2.5", "UTF-8 escapes decode to one character: caf%C3%A9",
                        get("/items/caf%C3%A9"),
                        item("caf\u00e9")),
                of("PA-04", "RFC 3986 §2.1", "hex digits in escapes are case-insensitive: caf%c3%a9",
                        get("/items/caf%c3%a9"),
                        item("caf\u00e9")),
                of("PA-05", "RFC 3986 §2.5", "a four-octet UTF-8 sequence: %F0%9F%98%80",
                        get("/items/%F0%9F%98%80"),
                        item("\ud83d\ude00")),
                of("PA-06", "RFC 3986 §2.1", "%20 decodes to a space inside the segment",
                        get("/items/a%20b"),
                        item("a b")),
                of("PA-07", "RFC 3986 §2.4", "%25 decodes to a literal '%' and is not decoded twice",
                        get("/items/%2541"),
                        item("%41")),
                of("PA-08", "RFC 3986 §2.3", "an escaped unreserved character is the character: %7E is ~",
                        get("/items/%7Euser"),
                        item("~user")),
                of("PA-09", "RFC 3986 §6.2.2.2", "escaped letters of a literal path still route: /%67%65%74 is /get",
                        get("/%67%65%74"),
                        got()),
                of("PA-10", "RFC 3986 §2.2", "'+' is a sub-delim in a path, not a space",
                        get("/items/a+b"),
                        item("a+b")),
                of("PA-11", "RFC 3986 §3.3", "sub-delims, ':' and '@' are pchar and kept",
                        get("/items/a;b=c,d:e@f!$&'()*"),
                        item("a;b=c,d:e@f!$&'()*")),
                of("PA-12", "RFC 3986 §2.2", "an escaped '?' belongs to the segment, not the query",
                        get("/items/a%3Fb"),
                        item("a?b").receivedNoQuery()),
                of("PA-13", "RFC 3986 §3.3", "a segment of three dots is not a dot segment",
                        get("/items/..."),
                        item("...")),
                of("PA-14", "RFC 3986 §3.3", "a segment starting with a dot is not a dot segment",
                        get("/items/.hidden"),
                        item(".hidden")),
                of("PA-15", "RFC 3986 §6.2.2.1", "the path is case-sensitive: /GET is not /get",
                        get("/GET"),
                        notFound()),
                of("PA-16", "RFC 9112 §3.2.1", "the root path \"/\" with no hook: 404",
                        get("/"),
                        notFound()),
                of("PA-17", "RFC 9112 §3.2.2", "the path of an absolute-form target is decoded the same way",
                        get("http://gw/items/%41"),
                        item("A")),

                // ----- canonical form: empty segments and a trailing slash are dropped (documented)
                of("PA-18", "RFC 3986 §3.3", "a leading double slash is one: //get is /get (documented)",
                        get("//get"),
                        got()),
                of("PA-19", "RFC 3986 §3.3", "empty segments inside: /items//abc is /items/abc (documented)",
                        get("/items///abc"),
                        item("abc")),
                of("PA-20", "RFC 3986 §3.3", "a trailing slash is ignored: /get/ is /get (documented)",
                        get("/get/"),
                        got()),
                of("PA-21", "RFC 3986 §3.3", "several trailing slashes are ignored: /get// (documented)",
                        get("/get//"),
                        got()),

                // ----- refused paths (documented: 400)
                of("PA-22", "RFC 3986 §2.2", "an encoded slash %2F would make one segment two: 400",
                        get("/items/a%2Fb"),
                        refused(400)),
                of("PA-23", "RFC 3986 §2.2", "an encoded slash in lower case %2f: 400",
                        get("/items/a%2fb"),
                        refused(400)),
                of("PA-24", "RFC 3986 §5.2.4", "a \".\" segment is refused rather than removed: 400 (documented)",
                        get("/./get"),
                        refused(400)),
                of("PA-25", "RFC 3986 §5.2.4", "a \"..\" segment is refused rather than resolved: 400 (documented)",
                        get("/items/../get"),
                        refused(400)),
                of("PA-26", "RFC 3986 §5.2.4", "a trailing \"..\" segment: 400",
                        get("/items/x/.."),
                        refused(400)),
                of("PA-27", "RFC 3986 §2.3", "an encoded dot segment %2e%2e is a dot segment: 400",
                        get("/items/%2e%2e/get"),
                        refused(400)),
                of("PA-28", "RFC 3986 §2.3", "an encoded single dot %2E: 400",
                        get("/items/%2E"),
                        refused(400)),
                of("PA-29", "RFC 3986 §2.3", "half-encoded .%2e: 400",
                        get("/items/.%2e"),
                        refused(400)),
                of("PA-30", "RFC 3986 §2.1", "a '%' not followed by hex digits: %G1 is 400",
                        get("/items/%G1"),
                        refused(400)),
                of("PA-31", "RFC 3986 §2.1", "an escape cut short at the end: %4 is 400",
                        get("/items/%4"),
                        refused(400)),
                of("PA-32", "RFC 3986 §2.1", "a lone '%' at the end: 400",
                        get("/items/%"),
                        refused(400)),
                of("PA-33", "RFC 3986 §2.1", "an escape cut short before a '/': %4/x is 400",
                        get("/items/%4/x"),
                        refused(400)),
                of("PA-34", "RFC 3986 §2.5", "an escape that is not UTF-8 (%FF): 400",
                        get("/items/%FF"),
                        refused(400)),
                of("PA-35", "RFC 3986 §2.5", "a truncated UTF-8 sequence (%C3 alone): 400",
                        get("/items/caf%C3"),
                        refused(400)),
                of("PA-36", "RFC 3986 §2.5", "an overlong UTF-8 encoding of '/' (%C0%AF), forbidden by RFC 3629: 400",
                        get("/items/%C0%AF"),
                        refused(400)),
                of("PA-37", "RFC 3986 §2.5", "an encoded UTF-16 surrogate (%ED%A0%80), not UTF-8: 400",
                        get("/items/%ED%A0%80"),
                        refused(400)),
                of("PA-38", "RFC 3986 §2.1", "an encoded NUL (%00) is a control character: 400",
                        get("/items/a%00b"),
                        refused(400)),
                of("PA-39", "RFC 3986 §2.1", "an encoded LF (%0A): 400",
                        get("/items/a%0Ab"),
                        refused(400)),
                of("PA-40", "RFC 3986 §2.1", "an encoded DEL (%7F): 400",
                        get("/items/a%7Fb"),
                        refused(400)),

                // ----- query (RFC 3986 §3.4): passed through as sent, decoded only as parameters
                of("PA-41", "RFC 3986 §3.4", "the query is not part of the path and reaches the processor",
                        get("/echo?a=1&b=%41&c"),
                        echo().receivedPath("/echo").receivedTarget("/echo?a=1&b=%41&c")
                                .receivedQuery("a", "1").receivedQuery("b", "A").receivedQuery("c", "")),
                of("PA-42", "RFC 3986 §3.4", "'/' and '?' may appear in the query",
                        get("/echo?next=/a/b?c"),
                        echo().receivedPath("/echo").receivedQuery("next", "/a/b?c")),
                of("PA-43", "RFC 3986 §3.4", "an encoded slash is allowed in the query",
                        get("/echo?p=%2F"),
                        echo().receivedQuery("p", "/")),
                of("PA-44", "RFC 3986 §3.4", "a dot segment in the query is just text",
                        get("/echo?p=../x"),
                        echo().receivedPath("/echo").receivedQuery("p", "../x")),
                of("PA-45", "RFC 3986 §3.4", "an empty query: the path still routes",
                        get("/get?"),
                        got()),
                of("PA-46", "RFC 3986 §3.4", "repeated query parameters keep every value in order",
                        get("/echo?a=1&a=2"),
                        echo().receivedQuery("a", "1", "2")));
    }
}
