package io.hookgateway.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The real programs tests drive (curl, promtool, mosquitto, openssl), found on the PATH or in the system directories
 * a non-root PATH may lack. Without one, the test that needs it is skipped, unless {@value #REQUIRE_TOOLS}=1 (as in
 * CI), which fails it instead, naming the Debian package to install.
 */
public final class Tools {

    /** Set to 1 (as CI does) to fail rather than skip when a tool is missing. */
    public static final String REQUIRE_TOOLS = "HOOK_GATEWAY_REQUIRE_TOOLS";

    private static final List<String> SYSTEM_DIRECTORIES = List.of("/usr/sbin", "/usr/local/sbin", "/sbin");

    private Tools() {
    }

    /** The program, if installed. */
    public static Optional<Path> find(String program) {
        List<String> directories = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            directories.addAll(List.of(path.split(File.pathSeparator)));
        }
        directories.addAll(SYSTEM_DIRECTORIES);
        for (String dir : directories) {
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The program; skips the test without it (fails it when tools are required), naming the package. */
    public static Path require(String program, String debianPackage) {
        Optional<Path> found = find(program);
        if (found.isEmpty()) {
            String message = program + " is not installed; install the Debian package " + debianPackage
                    + " (sudo apt-get install " + debianPackage + ")";
            if ("1".equals(System.getenv(REQUIRE_TOOLS))) {
                fail(message);
            }
            Assumptions.assumeTrue(false, message);
        }
        return found.get();
    }
}
