package io.crvecdb.cli;

import io.crvecdb.VectorIndex;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Opening a store named on the command line, and listing its files. */
final class Stores {

    private Stores() {
    }

    /** Opens the store at {@code path} to change it; bad input as {@link #openReadOnly}. */
    static VectorIndex open(CommandSpec spec, Path path) {
        return open(spec, path, false);
    }

    /**
     * Opens the store at {@code path} to inspect it, changing none of its files. A path that is
     * missing, holds no store, or holds one that another process has open (or files of two
     * stores) is bad input (exit code 2), reported with the path: for {@code check}, exit code 1
     * means a damaged store.
     */
    static VectorIndex openReadOnly(CommandSpec spec, Path path) {
        return open(spec, path, true);
    }

    private static VectorIndex open(CommandSpec spec, Path path, boolean readOnly) {
        if (!Files.exists(path)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no such directory: " + path);
        }
        if (!VectorIndex.exists(path)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    path + " is not a crvecdb store (it holds no data-N.crv file)");
        }
        try {
            return readOnly ? VectorIndex.openReadOnly(path) : VectorIndex.open(path);
        } catch (IllegalStateException refused) {
            throw new CommandLine.ParameterException(spec.commandLine(), refused.getMessage());
        }
    }

    /** The store's files and their sizes, by name. */
    static Map<String, Long> files(Path path) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(path)) {
            for (Path file : files.sorted().toList()) {
                sizes.put(file.getFileName().toString(), Files.size(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
        }
        return sizes;
    }

    /** Bytes in a human unit. */
    static String humanBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
