package io.hookgateway.processors.command;

import io.hookgateway.processors.template.Template;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The validated options of a {@code command} hook. See {@link CommandProcessorType} for their meaning.
 *
 * @param program the program, an absolute path (a bare name is found in PATH when the configuration loads)
 * @param arguments the arguments after the program, templates; for {@code shell: true}, {@code -c}, the script
 *                  (fixed text) and the name it sees as {@code $0}
 * @param shell whether the program is {@code /bin/sh} running the script of {@code command}
 * @param workingDirectory where the program runs
 * @param environment the variables the program gets, templates, besides PATH and HOME
 * @param stdin what is written to the program's standard input, or {@code null} for nothing
 * @param exitStatuses the HTTP status for an exit code
 * @param defaultStatus the HTTP status for an exit code that is not in {@code exitStatuses}
 * @param output what the answer's body holds
 * @param maxOutputBytes how much of each output stream is kept, for the answer, the log and execution state
 * @param logOutput whether a failed run's output is logged
 * @param timeout the command's own limit, for async and streamed runs (the hook's timeout covers the others)
 * @param mode sync, async or stream
 * @param async the limits of asynchronous runs
 */
public record CommandOptions(Path program, List<Template> arguments, boolean shell, Path workingDirectory,
                             Map<String, Template> environment, Template stdin, Map<Integer, Integer> exitStatuses,
                             int defaultStatus, Output output, long maxOutputBytes, boolean logOutput,
                             Duration timeout, Mode mode, AsyncLimits async) {

    /** What the answer's body holds. */
    public enum Output {
        /** A one-line summary: {@code command exited with 0}. */
        NONE,
        /** The program's standard output. */
        STDOUT,
        /** Standard output and standard error together, as the program wrote them. */
        COMBINED
    }

    /** When the answer is sent. */
    public enum Mode {
        /** After the program exits, with a status from its exit code. */
        SYNC,
        /** At once, 202 with an execution id; the state is kept readable under the hook's path. */
        ASYNC,
        /** At once, 200, with the program's output streamed as it is written. */
        STREAM
    }

    /**
     * @param maxRunning asynchronous runs of the hook at once
     * @param maxQueued runs that may wait for one of those; beyond, 503
     * @param keep how long a finished run's state stays readable
     * @param maxKept how many finished runs are kept at most (the oldest go first)
     */
    public record AsyncLimits(int maxRunning, int maxQueued, Duration keep, int maxKept) {
    }

    public CommandOptions {
        arguments = List.copyOf(arguments);
        environment = Map.copyOf(environment);
        exitStatuses = Map.copyOf(exitStatuses);
    }

    /** The HTTP status for an exit code. */
    public int statusFor(int exitCode) {
        return exitStatuses.getOrDefault(exitCode, defaultStatus);
    }
}
