package io.hookgateway.processors.command;

import io.hookgateway.hooks.HookException;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.processors.template.Template;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command rendered for one request: the argument vector, the environment and the standard input.
 *
 * <p>Request values reach the program only as data. Without a shell, each template is one argument of the vector the
 * kernel gets ({@code execve}), so {@code ;}, {@code |}, {@code $(…)} or a newline in a value is just text. With
 * {@code shell: true} the script is fixed text ({@link ProgramText}), and values reach it only as variables. A value
 * the kernel cannot carry is refused with 400: a NUL byte (it would end the argument early), or more than
 * {@link #MAX_ARGUMENT_BYTES} in one argument or {@link #MAX_TOTAL_BYTES} in all.
 */
record CommandLine(List<String> argv, Map<String, String> environment, byte[] stdin) {

    /** Linux's MAX_ARG_STRLEN: no single argument or variable may be longer. */
    static final int MAX_ARGUMENT_BYTES = 128 * 1024;
    /** Well under ARG_MAX, which the argument vector and environment share. */
    static final int MAX_TOTAL_BYTES = 1024 * 1024;

    static CommandLine render(CommandOptions options, HookRequest request, Map<String, String> inherited) {
        List<String> argv = new ArrayList<>(options.arguments().size() + 3);
        int[] total = {0};
        argv.add(options.program().toString());
        for (int i = 0; i < options.arguments().size(); i++) {
            argv.add(checked(options.arguments().get(i).render(request), "argument " + (i + 1), total));
        }
        Map<String, String> env = new LinkedHashMap<>(inherited);
        for (Map.Entry<String, Template> e : options.environment().entrySet()) {
            env.put(e.getKey(), checked(e.getValue().render(request), "variable " + e.getKey(), total));
        }
        byte[] stdin = null;
        if (options.stdin() != null) {
            stdin = options.stdin().isWholeBody() ? request.bodyBytes()
                    : options.stdin().render(request).getBytes(StandardCharsets.UTF_8);
        }
        return new CommandLine(argv, env, stdin);
    }

    private static String checked(String value, String what, int[] total) {
        if (value.indexOf('\0') >= 0) {
            throw new HookException(400, "a request value in " + what + " of the command holds a NUL byte, "
                    + "which no command argument can carry");
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_ARGUMENT_BYTES) {
            throw new HookException(400, what + " of the command would be " + bytes + " bytes; the most a "
                    + "command argument can be is " + MAX_ARGUMENT_BYTES);
        }
        total[0] += bytes;
        if (total[0] > MAX_TOTAL_BYTES) {
            throw new HookException(400, "the command's arguments and variables would be over " + MAX_TOTAL_BYTES
                    + " bytes; pass large values on standard input instead");
        }
        return value;
    }
}
