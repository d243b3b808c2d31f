package io.crvecdb.hnsw;

import io.crvecdb.Metric;
import io.crvecdb.storage.ConcurrentBits;
import io.crvecdb.storage.SegmentPages;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The neighbour heuristic and its slack: a candidate a little nearer to a kept neighbour than to
 * the base stays linked, one clearly nearer is dropped for a more distant direction, dot product
 * keeps the strict rule, and a candidate is checked against every neighbour kept so far.
 */
class DiversitySlackTest {

    private static final int BASE = 0;
    private static final int KEPT = 1;
    /** Squared distance 1.3025 to the base, 1.2025 to {@link #KEPT}: within a factor 1.1. */
    private static final int SLIGHTLY_NEARER = 2;
    /** Squared distance 1.49 to the base, 1.09 to {@link #KEPT}: nearer by more than 1.1. */
    private static final int CLEARLY_NEARER = 3;
    /** The opposite direction: squared distance 9 to the base, 16 to {@link #KEPT}. */
    private static final int OPPOSITE = 4;
    private static final float[][] POINTS = {{0, 0}, {1, 0}, {0.55f, 1}, {0.7f, 1}, {-3, 0}};

    @Test
    void keepsACandidateOnlySlightlyNearerToAKeptNeighbourThanToTheBase() {
        HnswGraph graph = graphOver(Metric.L2);

        assertThat(selectTwo(graph, SLIGHTLY_NEARER)).containsExactly(KEPT, SLIGHTLY_NEARER);
    }

    @Test
    void dropsACandidateClearlyNearerToAKeptNeighbourForAnotherDirection() {
        HnswGraph graph = graphOver(Metric.L2);

        assertThat(selectTwo(graph, CLEARLY_NEARER)).containsExactly(KEPT, OPPOSITE);
    }

    @Test
    void dotProductKeepsTheStrictRule() {
        HnswGraph graph = graphOver(Metric.DOT_PRODUCT);
        int[] nodes = {KEPT, SLIGHTLY_NEARER, OPPOSITE};
        // Distances to some base, nearest first. SLIGHTLY_NEARER is at 1 - (1, 0)·(0.55, 1) = 0.45
        // from KEPT: nearer than to the base (0.47), but within a factor 1.1 of it.
        float[] toBase = {0.4f, 0.47f, 0.5f};
        int[] out = new int[2];

        assertThat(graph.selectDiverse(nodes, toBase, nodes.length, 2, out)).isEqualTo(2);
        assertThat(out).containsExactly(KEPT, OPPOSITE);
    }

    @Test
    void comparesACandidateWithEveryKeptNeighbour() {
        // Six kept neighbours on the unit circle around the base (node 0), 60 degrees apart, then a
        // candidate just beyond the sixth, which only that one is near enough to reject.
        float[][] points = new float[9][];
        points[0] = new float[] {0, 0};
        for (int i = 0; i < 6; i++) {
            points[1 + i] = onCircle(1, 60 * i);
        }
        points[7] = onCircle(1.05f, 300);
        points[8] = onCircle(5, 30);
        HnswGraph graph = graphOver(Metric.L2, points);
        int[] nodes = {1, 2, 3, 4, 5, 6, 7, 8};
        float[] toBase = new float[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            float[] p = points[nodes[i]];
            toBase[i] = p[0] * p[0] + p[1] * p[1];
        }
        int[] out = new int[7];

        int kept = graph.selectDiverse(nodes, toBase, nodes.length, 7, out);

        assertThat(Arrays.copyOf(out, kept)).startsWith(1, 2, 3, 4, 5, 6).doesNotContain(7);
    }

    /**
     * An upsert of an unchanged vector puts the new version on the old one, which is then
     * tombstoned: in a neighbour's list the tombstone must not shadow the live copy (before, the
     * new version was left reachable only through tombstones, and searches missed it).
     */
    @Test
    void aTombstoneShadowsNoLiveCandidate() {
        ConcurrentBits deleted = new ConcurrentBits(SegmentPages.heapPages());
        HnswGraph graph = graphOver(Metric.L2, new float[][] {{0, 0}, {1, 0}, {1, 0}, {-3, 0}}, deleted);
        deleted.set(1);
        int[] nodes = {1, 2, 3};
        int[] out = new int[2];

        assertThat(graph.selectDiverse(nodes, new float[] {1, 1, 9}, nodes.length, 2, out)).isEqualTo(2);
        assertThat(out).contains(2);
    }

    /** Of several exact copies of the base, the one the diverse pass keeps is a live one. */
    @Test
    void theCopyOfTheBaseKeptIsALiveOne() {
        ConcurrentBits deleted = new ConcurrentBits(SegmentPages.heapPages());
        HnswGraph graph = graphOver(Metric.L2, new float[][] {{0, 0}, {0, 0}, {0, 0}, {1, 0}, {-1, 0}}, deleted);
        deleted.set(1);
        int[] nodes = {1, 2, 3, 4};
        int[] out = new int[3];

        assertThat(graph.selectDiverse(nodes, new float[] {0, 0, 1, 1}, nodes.length, 3, out)).isEqualTo(3);
        assertThat(out).containsExactly(2, 3, 4);
    }

    private static float[] onCircle(float radius, double degrees) {
        double radians = Math.toRadians(degrees);
        return new float[] {(float) (radius * Math.cos(radians)), (float) (radius * Math.sin(radians))};
    }

    /** Candidates KEPT, {@code candidate}, OPPOSITE by distance to the base; room for two. */
    private static int[] selectTwo(HnswGraph graph, int candidate) {
        int[] nodes = {KEPT, candidate, OPPOSITE};
        float[] toBase = {squareDistance(BASE, KEPT), squareDistance(BASE, candidate), squareDistance(BASE, OPPOSITE)};
        int[] out = new int[2];
        assertThat(graph.selectDiverse(nodes, toBase, nodes.length, 2, out)).isEqualTo(2);
        return out;
    }

    private static float squareDistance(int a, int b) {
        float dx = POINTS[a][0] - POINTS[b][0];
        float dy = POINTS[a][1] - POINTS[b][1];
        return dx * dx + dy * dy;
    }

    private static HnswGraph graphOver(Metric metric) {
        return graphOver(metric, POINTS);
    }

    private static HnswGraph graphOver(Metric metric, float[][] points) {
        return graphOver(metric, points, new ConcurrentBits(SegmentPages.heapPages()));
    }

    private static HnswGraph graphOver(Metric metric, float[][] points, ConcurrentBits deleted) {
        VectorValues vectors = new VectorValues(2, metric, SegmentPages.heapFloatPages());
        for (int node = 0; node < points.length; node++) {
            vectors.set(node, points[node]);
        }
        return new HnswGraph(vectors, deleted, 2, 16, 1, SegmentPages.heapPages());
    }
}
