package io.hookgateway.processors.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.Await;
import io.hookgateway.testing.RawHttp;
import io.hookgateway.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code command} processor with real child processes: exit codes to statuses, captured output and its cap,
 * standard input from the body, the working directory, a timeout that kills the whole process tree, asynchronous runs
 * with their state URL, and streamed output that arrives while the program still runs.
 */
class CommandEndToEndTest {

    private static Path dir;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("hook-gateway-command");
        script("exit-with.sh", "echo \"out $1\"; echo \"err $1\" >&2; exit \"$1\"");
        script("cat-stdin.sh", "cat; echo; pwd");
        script("chatty.sh", "i=0; while [ $i -lt 5000 ]; do echo 'a line of output that goes on'; i=$((i+1)); done");
        // Starts a grandchild, records both pids, and waits: the timeout must kill both.
        script("tree.sh", "sleep 300 & echo $! > \"$1/child.pid\"; echo $$ > \"$1/parent.pid\"; wait");
        // Writes a line, then waits for the test to create a file before writing the next.
        script("slow-lines.sh", "echo first; while [ ! -f \"$1/go\" ]; do sleep 0.05; done; echo second");
        gateway = TestGateway.start("""
                server: {access-log: false}
                hooks:
                  - name: exit
                    path: /exit/{code}
                    processor:
                      type: command
                      command: [%1$s/exit-with.sh, "${path.code}"]
                      exit-codes: {3: 404, 4: 422, default: 502}
                  - name: stdout
                    path: /stdout/{code}
                    processor:
                      type: command
                      command: [%1$s/exit-with.sh, "${path.code}"]
                      output: stdout
                  - name: combined
                    path: /combined
                    processor:
                      type: command
                      command: [%1$s/exit-with.sh, "0"]
                      output: combined
                  - name: stdin
                    path: /stdin
                    processor:
                      type: command
                      command: [%1$s/cat-stdin.sh]
                      stdin: "${body}"
                      working-directory: %1$s
                      output: stdout
                  - name: chatty
                    path: /chatty
                    processor:
                      type: command
                      command: [%1$s/chatty.sh]
                      output: stdout
                      max-output-size: 1KiB
                  - name: tree
                    path: /tree
                    timeout: 500ms
                    processor:
                      type: command
                      command: [%1$s/tree.sh, %1$s]
                  - name: async
                    path: /async/{code}
                    processor:
                      type: command
                      command: [%1$s/exit-with.sh, "${path.code}"]
                      async: true
                      output: stdout
                  - name: stream
                    path: /stream
                    processor:
                      type: command
                      command: [%1$s/slow-lines.sh, %1$s]
                      stream: true
                """.formatted(dir));
    }

    private static void script(String name, String body) throws IOException {
        Path path = dir.resolve(name);
        Files.writeString(path, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    private static RawHttp.Response request(String method, String path, String body) throws IOException {
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send(method + " " + path + " HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body);
            return client.read();
        }
    }

    @Test
    void countsAnAsyncHookOnceAmongTheConfiguredHooksThoughItAlsoRoutesItsStateUrl() throws Exception {
        HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(gateway.metricsUri("/metrics")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(scrape.body()).containsPattern("(?m)^hook_gateway_hooks 8\\.0$");
    }

    @Test
    void mapsExitCodesToStatuses() throws Exception {
        assertThat(request("POST", "/exit/0", "").status()).isEqualTo(200);
        assertThat(request("POST", "/exit/3", "").status()).isEqualTo(404);
        assertThat(request("POST", "/exit/4", "").status()).isEqualTo(422);
        RawHttp.Response unmapped = request("POST", "/exit/9", "");
        assertThat(unmapped.status()).isEqualTo(502);
        assertThat(unmapped.header("X-Exit-Code")).isEqualTo("9");
        assertThat(unmapped.bodyText()).isEqualTo("command exited with 9\n");
    }

    @Test
    void answersWithStdoutOrBothStreamsWhenAsked() throws Exception {
        RawHttp.Response failed = request("POST", "/stdout/1", "");
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.bodyText()).isEqualTo("out 1\n");
        assertThat(request("POST", "/combined", "").bodyText()).contains("out 0\n", "err 0\n");
    }

    @Test
    void feedsTheBodyToStdinAndRunsInTheWorkingDirectory() throws Exception {
        RawHttp.Response answer = request("POST", "/stdin", "line one\nline two");
        assertThat(answer.bodyText()).isEqualTo("line one\nline two\n" + dir.toRealPath() + "\n");
    }

    @Test
    void capsTheOutputItKeepsAndSaysSo() throws Exception {
        RawHttp.Response answer = request("POST", "/chatty", "");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).hasSize(1024);
        assertThat(answer.header("X-Output-Truncated")).isEqualTo("true");
    }

    @Test
    void killsTheWholeProcessTreeWhenTheHookTimesOut() throws Exception {
        RawHttp.Response answer = request("POST", "/tree", "");
        assertThat(answer.status()).isEqualTo(504);
        long parent = Long.parseLong(Files.readString(dir.resolve("parent.pid")).trim());
        long child = Long.parseLong(Files.readString(dir.resolve("child.pid")).trim());
        Await.until(Duration.ofSeconds(10), "the script and its child are gone",
                () -> ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false) == false
                        && ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false) == false);
    }

    @Test
    void answers202AtOnceAndKeepsTheRunsStateAtItsLocation() throws Exception {
        RawHttp.Response accepted = request("POST", "/async/3", "");
        assertThat(accepted.status()).isEqualTo(202);
        String location = accepted.header("Location");
        assertThat(location).matches("/async/3/executions/[0-9a-f]{16}");
        assertThat(accepted.bodyText()).contains("\"location\":\"" + location + "\"");

        Await.until(Duration.ofSeconds(10), "the run finishes",
                () -> request("GET", location, "").bodyText().contains("\"state\" : \"failed\""));
        String state = request("GET", location, "").bodyText();
        assertThat(state).contains("\"exitCode\" : 3", "\"stdout\" : \"out 3\\n\"", "\"stderr\" : \"err 3\\n\"");
        assertThat(request("GET", "/async/3/executions/0000000000000000", "").status()).isEqualTo(404);
        // The state URL answers GET only, as a resource of the hook.
        assertThat(request("POST", location, "").status()).isEqualTo(405);
    }

    @Test
    void encodesTheDecodedPathBackIntoTheLocation() throws Exception {
        RawHttp.Response accepted = request("POST", "/async/%E2%82%AC%22", "");
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.header("Location")).matches("/async/%E2%82%AC%22/executions/[0-9a-f]{16}");
        assertThat(request("GET", accepted.header("Location"), "").status()).isEqualTo(200);
    }

    @Test
    void stopsAStreamedProgramWhenItsClientGoesAway() throws Exception {
        Files.deleteIfExists(dir.resolve("go"));
        Files.deleteIfExists(dir.resolve("stream-pid"));
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send("POST /stream HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
            readUntil(client.socket().getInputStream(), "first\n");
        }
        // The program waits for 'go' forever; with its client gone it must be stopped, not left to run.
        Await.until(Duration.ofSeconds(10), "no slow-lines.sh is left running", () -> ProcessHandle.allProcesses()
                .noneMatch(p -> p.info().commandLine().orElse("").contains(dir.resolve("slow-lines.sh").toString())));
    }

    @Test
    void streamsOutputWhileTheProgramStillRunsThenTheExitCode() throws Exception {
        Files.deleteIfExists(dir.resolve("go"));
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send("POST /stream HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
            InputStream in = client.socket().getInputStream();
            String head = readUntil(in, "\r\n\r\n");
            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("Transfer-Encoding: chunked\r\n");
            assertThat(readUntil(in, "first\n")).endsWith("first\n");
            // The program is still waiting: the first line came while it ran.
            Files.createFile(dir.resolve("go"));
            // What follows ends the first chunk (CRLF), then come the rest and the last chunk.
            String rest = readUntil(in, "\r\n0\r\n\r\n");
            assertThat(rest).startsWith("\r\n");
            assertThat(dechunk(rest.substring(2))).isEqualTo("second\n\n[exit code 0]\n");
        }
    }

    @Test
    void streamsToAnHttp10ClientUntilTheConnectionCloses() throws Exception {
        Files.deleteIfExists(dir.resolve("go"));
        Files.createFile(dir.resolve("go"));
        try (RawHttp client = RawHttp.connect(gateway.port())) {
            client.send("POST /stream HTTP/1.0\r\nContent-Length: 0\r\n\r\n");
            String all = new String(client.readUntilClosed(), StandardCharsets.UTF_8);
            assertThat(all).startsWith("HTTP/1.1 200 OK\r\n").contains("Connection: close\r\n")
                    .doesNotContain("Transfer-Encoding").endsWith("first\nsecond\n\n[exit code 0]\n");
        }
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (!out.toString(StandardCharsets.UTF_8).endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before '" + end + "': " + out);
            }
            out.write(b);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The data of chunks in {@code text}, assuming each chunk's data holds no CRLF-hex-CRLF pattern. */
    private static String dechunk(String text) {
        StringBuilder data = new StringBuilder();
        Matcher m = Pattern.compile("([0-9a-f]+)\r\n").matcher(text);
        int at = 0;
        while (m.find(at) && m.start() == at) {
            int size = Integer.parseInt(m.group(1), 16);
            data.append(text, m.end(), m.end() + size);
            at = m.end() + size + 2;
        }
        return data.toString();
    }
}
