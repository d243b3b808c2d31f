package io.crvecdb.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void speaksThePeerHarnessContractOnASmallDataset() throws IOException {
        writeDataset(dir, 2000, 50, 16);
        Run run = run("bench", "--data", dir.toString(), "--threads", "2", "--ef-search", "10,default", "--runs", "1");

        assertThat(run.exitCode).as(run.err).isZero();
        List<String> lines = run.out.lines().toList();
        assertThat(lines).hasSize(3).allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
        Map<String, String> build = fields(lines.get(0));
        assertThat(build).containsEntry("lib", "crvecdb").containsEntry("phase", "build").containsEntry("n", "2000")
                .containsEntry("dim", "16").containsEntry("threads", "2").containsEntry("metric", "l2")
                .containsKeys("vectors_per_sec", "seconds", "rss_mb", "heap_used_mb", "data_mb", "vectorization");
        Map<String, String> search = fields(lines.get(2));
        assertThat(search).containsEntry("phase", "search").containsEntry("ef", "100").containsKey("recall@100")
                .containsKeys("qps", "p50_ms", "p99_ms", "recall@1");
        assertThat(Double.parseDouble(search.get("recall@10"))).isGreaterThan(0.95);
        assertThat(run.err).contains("building 100%");
    }

    @Test
    void badInputGetsOneLineAndANonZeroExit() throws IOException {
        Run missing = run("bench", "--data", dir.resolve("nope").toString());
        assertThat(missing.exitCode).isEqualTo(1);
        assertThat(missing.err.strip()).isEqualTo("crvecdb bench: --data " + dir.resolve("nope") + " is not a directory");

        Files.createDirectories(dir.resolve("empty"));
        Run notADataset = run("bench", "--data", dir.resolve("empty").toString());
        assertThat(notADataset.exitCode).isEqualTo(1);
        assertThat(notADataset.err).contains("no meta.json").doesNotContain("Exception");

        Run badNumber = run("bench", "--data", dir.toString(), "--k", "ten");
        assertThat(badNumber.exitCode).isEqualTo(2);
        assertThat(badNumber.err).contains("Invalid value for option '--k'");
    }

    @Test
    void parsesEfLists() {
        assertThat(BenchCommand.parseEfSearch("10, 20,default", 77)).containsExactly(10, 20, 77);
        assertThatThrownBy(() -> BenchCommand.parseEfSearch("10,x", 77)).hasMessageContaining("'x' is not a number");
        assertThatThrownBy(() -> BenchCommand.parseEfSearch("0", 77)).hasMessageContaining("must be positive, got 0");
    }

    @Test
    void recallAndPercentileFollowTheHarness() {
        int[][] truth = {{1, 2, 3}, {4, 5, 6}};
        assertThat(BenchCommand.recall(new int[][] {{1, 2, 9}, {6, 5, 4}}, truth, 3)).isEqualTo((2.0 / 3 + 1) / 2);
        assertThat(BenchCommand.percentile(new double[] {1, 2, 3, 4}, 50)).isEqualTo(2);
        assertThat(BenchCommand.percentile(new double[] {1, 2, 3, 4}, 99)).isEqualTo(4);
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = CrvecdbCommand.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Parses a flat JSON line into raw value strings (quotes stripped). */
    private static Map<String, String> fields(String json) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (String pair : json.substring(1, json.length() - 1).split(", (?=\")")) {
            String[] kv = pair.split(": ", 2);
            fields.put(kv[0].replace("\"", ""), kv[1].replace("\"", ""));
        }
        return fields;
    }

    /** A Gaussian-cluster L2 dataset with exact ground truth (100 neighbours), in the harness layout. */
    private static void writeDataset(Path dir, int n, int queries, int dim) throws IOException {
        Random random = new Random(3);
        float[][] centers = new float[20][dim];
        for (float[] c : centers) {
            for (int d = 0; d < dim; d++) {
                c[d] = (float) random.nextGaussian() * 4;
            }
        }
        float[][] base = new float[n][];
        float[][] query = new float[queries][];
        for (float[][] set : new float[][][] {base, query}) {
            for (int i = 0; i < set.length; i++) {
                float[] c = centers[random.nextInt(centers.length)];
                set[i] = new float[dim];
                for (int d = 0; d < dim; d++) {
                    set[i][d] = c[d] + (float) random.nextGaussian();
                }
            }
        }
        int[][] truth = new int[queries][];
        for (int q = 0; q < queries; q++) {
            float[] v = query[q];
            truth[q] = IntStream.range(0, n).boxed()
                    .sorted(Comparator.comparingDouble(i -> squareDistance(v, base[i]))).limit(100).mapToInt(i -> i).toArray();
        }
        writeVecs(dir.resolve("base.fvecs"), base);
        writeVecs(dir.resolve("query.fvecs"), query);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve("groundtruth.ivecs")))) {
            for (int[] row : truth) {
                ByteBuffer buf = ByteBuffer.allocate(4 + 4 * row.length).order(ByteOrder.LITTLE_ENDIAN).putInt(row.length);
                Arrays.stream(row).forEach(buf::putInt);
                out.write(buf.array());
            }
        }
        Files.writeString(dir.resolve("meta.json"), "{\"name\": \"clusters\", \"metric\": \"l2\", \"dim\": " + dim
                + ", \"n_base\": " + n + "}");
    }

    private static void writeVecs(Path file, float[][] vectors) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            for (float[] v : vectors) {
                ByteBuffer buf = ByteBuffer.allocate(4 + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN).putInt(v.length);
                for (float x : v) {
                    buf.putFloat(x);
                }
                out.write(buf.array());
            }
        }
    }

    private static double squareDistance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return sum;
    }
}
