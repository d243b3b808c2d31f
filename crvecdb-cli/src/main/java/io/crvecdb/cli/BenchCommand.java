package io.crvecdb.cli;

import io.crvecdb.SearchHit;
import io.crvecdb.VectorIndex;
import io.crvecdb.distance.Vectorization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code crvecdb bench}: the shared peer harness's runner contract (../shared/bench/README.md),
 * so crvecdb sits in the same table as hnswlib, Lucene and JVector. Build once with T threads; warm
 * up 2 s at the first ef; then per ef a recall pass, a k=100 pass when ef ≥ 100, one untimed pass
 * that sizes the timed ones (≥ 0.5 s each), {@code --runs} timed passes with T threads (median), and
 * a single-thread latency pass. Only JSON lines go to stdout; progress and logs go to stderr.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Build an index from a TEXMEX dataset and measure recall, QPS and latency (peer harness contract).")
final class BenchCommand implements Callable<Integer> {

    private static final double MIN_PASS_SECONDS = 0.5;
    private static final double WARMUP_SECONDS = 2.0;

    @Option(names = "--data", required = true, description = "Dataset directory: base.fvecs, query.fvecs, groundtruth.ivecs, meta.json.")
    Path data;
    @Option(names = "--m", defaultValue = "16", description = "Links per node on upper layers (2m on layer 0). Default: ${DEFAULT-VALUE}.")
    int m;
    @Option(names = "--ef-construction", defaultValue = "200", description = "Candidate list size while building. Default: ${DEFAULT-VALUE}.")
    int efConstruction;
    @Option(names = "--ef-search", defaultValue = "10,20,40,80,160,320",
            description = "Comma-separated ef values to search with; 'default' is the index's default ef. Default: ${DEFAULT-VALUE}.")
    String efSearch;
    @Option(names = "--k", defaultValue = "10", description = "Neighbours per query. Default: ${DEFAULT-VALUE}.")
    int k;
    @Option(names = "--threads", description = "Threads for the build and the throughput passes. Default: all cores.")
    int threads = Runtime.getRuntime().availableProcessors();
    @Option(names = "--limit", defaultValue = "0", description = "Index only the first N base vectors.")
    int limit;
    @Option(names = "--queries", defaultValue = "0", description = "Use only the first Q queries.")
    int queries;
    @Option(names = "--runs", defaultValue = "3", description = "Timed throughput passes per ef (the median is reported). Default: ${DEFAULT-VALUE}.")
    int runs;

    @Override
    public Integer call() throws Exception {
        checkPositive("--m", m);
        checkPositive("--ef-construction", efConstruction);
        checkPositive("--k", k);
        checkPositive("--threads", threads);
        checkPositive("--runs", runs);
        if (limit < 0 || queries < 0) {
            throw new IllegalArgumentException("--limit and --queries must be positive");
        }
        BenchData dataset = BenchData.load(data, limit, queries);
        try (VectorIndex index = VectorIndex.builder().dimensions(dataset.dimensions()).metric(dataset.metric())
                .m(m).efConstruction(efConstruction).build()) {
            int[] efs = parseEfSearch(efSearch, index.efSearch());
            System.err.printf("crvecdb %s: %s, %d base x %d dims (%s), %d queries, %d threads, kernels %s%n",
                    CrvecdbCommand.version(), dataset.name(), dataset.base().length, dataset.dimensions(),
                    dataset.metric().configName(), dataset.queries().length, threads, Vectorization.ops().name());
            emit(build(index, dataset));
            measure(index, dataset, efs);
        }
        return 0;
    }

