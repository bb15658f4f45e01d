package io.hookgateway;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configuration file for changes and says when its content has changed.
 *
 * <p>It watches the file's directory, not the file: editors save by writing a new file and renaming it over the old one
 * (vim, VS Code), and Kubernetes swaps a ConfigMap's files by renaming a link, and in both cases a watch on the old file
 * would go on watching a file nobody reads. Any event in the directory counts, since the file's own name may not be the
 * one that changed (a link into a renamed directory).
 *
 * <p>A save is a burst of events (truncate, write, write, rename); they are waited out until the directory has been
 * quiet for {@code quiet} (at most {@link #MAX_DELAY} after the first), and then the file's SHA-256 is compared with
 * the last one seen: a burst that leaves the content as it was (a touch, an editor's backup file, another file of the
 * directory) is no change. A file that is missing or cannot be read has a content of its own ("none"), so deleting the
 * file is a change, and so is putting it back.
 *
 * <p>The watch runs on a thread of its own, which also calls {@code onChange}; the caller hands the reload on.
 */
final class ConfigWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    /** How long the directory must be quiet before a burst of events is taken as one change. */
    static final Duration DEFAULT_QUIET = Duration.ofMillis(300);
    /** The longest a change waits for the directory to be quiet: a file rewritten without pause still reloads. */
    static final Duration MAX_DELAY = Duration.ofSeconds(2);
    /** How often a directory that was removed (and so is no longer watched) is looked for again. */
    private static final Duration REWATCH_INTERVAL = Duration.ofSeconds(1);
    private static final byte[] NONE = new byte[0];

    private final Path file;
    private final Path directory;
    private final Duration quiet;
    private final Runnable onChange;
    private final WatchService service;
    private final Thread thread;
    private byte[] lastDigest;
    /** Bursts of events waited out and their content compared, changed or not: for tests to know one was seen. */
    private final AtomicInteger checks = new AtomicInteger();
    private volatile boolean closed;

    /**
     * Starts watching. The file's content now is the one changes are measured from.
     *
     * @param quiet how long the directory must be quiet before a burst of events is taken as one change
     * @param onChange told of each change of the file's content, on the watch's thread
     */
    ConfigWatcher(Path file, Duration quiet, Runnable onChange) throws IOException {
        this.file = file.toAbsolutePath().normalize();
        this.directory = this.file.getParent();
        this.quiet = Objects.requireNonNull(quiet, "quiet");
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        this.service = FileSystems.getDefault().newWatchService();
        try {
            register();
        } catch (IOException e) {
            service.close();
            throw e;
        }
        lastDigest = digest();
        thread = new Thread(this::run, "config-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** The directory watched. */
    Path directory() {
        return directory;
    }

    private void register() throws IOException {
        directory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
    }

    private void run() {
        try {
            while (!closed) {
                WatchKey key = service.take();
                boolean watching = consume(key);
                long deadline = System.nanoTime() + MAX_DELAY.toNanos();
                while (true) {
                    long wait = Math.min(quiet.toNanos(), deadline - System.nanoTime());
                    WatchKey more = wait <= 0 ? null : service.poll(wait, TimeUnit.NANOSECONDS);
                    if (more == null) {
                        break;
                    }
                    watching &= consume(more);
                }
                checkContent();
                if (!watching) {
                    rewatch();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException stopped) {
            // closed
        } catch (RuntimeException e) {
            log.error("the configuration file is no longer watched for changes (SIGHUP still reloads it)", e);
        }
    }

    /** Takes a key's events; false when its directory is no longer watched (removed, or renamed away). */
    private static boolean consume(WatchKey key) {
        key.pollEvents();
        return key.reset();
    }

    /** Waits for the directory to be back, then watches it again; its file may have changed meanwhile. */
    private void rewatch() throws InterruptedException {
        log.warn("the directory of the configuration file, {}, is gone; the configuration stays as it was loaded, "
                + "and the directory is watched again when it is back", directory);
        while (!closed) {
            Thread.sleep(REWATCH_INTERVAL.toMillis());
            try {
                register();
                log.info("watching {} again", directory);
                checkContent();
                return;
            } catch (NoSuchFileException stillGone) {
                // next round
            } catch (IOException e) {
                log.warn("cannot watch {} again: {}", directory, e.getMessage());
            }
        }
    }

    /** How many bursts of events have been waited out and the content compared. */
    int checks() {
        return checks.get();
    }

    private void checkContent() {
        byte[] now = digest();
        boolean same = Arrays.equals(now, lastDigest);
        checks.incrementAndGet();
        if (same) {
            return;
        }
        lastDigest = now;
        try {
            onChange.run();
        } catch (RuntimeException e) {
            log.error("a change of the configuration file could not be handled", e);
        }
    }

    /** The SHA-256 of the file's content; {@link #NONE} when it is missing or cannot be read. */
    private byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (IOException e) {
            return NONE;
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform has SHA-256 (MessageDigest's javadoc).
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            service.close();
        } catch (IOException e) {
            log.debug("closing the configuration file's watch", e);
        }
        thread.interrupt();
    }
}
