package io.crvecdb;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** "The index has no fixed capacity; it grows as vectors arrive": past the first storage pages too. */
class CapacityTest {

    /** Past 2^21 records (where the tombstone bit set's first page table ends), with cheap 1-d vectors. */
    private static final int RECORDS = (1 << 21) + 100;

    @Test
    void growsPastTwoMillionRecords() {
        try (VectorIndex index = VectorIndex.builder().dimensions(1).metric(Metric.L2).m(4).efConstruction(8).build()) {
            for (int i = 0; i < RECORDS; i++) {
                float[] vector = {i}; // distinct: floats hold integers exactly up to 2^24
                try {
                    index.add(Datasets.id(i), vector);
                } catch (RuntimeException e) {
                    throw new AssertionError("add of record " + i + " (size " + index.size() + ") threw " + e, e);
                }
            }
            assertThat(index.size()).isEqualTo(RECORDS);
            for (int i = RECORDS - 200; i < RECORDS; i++) {
                float[] vector = {i};
                assertThat(index.get(Datasets.id(i))).hasValueSatisfying(r -> assertThat(r.vector()).containsExactly(vector));
                assertThat(index.search(vector, 1)).extracting(SearchHit::id).containsExactly(Datasets.id(i));
            }
            assertThat(index.delete(Datasets.id(RECORDS - 1))).isTrue();
            assertThat(index.search(new float[] {RECORDS - 1}, 1)).extracting(SearchHit::id).containsExactly(Datasets.id(RECORDS - 2));
        }
    }
}
