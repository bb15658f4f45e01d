package io.hookgateway.processors.respond;

import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.hooks.HookProcessor;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.HookResponse;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.processors.ProcessorType;
import io.hookgateway.processors.template.Template;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code respond}: answers with a status, headers and a body from the configuration, the body and header values being
 * templates over the request. The seed's hook is {@code respond} with {@code body: SUCCESS}.
 *
 * <pre>
 * processor:
 *   type: respond
 *   status: 200                       # 200..599
 *   content-type: text/plain          # optional; no Content-Type is sent without it
 *   headers: {X-Hook: "${hook.name}"} # optional, values are templates
 *   body: "Hello ${path.name}"        # a template; empty by default
 * </pre>
 */
public final class RespondProcessorType implements ProcessorType<RespondProcessorType.Options> {

    /** The validated options: a status and templates for the header values and the body. */
    public record Options(int status, Map<String, Template> headers, Template body) {
        public Options {
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }
    }

    @Override
    public String name() {
        return "respond";
    }

    @Override
    public Options parseOptions(ConfigNode node, ProcessorContext.Static context) {
        int status = node.integer("status", 200, 200, 599);
        Map<String, Template> headers = new LinkedHashMap<>();
        String contentType = node.string("content-type", null);
        if (contentType != null) {
            Template t = Template.read(node, "content-type", null, context);
            if (t != null) {
                headers.put("Content-Type", t);
            }
        }
        ConfigNode headerNode = node.object("headers");
        if (headerNode != null) {
            for (String name : headerNode.names()) {
                if (!HeaderFields.isValidName(name)) {
                    headerNode.problem(name, "is not a valid header name; use letters, digits and - only");
                } else if (HeaderFields.isFramingName(name)) {
                    headerNode.problem(name, "is set by the gateway itself; remove it");
                } else if (name.equalsIgnoreCase("Content-Type") && contentType != null) {
                    headerNode.problem(name, "repeats content-type; set the Content-Type in one place");
                } else {
                    Template t = Template.read(headerNode, name, null, context);
                    if (t != null) {
                        headers.put(name, t);
                    }
                }
            }
        }
        // The body is written for its Content-Type: a request value cannot break out of a JSON string, say.
        Template body = Template.readDocument(node, "body", "", context, Template.declaredContentType(headers));
        if (status == 204 && body != null && !(body.isConstant() && body.constantValue().isEmpty())) {
            node.problem("body", "is not sent with status 204 (No Content); remove it, or use status 200");
        }
        node.finish();
        return new Options(status, headers, body == null ? Template.compile("") : body);
    }

    @Override
    public HookProcessor create(Options options, ProcessorContext context) {
        return new RespondProcessor(options);
    }

    /** Renders the answer; when nothing in it depends on the request, the answer is built once and reused. */
    static final class RespondProcessor implements HookProcessor {

        private final Options options;
        private final CompletableFuture<HookResponse> constant;

        RespondProcessor(Options options) {
            this.options = options;
            boolean isConstant = options.body().isConstant();
            for (Template t : options.headers().values()) {
                isConstant &= t.isConstant();
            }
            this.constant = isConstant ? CompletableFuture.completedFuture(render(null)) : null;
        }

        @Override
        public boolean readsBody() {
            return options.body().readsBody() || options.headers().values().stream().anyMatch(Template::readsBody);
        }

        @Override
        public CompletionStage<HookResponse> process(HookRequest request) {
            if (constant != null) {
                return constant;
            }
            return CompletableFuture.completedFuture(render(request));
        }

        private HookResponse render(HookRequest request) {
            HeaderFields.Builder headers = HeaderFields.builder(options.headers().size());
            for (Map.Entry<String, Template> e : options.headers().entrySet()) {
                headers.add(e.getKey(), HeaderFields.safeValue(e.getValue().render(request)));
            }
            // Exactly ${body} echoes the body's bytes as they came, as forward, mqtt and command stdin do.
            byte[] body = options.body().isWholeBody() ? request.bodyBytes()
                    : options.body().render(request).getBytes(StandardCharsets.UTF_8);
            return HookResponse.of(options.status(), headers.build(), body);
        }
    }
}
