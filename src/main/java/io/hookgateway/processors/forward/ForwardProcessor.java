package io.hookgateway.processors.forward;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.HookResponse;
import io.hookgateway.processors.template.Format;
import io.hookgateway.processors.template.Template;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Relays a request to its downstream. Everything the request contributes (URL, header fields, body, the replacement
 * answer) is rendered when {@link #process} is called, so the attempts that follow never read the request again: its
 * body is released by the gateway once the answer is given, which after a hook timeout may be before they end.
 */
final class ForwardProcessor implements HookProcessor {

    /** What one request sends, rendered once and sent by every attempt. */
    record Outgoing(Target target, DownstreamClient.PoolKey poolKey, HttpMethod method, HeaderFields headers,
                    byte[] body, Set<RetryOn> retryOn, HookResponse replacement) {
    }

    private static final String USER_AGENT = "hook-gateway";
    /** RFC 9110 §9.2.2: methods whose repetition has the effect of one request. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");
    /** What is retried when {@code retry-on} is not set, for an idempotent method and for any other. */
    private static final Set<RetryOn> RETRY_IDEMPOTENT = Collections.unmodifiableSet(EnumSet.allOf(RetryOn.class));
    private static final Set<RetryOn> RETRY_OTHER = Collections.unmodifiableSet(EnumSet.of(RetryOn.CONNECT));

    private final String hookName;
    private final ForwardProcessorType.Options options;
    private final DownstreamClient client;
    private final ForwardMeters meters;
    private final HookProcessor replacement;
    /**
     * The request fields passed on, and the fields set by the configuration instead. Compared ignoring case, so that
     * no request's field names need lower-casing copies.
     */
    private final Set<String> passed = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private final Set<String> configured = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    /** The Content-Type sent with a body the hook writes and gives no Content-Type of its own; else {@code null}. */
    private final String contentType;

    ForwardProcessor(String hookName, ForwardProcessorType.Options options, DownstreamClient client,
                     ForwardMeters meters, HookProcessor replacement) {
        this.hookName = hookName;
        this.options = options;
        this.client = client;
        this.meters = meters;
        this.replacement = replacement;
        configured.addAll(options.headers().keySet());
        passed.addAll(options.passHeaders());
        passed.removeAll(configured);
        if (!options.passesBody()) {
            // A body written by the hook is the gateway's document, escaped for its own format: labelling it with
            // the sender's Content-Type would let a sender make a downstream read a JSON string as a form.
            passed.remove("Content-Type");
        }
        this.contentType = configured.contains("content-type") || options.passesBody()
                || options.body().isConstant() && options.body().constantValue().isEmpty()
                ? null : contentTypeOf(options.body().format());
    }

    /** The Content-Type of a body the hook writes, when none is set under headers: what the template was written as. */
    private static String contentTypeOf(Format format) {
        return switch (format) {
            case JSON -> "application/json";
            case FORM -> "application/x-www-form-urlencoded";
            case MARKUP -> "text/html; charset=utf-8";
            case TEXT -> "text/plain; charset=utf-8";
        };
    }

    String hookName() {
        return hookName;
    }

    ForwardProcessorType.Options options() {
        return options;
    }

    DownstreamClient client() {
        return client;
    }

    ForwardMeters meters() {
        return meters;
    }

    /** The URL, the fields set under headers, the body or the configured answer may read the request's body. */
    @Override
    public boolean readsBody() {
        return options.url().readsBody() || options.body().readsBody()
                || replacement != null && replacement.readsBody()
                || options.headers().values().stream().anyMatch(Template::readsBody);
    }

    @Override
    public CompletionStage<HookResponse> process(HookRequest request) {
        Outgoing out;
        try {
            out = outgoing(request);
        } catch (HookException e) {
            return CompletableFuture.failedFuture(e);
        }
        return new ForwardCall(this, out).start().result();
    }

    private Outgoing outgoing(HookRequest request) {
        Target target = options.url().render(request);
        String method = options.method() != null ? options.method() : request.method();
        byte[] body = options.passesBody() ? request.bodyBytes()
                : options.body().render(request).getBytes(StandardCharsets.UTF_8);
        Set<RetryOn> retryOn = options.retryOn() != null ? options.retryOn()
                : IDEMPOTENT.contains(method) ? RETRY_IDEMPOTENT : RETRY_OTHER;
        DownstreamClient.PoolKey poolKey = new DownstreamClient.PoolKey(target.https(), target.host(), target.port(),
                options.tlsInsecure(), options.maxConnections());
        return new Outgoing(target, poolKey, HttpMethod.valueOf(method), headers(request, target), body, retryOn,
                replacement(request));
    }

    private HeaderFields headers(HookRequest request, Target target) {
        HeaderFields.Builder fields = HeaderFields.builder(options.headers().size() + 4);
        if (!configured.contains("host")) {
            fields.add("Host", target.hostHeader());
        }
        request.headers().forEach((name, value) -> {
            if (passed.contains(name)) {
                fields.add(name, value);
            }
        });
        for (Map.Entry<String, Template> header : options.headers().entrySet()) {
            fields.add(header.getKey(), HeaderFields.safeValue(header.getValue().render(request)));
        }
        if (contentType != null) {
            fields.add("Content-Type", contentType);
        }
        if (!configured.contains("user-agent")) {
            fields.add("User-Agent", USER_AGENT);
        }
        return fields.build();
    }

    /** The configured answer for this request, rendered now while the request is certain to be valid. */
    private HookResponse replacement(HookRequest request) {
        if (replacement == null) {
            return null;
        }
        try {
            return replacement.process(request).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof HookException failure ? failure : e;
        }
    }
}