    private Map<String, Object> build(VectorIndex index, BenchData dataset) throws Exception {
        long start = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        try (Progress progress = new Progress("building", dataset.base().length, System.err)) {
            parallel(threads, () -> {
                for (int i; (i = next.getAndIncrement()) < dataset.base().length; ) {
                    index.add(Integer.toString(i), dataset.base()[i]);
                    progress.advance();
                }
            });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rss = procStatusMegabytes("VmRSS");
        double rssPeak = procStatusMegabytes("VmHWM");
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        Map<String, Object> line = header("build");
        line.put("dataset", dataset.name());
        line.put("metric", dataset.metric().configName());
        line.put("n", dataset.base().length);
        line.put("dim", dataset.dimensions());
        line.put("m", m);
        line.put("ef_construction", efConstruction);
        line.put("seconds", round(seconds, 3));
        line.put("vectors_per_sec", round(dataset.base().length / seconds, 1));
        line.put("threads", threads);
        line.put("rss_mb", round(rss, 1));
        line.put("rss_peak_mb", round(rssPeak, 1));
        line.put("heap_used_mb", round((runtime.totalMemory() - runtime.freeMemory()) / 1048576.0, 1));
        line.put("data_mb", round(dataset.baseMegabytes(), 1));
        line.put("runtime", "java " + Runtime.version());
        line.put("vectorization", Vectorization.ops().name());
        line.put("ef_search_default", index.efSearch());
        return line;
    }

    private void measure(VectorIndex index, BenchData dataset, int[] efs) throws Exception {
        float[][] queries = dataset.queries();
        int truthDepth = dataset.truth()[0].length;
        long warmupStart = System.nanoTime();
        do {
            searchAll(index, queries, k, efs[0], 1);
        } while (System.nanoTime() - warmupStart < WARMUP_SECONDS * 1e9);
        for (int ef : efs) {
            int[][] found = searchAll(index, queries, k, ef, 1);
            long passStart = System.nanoTime();
            searchAll(index, queries, k, ef, 1);
            double passSeconds = (System.nanoTime() - passStart) / 1e9;

            Map<String, Object> line = header("search");
            line.put("ef", ef);
            line.put("k", k);
            line.put("recall@1", round(recall(found, dataset.truth(), 1), 4));
            line.put("recall@" + k, round(recall(found, dataset.truth(), Math.min(k, truthDepth)), 4));
            if (ef >= 100 && truthDepth >= 100) {
                line.put("recall@100", round(recall(searchAll(index, queries, 100, ef, 1), dataset.truth(), 100), 4));
            }
            int reps = (int) Math.max(1, Math.ceil(MIN_PASS_SECONDS / Math.max(passSeconds, 1e-6)));
            double[] qps = new double[runs];
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                searchAll(index, queries, k, ef, reps);
                qps[r] = (double) reps * queries.length / ((System.nanoTime() - t0) / 1e9);
            }
            Arrays.sort(qps);
            line.put("qps", round(qps[qps.length / 2], 1));
            line.put("qps_threads", threads);

            double[] latencies = new double[queries.length];
            for (int q = 0; q < queries.length; q++) {
                long t0 = System.nanoTime();
                index.search(queries[q], k, ef, null);
                latencies[q] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(latencies);
            line.put("p50_ms", round(percentile(latencies, 50), 4));
            line.put("p95_ms", round(percentile(latencies, 95), 4));
            line.put("p99_ms", round(percentile(latencies, 99), 4));
            line.put("n_query", queries.length);
            emit(line);
        }
    }

    /** Runs the query set {@code reps} times on the bench threads; returns the last results, by query. */
    private int[][] searchAll(VectorIndex index, float[][] queries, int k, int ef, int reps) throws Exception {
        int[][] results = new int[queries.length][];
        int total = reps * queries.length;
        int chunk = 8;
        AtomicInteger next = new AtomicInteger();
        parallel(threads, () -> {
            for (int from; (from = next.getAndAdd(chunk)) < total; ) {
                for (int i = from, to = Math.min(total, from + chunk); i < to; i++) {
                    int q = i % queries.length;
                    results[q] = ordinals(index.search(queries[q], k, ef, null));
                }
            }
        });
        return results;
    }

    private static int[] ordinals(List<SearchHit> hits) {
        int[] ordinals = new int[hits.size()];
        for (int i = 0; i < ordinals.length; i++) {
            ordinals[i] = Integer.parseInt(hits.get(i).id());
        }
        return ordinals;
    }

    private static void parallel(int threads, Runnable work) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            started.add(Thread.ofPlatform().start(() -> {
                try {
                    work.run();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread thread : started) {
            thread.join();
        }
        if (failure.get() instanceof Exception e) {
            throw e;
        } else if (failure.get() instanceof Error e) {
            throw e;
        }
    }

    /** Parses "10,20,40" (and "default", the index's own ef) into ef values. */
    static int[] parseEfSearch(String spec, int indexDefault) {
        String[] parts = spec.split(",");
        int[] efs = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.equals("default")) {
                efs[i] = indexDefault;
                continue;
            }
            try {
                efs[i] = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--ef-search: '" + part + "' is not a number or 'default' (e.g. 10,20,40)");
            }
            checkPositive("--ef-search", efs[i]);
        }
        return efs;
    }

    /** Mean over queries of |found[:at] ∩ truth[:at]| / at. */
    static double recall(int[][] found, int[][] truth, int at) {
        double sum = 0;
        for (int q = 0; q < found.length; q++) {
            int hits = 0;
            for (int i = 0; i < Math.min(at, found[q].length); i++) {
                for (int j = 0; j < at; j++) {
                    if (found[q][i] == truth[q][j]) {
                        hits++;
                        break;
                    }
                }
            }
            sum += (double) hits / at;
        }
        return sum / found.length;
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    private static void checkPositive(String option, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(option + " must be positive, got " + value);
        }
    }

    private static double procStatusMegabytes(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return -1;
    }

    private static Map<String, Object> header(String phase) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("lib", "crvecdb");
        line.put("version", CrvecdbCommand.version());
        line.put("phase", phase);
        return line;
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private static void emit(Map<String, Object> line) {
        System.out.println(Json.line(line));
        System.out.flush();
    }
}
