package io.crvecdb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Int8 quantization with exact re-scoring: recall within a point of full precision at the same ef
 * on the shared datasets, exact scores in every hit, and a reopened store answers identically.
 */
class QuantizationTest {

    private static final int EF = 40;
    /**
     * Recall is compared at 2·k, the smallest beam an int8 search of k = 10 walks (where the
     * re-scoring sees the whole beam), and at {@link #EF}.
     */
    private static final int[] EFS = {20, EF};
    /** Every query of both sets: at 2·k the two recalls are close, and 200 queries would be noise. */
    private static final int QUERIES = 1000;

    @TempDir
    Path storage;

    @ParameterizedTest
    @ValueSource(strings = {Datasets.TEXT, Datasets.PHOTO})
    void recallStaysWithinAPointOfFullPrecision(String name) {
        Datasets.Dataset data = Datasets.load(name, QUERIES);
        double[] full = new double[EFS.length];
        double[] int8 = new double[EFS.length];
        double fullFirst;
        double int8First;
        long fullMemory;
        long int8Memory;
        try (VectorIndex index = data.buildIndex()) {
            for (int i = 0; i < EFS.length; i++) {
                full[i] = recall(index, data, 10, EFS[i]);
            }
            fullFirst = recall(index, data, 1, EF);
            fullMemory = index.searchMemoryBytes();
        }
        try (VectorIndex index = VectorIndex.builder().dimensions(data.dimensions()).metric(data.metric())
                .quantization(Quantization.INT8).build()) {
            index.addAll(data.records(), 2);
            for (int i = 0; i < EFS.length; i++) {
                int8[i] = recall(index, data, 10, EFS[i]);
            }
            int8First = recall(index, data, 1, EF); // k = 1 re-scores only the floor of 10 candidates
            int8Memory = index.searchMemoryBytes();
            float[] query = data.queries()[0];
            HitChecks.assertWellFormed(index.search(query, 10, EF, null), data.metric(), query,
                    id -> data.base()[Integer.parseInt(id)]);
        }
        double memoryRatio = (double) int8Memory / fullMemory;
        for (int i = 0; i < EFS.length; i++) {
            System.out.printf("QuantizationTest %s: at ef %d, recall@10 full precision %.4f, int8 + re-scoring %.4f%n",
                    name, EFS[i], full[i], int8[i]);
            assertThat(int8[i]).as("int8 recall@10 at ef %d", EFS[i]).isGreaterThanOrEqualTo(full[i] - 0.01);
        }
        System.out.printf("QuantizationTest %s: at ef %d, recall@1 (k=1) full precision %.4f, int8 %.4f; "
                + "search memory %,d -> %,d bytes (%.3fx)%n",
                name, EF, fullFirst, int8First, fullMemory, int8Memory, memoryRatio);
        assertThat(int8First).isGreaterThanOrEqualTo(fullFirst - 0.01);
        // Codes are a quarter of the floats; the float index keeps 33 ints per node on layer 0 beside
        // each vector, the int8 one packs its links into the bits the node count needs (14 and 17 here).
        assertThat(memoryRatio).isLessThanOrEqualTo(0.35);
    }

    /** Recall@k of searches for k at {@code ef}. */
    private static double recall(VectorIndex index, Datasets.Dataset data, int k, int ef) {
        double sum = 0;
        for (int q = 0; q < data.queries().length; q++) {
            sum += Datasets.recall(index.search(data.queries()[q], k, ef, null), data.truth()[q], k);
        }
        return sum / data.queries().length;
    }

