package io.crvecdb.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A tmpfs mounted for a test, to have a real full (or read-only) file system. Mounting needs root: where it is
 * impossible, the test is skipped and the reason printed. Shared with the other modules' tests
 * through the core's test jar.
 *
 * <p>As an extension ({@code @RegisterExtension final Tmpfs disk = new Tmpfs("size=3m")}) it
 * mounts a new directory before each test and unmounts it after; the static methods serve a test
 * that mounts a directory of its own.
 */
public final class Tmpfs implements BeforeEachCallback, AfterEachCallback {

    private final String options;
    private Path mountPoint;

    /** @param options mount options, e.g. {@code size=3m} */
    public Tmpfs(String options) {
        this.options = options;
    }

    /** The mounted directory of the running test. */
    public Path mountPoint() {
        return mountPoint;
    }

    /** Changes the options of the mounted tmpfs, e.g. {@code size=64m} to make room. */
    public void remount(String newOptions) {
        remount(mountPoint, newOptions);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        Path directory = Files.createTempDirectory("crvecdb-tmpfs");
        mountOrSkip(directory, options);
        mountPoint = directory;
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (mountPoint != null) {
            unmount(mountPoint);
            Files.delete(mountPoint);
            mountPoint = null;
        }
    }

    /** Mounts a tmpfs with these options (e.g. {@code size=3m}) at the directory, or skips the test saying why. */
    public static void mountOrSkip(Path mountPoint, String options) {
        String failure = run("mount", "-t", "tmpfs", "-o", options, "tmpfs", mountPoint.toString());
        if (failure != null) {
            System.out.println("skipped: cannot mount a tmpfs at " + mountPoint + " (" + failure + ")");
        }
        assumeTrue(failure == null, () -> "cannot mount a tmpfs here (needs root): " + failure);
    }

    /** Changes the options of a mounted tmpfs, e.g. {@code size=64m} to make room. */
    public static void remount(Path mountPoint, String options) {
        assertThat(run("mount", "-o", "remount," + options, mountPoint.toString())).isNull();
    }

    public static void unmount(Path mountPoint) {
        assertThat(run("umount", mountPoint.toString())).isNull();
    }

    /** Runs a command; null if it succeeded, else what it said. */
    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes()).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "timed out";
            }
            return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
