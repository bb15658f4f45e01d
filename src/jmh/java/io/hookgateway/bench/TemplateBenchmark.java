package io.hookgateway.bench;

import io.hookgateway.hooks.FakeHookRequest;
import io.hookgateway.processors.template.Format;
import io.hookgateway.processors.template.Template;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rendering a typical IFTTT answer or forward body: a JSON template with a path variable, three values of the JSON
 * body and the request id ({@link #TEMPLATE}), against IFTTT's "Make a web request" body. Each render is of a request
 * not seen before, so it includes reading the body's JSON once (templates parse it lazily and keep what they pointed
 * at for the rest of that request). Run with {@code -prof gc} for bytes per render.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TemplateBenchmark {

    static final String TEMPLATE = "{\"event\": \"${path.event}\", \"state\": \"${json:/value1}\", "
            + "\"room\": \"${json:/value2:-hall}\", \"level\": \"${json:/value3:-100}\", \"id\": \"${request.id}\", "
            + "\"received\": true}";

    private Template template;
    private FakeHookRequest sent;

    @Setup(Level.Trial)
    public void setUp() {
        template = Template.compileDocument(TEMPLATE, Format.JSON);
        sent = FakeHookRequest.builder().method("POST").path("/ifttt/lights").requestId("6c3a6be97f469479")
                .pathVariable("event", "lights").header("Content-Type", "application/json")
                .body("{\"value1\":\"on\",\"value2\":\"kitchen\",\"value3\":\"42\"}").build();
        String rendered = template.render(new FirstSeen(sent, sent.headers()));
        if (!rendered.contains("\"room\": \"kitchen\"") || !rendered.contains("\"event\": \"lights\"")) {
            throw new IllegalStateException("unexpected render: " + rendered);
        }
    }

    @Benchmark
    public String renderJsonTemplate() {
        return template.render(new FirstSeen(sent, sent.headers()));
    }
}
