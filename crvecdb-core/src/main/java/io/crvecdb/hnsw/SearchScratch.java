package io.crvecdb.hnsw;

/** The working memory of one search or insert, reused across operations so none allocates per hop. */
final class SearchScratch {

    final Visited visited = new Visited();
    final NodeQueue candidates = new NodeQueue(NodeQueue.Order.NEAREST_FIRST, 256);
    final NodeQueue results = new NodeQueue(NodeQueue.Order.FARTHEST_FIRST, 256);
    /** The links of the one or two nodes being expanded, then their unvisited ones. */
    final int[] neighbors;
    /** The links of the second node being expanded, before they join {@link #neighbors}. */
    final int[] secondLinks;
    /** A search's results, nearest first, and their distances. */
    int[] candidateNodes = new int[256];
    float[] candidateDistances = new float[256];
    /** The neighbours chosen for a new node on one layer. */
    final int[] selected;
    /**
     * A list being pruned (existing links plus newcomers), their distances, what is kept, and the
     * vector of the node whose list it is.
     */
    final int[] pruneNodes;
    final float[] pruneDistances;
    /** One batch of four distances, for the lists a prune scores. */
    final float[] four = new float[4];
    final int[] pruneSelected;
    /** A list as it was before a rewrite. */
    final int[] oldLinks;
    final float[] base;
    /** Distances of {@link #neighbors}, with room for a scorer's padded last batch. */
    final float[] neighborDistances;
    /** Greedy search result: the distance of the node it returned. */
    float greedyDistance;

    SearchScratch(int m, int dimensions) {
        int maxDegree0 = 2 * m;
        neighbors = new int[2 * maxDegree0 + QueryScorer.BATCH_PADDING];
        neighborDistances = new float[neighbors.length];
        secondLinks = new int[maxDegree0];
        selected = new int[m];
        // With room for a scorer's padded last batch: a list is scored as a search scores links.
        pruneNodes = new int[maxDegree0 + m + 1 + QueryScorer.BATCH_PADDING];
        pruneDistances = new float[pruneNodes.length];
        pruneSelected = new int[maxDegree0];
        oldLinks = new int[maxDegree0];
        base = new float[dimensions];
    }

    /**
     * Makes room for {@code n} candidates and a scorer's padded last batch after them: candidates
     * are scored in batches ({@link QueryScorer#distances}).
     */
    void ensureCandidateCapacity(int n) {
        int length = n + QueryScorer.BATCH_PADDING;
        if (candidateNodes.length < length) {
            candidateNodes = new int[length];
            candidateDistances = new float[length];
        }
    }
}
