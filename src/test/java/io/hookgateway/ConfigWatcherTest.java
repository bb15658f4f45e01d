package io.hookgateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookgateway.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch of the configuration file: a burst of events is one change, a change is a change of content (so a file
 * rewritten as it was, or another file of the directory, is none), and the file replaced by a rename, deleted, or put
 * back is followed as well as one written in place.
 */
class ConfigWatcherTest {

    private static final Duration QUIET = Duration.ofMillis(150);
    private static final Duration SEEN = Duration.ofSeconds(10);

    @TempDir
    Path directory;

    private Path file;
    private final AtomicInteger changes = new AtomicInteger();
    private ConfigWatcher watcher;

    @BeforeEach
    void watch() throws Exception {
        file = directory.resolve("gateway.yaml");
        write(file, "version: 0\n");
        watcher = new ConfigWatcher(file, QUIET, changes::incrementAndGet);
    }

    @AfterEach
    void stop() {
        watcher.close();
    }

    private static void write(Path path, String text) throws Exception {
        Files.writeString(path, text, StandardCharsets.UTF_8);
    }

    /** Waits until the watcher has compared the content after the events so far, and returns what it counted then. */
    private int afterTheNextCheck(int checksBefore) throws Exception {
        Await.until(SEEN, "the watcher compared the file's content", () -> watcher.checks() > checksBefore);
        return changes.get();
    }

    @Test
    void aBurstOfWritesIsOneChange() throws Exception {
        int before = watcher.checks();
        for (int i = 1; i <= 20; i++) {
            write(file, "version: " + i + "\n");
        }

        assertThat(afterTheNextCheck(before)).isEqualTo(1);
        assertThat(watcher.checks()).isEqualTo(before + 1);
    }

    @Test
    void theSameContentWrittenAgainIsNoChange() throws Exception {
        int before = watcher.checks();
        write(file, "version: 0\n");

        assertThat(afterTheNextCheck(before)).isZero();
    }

    @Test
    void anotherFileOfTheDirectoryIsNoChange() throws Exception {
        int before = watcher.checks();
        write(directory.resolve("gateway.yaml~"), "a backup\n");

        assertThat(afterTheNextCheck(before)).isZero();
    }

    @Test
    void aReplacementByRenameIsAChangeAndTheNewFileIsFollowed() throws Exception {
        for (int i = 1; i <= 3; i++) {
            Path temporary = directory.resolve(".gateway.yaml.swp");
            write(temporary, "version: " + i + "\n");
            int before = watcher.checks();
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            assertThat(afterTheNextCheck(before)).isEqualTo(i);
        }
    }

    @Test
    void aDeletedFileIsAChangeAndSoIsItsReturn() throws Exception {
        int before = watcher.checks();
        Files.delete(file);
        assertThat(afterTheNextCheck(before)).isEqualTo(1);

        before = watcher.checks();
        write(file, "version: 0\n");
        assertThat(afterTheNextCheck(before)).isEqualTo(2);
    }

    @Test
    void aFileRewrittenWithoutPauseStillChangesWithinTheLongestDelay() throws Exception {
        long start = System.nanoTime();
        int i = 0;
        while (changes.get() == 0) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ConfigWatcher.MAX_DELAY.multipliedBy(3));
            write(file, "version: " + ++i + "\n");
            Thread.sleep(QUIET.toMillis() / 3);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(ConfigWatcher.MAX_DELAY);
    }
}
