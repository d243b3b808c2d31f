package io.crvecdb.cli;

import io.crvecdb.Durability;
import io.crvecdb.Metric;
import io.crvecdb.VectorIndex;
import io.crvecdb.VectorRecord;
import io.crvecdb.dataset.Texmex;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code crvecdb import PATH --data DIR}: loads a dataset's base vectors into a store (created with
 * the dataset's metric and dimensions if missing; an existing one must have them), vector i under
 * the id "i", in batches. After each batch it prints {@code acked N}: records 0..N-1 survive a
 * killed process, so a harness may kill it at any moment and check them; under {@code sync}
 * durability they are on disk (fsynced) too, under {@code interval} they reach the disk within the
 * sync interval. Ids the store already holds are skipped, so an interrupted import resumes where it
 * stopped; each must hold the dataset's vector (a store filled from another dataset is refused).
 */
@Command(name = "import", mixinStandardHelpOptions = true, versionProvider = CrvecdbCommand.Version.class,
        sortOptions = false,
        description = "Loads a TEXMEX dataset's base.fvecs into a store, base vector i under the id \"i\", printing "
                + "'acked N' on stdout each time records 0..N-1 are acknowledged (fsynced under sync durability).")
final class ImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "Store directory (created if missing).")
    Path path;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset directory (base.fvecs, meta.json).")
    Path data;

    @Option(names = "--limit", converter = PositiveInt.class, paramLabel = "N", description = "Import only the first N vectors.")
    Integer limit;

    @Option(names = "--batch", defaultValue = "1000", converter = PositiveInt.class, paramLabel = "B",
            description = "Records per batch, each made durable before 'acked' (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", converter = ThreadCount.class, paramLabel = "T",
            description = "Threads inserting each batch (default: the number of cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--durability", defaultValue = "sync", paramLabel = "MODE",
           
            description = "sync (every batch fsynced before 'acked') or interval (fsync every 100 ms, "
                    + "so 'acked' may precede it by up to that) "
                    + "(default: ${DEFAULT-VALUE}).")
    Durability durability;

    @Override
    public Integer call() throws IOException {
        Metric metric = BenchDataset.metricOf(data);
        Path baseFile = BenchDataset.existing(data.resolve("base.fvecs"));
        float[][] base = Texmex.readFvecs(baseFile, limit == null ? Integer.MAX_VALUE : limit);
        // The index checks each batch as it comes; checking the whole file first keeps a bad vector
        // from leaving the batches before it imported.
        for (int i = 0; i < base.length; i++) {
            try {
                metric.checkIndexable(base[i], baseFile + ": vector " + i);
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(bad.getMessage() + ". Nothing was imported", bad);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter log = spec.commandLine().getErr();
        try (VectorIndex index = open(base[0].length, metric);
             Progress progress = new Progress("importing", base.length, log, Progress.onTerminal())) {
            checkStoredRecordsAreTheDataset(index, base, baseFile);
            for (int from = 0; from < base.length; from += batch) {
                int to = Math.min(base.length, from + batch);
                List<VectorRecord> records = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    String id = Integer.toString(i);
                    if (!index.contains(id)) {
                        records.add(new VectorRecord(id, base[i]));
                    }
                }
                index.addAll(records, threads);
                progress.advance(to - from);
                out.println("acked " + to);
                out.flush();
            }
        }
        return 0;
    }

    /**
     * Resuming skips the ids the store holds, so each must hold this dataset's vector: a store filled
     * from another dataset would end with "acked" lines vouching for records that are not these.
     */
    private void checkStoredRecordsAreTheDataset(VectorIndex index, float[][] base, Path baseFile) {
        for (int i = 0; i < base.length; i++) {
            float[] vector = base[i];
            if (index.get(Integer.toString(i)).filter(record -> !Arrays.equals(record.vector(), vector)).isPresent()) {
                throw new IllegalArgumentException("the store at " + path + " holds a record '" + i + "' that is not "
                        + "vector " + i + " of " + baseFile + ": it was filled from another dataset; import this one "
                        + "into another store (a new PATH). Nothing was imported");
            }
        }
    }

    /** The store at {@link #path}, created with the dataset's settings if missing; an existing one must have them. */
    private VectorIndex open(int dimensions, Metric metric) {
        // The settings go to the builder for an existing store too: the core compares them with the
        // store's before it replays or writes anything, so a refused import leaves every file as it was
        // (opened as a writer and closed, a store with records in its log was checkpointed).
        VectorIndex.Builder builder = VectorIndex.builder().storage(path).durability(durability).dimensions(dimensions)
                .metric(metric);
        try {
            return builder.build();
        } catch (IllegalStateException held) {
            // a store another process holds: bad input, as for info, check, get and compact
            throw new CommandLine.ParameterException(spec.commandLine(), held.getMessage());
        } catch (IllegalArgumentException refused) {
            if (!VectorIndex.exists(path)) {
                throw refused;
            }
            try (VectorIndex stored = VectorIndex.openReadOnly(path)) {
                if (stored.metric() == metric && stored.dimensions() == dimensions) {
                    throw refused;
                }
                throw new IllegalArgumentException("the store at " + path + " holds " + stored.metric().configName()
                        + " vectors of " + stored.dimensions() + " dimensions, the dataset at " + data + " "
                        + metric.configName() + " vectors of " + dimensions + ": import it into another store (a new "
                        + "PATH). Nothing was imported", refused);
            }
        }
    }
}
