package io.crvecdb.hnsw;

import io.crvecdb.Allocations;
import io.crvecdb.Datasets;
import io.crvecdb.Metric;
import io.crvecdb.quantization.QuantizedVectors;
import io.crvecdb.storage.SegmentPages;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A step of the graph walk scores its fresh neighbours through {@link QueryScorer#distances}:
 * once compiled, that allocates nothing, for the float scorer on heap and on off-heap (mapped)
 * pages and for the int8 scorer, under every metric. (The kernels alone: {@code KernelAllocationTest}.)
 */
class ScorerAllocationTest {

    private static final int NODES = 512;
    /** A step's fresh neighbours: not a multiple of a batch, so the padding runs too. */
    private static final int FRESH = 37;

    static Stream<Arguments> cases() {
        return Stream.of(Metric.values()).flatMap(metric -> Stream.of(Arguments.of(metric, 100),
                Arguments.of(metric, 384)));
    }

    @ParameterizedTest(name = "{0}, {1} dimensions")
    @MethodSource("cases")
    void aStepScoresItsNeighboursWithoutAllocating(Metric metric, int dimensions) {
        Random random = new Random(dimensions * 31L + metric.ordinal());
        VectorValues onHeap = new VectorValues(dimensions, metric, SegmentPages.heapFloatPages());
        VectorValues offHeap = new VectorValues(dimensions, metric, bytes -> Arena.ofAuto().allocate(bytes, 64));
        for (int node = 0; node < NODES; node++) {
            float[] vector = Datasets.gaussian(random, dimensions);
            onHeap.set(node, vector);
            offHeap.set(node, vector);
        }
        QuantizedVectors codes = new QuantizedVectors(dimensions, metric, onHeap);
        codes.train(NODES, node -> true);
        float[] query = onHeap.prepareQuery(Datasets.gaussian(random, dimensions));
        int[] nodes = new int[FRESH + QueryScorer.BATCH_PADDING];
        for (int i = 0; i < FRESH; i++) {
            nodes[i] = random.nextInt(NODES);
        }
        float[] out = new float[nodes.length];

        Map<String, QueryScorer> scorers = new LinkedHashMap<>();
        scorers.put("float, heap pages", onHeap.scorer(query));
        scorers.put("float, off-heap pages", offHeap.scorer(query));
        scorers.put("int8", codes.scorer(query));
        SoftAssertions.assertSoftly(softly -> scorers.forEach((name, scorer) ->
                softly.assertThat(Allocations.bytesPerCallOnceCompiled(() -> scorer.distances(nodes, FRESH, out)))
                        .as("%s, %s, %d dimensions: bytes allocated per step", name, metric, dimensions)
                        .isZero()));
    }
}
