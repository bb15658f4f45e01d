package io.hookgateway.processors.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;

/**
 * A program that writes down exactly what it was given: {@code record.sh NAME ARG...} writes each argument followed by
 * NUL to {@code NAME.args} and its environment, NUL-separated, to {@code NAME.env}, both in its directory.
 */
final class Recorder {

    private final Path dir;

    private Recorder(Path dir) {
        this.dir = dir;
    }

    static Recorder in(Path dir) throws IOException {
        Path program = dir.resolve("record.sh");
        Files.writeString(program, """
                #!/bin/sh
                out="$1"; shift
                for a in "$@"; do printf '%s\\0' "$a"; done > "$out.args"
                env -0 > "$out.env"
                """);
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new Recorder(dir);
    }

    /** The program's path. */
    Path program() {
        return dir.resolve("record.sh");
    }

    /** The first argument that makes the program write to {@code name.args} and {@code name.env}. */
    String as(String name) {
        return dir.resolve(name).toString();
    }

    /** The arguments recorded under {@code name}, in order. */
    List<String> arguments(String name) throws IOException {
        String args = Files.readString(dir.resolve(name + ".args"), StandardCharsets.UTF_8);
        String[] parts = args.split("\0", -1);
        return Arrays.asList(parts).subList(0, parts.length - 1);
    }

    /** The environment recorded under {@code name}: {@code NAME=value} entries. */
    List<String> environment(String name) throws IOException {
        return Arrays.stream(Files.readString(dir.resolve(name + ".env"), StandardCharsets.UTF_8).split("\0"))
                .filter(e -> !e.isEmpty())
                .toList();
    }

    /** Forgets what was recorded under {@code name}. */
    void clear(String name) throws IOException {
        Files.deleteIfExists(dir.resolve(name + ".args"));
        Files.deleteIfExists(dir.resolve(name + ".env"));
    }
}
