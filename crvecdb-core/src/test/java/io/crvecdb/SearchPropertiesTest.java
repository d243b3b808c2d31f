package io.crvecdb;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Small random indexes against brute force, for every metric, with deletes and filters. */
class SearchPropertiesTest {

    @Property(tries = 80)
    void searchAgreesWithBruteForce(@ForAll Metric metric,
                                    @ForAll @IntRange(min = 1, max = 160) int n,
                                    @ForAll @IntRange(min = 1, max = 20) int dimensions,
                                    @ForAll @IntRange(min = 1, max = 30) int k,
                                    @ForAll @DoubleRange(min = 0, max = 0.6) double deleteFraction,
                                    @ForAll @DoubleRange(min = 0.05, max = 1) double passFraction,
                                    @ForAll long seed) {
        Random random = new Random(seed);
        float[][] vectors = new float[n][dimensions];
        for (float[] v : vectors) {
            for (int d = 0; d < dimensions; d++) {
                v[d] = (float) random.nextGaussian();
            }
            v[random.nextInt(dimensions)] += 0.5f; // never all zeros, which cosine rejects
        }
        BitSet deleted = new BitSet();
        BitSet passes = new BitSet();
        for (int i = 0; i < n; i++) {
            if (random.nextDouble() < deleteFraction) {
                deleted.set(i);
            }
            if (random.nextDouble() < passFraction) {
                passes.set(i);
            }
        }
        float[] query = vectors[random.nextInt(n)].clone();
        query[0] += 0.25f;

        try (VectorIndex index = VectorIndex.builder().dimensions(dimensions).metric(metric).m(8).seed(seed).build()) {
            for (int i = 0; i < n; i++) {
                index.add(Integer.toString(i), vectors[i]);
            }
            deleted.stream().forEach(i -> index.delete(Integer.toString(i)));
            SearchFilter filter = passFraction >= 1 ? null : id -> passes.get(Integer.parseInt(id));

            List<SearchHit> hits = index.search(query, k, n, filter);

            int[] expected = Datasets.exactNeighbors(metric, vectors, query, k,
                    i -> !deleted.get(i) && (filter == null || passes.get(i)));
            assertThat(hits).hasSize(expected.length);
            assertThat(new HashSet<>(hits.stream().map(SearchHit::id).toList())).hasSize(hits.size());
            for (int i = 0; i < hits.size(); i++) {
                SearchHit hit = hits.get(i);
                int ordinal = Integer.parseInt(hit.id());
                assertThat(deleted.get(ordinal)).as("deleted id returned").isFalse();
                if (filter != null) {
                    assertThat(passes.get(ordinal)).as("filtered-out id returned").isTrue();
                }
                if (i > 0) {
                    assertThat(hit.score()).isLessThanOrEqualTo(hits.get(i - 1).score());
                    assertThat(hit.distance()).isGreaterThanOrEqualTo(hits.get(i - 1).distance());
                }
                double tolerance = 1e-4 * (1 + Math.abs(Datasets.distance(metric, query, vectors[ordinal])));
                assertThat((double) hit.distance()).isCloseTo(Datasets.distance(metric, query, vectors[ordinal]), within(tolerance));
                assertThat((double) hit.score()).isCloseTo(Datasets.score(metric, query, vectors[ordinal]), within(tolerance));
                // With ef ≥ n the search is exhaustive: the i-th hit is as close as the i-th true neighbour.
                double expectedDistance = Datasets.distance(metric, query, vectors[expected[i]]);
                assertThat((double) hit.distance()).isCloseTo(expectedDistance, within(tolerance));
            }
        }
    }
}
