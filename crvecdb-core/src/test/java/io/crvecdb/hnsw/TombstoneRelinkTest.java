package io.crvecdb.hnsw;

import io.crvecdb.Datasets;
import io.crvecdb.Metric;
import io.crvecdb.storage.ConcurrentBits;
import io.crvecdb.storage.SegmentPages;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Relinking live nodes around a tombstone, on a graph shaped by hand through a snapshot. */
class TombstoneRelinkTest {

    /**
     * The candidate count a relink can reach, count × (2 + max degree), is the size of its
     * candidate arrays, and they are scored in padded batches of four. With an odd m (so a full
     * layer-0 list of 2m is not a multiple of four) and one link to a tombstone whose list is full,
     * the last batch runs past that count: the arrays must have room for it.
     */
    @Test
    void relinksANodeWhoseOnlyLinkIsATombstoneWithAFullList() {
        int m = 129; // layer-0 lists of 258 links: one link gives more candidates than a fresh scratch holds
        int maxDegree = 2 * m;
        int nodes = 2 + maxDegree;
        int dimensions = 4;
        VectorValues vectors = new VectorValues(dimensions, Metric.L2, SegmentPages.heapFloatPages());
        Random random = new Random(5);
        for (int node = 0; node < nodes; node++) {
            vectors.set(node, Datasets.gaussian(random, dimensions));
        }
        // Node 0 links only to node 1; node 1 links to every other node; those link back to node 0.
        long listBytes = HnswGraph.listBytes(m);
        MemorySegment level0 = Arena.ofAuto().allocate(nodes * listBytes);
        level0.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 1);
        level0.set(ValueLayout.JAVA_INT_UNALIGNED, 4, 1);
        level0.set(ValueLayout.JAVA_INT_UNALIGNED, listBytes, maxDegree);
        for (int i = 0; i < maxDegree; i++) {
            level0.set(ValueLayout.JAVA_INT_UNALIGNED, listBytes + 4 + 4L * i, 2 + i);
        }
        for (int node = 2; node < nodes; node++) {
            level0.set(ValueLayout.JAVA_INT_UNALIGNED, node * listBytes, 1);
            level0.set(ValueLayout.JAVA_INT_UNALIGNED, node * listBytes + 4, 0);
        }
        ConcurrentBits deleted = new ConcurrentBits(SegmentPages.heapPages());
        HnswGraph graph = new HnswGraph(vectors, deleted, m, 32, 1, SegmentPages.heapPages());
        graph.load(level0, MemorySegment.NULL, nodes, 0, 0);
        deleted.set(1);
        graph.tombstoned(1);

        graph.repairTombstones(node -> -1);

        int[] links = new int[maxDegree];
        int count = graph.readLinks(0, 0, links);
        assertThat(count).isPositive();
        for (int i = 0; i < count; i++) {
            assertThat(links[i]).isBetween(2, nodes - 1);
        }
    }

    /**
     * A record upserted twice is a chain: its first version (tombstone 1) links to the second
     * (tombstone 2), which links to the live third (node 3). Node 0 reached the record only through
     * the first version, whose live links do not include the third: the repair must link node 0 to
     * the record where it lives now, not drop the path to it (a search then missed the record).
     */
    @Test
    void aNodeThatLinkedToAnUpsertedRecordLinksToItsLiveVersionAfterTheRepair() {
        int m = 4;
        int nodes = 5;
        VectorValues vectors = new VectorValues(2, Metric.L2, SegmentPages.heapFloatPages());
        vectors.set(0, new float[] {0, 0});
        vectors.set(1, new float[] {5, 5});
        vectors.set(2, new float[] {5, 5});
        vectors.set(3, new float[] {5, 5});
        vectors.set(4, new float[] {-1, 0});
        int[][] lists = {{1, 4}, {2, 0}, {3}, {0}, {0}};
        long listBytes = HnswGraph.listBytes(m);
        MemorySegment level0 = Arena.ofAuto().allocate(nodes * listBytes);
        for (int node = 0; node < nodes; node++) {
            level0.set(ValueLayout.JAVA_INT_UNALIGNED, node * listBytes, lists[node].length);
            for (int i = 0; i < lists[node].length; i++) {
                level0.set(ValueLayout.JAVA_INT_UNALIGNED, node * listBytes + 4 + 4L * i, lists[node][i]);
            }
        }
        ConcurrentBits deleted = new ConcurrentBits(SegmentPages.heapPages());
        HnswGraph graph = new HnswGraph(vectors, deleted, m, 32, 1, SegmentPages.heapPages());
        graph.load(level0, MemorySegment.NULL, nodes, 0, 0);
        for (int tombstone : new int[] {1, 2}) {
            deleted.set(tombstone);
            graph.tombstoned(tombstone);
        }

        graph.repairTombstones(node -> node == 1 || node == 2 ? 3 : -1);

        int[] links = new int[2 * m];
        int count = graph.readLinks(0, 0, links);
        assertThat(Arrays.copyOf(links, count)).containsExactlyInAnyOrder(4, 3);
    }
}
