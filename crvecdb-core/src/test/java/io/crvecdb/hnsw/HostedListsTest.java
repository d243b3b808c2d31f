package io.crvecdb.hnsw;

import io.crvecdb.Metric;
import io.crvecdb.quantization.QuantizedVectors;
import io.crvecdb.storage.ConcurrentBits;
import io.crvecdb.storage.SegmentPages;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Layer-0 link lists kept beside each vector or each node's int8 codes (hnswlib's node block): the
 * same graph as with lists in pages of their own, and neither the records nor the lists overwrite
 * each other.
 */
class HostedListsTest {

    /** More than one page of records, so records on both sides of a page boundary are covered. */
    private static final int NODES = SegmentPages.RECORDS_PER_PAGE + 1500;
    /**
     * Odd, with cosine's norm after the floats: the list starts at no round offset; 13 codes and
     * their 4-byte sum take 17 bytes, so a list beside codes starts after 3 bytes of padding.
     */
    private static final int DIMENSIONS = 13;
    private static final int M = 6;

    private final float[][] data = gaussian(NODES, new Random(11));

    @Test
    void buildsTheSameGraphAsWithListsApartAndKeepsEveryVectorIntact() {
        VectorValues apartVectors = new VectorValues(DIMENSIONS, Metric.COSINE, SegmentPages.heapFloatPages());
        VectorValues hostingVectors = new VectorValues(DIMENSIONS, Metric.COSINE, HnswGraph.listBytes(M),
                SegmentPages.heapFloatPages());
        HnswGraph apart = graph(apartVectors, null);
        HnswGraph hosted = graph(hostingVectors, hostingVectors.hostedLists());
        for (int node = 0; node < NODES; node++) {
            apartVectors.set(node, data[node]);
            hostingVectors.set(node, data[node]);
            apart.insert(node, apartVectors.prepareQuery(data[node]));
            hosted.insert(node, hostingVectors.prepareQuery(data[node]));
        }

        for (int node = 0; node < NODES; node++) {
            assertThat(hostingVectors.get(node)).as("vector %d", node).containsExactly(data[node]);
        }
        assertSameLinks(hosted, apart);
        float[] query = hostingVectors.prepareQuery(data[NODES / 2]);
        HnswGraph.Neighbors fromHosted = hosted.search(hostingVectors.scorer(query), 20, null, Integer.MAX_VALUE);
        HnswGraph.Neighbors fromApart = apart.search(apartVectors.scorer(query), 20, null, Integer.MAX_VALUE);
        assertThat(fromHosted.nodes()).containsExactly(fromApart.nodes());
        assertThat(fromHosted.nodes()[0]).isEqualTo(NODES / 2);
        // The layout moves bytes, it adds none: vectors and links are counted once each.
        assertThat(hostingVectors.allocatedBytes()).isEqualTo(apartVectors.allocatedBytes());
        assertThat(hosted.allocatedBytes()).isEqualTo(apart.allocatedBytes());
    }

