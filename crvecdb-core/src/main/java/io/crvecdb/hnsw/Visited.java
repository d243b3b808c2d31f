package io.crvecdb.hnsw;

import java.util.Arrays;

/**
 * Which nodes a search has seen: one bit per node (32 times smaller than hnswlib's tag array, so
 * it stays in cache), cleared in time proportional to what the search touched by remembering the
 * words it dirtied.
 */
final class Visited {

    private long[] bits = new long[0];
    private int[] dirtyWords = new int[64];
    private int dirtyCount;

    /** Starts a new search over nodes {@code 0 .. capacity - 1} (more may appear while it runs). */
    void reset(int capacity) {
        int words = (capacity + 63) >>> 6;
        if (bits.length < words) {
            bits = new long[Math.max(words, bits.length + (bits.length >> 1))];
            dirtyCount = 0;
            return;
        }
        for (int i = 0; i < dirtyCount; i++) {
            bits[dirtyWords[i]] = 0;
        }
        dirtyCount = 0;
    }

    /** Whether {@code node} was visited in this search. */
    boolean isVisited(int node) {
        int word = node >>> 6;
        return word < bits.length && (bits[word] & (1L << node)) != 0;
    }

    /** Marks {@code node}; returns false when it was already visited in this search. */
    boolean visit(int node) {
        int word = node >>> 6;
        if (word >= bits.length) {
            bits = Arrays.copyOf(bits, Math.max(word + 1, bits.length + (bits.length >> 1)));
        }
        long current = bits[word];
        long mask = 1L << node;
        if ((current & mask) != 0) {
            return false;
        }
        if (current == 0) {
            if (dirtyCount == dirtyWords.length) {
                dirtyWords = Arrays.copyOf(dirtyWords, dirtyCount * 2);
            }
            dirtyWords[dirtyCount++] = word;
        }
        bits[word] = current | mask;
        return true;
    }
}
