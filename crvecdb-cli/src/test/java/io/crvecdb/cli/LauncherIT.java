package io.crvecdb.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/crvecdb} on the packaged jar: the JVM flags it adds take effect, and the JVM's own log
 * warnings go to stderr, because stdout carries the command's output (JSON lines for the peer harness).
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("bin", "crvecdb").toAbsolutePath();
    private static final Path JAR = Path.of("target", "crvecdb.jar").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void benchRunsOnTheVectorApiWithHugePagesAndPrintsOnlyJsonLines() throws Exception {
        // "panama" makes crvecdb fail rather than fall back to its scalar kernels without the Vector API module.
        List<Map<String, Object>> lines = bench("-Dcrvecdb.vectorization=panama");

        assertThat(lines).hasSize(2);
        assertThat(lines.getFirst()).containsEntry("phase", "build")
                .containsEntry("transparent_huge_pages", kernelOffersTransparentHugePages());
        assertThat((String) lines.getFirst().get("vectorization")).startsWith("panama");
    }

    @Test
    void hugePagesTurnOffThroughTheJvmOptions() throws Exception {
        assertThat(bench("-XX:-UseTransparentHugePages").getFirst()).containsEntry("transparent_huge_pages", false);
    }

    @Test
    void jvmLogWarningsGoToStderr() throws Exception {
        // Without transparent huge pages (which would serve it) and without hugetlbfs pages reserved,
        // -XX:+UseLargePages makes the JVM log a warning, which its default logging writes to stdout.
        Cli version = launch("-XX:-UseTransparentHugePages -XX:+UseLargePages", "--version");

        assertThat(version.exitCode()).as(version.err()).isZero();
        assertThat(version.out()).startsWith("crvecdb ").doesNotContain("warning");
        if (reservedHugePages() == 0) {
            assertThat(version.err()).contains("[warning][pagesize] UseLargePages disabled");
        }
    }

    /** Under LC_ALL=C the launcher switches to a UTF-8 locale: ids and paths arrive as typed. */
    @Test
    void idsAndPathsArriveAsTypedUnderAnAsciiLocale() throws Exception {
        Path store = dir.resolve("störe");
        try (io.crvecdb.VectorIndex index = io.crvecdb.VectorIndex.builder().dimensions(2).storage(store).build()) {
            index.add("grüße", new float[] {3, 4});
        }
        Cli get = launch("", Map.of("LC_ALL", "C"), "get", store.toString(), "grüße");

        assertThat(get.exitCode()).as(get.err()).isZero();
        assertThat(Cli.parse(get.out().strip())).containsEntry("id", "grüße").containsEntry("found", true);
    }

    /** A bench of a small dataset through the launcher: its stdout lines, each parsed as JSON. */
    private List<Map<String, Object>> bench(String jvmOptions) throws IOException, InterruptedException {
        TestDatasets.write(dir, "l2", 500, 20, 16, 5);
        Cli bench = launch(jvmOptions, "bench", "--data", dir.toString(), "--threads", "1", "--runs", "1",
                "--ef-search", "10");
        assertThat(bench.exitCode()).as(bench.err()).isZero();
        return bench.jsonLines();
    }

    /** Runs the launcher with {@code jvmOptions} in CRVECDB_JVM_OPTS, on the JDK running this test. */
    private Cli launch(String jvmOptions, String... args) throws IOException, InterruptedException {
        return launch(jvmOptions, Map.of(), args);
    }

    /** The same in an environment with {@code variables} set (LANG removed). */
    private Cli launch(String jvmOptions, Map<String, String> variables, String... args)
            throws IOException, InterruptedException {
        assertThat(JAR).as("the package phase builds the jar the launcher runs").exists();
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("CRVECDB_JVM_OPTS", jvmOptions);
        if (!variables.isEmpty()) {
            builder.environment().remove("LANG");
            builder.environment().putAll(variables);
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the launcher exits").isTrue();
        return new Cli(process.exitValue(), out, Files.readString(err));
    }

    /** The JVM turns -XX:+UseTransparentHugePages off where the kernel's THP mode is "never" (or THP is missing). */
    private static boolean kernelOffersTransparentHugePages() throws IOException {
        Path enabled = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        return Files.isReadable(enabled) && !Files.readString(enabled).contains("[never]");
    }

    private static long reservedHugePages() {
        Long reserved = ProcessMemory.value(Path.of("/proc/meminfo"), "HugePages_Total");
        return reserved == null ? 0 : reserved;
    }
}
