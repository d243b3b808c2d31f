package io.crvecdb.cli;

import io.crvecdb.Quantization;
import io.crvecdb.VectorIndex;
import io.crvecdb.distance.Vectorization;
import io.crvecdb.storage.StoreDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code crvecdb bench}: a runner of the shared peer benchmark harness (shared/bench/README.md), so
 * crvecdb lands in the same table as hnswlib, Lucene and JVector. Same options, same procedure, same
 * JSON fields as the peer runners: one build line, then one search line per ef, on stdout and
 * nothing else there; progress and logs go to stderr.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = CrvecdbCommand.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Builds an index over a TEXMEX dataset (base.fvecs, query.fvecs, groundtruth.ivecs, "
                + "meta.json) with T threads, then measures recall, QPS and latency at each ef. Prints JSON lines "
                + "on stdout, as the runners of the shared peer benchmark harness do.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset directory.")
    Path data;

    @Option(names = "--m", defaultValue = "16", converter = PositiveInt.class,
            description = "Links per node on the upper layers, 2m on the base layer (default: ${DEFAULT-VALUE}).")
    int m;

    @Option(names = "--ef-construction", defaultValue = "200", converter = PositiveInt.class, paramLabel = "EF",
            description = "Candidate list size while inserting (default: ${DEFAULT-VALUE}).")
    int efConstruction;

    @Option(names = "--ef-search", defaultValue = "10,20,40,80,160,320", split = ",", converter = EfSearchValue.class,
            paramLabel = "EF", description = "Candidate list sizes to search with, comma-separated; 'default' is the "
                    + "index's default ef (default: ${DEFAULT-VALUE}).")
    List<Integer> efSearch;

    @Option(names = "--k", defaultValue = "10", converter = PositiveInt.class,
            description = "Neighbours per query (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--threads", converter = ThreadCount.class, paramLabel = "T",
            description = "Threads that build and that run the throughput passes (default: the number of cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--limit", converter = PositiveInt.class, paramLabel = "N",
            description = "Index only the first N base vectors (truth from groundtruth.first-N.ivecs, computed if missing).")
    Integer limit;

    @Option(names = "--queries", converter = PositiveInt.class, paramLabel = "Q",
            description = "Use only the first Q queries.")
    Integer queries;

    @Option(names = "--runs", defaultValue = "3", converter = PositiveInt.class, paramLabel = "R",
            description = "Timed throughput passes per ef; the median is reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--quantization", defaultValue = "none", paramLabel = "Q",
            description = "none, or int8: graph search on int8 codes with exact re-scoring (default: ${DEFAULT-VALUE}).")
    Quantization quantization;

    @Option(names = "--storage", paramLabel = "DIR",
            description = "Build into a durable store in DIR (an empty or new directory), or with --reopen search the "
                    + "store there.")
    Path storage;

    @Option(names = "--compact", description = "After the build, compact the index (it then stores its records in "
            + "the graph's order); the build time includes it, and the library is reported as crvecdb-compacted.")
    boolean compact;

    @Option(names = "--reopen", description = "Open the store at --storage and search it without building; the build "
            + "line reports the open time (open_ms).")
    boolean reopen;

    @Option(names = "--warm-builds", converter = PositiveInt.class, paramLabel = "N",
            description = "Build the index N times in memory, untimed, before the measured build, so that it runs on "
                    + "compiled code. Not the harness's measure (a cold build from the first insert): the library is "
                    + "reported as crvecdb-...-warm.")
    Integer warmBuilds;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter log = spec.commandLine().getErr();
        if (reopen && storage == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--reopen needs --storage DIR");
        }
        if (reopen && warmBuilds != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--warm-builds applies to a build: leave it out "
                    + "with --reopen");
        }
        if (reopen && compact) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--compact applies to a build: leave it out "
                    + "with --reopen (run crvecdb compact on the store instead)");
        }
        if (!reopen && storage != null && VectorIndex.exists(storage)) {
            throw new CommandLine.ParameterException(spec.commandLine(), storage + " already holds a store: add "
                    + "--reopen to search it, or give an empty directory to build into");
        }
        // The index refuses these too, but only once the dataset is loaded.
        if (!reopen && storage != null && Files.isRegularFile(storage)) {
            throw new CommandLine.ParameterException(spec.commandLine(), storage + " is a file: give an empty or new "
                    + "directory to build into");
        }
        if (!reopen && storage != null && !StoreDirectory.isEmptyIgnoringTemporaries(storage)) {
            throw new CommandLine.ParameterException(spec.commandLine(), storage + " holds files but no crvecdb "
                    + "store: give an empty or new directory to build into");
        }
        if (!reopen) {
            // The index's own bounds on --m and --ef-construction, before minutes of loading the
            // dataset (and computing a subset's truth): a setting it refuses is a bad option.
            try {
                VectorIndex.builder().dimensions(1).m(m).efConstruction(efConstruction).build().close();
            } catch (IllegalArgumentException refused) {
                throw new CommandLine.ParameterException(spec.commandLine(), refused.getMessage());
            }
        }
        BenchDataset dataset = BenchDataset.load(data, limit, queries, threads, log);
        long openStart = System.nanoTime();
        try (VectorIndex index = open(dataset)) {
            double openMillis = (System.nanoTime() - openStart) / 1e6;
            log.printf("crvecdb %s: %s, %d base x %d dims (%s), %d queries, %d threads, %s kernels%n",
                    CrvecdbCommand.version(), dataset.name(), dataset.base().length, dataset.dimensions(),
                    dataset.metric().configName(), dataset.queries().length, threads, Vectorization.ops().name());
            log.flush();
            if (reopen) {
                emit(openLine(index, dataset, openMillis));
            } else {
                warmUp(dataset, log);
                double buildSeconds = build(index, dataset, log);
                emit(buildLine(index, dataset, buildSeconds));
            }
            new SearchBenchmark(index, dataset, k, threads, runs).run(resolve(efSearch, index.efSearch()),
                    fields -> emit(line("search", fields)));
        }
        return 0;
    }

    /** A new index (in memory, or durable in --storage), or with --reopen the stored one, checked against the dataset. */
    private VectorIndex open(BenchDataset dataset) {
        if (reopen) {
            VectorIndex index = Stores.open(spec, storage); // a missing or held store is bad input
            int size = index.size();
            int dimensions = index.dimensions();
            if (dimensions != dataset.dimensions() || size != dataset.base().length) {
                index.close();
                throw new IllegalArgumentException("the store at " + storage + " holds " + size + " vectors of "
                        + dimensions + " dimensions, the dataset " + dataset.base().length + " of "
                        + dataset.dimensions() + ": build it from this dataset first (--storage without --reopen)");
            }
            checkBuiltFrom(index, dataset);
            if (index.metric() != dataset.metric()) {
                // the same vectors under another metric: the truth would rank by the dataset's, not the index's
                index.close();
                throw new IllegalArgumentException("the store at " + storage + " indexes its vectors by "
                        + index.metric().configName() + ", the dataset at " + data + " ranks them by "
                        + dataset.metric().configName() + ": build it from this dataset first (--storage without --reopen)");
            }
            quantization = index.quantization(); // the store's, whatever --quantization said: it names the row
            return index;
        }
        VectorIndex.Builder builder = newIndex(dataset);
        if (storage != null) {
            builder.storage(storage);
        }
        return builder.build();
    }

    /**
     * Refuses, before any line is printed, a store of the right size that was not built from this
     * dataset: recall against its ground truth would mean nothing, and ids that are not the
     * dataset's ordinals cannot be scored at all.
     */
    private void checkBuiltFrom(VectorIndex index, BenchDataset dataset) {
        int n = dataset.base().length;
        for (int ordinal : new int[] {0, n / 2, n - 1}) {
            boolean same = index.get(Integer.toString(ordinal))
                    .map(record -> java.util.Arrays.equals(record.vector(), dataset.base()[ordinal]))
                    .orElse(false);
            if (!same) {
                index.close();
                throw new IllegalArgumentException("the store at " + storage + " was not built from " + data
                        + ": its record '" + ordinal + "' is missing or holds another vector than base vector "
                        + ordinal + "; build it from this dataset first (--storage without --reopen)");
            }
        }
    }

    private Map<String, Object> openLine(VectorIndex index, BenchDataset dataset, double openMillis) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("dataset", dataset.name());
        fields.put("metric", dataset.metric().configName());
        fields.put("n", dataset.base().length);
        fields.put("dim", dataset.dimensions());
        fields.put("m", index.m());
        fields.put("ef_construction", index.efConstruction());
        fields.put("seconds", null);
        fields.put("vectors_per_sec", null);
        fields.put("open_ms", Stats.round(openMillis, 1));
        fields.put("threads", threads);
        fields.put("heap_used_mb", Stats.round(ProcessMemory.heapUsedAfterGcMegabytes(), 1));
        fields.put("store_bytes", index.storeSizeBytes());
        fields.put("search_memory_mb", Stats.round(index.searchMemoryBytes() / 1048576.0, 1));
        fields.put("vectorization", Vectorization.ops().name());
        return line("build", fields);
    }

    /** The ef values to measure, with {@code default} replaced by the index's own ef. */
    static int[] resolve(List<Integer> efs, int indexDefault) {
        return efs.stream().mapToInt(ef -> ef == EfSearchValue.INDEX_DEFAULT ? indexDefault : ef).toArray();
    }

    /** The settings of an index built over the dataset, in memory until given a storage path. */
    private VectorIndex.Builder newIndex(BenchDataset dataset) {
        return VectorIndex.builder().dimensions(dataset.dimensions()).metric(dataset.metric()).m(m)
                .efConstruction(efConstruction).quantization(quantization);
    }

    /** With --warm-builds, builds the index that many times in memory and drops it: the JIT's warm-up, untimed. */
    private void warmUp(BenchDataset dataset, PrintWriter log) throws InterruptedException {
        for (int round = 0; warmBuilds != null && round < warmBuilds; round++) {
            try (VectorIndex warm = newIndex(dataset).build()) {
                build(warm, dataset, log);
            }
        }
    }

    /** Adds base vector i under id "i" from T threads at once, then compacts with --compact; returns the seconds it took. */
    private double build(VectorIndex index, BenchDataset dataset, PrintWriter log) throws InterruptedException {
        float[][] base = dataset.base();
        AtomicInteger next = new AtomicInteger();
        try (Progress progress = new Progress("building", base.length, log, Progress.onTerminal())) {
            long start = System.nanoTime();
            Workers.run(threads, () -> {
                for (int i; (i = next.getAndIncrement()) < base.length; ) {
                    index.add(Integer.toString(i), base[i]);
                    progress.advance();
                }
            });
            if (compact) {
                index.compact();
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private Map<String, Object> buildLine(VectorIndex index, BenchDataset dataset, double seconds) {
        Double rss = ProcessMemory.residentMegabytes();
        Double rssPeak = ProcessMemory.peakResidentMegabytes();
        Double hugePages = ProcessMemory.hugePageMegabytes();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("dataset", dataset.name());
        fields.put("metric", dataset.metric().configName());
        fields.put("n", dataset.base().length);
        fields.put("dim", dataset.dimensions());
        fields.put("m", m);
        fields.put("ef_construction", efConstruction);
        fields.put("seconds", Stats.round(seconds, 3));
        fields.put("vectors_per_sec", Stats.round(dataset.base().length / seconds, 1));
        fields.put("threads", threads);
        fields.put("rss_mb", rss == null ? null : Stats.round(rss, 1));
        fields.put("rss_peak_mb", rssPeak == null ? null : Stats.round(rssPeak, 1));
        fields.put("huge_pages_mb", hugePages == null ? null : Stats.round(hugePages, 1));
        fields.put("transparent_huge_pages", ProcessMemory.transparentHugePages());
        fields.put("heap_used_mb", Stats.round(ProcessMemory.heapUsedAfterGcMegabytes(), 1));
        fields.put("data_mb", Stats.round(dataset.baseMegabytes(), 1));
        fields.put("search_memory_mb", Stats.round(index.searchMemoryBytes() / 1048576.0, 1));
        fields.put("runtime", "java " + Runtime.version());
        fields.put("vectorization", Vectorization.ops().name());
        // Peers normalise cosine sets and index them in inner-product space; crvecdb is given the
        // vectors as read and indexes them with its own COSINE metric.
        fields.put("index_metric", index.metric().name());
        fields.put("ef_search_default", index.efSearch());
        fields.put("api", "VectorIndex.add(id, vector) from T threads; search(query, k, ef, null)");
        fields.put("storage", storage == null ? "memory" : storage.toString());
        fields.put("quantization", quantization.name().toLowerCase(java.util.Locale.ROOT));
        fields.put("compacted", compact);
        fields.put("warm_builds", warmBuilds == null ? 0 : warmBuilds);
        return line("build", fields);
    }

    /** The library's row in the harness's table: crvecdb, with -int8, -durable or -mapped, -compacted, -warm as it ran. */
    private String lib() {
        String lib = "crvecdb";
        if (quantization == Quantization.INT8) {
            lib += "-int8";
        }
        if (storage != null) {
            lib += reopen ? "-mapped" : "-durable";
        }
        if (compact) {
            lib += "-compacted";
        }
        if (warmBuilds != null) {
            lib += "-warm";
        }
        return lib;
    }

    private Map<String, Object> line(String phase, Map<String, Object> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("lib", lib());
        line.put("version", CrvecdbCommand.version());
        line.put("phase", phase);
        line.putAll(fields);
        return line;
    }

    private void emit(Map<String, Object> line) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(Json.line(line));
        out.flush();
    }
}
