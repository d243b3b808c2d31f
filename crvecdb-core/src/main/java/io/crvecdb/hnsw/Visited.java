package io.crvecdb.hnsw;

import java.util.Arrays;

/**
 * Which nodes a search has seen: one bit per node (32 times smaller than hnswlib's tag array, so
 * it stays in cache). A second bitmap, one bit per word of the first, records the words a search
 * dirtied, so that clearing costs what the search touched, not the size of the graph.
 */
final class Visited {

    private long[] bits = new long[0];
    /** Bit {@code w} set: {@code bits[w]} may be non-zero. */
    private long[] dirty = new long[0];

    /** Starts a new search over nodes {@code 0 .. capacity - 1} (more may appear while it runs). */
    void reset(int capacity) {
        long[] bits = this.bits;
        long[] dirty = this.dirty;
        for (int d = 0; d < dirty.length; d++) {
            for (long words = dirty[d]; words != 0; words &= words - 1) {
                bits[(d << 6) | Long.numberOfTrailingZeros(words)] = 0;
            }
            dirty[d] = 0;
        }
        if (capacity > 0) {
            ensureWord((capacity - 1) >>> 6);
        }
    }

    /** Whether {@code node} was visited in this search. */
    boolean isVisited(int node) {
        int word = node >>> 6;
        return word < bits.length && (bits[word] & (1L << node)) != 0;
    }

    /** Marks {@code node}; returns false when it was already visited in this search. */
    boolean visit(int node) {
        int word = node >>> 6;
        ensureWord(word);
        long current = bits[word];
        bits[word] = current | (1L << node);
        dirty[word >>> 6] |= 1L << word;
        return (current & (1L << node)) == 0;
    }

    /**
     * Marks {@code nodes[0 .. count)} and keeps, in order at the front of the array, those not
     * visited before; returns how many. Whether a neighbour was seen is a coin flip to the CPU's
     * branch predictor, so the loop has no branch on it: every node is written, and the count
     * advances only past unseen ones.
     */
    int visitAll(int[] nodes, int count) {
        long[] bits = this.bits;
        long[] dirty = this.dirty;
        int fresh = 0;
        for (int i = 0; i < count; i++) {
            int node = nodes[i];
            int word = node >>> 6;
            if (word >= bits.length) { // a node inserted after the search began
                ensureWord(word);
                bits = this.bits;
                dirty = this.dirty;
            }
            long current = bits[word];
            bits[word] = current | (1L << node);
            dirty[word >>> 6] |= 1L << word;
            nodes[fresh] = node;
            fresh += 1 - (int) ((current >>> node) & 1);
        }
        return fresh;
    }

    private void ensureWord(int word) {
        if (word < bits.length) {
            return;
        }
        int words = Math.max(word + 1, bits.length + (bits.length >> 1));
        bits = Arrays.copyOf(bits, words);
        dirty = Arrays.copyOf(dirty, (words + 63) >>> 6);
    }
}
