package io.crvecdb.hnsw;

/**
 * Distances from one query to stored nodes: all a graph search sees of the vectors (Lucene's
 * RandomVectorScorer). Full-precision and quantized scorers sit behind it; smaller is closer.
 */
public interface QueryScorer {

    float distance(int node);

    /**
     * Distances to the four nodes at {@code nodes[from .. from + 3]}, into {@code out[0..3]}: one
     * call lets an implementation keep the four vectors' loads in flight together.
     */
    void distance4(int[] nodes, int from, float[] out);
}
