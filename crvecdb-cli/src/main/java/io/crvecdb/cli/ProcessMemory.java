package io.crvecdb.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's memory as the kernel sees it ({@code /proc/self/status}, Linux only). */
final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {
    }

    /** Resident set size now ({@code VmRSS}) in MiB, or null where /proc is missing. */
    static Double residentMegabytes() {
        return statusMegabytes("VmRSS");
    }

    /** Peak resident set size ({@code VmHWM}) in MiB, or null where /proc is missing. */
    static Double peakResidentMegabytes() {
        return statusMegabytes("VmHWM");
    }

    /** Heap in use after a full collection, in MiB. */
    static double heapUsedAfterGcMegabytes() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return (runtime.totalMemory() - runtime.freeMemory()) / 1048576.0;
    }

    private static Double statusMegabytes(String field) {
        if (!Files.isReadable(STATUS)) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0; // "VmRSS:   123456 kB"
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
