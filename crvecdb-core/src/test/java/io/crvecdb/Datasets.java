package io.crvecdb;

import io.crvecdb.dataset.Texmex;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/** The shared datasets, exact neighbours by brute force, and recall: what every test needs. */
final class Datasets {

    static final String TEXT = "text-wordnet-10k";
    static final String PHOTO = "photo-sift-100k";

    /** A TEXMEX dataset: base vectors (id = ordinal), queries and the exact neighbours of each query. */
    record Dataset(Metric metric, float[][] base, float[][] queries, int[][] truth) {

        List<VectorRecord> records() {
            List<VectorRecord> records = new ArrayList<>(base.length);
            for (int i = 0; i < base.length; i++) {
                records.add(new VectorRecord(Integer.toString(i), base[i]));
            }
            return records;
        }

        VectorIndex buildIndex() {
            VectorIndex index = VectorIndex.builder().dimensions(base[0].length).metric(metric).build();
            index.addAll(records(), 2);
            return index;
        }
    }

    private Datasets() {
    }

    static Dataset load(String name, int queries) {
        Path dir = sharedDir().resolve("data").resolve(name);
        try {
            String meta = Files.readString(dir.resolve("meta.json"));
            Metric metric = Metric.parse(meta.replaceAll("(?s).*\"metric\"\\s*:\\s*\"([^\"]+)\".*", "$1"));
            float[][] base = Texmex.readFvecs(dir.resolve("base.fvecs"));
            float[][] query = Texmex.readFvecs(dir.resolve("query.fvecs"), queries);
            int[][] truth = Texmex.readIvecs(dir.resolve("groundtruth.ivecs"), queries);
            return new Dataset(metric, base, query, truth);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shared dataset " + dir
                    + " (tests expect ../shared beside the project, see ../shared/README.md)", e);
        }
    }

    private static Path sharedDir() {
        String configured = System.getProperty("crvecdb.shared.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(dir.resolve("data"))) {
            throw new IllegalStateException("shared datasets not found at " + dir.toAbsolutePath()
                    + "; set -Dcrvecdb.shared.dir or put shared/ beside the project");
        }
        return dir;
    }

    /** Distance per metric as documented in {@link Metric}, in double precision. */
    static double distance(Metric metric, float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0, l2 = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
            double d = (double) a[i] - b[i];
            l2 += d * d;
        }
        return switch (metric) {
            case L2 -> Math.sqrt(l2);
            case COSINE -> 1 - dot / Math.sqrt(na * nb);
            case DOT_PRODUCT -> 1 - dot;
        };
    }

    /** Score per metric as documented in {@link Metric}. */
    static double score(Metric metric, float[] a, float[] b) {
        double d = distance(metric, a, b);
        return metric == Metric.L2 ? 1 / (1 + d * d) : 1 - d / 2;
    }

    /** Ordinals of the k nearest base vectors that pass {@code keep}, nearest first. */
    static int[] exactNeighbors(Metric metric, float[][] base, float[] query, int k, IntPredicate keep) {
        return IntStream.range(0, base.length).filter(keep).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> distance(metric, query, base[i])).thenComparing(i -> i))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    /** |found[:k] ∩ truth[:k]| / k. */
    static double recall(List<SearchHit> found, int[] truth, int k) {
        Set<String> expected = new HashSet<>();
        Arrays.stream(truth).limit(k).forEach(i -> expected.add(Integer.toString(i)));
        long hits = found.stream().limit(k).filter(h -> expected.contains(h.id())).count();
        return (double) hits / Math.min(k, Math.max(1, expected.size()));
    }
}
