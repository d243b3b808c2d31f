package io.crvecdb.benchmarks;

import io.crvecdb.Durability;
import io.crvecdb.Metric;
import io.crvecdb.SearchHit;
import io.crvecdb.VectorIndex;
import io.crvecdb.VectorRecord;
import io.crvecdb.dataset.Texmex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * What durability costs, measured side by side in one JVM on a TEXMEX dataset:
 * <ol>
 *   <li>bulk load (batches of 1,000 through {@code addAll}) in memory, and durable under SYNC
 *       and INTERVAL; single-record adds from every thread (group commit) likewise;</li>
 *   <li>close (the final checkpoint) and reopen of the durable store: open time vs build time;</li>
 *   <li>search QPS and recall@10 from the reopened, memory-mapped store vs the in-memory index,
 *       rounds alternating, medians compared.</li>
 * </ol>
 * Usage: {@code StorageBenchmark DATA_DIR [threads] [ef] [work dir]}; prints one line per result.
 */
public final class StorageBenchmark {

    private static final int BATCH = 1_000;
    private static final int SINGLE_ADDS = 3_000;
    private static final int ROUNDS = 5;

    private StorageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        int ef = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        Path work = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("crvecdb-storage-bench");
        String meta = Files.readString(data.resolve("meta.json"));
        Metric metric = Metric.parse(meta.replaceAll("(?s).*\"metric\"\\s*:\\s*\"([a-z0-9]+)\".*", "$1"));
        float[][] base = Texmex.readFvecs(data.resolve("base.fvecs"));
        float[][] queries = Texmex.readFvecs(data.resolve("query.fvecs"));
        int[][] truth = Texmex.readIvecs(data.resolve("groundtruth.ivecs"), queries.length);
        List<VectorRecord> records = new ArrayList<>(base.length);
        for (int i = 0; i < base.length; i++) {
            records.add(new VectorRecord(Integer.toString(i), base[i]));
        }
        System.out.printf("dataset %s: %d x %d, %s; %d threads; search ef %d%n", data.getFileName(), base.length,
                base[0].length, metric, threads, ef);

        // A throwaway build first, so that every measured build runs on compiled code.
        try (VectorIndex warm = builder(base[0].length, metric).build()) {
            bulkLoad(warm, records.subList(0, Math.min(20_000, records.size())), threads);
        }

        VectorIndex memory = builder(base[0].length, metric).build();
        double memorySeconds = bulkLoad(memory, records, threads);
        report("bulk load, in memory", records.size(), memorySeconds);

        Path store = work.resolve("sync");
        double syncSeconds;
        try (VectorIndex sync = builder(base[0].length, metric).storage(store).build()) {
            syncSeconds = bulkLoad(sync, records, threads);
            report("bulk load, durable SYNC", records.size(), syncSeconds);
            long closeStart = System.nanoTime();
            sync.close();
            System.out.printf("close (final checkpoint) of the %d-record store: %.0f ms, %d MB on disk%n",
                    records.size(), (System.nanoTime() - closeStart) / 1e6, sizeOnDisk(store) >> 20);
        }
        Path interval = work.resolve("interval");
        try (VectorIndex index = builder(base[0].length, metric).storage(interval).durability(Durability.INTERVAL).build()) {
            report("bulk load, durable INTERVAL (100 ms)", records.size(), bulkLoad(index, records, threads));
        }

        List<VectorRecord> singles = records.subList(0, Math.min(SINGLE_ADDS, records.size()));
        try (VectorIndex index = builder(base[0].length, metric).build()) {
            report("single adds, in memory", singles.size(), singleAdds(index, singles, threads));
        }
        try (VectorIndex index = builder(base[0].length, metric).storage(work.resolve("single-sync")).build()) {
            report("single adds, durable SYNC (group commit)", singles.size(), singleAdds(index, singles, threads));
        }
        try (VectorIndex index = builder(base[0].length, metric).storage(work.resolve("single-interval"))
                .durability(Durability.INTERVAL).build()) {
            report("single adds, durable INTERVAL", singles.size(), singleAdds(index, singles, threads));
        }

        long openStart = System.nanoTime();
        try (VectorIndex mapped = VectorIndex.open(store)) {
            double openMillis = (System.nanoTime() - openStart) / 1e6;
            System.out.printf("open of the stored index: %.0f ms (build took %.0f ms: %.1f%%), heap used %d MB%n",
                    openMillis, syncSeconds * 1e3, 100 * openMillis / (syncSeconds * 1e3), usedHeapMegabytes());
            double[] memoryQps = new double[ROUNDS];
            double[] mappedQps = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                memoryQps[round] = qps(memory, queries, ef, threads);
                mappedQps[round] = qps(mapped, queries, ef, threads);
            }
            System.out.printf("search QPS (median of %d alternating rounds, %d threads): in memory %.0f, mapped %.0f: %.2fx%n",
                    ROUNDS, threads, median(memoryQps), median(mappedQps), median(mappedQps) / median(memoryQps));
            System.out.printf("recall@10: in memory %.4f, mapped %.4f%n", recall(memory, queries, truth, ef),
                    recall(mapped, queries, truth, ef));
        }
        memory.close();
        deleteRecursively(work);
    }

    private static VectorIndex.Builder builder(int dimensions, Metric metric) {
        return VectorIndex.builder().dimensions(dimensions).metric(metric);
    }

    /** Loads in batches like an import; returns seconds. */
    private static double bulkLoad(VectorIndex index, List<VectorRecord> records, int threads) {
        long start = System.nanoTime();
        for (int from = 0; from < records.size(); from += BATCH) {
            index.addAll(records.subList(from, Math.min(from + BATCH, records.size())), threads);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** One {@code add} per record from every thread; returns seconds. */
    private static double singleAdds(VectorIndex index, List<VectorRecord> records, int threads) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i; (i = next.getAndIncrement()) < records.size(); ) {
                    index.add(records.get(i).id(), records.get(i).vector());
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double qps(VectorIndex index, float[][] queries, int ef, int threads) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        int total = queries.length * 5;
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i; (i = next.getAndIncrement()) < total; ) {
                    index.search(queries[i % queries.length], 10, ef, null);
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return total / ((System.nanoTime() - start) / 1e9);
    }

    private static double recall(VectorIndex index, float[][] queries, int[][] truth, int ef) {
        long found = 0;
        for (int q = 0; q < queries.length; q++) {
            List<SearchHit> hits = index.search(queries[q], 10, ef, null);
            int[] expected = Arrays.copyOf(truth[q], 10);
            for (SearchHit hit : hits) {
                int id = Integer.parseInt(hit.id());
                for (int e : expected) {
                    if (e == id) {
                        found++;
                        break;
                    }
                }
            }
        }
        return found / (10.0 * queries.length);
    }

    private static void report(String what, int records, double seconds) {
        System.out.printf("%s: %d records in %.2f s, %.0f records/s%n", what, records, seconds, records / seconds);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long usedHeapMegabytes() {
        Runtime runtime = Runtime.getRuntime();
        return (runtime.totalMemory() - runtime.freeMemory()) >> 20;
    }

    private static long sizeOnDisk(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path file : files.toList()) {
                total += Files.size(file);
            }
            return total;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