    @Test
    void int8CodesHostingListsKeepTheirCodesThroughTrainingAndReload() {
        VectorValues vectors = new VectorValues(DIMENSIONS, Metric.COSINE, SegmentPages.heapFloatPages());
        QuantizedVectors apartCodes = new QuantizedVectors(DIMENSIONS, Metric.COSINE, vectors, 0,
                SegmentPages.heapBytePages());
        QuantizedVectors hostingCodes = new QuantizedVectors(DIMENSIONS, Metric.COSINE, vectors,
                HnswGraph.listBytes(M), SegmentPages.heapBytePages());
        HnswGraph apart = graph(vectors, null);
        HnswGraph hosted = graph(vectors, hostingCodes.hostedLists());
        for (int node = 0; node < NODES; node++) {
            vectors.set(node, data[node]);
            apartCodes.add(node, data[node]);
            hostingCodes.add(node, data[node]);
            float[] prepared = vectors.prepareQuery(data[node]);
            apart.insert(node, prepared);
            hosted.insert(node, prepared);
            if (node == NODES / 3) {
                // Training (re)writes the codes of every record so far, between lists already linked.
                apartCodes.train(node + 1, n -> true);
                hostingCodes.train(node + 1, n -> true);
            }
        }

        assertSameCodes(hostingCodes, apartCodes);
        assertSameLinks(hosted, apart);
        float[] query = vectors.prepareQuery(data[NODES / 2]);
        HnswGraph.Neighbors fromHosted = hosted.search(hostingCodes.scorer(query), 20, null, Integer.MAX_VALUE);
        HnswGraph.Neighbors fromApart = apart.search(apartCodes.scorer(query), 20, null, Integer.MAX_VALUE);
        assertThat(fromHosted.nodes()).containsExactly(fromApart.nodes());
        assertThat(hosted.allocatedBytes()).isEqualTo(apart.allocatedBytes());

        // A reopened store loads the lists first, then its snapshot's packed codes beside them.
        QuantizedVectors reloaded = new QuantizedVectors(DIMENSIONS, Metric.COSINE, vectors, HnswGraph.listBytes(M),
                SegmentPages.heapBytePages());
        HnswGraph reloadedGraph = graph(vectors, reloaded.hostedLists());
        IntStream.Builder level0 = IntStream.builder();
        IntStream.Builder upper = IntStream.builder();
        int[] identity = IntStream.range(0, NODES).toArray();
        hosted.writeLevel0(level0, identity, null);
        hosted.writeUpper(upper, NODES, null);
        reloadedGraph.load(MemorySegment.ofArray(level0.build().toArray()), MemorySegment.ofArray(upper.build().toArray()),
                NODES, hosted.entryNode(), hosted.entryLevel());
        MemorySegment packedCodes = MemorySegment.ofArray(new byte[Math.toIntExact(NODES * apartCodes.recordBytes())]);
        for (int node = 0; node < NODES; node++) {
            MemorySegment.copy(apartCodes.record(node), 0, packedCodes, node * apartCodes.recordBytes(),
                    apartCodes.recordBytes());
        }
        reloaded.load(apartCodes.quantizer(), packedCodes, NODES);
        assertSameCodes(reloaded, apartCodes);
        assertSameLinks(reloadedGraph, apart);
    }

    @Test
    void refusesVectorsThatHostListsOfAnotherSize() {
        VectorValues vectors = new VectorValues(DIMENSIONS, Metric.L2, HnswGraph.listBytes(M + 1),
                SegmentPages.heapFloatPages());

        assertThatThrownBy(() -> graph(vectors, vectors.hostedLists()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the records host link lists of 60 bytes; a graph with m = 6 needs 52");
    }

    @Test
    void vectorsThatHostListsDoNotAdoptSnapshotPages() {
        VectorValues vectors = new VectorValues(DIMENSIONS, Metric.L2, HnswGraph.listBytes(M),
                SegmentPages.heapFloatPages());

        assertThatThrownBy(() -> vectors.load(MemorySegment.ofArray(new float[DIMENSIONS]), 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot adopt");
    }

    private static HnswGraph graph(VectorValues vectors, HostedLists hostedLists) {
        return new HnswGraph(vectors, hostedLists, new ConcurrentBits(SegmentPages.heapPages()), M, 32, 5,
                SegmentPages.heapPages());
    }

    private static void assertSameLinks(HnswGraph actual, HnswGraph expected) {
        int[] expectedLinks = new int[2 * M];
        int[] actualLinks = new int[2 * M];
        for (int node = 0; node < NODES; node++) {
            assertThat(actual.levelOf(node)).isEqualTo(expected.levelOf(node));
            for (int level = 0; level <= expected.levelOf(node); level++) {
                int count = expected.readLinks(node, level, expectedLinks);
                assertThat(actual.readLinks(node, level, actualLinks)).as("links of %d on %d", node, level).isEqualTo(count);
                assertThat(Arrays.copyOf(actualLinks, count)).containsExactly(Arrays.copyOf(expectedLinks, count));
            }
        }
    }

    private static void assertSameCodes(QuantizedVectors actual, QuantizedVectors expected) {
        for (int node = 0; node < NODES; node++) {
            assertThat(actual.record(node).mismatch(expected.record(node))).as("codes of %d", node).isEqualTo(-1);
        }
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
