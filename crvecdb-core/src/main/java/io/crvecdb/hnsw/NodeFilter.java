package io.crvecdb.hnsw;

/** Which nodes a search may return; nodes it rejects are still walked through. */
@FunctionalInterface
public interface NodeFilter {
    boolean accept(int node);
}