    @Test
    void reopenedQuantizedStoreAnswersIdentically() {
        Random random = new Random(3);
        List<VectorRecord> records = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            records.add(new VectorRecord(Datasets.id(i), Datasets.gaussian(random, 48)));
        }
        List<List<SearchHit>> before = new ArrayList<>();
        long searchMemory;
        try (VectorIndex index = VectorIndex.builder().dimensions(48).metric(Metric.COSINE).quantization(Quantization.INT8)
                .storage(storage).build()) {
            index.addAll(records, 2);
            for (int i = 0; i < 100; i += 7) {
                index.delete(Datasets.id(i));
            }
            for (int q = 0; q < 30; q++) {
                before.add(index.search(records.get(q * 50 + 1).vector(), 10));
            }
            searchMemory = index.searchMemoryBytes();
        }
        try (VectorIndex reopened = VectorIndex.open(storage)) {
            assertThat(reopened.quantization()).isEqualTo(Quantization.INT8);
            assertThat(reopened.searchMemoryBytes()).as("codes and links, mapped or copied back").isEqualTo(searchMemory);
            List<List<SearchHit>> after = new ArrayList<>();
            for (int q = 0; q < 30; q++) {
                after.add(reopened.search(records.get(q * 50 + 1).vector(), 10));
            }
            assertThat(after).isEqualTo(before);
            reopened.compact();
            for (int q = 0; q < 30; q++) {
                float[] query = records.get(q * 50 + 1).vector();
                assertThat(reopened.search(query, 1)).extracting(SearchHit::id)
                        .containsExactly(Datasets.id(q * 50 + 1));
            }
        }
    }

    @Test
    void smallIndexesSearchInFullPrecisionUntilTrained() {
        try (VectorIndex index = VectorIndex.builder().dimensions(8).metric(Metric.L2).quantization(Quantization.INT8).build()) {
            Random random = new Random(5);
            for (int i = 0; i < 1500; i++) {
                index.add(Datasets.id(i), Datasets.gaussian(random, 8));
                if (i % 100 == 0) {
                    float[] self = index.get(Datasets.id(i)).orElseThrow().vector();
                    assertThat(index.search(self, 1).getFirst().distance()).as("exact score of %d", i).isZero();
                }
            }
        }
    }
    /**
     * Searches take no lock, so they run while the write that reaches 1,024 records learns the
     * int8 range and encodes every record: a search that switches to int8 must find every code.
     */
    @Test
    void searchesRunWhileTheRangeIsLearned() throws Exception {
        int dimensions = 256;
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int round = 0; round < 10 && failures.isEmpty(); round++) {
            Random random = new Random(round);
            try (VectorIndex index = VectorIndex.builder().dimensions(dimensions).metric(Metric.L2)
                    .quantization(Quantization.INT8).m(8).efConstruction(20).build()) {
                for (int i = 0; i < 1023; i++) {
                    index.add(Datasets.id(i), Datasets.gaussian(random, dimensions));
                }
                float[] query = Datasets.gaussian(random, dimensions);
                java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
                Thread reader = Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        try {
                            assertThat(index.search(query, 5)).hasSize(5);
                        } catch (Throwable t) {
                            failures.add(t);
                            return;
                        }
                    }
                });
                Thread.sleep(20);
                index.add(Datasets.id(1023), Datasets.gaussian(random, dimensions)); // learns the range
                Thread.sleep(20);
                stop.set(true);
                reader.join();
                assertThat(index.search(query, 5)).hasSize(5);
            }
        }
        assertThat(failures).isEmpty();
    }

    /**
     * An index whose first 1,024 records are all zeros (placeholders, records without features)
     * learned its int8 range from them alone: a range about 1e-6 wide, which every later record's
     * components (here non-negative, as SIFT's) saturated to one code, so that the codes told no
     * two records apart and the re-scoring saw a random few. Searches must stay as good as in full
     * precision (recall@10 was 0.04 against 1.0).
     */
    @Test
    void aConstantStartLeavesSearchesAsGoodAsFullPrecision() {
        int dimensions = 16;
        double[] recall = new double[Quantization.values().length];
        for (Quantization quantization : Quantization.values()) {
            Random random = new Random(11);
            List<float[]> vectors = new ArrayList<>();
            try (VectorIndex index = VectorIndex.builder().dimensions(dimensions).metric(Metric.L2)
                    .quantization(quantization).build()) {
                for (int i = 0; i < 1024; i++) {
                    vectors.add(new float[dimensions]);
                }
                for (int i = 0; i < 1000; i++) {
                    vectors.add(uniform(random, dimensions));
                }
                for (int i = 0; i < vectors.size(); i++) {
                    index.add(Datasets.id(i), vectors.get(i));
                }
                for (int q = 0; q < 100; q++) {
                    float[] query = uniform(random, dimensions);
                    double[] exact = vectors.stream().mapToDouble(v -> Datasets.distance(Metric.L2, query, v)).sorted().toArray();
                    double kth = exact[9] + HitChecks.tolerance(exact[9]);
                    recall[quantization.ordinal()] += index.search(query, 10).stream()
                            .filter(hit -> hit.distance() <= kth).count() / 10.0 / 100;
                }
            }
        }
        assertThat(recall[Quantization.INT8.ordinal()]).as("int8 recall@10, full precision's %s", recall[0])
                .isGreaterThanOrEqualTo(recall[Quantization.NONE.ordinal()] - 0.01);
    }

    private static float[] uniform(Random random, int dimensions) {
        float[] vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            vector[i] = random.nextFloat();
        }
        return vector;
    }

    /** k far beyond the records (its oversampled beam past the int range) returns every record. */
    @ParameterizedTest
    @ValueSource(ints = {5000, 1 << 30, Integer.MAX_VALUE})
    void aHugeKReturnsEveryRecord(int k) {
        Random random = new Random(1);
        try (VectorIndex index = VectorIndex.builder().dimensions(8).metric(Metric.L2).quantization(Quantization.INT8).build()) {
            for (int i = 0; i < 1100; i++) {
                index.add(Datasets.id(i), Datasets.gaussian(random, 8));
            }
            assertThat(index.search(Datasets.gaussian(random, 8), k)).hasSize(1100);
            assertThat(index.search(Datasets.gaussian(random, 8), k, 0, id -> id.endsWith("7"))).hasSize(110);
        }
    }
}
