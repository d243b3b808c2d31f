package io.crvecdb;

import io.crvecdb.dataset.Texmex;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * What the tests share: the TEXMEX datasets, the metric definitions of {@link Metric} in double
 * precision, exact neighbours by brute force, and recall.
 */
public final class Datasets {

    static final String TEXT = "text-wordnet-10k";
    static final String PHOTO = "photo-sift-100k";

    /** A TEXMEX dataset: base vectors (id = ordinal), queries and the exact neighbours of each query. */
    record Dataset(String name, Metric metric, float[][] base, float[][] queries, int[][] truth) {

        int dimensions() {
            return base[0].length;
        }

        List<VectorRecord> records() {
            List<VectorRecord> records = new ArrayList<>(base.length);
            for (int i = 0; i < base.length; i++) {
                records.add(new VectorRecord(id(i), base[i]));
            }
            return records;
        }

        /** An index with the default settings holding every base vector, built with two threads. */
        VectorIndex buildIndex() {
            VectorIndex index = VectorIndex.builder().dimensions(dimensions()).metric(metric).build();
            index.addAll(records(), 2);
            return index;
        }
    }

    private Datasets() {
    }

    /** Loads a shared dataset with its first {@code queries} queries; fails clearly when it is missing. */
    static Dataset load(String name, int queries) {
        Path dir = sharedDir().resolve("data").resolve(name);
        if (!Files.isRegularFile(dir.resolve("base.fvecs"))) {
            throw new IllegalStateException("shared dataset " + name + " not found at " + dir.toAbsolutePath()
                    + " (expected base.fvecs, query.fvecs, groundtruth.ivecs, meta.json)");
        }
        try {
            String meta = Files.readString(dir.resolve("meta.json"));
            Metric metric = Metric.parse(meta.replaceAll("(?s).*\"metric\"\\s*:\\s*\"([^\"]+)\".*", "$1"));
            float[][] base = Texmex.readFvecs(dir.resolve("base.fvecs"));
            float[][] query = Texmex.readFvecs(dir.resolve("query.fvecs"), queries);
            int[][] truth = Texmex.readIvecs(dir.resolve("groundtruth.ivecs"), queries);
            return new Dataset(name, metric, base, query, truth);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shared dataset " + dir.toAbsolutePath(), e);
        }
    }

    /** The folder Surefire names in {@code crvecdb.shared.dir} (the repository's ../shared). */
    private static Path sharedDir() {
        String configured = System.getProperty("crvecdb.shared.dir");
        if (configured == null) {
            throw new IllegalStateException("system property crvecdb.shared.dir is not set; run through Maven "
                    + "(Surefire sets it to <repo>/../shared) or pass -Dcrvecdb.shared.dir=/path/to/shared");
        }
        Path dir = Path.of(configured);
        if (!Files.isDirectory(dir.resolve("data"))) {
            throw new IllegalStateException("shared datasets not found: " + dir.toAbsolutePath().normalize()
                    + "/data does not exist (crvecdb.shared.dir=" + configured + ")");
        }
        return dir;
    }

    /** The id base vector {@code ordinal} is added under. */
    static String id(int ordinal) {
        return Integer.toString(ordinal);
    }

    static int ordinal(SearchHit hit) {
        return Integer.parseInt(hit.id());
    }

    static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::id).toList();
    }

    /** A vector of independent standard Gaussian components. */
    public static float[] gaussian(Random random, int dimensions) {
        float[] v = new float[dimensions];
        for (int d = 0; d < dimensions; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return v;
    }

    /** Distance as documented in {@link Metric}, in double precision. */
    static double distance(Metric metric, float[] q, float[] v) {
        double dot = 0, qq = 0, vv = 0, l2 = 0;
        for (int i = 0; i < q.length; i++) {
            dot += (double) q[i] * v[i];
            qq += (double) q[i] * q[i];
            vv += (double) v[i] * v[i];
            double d = (double) q[i] - v[i];
            l2 += d * d;
        }
        return switch (metric) {
            case L2 -> Math.sqrt(l2);
            case COSINE -> 1 - dot / (Math.sqrt(qq) * Math.sqrt(vv));
            case DOT_PRODUCT -> 1 - dot;
        };
    }

    /** Score as documented in {@link Metric}, in double precision. */
    static double score(Metric metric, float[] q, float[] v) {
        double d = distance(metric, q, v);
        return switch (metric) {
            case L2 -> 1 / (1 + d * d);
            case COSINE, DOT_PRODUCT -> (1 + (1 - d)) / 2; // (1 + cos) / 2 and (1 + q·v) / 2
        };
    }

    /**
     * Indexes of the {@code k} vectors nearest to {@code query} among those {@code keep} accepts,
     * nearest first (ties by index), by brute force in double precision.
     */
    static int[] exactNeighbors(Metric metric, float[][] vectors, float[] query, int k, IntPredicate keep) {
        int[] best = new int[k];
        double[] bestDistance = new double[k];
        int count = 0;
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i] == null || !keep.test(i)) {
                continue;
            }
            double d = distance(metric, query, vectors[i]);
            if (count == k && d >= bestDistance[k - 1]) {
                continue;
            }
            int at = count == k ? k - 1 : count++;
            while (at > 0 && bestDistance[at - 1] > d) { // insertion into the sorted top k
                best[at] = best[at - 1];
                bestDistance[at] = bestDistance[at - 1];
                at--;
            }
            best[at] = i;
            bestDistance[at] = d;
        }
        return Arrays.copyOf(best, count);
    }

    /** |found[:k] ∩ truth[:k]| / k (k shrinks to the size of the truth when fewer exist). */
    static double recall(List<SearchHit> found, int[] truth, int k) {
        Set<String> expected = new HashSet<>();
        Arrays.stream(truth).limit(k).forEach(i -> expected.add(id(i)));
        long hits = found.stream().limit(k).filter(h -> expected.contains(h.id())).count();
        return expected.isEmpty() ? 1 : (double) hits / expected.size();
    }
}
