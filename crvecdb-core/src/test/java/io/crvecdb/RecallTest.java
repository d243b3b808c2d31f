package io.crvecdb;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The defaults (m=16, efConstruction=200, default efSearch) reach recall@10 ≥ 0.95 on real data. */
class RecallTest {

    @Test
    void textEmbeddingsUnderCosine() {
        assertDefaultRecall(Datasets.load(Datasets.TEXT, 1000));
    }

    @Test
    void siftDescriptorsUnderL2() {
        assertDefaultRecall(Datasets.load(Datasets.PHOTO, 500));
    }

    private static void assertDefaultRecall(Datasets.Dataset data) {
        try (VectorIndex index = data.buildIndex()) {
            assertThat(index.size()).isEqualTo(data.base().length);
            double recall = 0;
            for (int q = 0; q < data.queries().length; q++) {
                List<SearchHit> hits = index.search(data.queries()[q], 10);
                assertThat(hits).hasSize(10);
                recall += Datasets.recall(hits, data.truth()[q], 10);
            }
            recall /= data.queries().length;
            System.out.printf("recall@10 at default ef %d: %.4f%n", index.efSearch(), recall);
            assertThat(recall).isGreaterThanOrEqualTo(0.95);

            // ef below k is raised to k: still k hits, and no worse than ef = k.
            List<SearchHit> raised = index.search(data.queries()[0], 10, 1, null);
            assertThat(raised).hasSize(10).isEqualTo(index.search(data.queries()[0], 10, 10, null));
        }
    }
}
