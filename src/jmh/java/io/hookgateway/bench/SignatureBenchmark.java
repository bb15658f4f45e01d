package io.hookgateway.bench;

import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.Authenticator;
import io.hookgateway.hooks.Authenticator.Verdict;
import io.hookgateway.hooks.FakeHookRequest;
import io.hookgateway.hooks.HeaderFields;
import io.hookgateway.processors.OptionParsing;
import io.hookgateway.security.signatures.SenderPresets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The signature check of a signed webhook: GitHub's preset ({@code auth: {type: github}}, HMAC-SHA256 of the body,
 * hex in {@code X-Hub-Signature-256}), built from its options as the loader builds it and judging a request with a
 * good signature, over a 1 KiB and a 64 KiB body. The replay cache's claim of the delivery is part of each check, as
 * in production; the benchmark then gives the claim back ({@link Verdict#refuse}, what happens when a later check of
 * the same hook refuses), so the same signed body passes again. Building the request's four header fields is in the
 * figures too (a few hundred bytes of what {@code -prof gc} gives). What it costs is what a hook with
 * {@code auth: github} adds to each request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SignatureBenchmark {

    private static final String SECRET = "It's a Secret to Everybody";

    @Param({"1024", "65536"})
    public int bodyBytes;

    private Authenticator github;
    private FakeHookRequest request;
    private String signature;
    private long delivery;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        OptionParsing parsing = new OptionParsing();
        ConfigNode node = parsing.node("hooks[0].auth.github", "secret: \"" + SECRET + "\"");
        github = new SenderPresets.GitHub().parse(node, OptionParsing.hook("deploy", Path.of(".")));
        if (!parsing.messages().isEmpty()) {
            throw new IllegalStateException(parsing.messages().toString());
        }
        byte[] body = Requests.json(bodyBytes).getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        request = FakeHookRequest.builder().method("POST").path("/deploy").body(body).build();
        // Twice: a check that refused (a replay, say) would measure the wrong path.
        for (int i = 0; i < 2; i++) {
            Verdict verdict = check();
            if (!verdict.passed()) {
                throw new IllegalStateException("the signed request does not pass: " + verdict);
            }
            verdict.refuse();
        }
    }

    @Benchmark
    public boolean checkGitHubSignature() {
        Verdict verdict = check();
        verdict.refuse();
        return verdict.passed();
    }

    private Verdict check() {
        HeaderFields headers = HeaderFields.builder(4)
                .add("Content-Type", "application/json")
                .add("X-GitHub-Event", "push")
                .add("X-GitHub-Delivery", Long.toHexString(++delivery))
                .add("X-Hub-Signature-256", signature)
                .build();
        return github.check(new FirstSeen(request, headers));
    }
}
