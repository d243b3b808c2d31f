package io.crvecdb.cli;

import io.crvecdb.VectorIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI in a hostile environment (an ASCII locale, a small heap) and on files that are not what they claim. */
class HostileEnvironmentTest {

    @TempDir
    Path dir;

    /**
     * Under LC_ALL=C the JVM decodes arguments as ASCII: an id with other characters arrived
     * mangled, and {@code get} answered "not found" for a record that is there. Run straight on the
     * JVM (bin/crvecdb switches to a UTF-8 locale, see LauncherIT), it is now refused and says why.
     */
    @Test
    void anArgumentTheLocaleCannotDecodeIsRefused() throws Exception {
        Path store = dir.resolve("store");
        try (VectorIndex index = VectorIndex.builder().dimensions(2).storage(store).build()) {
            index.add("grüße", new float[] {3, 4});
        }
        ProcessBuilder builder = java(List.of(), "get", store.toString(), "grüße");
        builder.environment().remove("LANG");
        builder.environment().put("LC_ALL", "C");
        Result get = run(builder);

        assertThat(get.exitCode()).as(get.err()).isEqualTo(2);
        assertThat(get.out()).isEmpty();
        assertThat(get.err()).contains("cannot decode").contains("LC_ALL=C.UTF-8");
    }

    /** A dataset larger than the heap: one line and exit 1, not the JVM's stack trace. */
    @Test
    void importOfADatasetLargerThanTheHeapIsOneLine() throws Exception {
        Path data = Files.createDirectories(dir.resolve("large"));
        Files.writeString(data.resolve("meta.json"), "{\"metric\": \"l2\"}");
        int dim = 128;
        ByteBuffer record = ByteBuffer.allocate(4 + 4 * dim).order(ByteOrder.LITTLE_ENDIAN);
        record.putInt(dim);
        for (int i = 0; i < dim; i++) {
            record.putFloat(0.5f + i);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(data.resolve("base.fvecs")), 1 << 16)) {
            for (int i = 0; i < 100_000; i++) { // 51.6 MB
                out.write(record.array());
            }
        }
        Result imported = run(java(List.of("-Xmx32m"), "import", dir.resolve("store").toString(), "--data",
                data.toString()));

        assertThat(imported.exitCode()).as(imported.err()).isEqualTo(1);
        List<String> lines = imported.err().lines()
                .filter(line -> !line.startsWith("WARNING: Using incubator modules") && !line.startsWith("importing"))
                .toList();
        assertThat(lines).as(imported.err()).singleElement().asString()
                .startsWith("crvecdb: out of memory").contains("CRVECDB_JVM_OPTS=-Xmx");
    }

    /** A meta.json that is not UTF-8 text was reported as "Input length = 1". */
    @Test
    void aMetaJsonThatIsNotUtf8IsNamed() throws Exception {
        Path data = dir.resolve("data");
        TestDatasets.write(data, "l2", 50, 5, 4, 1);
        byte[] meta = Files.readAllBytes(data.resolve("meta.json"));
        byte[] bad = java.util.Arrays.copyOf(meta, meta.length + 1);
        bad[meta.length] = (byte) 0xff;
        Files.write(data.resolve("meta.json"), bad);
        for (String[] args : List.of(new String[] {"import", dir.resolve("store").toString(), "--data", data.toString()},
                new String[] {"bench", "--data", data.toString(), "--runs", "1", "--ef-search", "10"})) {
            Cli cli = Cli.run(args);
            assertThat(cli.exitCode()).isEqualTo(1);
            assertThat(cli.err()).as(String.join(" ", args)).contains("meta.json is not UTF-8 text");
        }
    }

    private record Result(int exitCode, String out, String err) {
    }

    /** The CLI's main class in a child JVM on this test's class path. */
    private static ProcessBuilder java(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                CrvecdbCommand.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private Result run(ProcessBuilder builder) throws Exception {
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process process = builder.redirectError(err.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the CLI exits").isTrue();
        return new Result(process.exitValue(), out, Files.readString(err));
    }
}
