package io.crvecdb.crash;

import io.crvecdb.Metric;
import io.crvecdb.VectorIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * One writer per store, across processes. File locks belong to the process and closing any channel
 * on the lock file releases them all, so a refused second open in this JVM must not let another
 * process in: two writers would each checkpoint over the other's acknowledged writes.
 */
class LockTest {

    @TempDir
    Path dir;

    /** The other process: tries to open the store and add a record; prints what happened. */
    public static void main(String[] args) {
        try (VectorIndex index = VectorIndex.open(Path.of(args[0]))) {
            index.add("from-child", new float[] {0, 1});
            System.out.println("OPENED");
        } catch (RuntimeException e) {
            System.out.println("REFUSED " + e.getMessage());
        }
    }

    private String otherProcess() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-Xmx128m", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), LockTest.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the other process ends").isTrue();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return out.lines().filter(line -> line.startsWith("OPENED") || line.startsWith("REFUSED")).findFirst().orElse(out);
    }

    @Test
    void aRefusedSecondOpenInThisProcessKeepsOtherProcessesOut() throws Exception {
        try (VectorIndex index = VectorIndex.builder().dimensions(2).metric(Metric.L2).storage(dir).build()) {
            index.add("a", new float[] {1, 0});
            assertThat(otherProcess()).startsWith("REFUSED").contains("is open in another process");
            assertThatThrownBy(() -> VectorIndex.open(dir)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in another index of this one");
            assertThat(otherProcess()).as("another process, after a refused open in this one").startsWith("REFUSED");
            index.add("b", new float[] {0.5f, 0.5f});
        }
        assertThat(otherProcess()).as("once the index is closed").isEqualTo("OPENED");
        try (VectorIndex index = VectorIndex.open(dir)) {
            assertThat(index.contains("a") && index.contains("b") && index.contains("from-child")).isTrue();
        }
    }
    /**
     * A second copy of crvecdb in another class loader (two web applications in one container)
     * does not share the set of held stores; its refused open must still leave the lock alone,
     * even once the garbage collector has been through its channel.
     */
    @Test
    void aRefusedOpenByAnotherCopyOfCrvecdbKeepsOtherProcessesOut() throws Exception {
        URL classes = VectorIndex.class.getProtectionDomain().getCodeSource().getLocation();
        try (VectorIndex index = VectorIndex.builder().dimensions(2).metric(Metric.L2).storage(dir).build()) {
            index.add("a", new float[] {1, 0});
            Throwable refused;
            try (URLClassLoader loader = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
                Class<?> otherCopy = loader.loadClass(VectorIndex.class.getName());
                assertThat(otherCopy).isNotSameAs(VectorIndex.class);
                refused = catchThrowable(() -> otherCopy.getMethod("open", Path.class).invoke(null, dir));
            }
            assertThat(refused).isInstanceOf(InvocationTargetException.class);
            assertThat(refused.getCause()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is open in another process, or in another index of this one");
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(100);
            }
            assertThat(otherProcess()).as("another process, after the refused open").startsWith("REFUSED");
        }
    }
}
