package io.hookgateway.bench;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.RequestValues;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;

/**
 * A request built once, seen as a new one: its own header fields and its own template values, which no template has
 * read yet (templates parse the body lazily and keep what they pointed at for the rest of that request).
 */
final class FirstSeen implements HookRequest {
    private final HookRequest request;
    private final HeaderFields headers;
    private RequestValues values;

    FirstSeen(HookRequest request, HeaderFields headers) {
        this.request = request;
        this.headers = headers;
    }

    @Override
    public RequestValues values() {
        if (values == null) {
            values = new RequestValues(this);
        }
        return values;
    }

    @Override
    public HeaderFields headers() {
        return headers;
    }

    @Override
    public String hookName() {
        return request.hookName();
    }

    @Override
    public String requestId() {
        return request.requestId();
    }

    @Override
    public String method() {
        return request.method();
    }

    @Override
    public String path() {
        return request.path();
    }

    @Override
    public String rawTarget() {
        return request.rawTarget();
    }

    @Override
    public String protocolVersion() {
        return request.protocolVersion();
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        return request.queryParameters();
    }

    @Override
    public Map<String, String> pathVariables() {
        return request.pathVariables();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return request.remoteAddress();
    }

    @Override
    public long bodyLength() {
        return request.bodyLength();
    }

    @Override
    public byte[] bodyBytes() {
        return request.bodyBytes();
    }

    @Override
    public String bodyText() {
        return request.bodyText();
    }

    @Override
    public String bodyText(Charset charset) {
        return request.bodyText(charset);
    }

    @Override
    public InputStream bodyStream() {
        return request.bodyStream();
    }
}
