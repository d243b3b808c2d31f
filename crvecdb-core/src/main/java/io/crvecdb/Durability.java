package io.crvecdb;

/** When a write to a durable index is on disk. */
public enum Durability {

    /**
     * A write returns only once it is on disk (fsync). Concurrent writers share fsyncs (group
     * commit), so throughput grows with the number of writing threads. The default.
     */
    SYNC,

    /**
     * A write returns once the operating system has it; a background thread syncs every
     * {@linkplain VectorIndex.Builder#syncInterval sync interval}. A killed process loses nothing;
     * a power failure or OS crash loses at most the writes of the last interval.
     */
    INTERVAL
}
