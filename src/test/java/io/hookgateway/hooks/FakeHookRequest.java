package io.hookgateway.hooks;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link HookRequest} held in plain Java objects, for tests of templates and processors that need no socket or
 * Netty buffer. Built with {@link #builder()}; every part has a harmless default (a {@code POST /hook} with no body).
 */
public final class FakeHookRequest implements HookRequest {

    private final String hookName;
    private final String requestId;
    private final String method;
    private final String path;
    private final String rawTarget;
    private final HeaderFields headers;
    private final Map<String, List<String>> query;
    private final Map<String, String> pathVariables;
    private final InetSocketAddress remoteAddress;
    private final byte[] body;
    private RequestValues values;
    private int bodyStreams;

    private FakeHookRequest(Builder b) {
        this.hookName = b.hookName;
        this.requestId = b.requestId;
        this.method = b.method;
        this.path = b.path;
        this.rawTarget = b.query == null ? b.path : b.path + "?" + b.query;
        this.headers = b.headers.build();
        this.query = UrlEncoded.parse(b.query);
        this.pathVariables = Map.copyOf(b.pathVariables);
        this.remoteAddress = b.remoteAddress;
        this.body = b.body.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A request with this body and nothing else of note. */
    public static FakeHookRequest withBody(String body) {
        return builder().body(body).build();
    }

    @Override
    public String hookName() {
        return hookName;
    }

    @Override
    public String requestId() {
        return requestId;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String rawTarget() {
        return rawTarget;
    }

    @Override
    public String protocolVersion() {
        return "HTTP/1.1";
    }

    @Override
    public HeaderFields headers() {
        return headers;
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        return query;
    }

    @Override
    public Map<String, String> pathVariables() {
        return pathVariables;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public long bodyLength() {
        return body.length;
    }

    @Override
    public byte[] bodyBytes() {
        return body.clone();
    }

    @Override
    public String bodyText() {
        return bodyText(StandardCharsets.UTF_8);
    }

    @Override
    public String bodyText(Charset charset) {
        return new String(body, charset);
    }

    @Override
    public InputStream bodyStream() {
        bodyStreams++;
        return new ByteArrayInputStream(body);
    }

    /** How many times {@link #bodyStream()} was called: lazy parsers should read the body at most once. */
    public int bodyStreamCalls() {
        return bodyStreams;
    }

    @Override
    public RequestValues values() {
        if (values == null) {
            values = new RequestValues(this);
        }
        return values;
    }

    /** Collects the parts of a fake request. */
    public static final class Builder {
        private String hookName = "test-hook";
        private String requestId = "req-1";
        private String method = "POST";
        private String path = "/hook";
        private String query;
        private final HeaderFields.Builder headers = HeaderFields.builder();
        private final Map<String, String> pathVariables = new LinkedHashMap<>();
        private InetSocketAddress remoteAddress;
        private byte[] body = new byte[0];

        private Builder() {
        }

        public Builder hookName(String value) {
            hookName = value;
            return this;
        }

        public Builder requestId(String value) {
            requestId = value;
            return this;
        }

        public Builder method(String value) {
            method = value;
            return this;
        }

        public Builder path(String value) {
            path = value;
            return this;
        }

        /** The raw query string, without the {@code ?}: {@code a=1&b=2}. */
        public Builder query(String value) {
            query = value;
            return this;
        }

        public Builder header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        public Builder pathVariable(String name, String value) {
            pathVariables.put(name, value);
            return this;
        }

        public Builder remoteAddress(InetSocketAddress value) {
            remoteAddress = value;
            return this;
        }

        public Builder body(String text) {
            body = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        public Builder body(byte[] bytes) {
            body = bytes.clone();
            return this;
        }

        public FakeHookRequest build() {
            return new FakeHookRequest(this);
        }
    }
}
