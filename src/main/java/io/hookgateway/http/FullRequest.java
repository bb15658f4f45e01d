package io.hookgateway.http;

import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.RequestValues;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A complete request: head, whole body and destination, as {@link FixedLengthBodyAggregator} emits it; or a failed
 * one, carrying the {@link RequestFailure} to answer with.
 *
 * <p>It owns its body (slices of the connection's input, never copied) and is released by the router once the
 * processor's stage completes. To a processor it is a {@link HookRequest}, which says nothing of Netty.
 */
public final class FullRequest extends AbstractReferenceCounted implements HookRequest {

    private final RequestHead head;
    private final ByteBuf body;
    private final Destination destination;
    private final RequestFailure failure;
    private final HookException refusal;
    private final boolean bodyUnread;
    private final InetSocketAddress remoteAddress;
    private String requestId;
    /** {@link #clientAddress()} when the aggregator knew it already (the same peer as the connection's last request). */
    private String clientText;
    private RequestValues values;
    private BodyBudget budget;
    private long budgeted;
    private long droppedBytes;

    private FullRequest(RequestHead head, ByteBuf body, Destination destination, RequestFailure failure,
                        HookException refusal, InetSocketAddress remoteAddress) {
        this.head = head;
        this.body = body;
        this.destination = destination;
        this.failure = failure;
        this.refusal = refusal;
        // A refusal from the head goes before any body: one was announced, so the connection cannot go on.
        this.bodyUnread = refusal != null && head.hasBody();
        this.remoteAddress = remoteAddress;
    }

    private FullRequest(RequestHead head, Destination destination, InetSocketAddress remoteAddress) {
        this.head = head;
        this.body = Unpooled.EMPTY_BUFFER;
        this.destination = destination;
        this.failure = null;
        this.refusal = null;
        this.bodyUnread = true;
        this.remoteAddress = remoteAddress;
    }

    /**
     * A request answered before its body was read, as one no hook takes whose client waits for {@code 100 Continue}:
     * the connection closes after the answer, since the body will not follow.
     */
    public static FullRequest withUnreadBody(RequestHead head, Destination destination,
                                             InetSocketAddress remoteAddress) {
        return new FullRequest(head, destination, remoteAddress);
    }

    /** A complete request; takes ownership of {@code body}. */
    public static FullRequest of(RequestHead head, ByteBuf body, Destination destination,
                                 InetSocketAddress remoteAddress) {
        return new FullRequest(head, body, destination, null, null, remoteAddress);
    }

    /**
     * A request its hook refused from the head ({@link Destination#refuseAtHead}), before any body was read: answered
     * with {@code refusal}; when a body was announced, the connection closes after the answer, since it was not read.
     */
    public static FullRequest refused(RequestHead head, HookException refusal, Destination destination,
                                      InetSocketAddress remoteAddress) {
        return new FullRequest(head, Unpooled.EMPTY_BUFFER, destination, null, refusal, remoteAddress);
    }

    /**
     * A request that is refused with {@code failure}; the connection closes after the answer. The destination is
     * known when the head was read (a body over the hook's limit), so the refusal counts under that hook.
     */
    public static FullRequest failed(RequestHead head, RequestFailure failure, Destination destination,
                                     InetSocketAddress remoteAddress) {
        return new FullRequest(head, Unpooled.EMPTY_BUFFER, destination, failure, null, remoteAddress);
    }

    public RequestHead head() {
        return head;
    }

    /** The body; valid while this request is not released. */
    public ByteBuf body() {
        return body;
    }

    /** Where the request goes, or {@code null} when no hook matched (or the head could not be read). */
    public Destination destination() {
        return destination;
    }

    /** Why the request is refused, or {@code null}. */
    public RequestFailure failure() {
        return failure;
    }

    /** The hook's answer to a request it refused from the head, or {@code null}. */
    public HookException refusal() {
        return refusal;
    }

    /** Whether the answer goes before the body was read, so the connection cannot go on after it. */
    public boolean bodyUnread() {
        return bodyUnread;
    }

    @Override
    public String hookName() {
        return destination == null ? null : destination.hookName();
    }

    @Override
    public String requestId() {
        if (requestId == null) {
            requestId = RequestIds.of(head.headers());
        }
        return requestId;
    }

    @Override
    public String method() {
        return head.method() == null ? "" : head.method().name();
    }

    @Override
    public String path() {
        return head.path();
    }

    @Override
    public String rawTarget() {
        return head.rawTarget();
    }

    @Override
    public String protocolVersion() {
        return head.version().text();
    }

    @Override
    public HeaderFields headers() {
        return head.headers();
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        return head.queryParameters();
    }

    @Override
    public Map<String, String> pathVariables() {
        return destination == null ? Map.of() : destination.pathVariables();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String clientAddress() {
        if (clientText == null) {
            clientText = HookRequest.super.clientAddress();
        }
        return clientText;
    }

    /** Sets {@link #clientAddress()}, which must be the text of {@link #remoteAddress()}. */
    void clientAddress(String text) {
        clientText = text;
    }

    @Override
    public long bodyLength() {
        return body.readableBytes();
    }

    @Override
    public byte[] bodyBytes() {
        return ByteBufUtil.getBytes(body);
    }

    @Override
    public String bodyText() {
        return bodyText(charset());
    }

    @Override
    public String bodyText(Charset charset) {
        return body.toString(charset);
    }

    @Override
    public InputStream bodyStream() {
        return new ByteBufInputStream(body.duplicate());
    }

    @Override
    public RequestValues values() {
        if (values == null) {
            values = new RequestValues(this);
        }
        return values;
    }

    /** The charset named by Content-Type, UTF-8 when none (or an unknown one) is named. */
    private Charset charset() {
        String contentType = head.headers().get("content-type");
        if (contentType == null) {
            return StandardCharsets.UTF_8;
        }
        int at = contentType.toLowerCase(Locale.ROOT).indexOf("charset=");
        if (at < 0) {
            return StandardCharsets.UTF_8;
        }
        String name = contentType.substring(at + "charset=".length());
        int end = name.indexOf(';');
        name = (end < 0 ? name : name.substring(0, end)).trim().replace("\"", "");
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** Records that {@code bytes} of body were read and dropped as they came, since nothing would read them. */
    void dropped(long bytes) {
        droppedBytes = bytes;
    }

    /** The body bytes read for this request, kept or dropped: what the access log and metrics count. */
    public long bytesReceived() {
        return body.readableBytes() + droppedBytes;
    }

    /** Makes this request give {@code bytes} back to {@code budget} when it is released. */
    void holdBudget(BodyBudget budget, long bytes) {
        this.budget = budget;
        this.budgeted = bytes;
    }

    @Override
    protected void deallocate() {
        body.release();
        if (budgeted > 0) {
            budget.release(budgeted);
        }
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        body.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "FullRequest[" + head + ", " + body.readableBytes() + " body bytes"
                + (failure != null ? ", failed: " + failure : "") + "]";
    }
}
