package io.crvecdb.cli;

import io.crvecdb.VectorIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code crvecdb compact PATH}: drops deleted records for good, crash-safe. */
@Command(name = "compact", mixinStandardHelpOptions = true, versionProvider = CrvecdbCommand.Version.class,
        description = "Rewrites a store without its deleted records, with the graph relinked around them and the "
                + "records in the graph's order (faster searches).")
final class CompactCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "Store directory.")
    Path path;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (VectorIndex index = Stores.open(spec, path)) {
            out.printf("before: %d records, %d deleted, %s%n", index.size(), index.deletedCount(),
                    Stores.humanBytes(index.storeSizeBytes()));
            long start = System.nanoTime();
            index.compact();
            out.printf("after:  %d records, %d deleted, %s (%.1f s)%n", index.size(), index.deletedCount(),
                    Stores.humanBytes(index.storeSizeBytes()), (System.nanoTime() - start) / 1e9);
        }
        out.flush();
        return 0;
    }
}
