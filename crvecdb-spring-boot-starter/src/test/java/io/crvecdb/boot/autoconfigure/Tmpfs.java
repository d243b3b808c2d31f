package io.crvecdb.boot.autoconfigure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A tmpfs mounted for a test, to have a real full or read-only file system. Mounting needs root. */
final class Tmpfs {

    private Tmpfs() {
    }

    /** Mounts a tmpfs with these options (e.g. {@code size=3m}) at the directory, or skips the test saying why. */
    static void mountOrSkip(Path mountPoint, String options) {
        String failure = run("mount", "-t", "tmpfs", "-o", options, "tmpfs", mountPoint.toString());
        assumeTrue(failure == null, () -> "cannot mount a tmpfs here (needs root): " + failure);
    }

    static void remount(Path mountPoint, String options) {
        assertThat(run("mount", "-o", "remount," + options, mountPoint.toString())).isNull();
    }

    static void unmount(Path mountPoint) {
        assertThat(run("umount", mountPoint.toString())).isNull();
    }

    /** Runs a command; null if it succeeded, else what it said. */
    private static @Nullable String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes()).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "timed out";
            }
            return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output;
        }
        catch (IOException ex) {
            return ex.getMessage();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

}
