package io.hookgateway.hooks;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;

/**
 * One complete webhook request, as a hook processor sees it: head, body and the values a template may read.
 *
 * <p>The body is valid until the {@link java.util.concurrent.CompletionStage} returned by
 * {@link HookProcessor#process(HookRequest)} completes; a processor that needs it afterwards copies it
 * ({@link #bodyBytes()}). Values are parsed lazily: a hook that never reads the query string never parses it.
 */
public interface HookRequest {

    /** The configured name of the hook this request was routed to. */
    String hookName();

    /**
     * The request's id, as its answer's {@code X-Request-Id} and the access log carry it: the client's
     * {@code X-Request-Id} when well-formed, else one the gateway made.
     */
    String requestId();

    /** The method token as sent, e.g. {@code POST}. */
    String method();

    /** The canonical, percent-decoded path used for routing, e.g. {@code /hooks/lamp/on}. */
    String path();

    /** The request-target exactly as it appeared on the request line. */
    String rawTarget();

    /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
    String protocolVersion();

    HeaderFields headers();

    /** Query parameters, decoded; empty when there is no query. Parsed on first use. */
    Map<String, List<String>> queryParameters();

    /** Values of the path variables of the hook's path pattern, e.g. {@code device} of {@code /hooks/{device}/on}. */
    Map<String, String> pathVariables();

    /**
     * The client's address, or {@code null} when unknown: the TCP peer, or, when the peer is a trusted proxy, the
     * address its forwarding header names (with port 0).
     */
    InetSocketAddress remoteAddress();

    /**
     * The client's IP address as text, {@code 192.0.2.7} or {@code 0:0:0:0:0:0:0:1}, or {@code null} when unknown:
     * what {@code ${client.ip}} renders and the access log writes.
     */
    default String clientAddress() {
        InetSocketAddress address = remoteAddress();
        if (address == null) {
            return null;
        }
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }

    /** The body's length in bytes. */
    long bodyLength();

    /** A copy of the body. */
    byte[] bodyBytes();

    /** The body decoded with the charset named by {@code Content-Type}, UTF-8 when none is named. */
    String bodyText();

    /** The body decoded with the given charset. */
    String bodyText(Charset charset);

    /** A stream over the body, without copying it. */
    InputStream bodyStream();

    /** Lookups for templates: {@code ${json:/a/b}}, {@code ${form.name}}, ... with parsed forms cached. */
    RequestValues values();
}
