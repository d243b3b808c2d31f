package io.crvecdb.hnsw;

/**
 * Which nodes a search has seen, cleared in O(1): a node is visited when its tag equals the current
 * generation, so starting a new search just increments the generation (hnswlib's visited-list
 * trick). The array is zeroed only when the generation wraps around.
 */
final class Visited {

    private int[] tags = new int[0];
    private int generation;

    /** Starts a new search over nodes {@code 0 .. capacity - 1} (more may appear while it runs). */
    void reset(int capacity) {
        if (tags.length < capacity) {
            tags = new int[Math.max(capacity, tags.length + (tags.length >> 1))];
            generation = 0;
        }
        if (++generation == 0) {
            java.util.Arrays.fill(tags, 0);
            generation = 1;
        }
    }

    /** Marks {@code node}; returns false when it was already visited in this search. */
    boolean visit(int node) {
        if (node >= tags.length) {
            grow(node);
        }
        if (tags[node] == generation) {
            return false;
        }
        tags[node] = generation;
        return true;
    }

    private void grow(int node) {
        tags = java.util.Arrays.copyOf(tags, Math.max(node + 1, tags.length + (tags.length >> 1)));
    }
}
