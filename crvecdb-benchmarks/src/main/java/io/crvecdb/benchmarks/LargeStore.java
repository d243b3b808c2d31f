package io.crvecdb.benchmarks;

import io.crvecdb.Metric;
import io.crvecdb.SearchHit;
import io.crvecdb.VectorIndex;
import io.crvecdb.VectorRecord;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A store larger than the heap it is searched with. {@code build DIR N DIMS [efConstruction]}
 * writes N random vectors (vector i is a function of i); {@code search DIR N} opens the store,
 * typically under {@code -Xmx256m}, and checks that random stored vectors find themselves, printing
 * the open time, the heap in use and the search rate.
 */
public final class LargeStore {

    private LargeStore() {
    }

    static float[] vector(int i, int dimensions) {
        SplittableRandom random = new SplittableRandom(i * 0x9E3779B97F4A7C15L);
        float[] v = new float[dimensions];
        for (int d = 0; d < dimensions; d++) {
            v[d] = (float) random.nextDouble(-1, 1);
        }
        return v;
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        if (args[0].equals("build")) {
            int dimensions = Integer.parseInt(args[3]);
            int efConstruction = args.length > 4 ? Integer.parseInt(args[4]) : 100;
            long start = System.nanoTime();
            try (VectorIndex index = VectorIndex.builder().dimensions(dimensions).metric(Metric.L2)
                    .efConstruction(efConstruction).storage(dir).build()) {
                for (int from = 0; from < n; from += 10_000) {
                    List<VectorRecord> batch = new ArrayList<>();
                    for (int i = from; i < Math.min(n, from + 10_000); i++) {
                        batch.add(new VectorRecord(Integer.toString(i), vector(i, dimensions)));
                    }
                    index.addAll(batch, Runtime.getRuntime().availableProcessors());
                    System.err.printf("\r%d / %d", Math.min(n, from + 10_000), n);
                }
            }
            System.out.printf("%nbuilt %d x %d in %.0f s%n", n, Integer.parseInt(args[3]), (System.nanoTime() - start) / 1e9);
            return;
        }
        long start = System.nanoTime();
        try (VectorIndex index = VectorIndex.open(dir)) {
            double openMillis = (System.nanoTime() - start) / 1e6;
            System.gc();
            Runtime runtime = Runtime.getRuntime();
            System.out.printf("opened %d records in %.0f ms; heap used %d MB of max %d MB%n", index.size(), openMillis,
                    (runtime.totalMemory() - runtime.freeMemory()) >> 20, runtime.maxMemory() >> 20);
            SplittableRandom random = new SplittableRandom(1);
            int queries = 2_000;
            int found = 0;
            long searchStart = System.nanoTime();
            for (int q = 0; q < queries; q++) {
                int i = random.nextInt(n);
                List<SearchHit> hits = index.search(vector(i, index.dimensions()), 10);
                if (!hits.isEmpty() && hits.getFirst().id().equals(Integer.toString(i))) {
                    found++;
                }
            }
            double seconds = (System.nanoTime() - searchStart) / 1e9;
            System.out.printf("%d self-searches (one thread, ef %d): %d found themselves first, %.0f QPS%n", queries,
                    index.efSearch(), found, queries / seconds);
        }
    }
}
