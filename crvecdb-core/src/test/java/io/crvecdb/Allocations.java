package io.crvecdb;

import java.lang.management.ManagementFactory;

/** Measures what a hot path allocates once the JIT has compiled it. */
public final class Allocations {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int CALLS_PER_WINDOW = 20_000;
    /** C2 compiles a kernel within a second or two here; a loaded machine gets far more time. */
    private static final long PATIENCE_NANOS = 60_000_000_000L;

    private Allocations() {
    }

    /**
     * Calls {@code call} in windows of 20,000 until a window allocates nothing (0 is returned) or a
     * minute has passed; returns the bytes per call of the last window. The first windows run
     * interpreted or in C1, where Vector API code allocates its vectors.
     */
    public static double bytesPerCallOnceCompiled(Runnable call) {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        long bytes;
        do {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < CALLS_PER_WINDOW; i++) {
                call.run();
            }
            bytes = THREADS.getCurrentThreadAllocatedBytes() - before;
        } while (bytes > 0 && System.nanoTime() < deadline);
        return (double) bytes / CALLS_PER_WINDOW;
    }
}
