package io.crvecdb.hnsw;

/**
 * Distances from one query to stored nodes: all a graph search sees of the vectors (Lucene's
 * RandomVectorScorer). Full-precision and quantized scorers sit behind it; smaller is closer.
 */
public interface QueryScorer {

    float distance(int node);

    /**
     * Distances to {@code nodes[0 .. count)}, into {@code out[0 .. count)}. An implementation
     * scores several nodes per kernel call, so that their vectors' loads are in flight together,
     * and pads the last batch with repeats of the last node (already in cache): {@code nodes} and
     * {@code out} must have room for {@link #BATCH_PADDING} entries beyond {@code count}, which it
     * may overwrite. A node's distance does not depend on its place in a batch.
     */
    void distances(int[] nodes, int count, float[] out);

    /** Entries past {@code count} that {@link #distances} may write: the widest batch less one. */
    int BATCH_PADDING = 7;

    /**
     * Pads {@code nodes[0 .. count)} to a multiple of {@code batch} (a power of two, at most
     * {@code BATCH_PADDING + 1}) with repeats of its last node, so that every batch takes the wide
     * kernel: what {@link #distances} implementations do first.
     */
    static void padToMultiple(int[] nodes, int count, int batch) {
        for (int pad = count; (pad & (batch - 1)) != 0; pad++) {
            nodes[pad] = nodes[count - 1];
        }
    }
}
