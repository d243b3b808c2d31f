package io.crvecdb.cli;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's memory as the kernel sees it ({@code /proc/self/status}, {@code smaps_rollup}: Linux only), and the JVM's huge pages. */
final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path SMAPS_ROLLUP = Path.of("/proc/self/smaps_rollup");

    private ProcessMemory() {
    }

    /** Resident set size now ({@code VmRSS}) in MiB, or null where /proc is missing. */
    static Double residentMegabytes() {
        return megabytes(STATUS, "VmRSS");
    }

    /** Peak resident set size ({@code VmHWM}) in MiB, or null where /proc is missing. */
    static Double peakResidentMegabytes() {
        return megabytes(STATUS, "VmHWM");
    }

    /**
     * Anonymous memory backed by transparent huge pages ({@code AnonHugePages}) in MiB, or null where
     * /proc is missing: whether the heap got the huge pages the launcher asks for.
     */
    static Double hugePageMegabytes() {
        return megabytes(SMAPS_ROLLUP, "AnonHugePages");
    }

    /** Heap in use after a full collection, in MiB. */
    static double heapUsedAfterGcMegabytes() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return (runtime.totalMemory() - runtime.freeMemory()) / 1048576.0;
    }

    /**
     * Whether the JVM runs with {@code -XX:+UseTransparentHugePages} in effect: the launcher asks for
     * it, and the JVM turns it off where the kernel's THP mode is "never".
     */
    static boolean transparentHugePages() {
        HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        return Boolean.parseBoolean(hotSpot.getVMOption("UseTransparentHugePages").getValue());
    }

    private static Double megabytes(Path file, String field) {
        Long kilobytes = value(file, field);
        return kilobytes == null ? null : kilobytes / 1024.0;
    }

    /**
     * The number on the {@code field} line of a /proc file ({@code "VmRSS:   123456 kB"},
     * {@code "HugePages_Total:       0"}), or null where the file or the line is missing.
     */
    static Long value(Path file, String field) {
        if (!Files.isReadable(file)) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
