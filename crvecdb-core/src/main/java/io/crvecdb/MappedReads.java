package io.crvecdb;

import io.crvecdb.storage.DataFile;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reads in flight on an engine whose records stay in a mapped data file. Searches take no
 * lock, and a compaction or a close replaces the engine under them: the mapping is released once
 * the engine is retired and its last read is done, never under a read (unmapping under one fails
 * it, or would read freed memory) and not only at close (each compaction's old file would stay
 * mapped, its disk space never freed).
 */
final class MappedReads {

    /** Null for an engine on the heap: nothing to release, nothing to count. */
    private final DataFile mapping;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean retired;

    MappedReads(DataFile mapping) {
        this.mapping = mapping;
    }

    /** Starts a read; false once retired (read the index's current engine instead). Pair a true with {@link #end}. */
    boolean begin() {
        if (mapping == null) {
            return true;
        }
        inFlight.incrementAndGet();
        if (retired) {
            end();
            return false;
        }
        return true;
    }

    void end() {
        // The count goes up before retired is read, and retired is set before the count is read:
        // whichever of a read and the retiring comes second sees the other, and releases.
        if (mapping != null && inFlight.decrementAndGet() == 0 && retired) {
            release();
        }
    }

    /** Takes no more reads; the mapping goes with the last one in flight, or now. */
    void retire() {
        retired = true;
        if (mapping != null && inFlight.get() == 0) {
            release();
        }
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            mapping.close();
        }
    }
}
