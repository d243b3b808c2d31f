package io.crvecdb.hnsw;

import io.crvecdb.Metric;
import io.crvecdb.storage.ConcurrentBits;
import io.crvecdb.storage.SegmentPages;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tombstoning a node relinks the live nodes it was the last to link. On a full list the relink
 * replaced the farthest link whose target has another in-link and, failing one, the last link
 * anyway, which could be another node's only way in: a delete made an unrelated node unreachable.
 * Under dot product a distance below -1 also hid every replaceable link. It now gives up no live
 * node's only in-link, trying the tombstone's live links nearest first.
 */
class OrphanRelinkTest {

    private static HnswGraph graph(VectorValues vectors, ConcurrentBits deleted, int m, int[][] lists) {
        long listBytes = HnswGraph.listBytes(m);
        MemorySegment level0 = Arena.ofAuto().allocate(lists.length * listBytes);
        for (int node = 0; node < lists.length; node++) {
            level0.set(ValueLayout.JAVA_INT_UNALIGNED, node * listBytes, lists[node].length);
            for (int i = 0; i < lists[node].length; i++) {
                level0.set(ValueLayout.JAVA_INT_UNALIGNED, node * listBytes + 4 + 4L * i, lists[node][i]);
            }
        }
        HnswGraph graph = new HnswGraph(vectors, deleted, m, 16, 1, SegmentPages.heapPages());
        graph.load(level0, MemorySegment.NULL, lists.length, 0, 0);
        return graph;
    }

    /** Entry 0 → tombstone-to-be 1 and F = 2; 1 → orphan 3 and F; F → 4, 5, 6, 7 (its list full), each reached only from F. */
    @Test
    void deletingANodeLeavesEveryOtherNodeReachable() {
        int m = 2;
        VectorValues vectors = new VectorValues(2, Metric.L2, SegmentPages.heapFloatPages());
        float[][] at = {{0, 0}, {1, 0}, {2, 0}, {1, 1}, {3, 0}, {3, 1}, {3, -1}, {4, 0}};
        for (int node = 0; node < at.length; node++) {
            vectors.set(node, at[node]);
        }
        int[][] lists = {{1, 2}, {3, 2}, {4, 5, 6, 7}, {0}, {0}, {0}, {0}, {0}};
        ConcurrentBits deleted = new ConcurrentBits(SegmentPages.heapPages());
        HnswGraph graph = graph(vectors, deleted, m, lists);
        assertThat(graph.countUnreachable()).isZero();

        deleted.set(1);
        graph.tombstoned(1);

        int[] links = new int[2 * m];
        int count = graph.readLinks(2, 0, links);
        assertThat(graph.countUnreachable())
                .as("live nodes unreachable after deleting node 1 (F's links now %s)",
                        Arrays.toString(Arrays.copyOf(links, count)))
                .isZero();
        HnswGraph.Neighbors hit = graph.search(vectors.scorer(vectors.prepareQuery(at[7])), 1, null, Integer.MAX_VALUE);
        assertThat(hit.nodes()[0]).as("nearest to node 7's own vector").isEqualTo(7);
    }

    /**
     * Dot product, vectors of large norm: every distance 1 - a·b is below -1, the initial
     * "farthest" of forceLink, so it never picks the link to a tombstone (which it may give up)
     * and replaces the last link, a live node's only in-link.
     */
    @Test
    void underDotProductTheRelinkGivesUpTheLinkToATombstoneNotALiveNodesOnlyInLink() {
        int m = 2;
        VectorValues vectors = new VectorValues(2, Metric.DOT_PRODUCT, SegmentPages.heapFloatPages());
        float[][] at = {{10, 0}, {10, 1}, {10, 2}, {11, 1}, {10, 3}, {11, 3}, {9, 3}, {12, 0}};
        for (int node = 0; node < at.length; node++) {
            vectors.set(node, at[node]);
        }
        // F = 2 links to the tombstone 4 (deleted earlier, reached from 0 too) and to 5, 6, 7, each reached only from F.
        int[][] lists = {{1, 2, 4}, {3, 2}, {4, 5, 6, 7}, {0}, {0}, {0}, {0}, {0}};
        ConcurrentBits deleted = new ConcurrentBits(SegmentPages.heapPages());
        HnswGraph graph = graph(vectors, deleted, m, lists);
        deleted.set(4);
        graph.tombstoned(4);
        assertThat(graph.countUnreachable()).isZero();

        deleted.set(1);
        graph.tombstoned(1);

        int[] links = new int[2 * m];
        int count = graph.readLinks(2, 0, links);
        assertThat(Arrays.stream(Arrays.copyOf(links, count)).boxed().toList())
                .as("F's links after the relink of orphan 3").containsExactlyInAnyOrder(3, 5, 6, 7);
        assertThat(graph.countUnreachable()).isZero();
    }
}
