package io.crvecdb;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class DeleteAndUpdateTest {

    private static Datasets.Dataset data;

    @BeforeAll
    static void load() {
        data = Datasets.load(Datasets.TEXT, 300);
    }

    @Test
    void recallHoldsAfterDeletingHalfTheIndex() {
        try (VectorIndex index = data.buildIndex()) {
            BitSet removed = new BitSet();
            Random random = new Random(7);
            while (removed.cardinality() < data.base().length / 2) {
                removed.set(random.nextInt(data.base().length));
            }
            removed.stream().forEach(i -> assertThat(index.delete(Integer.toString(i))).isTrue());
            assertThat(index.size()).isEqualTo(data.base().length - removed.cardinality());

            double recall = 0;
            for (float[] query : data.queries()) {
                List<SearchHit> hits = index.search(query, 10);
                assertThat(hits).hasSize(10)
                        .allSatisfy(h -> assertThat(removed.get(Integer.parseInt(h.id()))).isFalse());
                int[] truth = Datasets.exactNeighbors(data.metric(), data.base(), query, 10, i -> !removed.get(i));
                recall += Datasets.recall(hits, truth, 10);
            }
            recall /= data.queries().length;
            System.out.printf("recall@10 after deleting 50%%: %.4f%n", recall);
            assertThat(recall).isGreaterThanOrEqualTo(0.95);
            assertThat(index.get("" + removed.nextSetBit(0))).isEmpty();
            assertThat(index.delete("" + removed.nextSetBit(0))).isFalse();
        }
    }

    @Test
    void addingAnExistingIdReplacesItsVectorAndPayload() {
        try (VectorIndex index = data.buildIndex()) {
            float[] oldVector = data.base()[42];
            float[] newVector = data.base()[4242];
            index.add("42", newVector, new byte[] {1, 2, 3});

            assertThat(index.size()).isEqualTo(data.base().length);
            assertThat(index.get("42")).hasValueSatisfying(r -> {
                assertThat(r.vector()).containsExactly(newVector);
                assertThat(r.payload()).containsExactly(1, 2, 3);
            });
            // The new vector finds id 42 (tied with 4242, whose vector is the same) ...
            assertThat(index.search(newVector, 2)).extracting(SearchHit::id).containsExactlyInAnyOrder("42", "4242");
            // ... and the old vector no longer does.
            assertThat(index.search(oldVector, 10)).extracting(SearchHit::id).doesNotContain("42");
        }
    }
}
