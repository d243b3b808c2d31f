package io.crvecdb.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

/** Small datasets in the harness's TEXMEX layout, with exact truth computed here by sorting. */
final class TestDatasets {

    private TestDatasets() {
    }

    /** Gaussian clusters: base and query vectors, truth over every base vector, meta.json. */
    static void write(Path dir, String metric, int n, int queries, int dim, long seed) throws IOException {
        Files.createDirectories(dir);
        float[][] base = clustered(n, dim, new Random(seed));
        float[][] query = clustered(queries, dim, new Random(seed + 1));
        writeFvecs(dir.resolve("base.fvecs"), base);
        writeFvecs(dir.resolve("query.fvecs"), query);
        writeIvecs(dir.resolve("groundtruth.ivecs"), truth(base, query, metric.equals("cosine"), 100));
        Files.writeString(dir.resolve("meta.json"), "{\"name\": \"" + dir.getFileName() + "\", \"metric\": \"" + metric
                + "\", \"dim\": " + dim + ", \"n_base\": " + n + ", \"n_query\": " + queries + "}\n");
    }

    static float[][] clustered(int count, int dim, Random random) {
        float[][] centres = new float[10][dim];
        for (float[] centre : centres) {
            for (int d = 0; d < dim; d++) {
                centre[d] = (float) random.nextGaussian() * 3;
            }
        }
        float[][] vectors = new float[count][dim];
        for (float[] v : vectors) {
            float[] centre = centres[random.nextInt(centres.length)];
            for (int d = 0; d < dim; d++) {
                v[d] = centre[d] + (float) random.nextGaussian();
            }
        }
        return vectors;
    }

    /** Per query, the ids of the {@code depth} nearest base vectors, by a full sort. */
    static int[][] truth(float[][] base, float[][] queries, boolean cosine, int depth) {
        int[][] truth = new int[queries.length][];
        for (int q = 0; q < queries.length; q++) {
            float[] query = queries[q];
            Comparator<Integer> nearestFirst = Comparator.comparingDouble(
                    i -> cosine ? -cosine(query, base[i]) : squaredDistance(query, base[i]));
            truth[q] = IntStream.range(0, base.length).boxed().sorted(nearestFirst)
                    .limit(Math.min(depth, base.length)).mapToInt(Integer::intValue).toArray();
        }
        return truth;
    }

    static void writeFvecs(Path file, float[][] vectors) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            for (float[] v : vectors) {
                ByteBuffer record = ByteBuffer.allocate(4 + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN).putInt(v.length);
                for (float x : v) {
                    record.putFloat(x);
                }
                out.write(record.array());
            }
        }
    }

    static void writeIvecs(Path file, int[][] rows) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int[] row : rows) {
                ByteBuffer record = ByteBuffer.allocate(4 + 4 * row.length).order(ByteOrder.LITTLE_ENDIAN).putInt(row.length);
                for (int id : row) {
                    record.putInt(id);
                }
                out.write(record.array());
            }
        }
    }

    private static double squaredDistance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
        }
        return sum;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            normA += (double) a[i] * a[i];
            normB += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(normA * normB);
    }
}
