package io.hookgateway.processors.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --check} finds a request value that would reach code through a launcher, a code-taking program other than a
 * shell, or standard input, and exits 2 with the key path and the safe form; the safe forms pass.
 */
class CodeInArgumentsCheckTest {

    @TempDir
    Path dir;

    @Test
    void findsRequestValuesThatWouldReachCodeBehindLaunchersAndExits2() throws Exception {
        Path config = Files.writeString(dir.resolve("unsafe.yaml"), """
                hooks:
                  - name: env-sh
                    path: /env-sh
                    processor: {type: command, command: [env, LANG=C, sh, -c, 'echo ${query.x}']}
                  - name: timeout-awk
                    path: /timeout-awk
                    processor: {type: command, command: [timeout, 5, awk, 'BEGIN { print "${query.x}" }']}
                  - name: perl-stdin
                    path: /perl-stdin
                    processor: {type: command, command: [nice, -n, 5, perl], stdin: '${body}'}
                """);

        GatewayCheck.Result check = GatewayCheck.run(config);

        assertThat(check.status()).as(check.output()).isEqualTo(2);
        assertThat(check.output()).contains(
                config + ": hooks[0].processor.command: ${query.x} in command[4], the code sh runs, would put a "
                        + "request value into program text", "env: {X: \"${query.x}\"}, and read it there as \"$X\"",
                config + ": hooks[1].processor.command: ${query.x} in command[3], the code awk runs, would put a "
                        + "request value into program text", "read it there as ENVIRON[\"X\"]",
                config + ": hooks[2].processor.stdin: carries a request value to perl, which reads its code from "
                        + "standard input here");
    }

    @Test
    void passesTheSafeForms() throws Exception {
        Path config = Files.writeString(dir.resolve("safe.yaml"), """
                hooks:
                  - name: env-sh
                    path: /env-sh
                    processor:
                      type: command
                      command: [env, LANG=C, sh, -c, 'echo "$X" "$1"', sh, '${query.y}']
                      env: {X: '${query.x}'}
                  - name: timeout-awk
                    path: /timeout-awk
                    processor:
                      type: command
                      command: [timeout, 5, awk, 'BEGIN { print ENVIRON["X"] }']
                      env: {X: '${query.x}'}
                """);

        GatewayCheck.Result check = GatewayCheck.run(config);

        assertThat(check.status()).as(check.output()).isEqualTo(0);
    }
}
