package io.crvecdb.cli;

import io.crvecdb.VectorIndex;
import io.crvecdb.storage.StoreCorruptedException;
import io.crvecdb.storage.StoreFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code crvecdb check PATH}, like Lucene's CheckIndex: opening verifies every checksum of the data
 * file and the log and the graph's structure (link bounds and counts, entry point, unique live
 * ids); then every live record is read back and the graph is walked for unreachable records
 * (reported as a note: the next open for writing relinks them). The store is opened read-only, so
 * a backup or a copy on read-only media can be checked, and nothing in it changes.
 * Exit code 0 when all is well, 1 with one problem per line otherwise (a damaged or unreadable
 * file), 2 for bad input.
 */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = CrvecdbCommand.Version.class,
        description = "Verifies every checksum and the graph's invariants; exit code 0 if the store is sound, 1 if not.")
final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "Store directory.")
    Path path;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<String> problems = new ArrayList<>();
        int records = 0;
        int unreachable = 0;
        try (VectorIndex index = Stores.openReadOnly(spec, path)) {
            records = index.size();
            AtomicInteger read = new AtomicInteger();
            index.forEach(record -> {
                read.incrementAndGet();
                if (record.vector().length != index.dimensions()) {
                    problems.add("record '" + record.id() + "' has " + record.vector().length + " dimensions, not "
                            + index.dimensions());
                }
                for (float x : record.vector()) {
                    if (!Float.isFinite(x)) {
                        problems.add("record '" + record.id() + "' has a non-finite component " + x);
                        break;
                    }
                }
            });
            if (read.get() != records) {
                problems.add(read.get() + " live records read back, but the index counts " + records);
            }
            // Not damage: the next open for writing relinks them (and so does 'crvecdb compact').
            unreachable = index.unreachableCount();
        } catch (StoreCorruptedException | StoreFormatException | UncheckedIOException e) {
            // A file that cannot be read (a directory in its place, a broken link) fails the check too.
            problems.add(e.getMessage());
        }
        if (problems.isEmpty()) {
            out.println("OK: " + path + ": " + records + " records; every checksum, the graph structure and every "
                    + "record verified");
            if (unreachable > 0) {
                out.println("NOTE: " + unreachable + " live records are out of the graph's reach (a search finds them "
                        + "only by exact scan); the next open for writing, or 'crvecdb compact', links them back");
            }
            out.flush();
            return 0;
        }
        problems.forEach(problem -> out.println("PROBLEM: " + problem));
        out.flush();
        return 1;
    }
}
