package io.crvecdb.hnsw;

import io.crvecdb.Metric;
import io.crvecdb.storage.ConcurrentBits;
import io.crvecdb.storage.SegmentPages;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Layer-0 link lists kept beside each vector, in the vector pages (hnswlib's node block): the same
 * graph as with packed lists in pages of their own, and neither the vectors nor the lists overwrite
 * each other.
 */
class HostedListsTest {

    /** More than one page of records, so records on both sides of a page boundary are covered. */
    private static final int NODES = SegmentPages.RECORDS_PER_PAGE + 1500;
    /** Odd, with cosine's norm after the floats: the list starts at no round offset. */
    private static final int DIMENSIONS = 13;
    private static final int M = 6;

    private final float[][] data = gaussian(NODES, new Random(11));

    @Test
    void buildsTheSameGraphAsWithListsApartAndKeepsEveryVectorIntact() {
        VectorValues apartVectors = new VectorValues(DIMENSIONS, Metric.COSINE, SegmentPages.heapFloatPages());
        VectorValues hostingVectors = new VectorValues(DIMENSIONS, Metric.COSINE, HnswGraph.listBytes(M),
                SegmentPages.heapFloatPages());
        HnswGraph apart = build(apartVectors);
        HnswGraph hosted = build(hostingVectors);

        int[] apartLinks = new int[2 * M];
        int[] hostedLinks = new int[2 * M];
        for (int node = 0; node < NODES; node++) {
            assertThat(hostingVectors.get(node)).as("vector %d", node).containsExactly(data[node]);
            assertThat(hosted.levelOf(node)).isEqualTo(apart.levelOf(node));
            for (int level = 0; level <= apart.levelOf(node); level++) {
                int count = apart.readLinks(node, level, apartLinks);
                assertThat(hosted.readLinks(node, level, hostedLinks)).as("links of %d on %d", node, level).isEqualTo(count);
                assertThat(Arrays.copyOf(hostedLinks, count)).containsExactly(Arrays.copyOf(apartLinks, count));
            }
        }
        float[] query = hostingVectors.prepareQuery(data[NODES / 2]);
        HnswGraph.Neighbors fromHosted = hosted.search(hostingVectors.scorer(query), 20, null, Integer.MAX_VALUE);
        HnswGraph.Neighbors fromApart = apart.search(apartVectors.scorer(query), 20, null, Integer.MAX_VALUE);
        assertThat(fromHosted.nodes()).containsExactly(fromApart.nodes());
        assertThat(fromHosted.nodes()[0]).isEqualTo(NODES / 2);
        // A hosting record (a 56-byte vector and norm, a 52-byte list) is padded to two whole cache
        // lines, and the padding is counted with the vectors; lists apart pack their links into 13
        // bits (widened five times on the way), hosted ones are ints.
        assertThat(hostingVectors.pages().offset(1)).isEqualTo(128);
        assertThat(hostingVectors.allocatedBytes()).isEqualTo(apartVectors.allocatedBytes() / 56 * (128 - 52));
        assertThat(apart.allocatedBytes()).isLessThan(hosted.allocatedBytes());
    }

    @Test
    void refusesVectorsThatHostListsOfAnotherSize() {
        VectorValues vectors = new VectorValues(DIMENSIONS, Metric.L2, HnswGraph.listBytes(M + 1),
                SegmentPages.heapFloatPages());

        assertThatThrownBy(() -> new HnswGraph(vectors, new ConcurrentBits(SegmentPages.heapPages()), M, 32, 1,
                SegmentPages.heapPages()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the vectors host link lists of 60 bytes; a graph with m = 6 needs 52");
    }

    @Test
    void vectorsThatHostListsDoNotAdoptSnapshotPages() {
        VectorValues vectors = new VectorValues(DIMENSIONS, Metric.L2, HnswGraph.listBytes(M),
                SegmentPages.heapFloatPages());

        assertThatThrownBy(() -> vectors.load(MemorySegment.ofArray(new float[DIMENSIONS]), 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot adopt");
    }

    private HnswGraph build(VectorValues vectors) {
        HnswGraph graph = new HnswGraph(vectors, new ConcurrentBits(SegmentPages.heapPages()), M, 32, 5,
                SegmentPages.heapPages());
        for (int node = 0; node < NODES; node++) {
            vectors.set(node, data[node]);
            graph.insert(node, vectors.scorer(vectors.prepareQuery(data[node])));
        }
        return graph;
    }

    private static float[][] gaussian(int n, Random random) {
        float[][] vectors = new float[n][DIMENSIONS];
        for (float[] vector : vectors) {
            for (int d = 0; d < DIMENSIONS; d++) {
                vector[d] = (float) random.nextGaussian();
            }
        }
        return vectors;
    }
}
