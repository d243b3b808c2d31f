package io.crvecdb.cli;

import io.crvecdb.SearchHit;
import io.crvecdb.VectorIndex;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The peer harness's search protocol: 2 s of untimed warm-up at the first ef (so JIT-compiled code
 * is measured warm); then per ef a recall pass, a k=100 pass for recall@100 when ef ≥ 100, one
 * untimed pass that sizes the timed ones (each repeats the query set until it lasts ≥ 0.5 s),
 * {@code runs} timed throughput passes on T threads sharing a work counter (median QPS), and a
 * single-thread latency pass (nearest-rank p50/p95/p99 over one search per query).
 */
final class SearchBenchmark {

    private static final double WARMUP_SECONDS = 2.0;
    private static final double MIN_TIMED_PASS_SECONDS = 0.5;
    /** Queries a thread takes from the shared counter at a time. */
    private static final int CHUNK = 8;

    private final VectorIndex index;
    private final float[][] queries;
    private final int[][] truth;
    private final int k;
    private final int threads;
    private final int runs;

    SearchBenchmark(VectorIndex index, BenchDataset dataset, int k, int threads, int runs) {
        this.index = index;
        this.queries = dataset.queries();
        this.truth = dataset.truth();
        this.k = k;
        this.threads = threads;
        this.runs = runs;
    }

    /** Measures each ef in turn (positive values) and hands over its fields as soon as they are known. */
    void run(int[] efs, Consumer<Map<String, Object>> results) throws InterruptedException {
        long warmupStart = System.nanoTime();
        do {
            searchAll(k, efs[0], 1);
        } while (System.nanoTime() - warmupStart < WARMUP_SECONDS * 1e9);
        for (int ef : efs) {
            results.accept(measure(ef));
        }
    }

    private Map<String, Object> measure(int ef) throws InterruptedException {
        Map<String, Object> fields = new LinkedHashMap<>();
        int truthDepth = truth[0].length;
        int[][] found = searchAll(k, ef, 1);
        long sizingStart = System.nanoTime();
        searchAll(k, ef, 1);
        double passSeconds = (System.nanoTime() - sizingStart) / 1e9;

        fields.put("ef", ef);
        fields.put("k", k);
        fields.put("recall@1", Stats.round(Stats.recall(found, truth, 1), 4));
        fields.put("recall@" + k, Stats.round(Stats.recall(found, truth, Math.min(k, truthDepth)), 4));
        if (ef >= 100 && truthDepth >= 100) {
            fields.put("recall@100", Stats.round(Stats.recall(searchAll(100, ef, 1), truth, 100), 4));
        }
        int reps = (int) Math.max(1, Math.ceil(MIN_TIMED_PASS_SECONDS / Math.max(passSeconds, 1e-6)));
        double[] qps = new double[runs];
        for (int r = 0; r < runs; r++) {
            long start = System.nanoTime();
            searchAll(k, ef, reps);
            qps[r] = (double) reps * queries.length / ((System.nanoTime() - start) / 1e9);
        }
        fields.put("qps", Stats.round(Stats.median(qps), 1));
        fields.put("qps_threads", threads);

        double[] latencies = new double[queries.length];
        for (int q = 0; q < queries.length; q++) {
            long start = System.nanoTime();
            index.search(queries[q], k, ef, null);
            latencies[q] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(latencies);
        fields.put("p50_ms", Stats.round(Stats.percentile(latencies, 50), 4));
        fields.put("p95_ms", Stats.round(Stats.percentile(latencies, 95), 4));
        fields.put("p99_ms", Stats.round(Stats.percentile(latencies, 99), 4));
        fields.put("n_query", queries.length);
        return fields;
    }

    /** Runs the query set {@code reps} times on the bench threads; the last repetition's base ordinals, by query. */
    private int[][] searchAll(int k, int ef, int reps) throws InterruptedException {
        int[][] results = new int[queries.length][];
        int total = reps * queries.length;
        AtomicInteger next = new AtomicInteger();
        Workers.run(threads, () -> {
            for (int from; (from = next.getAndAdd(CHUNK)) < total; ) {
                for (int i = from, to = Math.min(total, from + CHUNK); i < to; i++) {
                    int q = i % queries.length;
                    results[q] = ordinals(index.search(queries[q], k, ef, null));
                }
            }
        });
        return results;
    }

    /** Ids were added as the base ordinals ("0", "1", …); recall compares ordinals. */
    private static int[] ordinals(List<SearchHit> hits) {
        int[] ordinals = new int[hits.size()];
        for (int i = 0; i < ordinals.length; i++) {
            ordinals[i] = Integer.parseInt(hits.get(i).id());
        }
        return ordinals;
    }
}
