package io.crvecdb;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The defaults (m=16, efConstruction=200, default efSearch) reach recall@10 ≥ 0.95 on real data. */
class RecallTest {

    @ParameterizedTest(name = "{0}, {1} queries")
    @CsvSource({"text-wordnet-10k, 1000", "photo-sift-100k, 500"})
    void defaultSettingsReachRecallAtTen(String dataset, int queries) {
        Datasets.Dataset data = Datasets.load(dataset, queries);
        try (VectorIndex index = data.buildIndex()) {
            assertThat(index.size()).isEqualTo(data.base().length);
            assertThat(index.m()).isEqualTo(VectorIndex.DEFAULT_M);
            assertThat(index.efConstruction()).isEqualTo(VectorIndex.DEFAULT_EF_CONSTRUCTION);
            assertThat(index.efSearch()).isEqualTo(VectorIndex.DEFAULT_EF_SEARCH);

            double recall = 0;
            for (int q = 0; q < data.queries().length; q++) {
                float[] query = data.queries()[q];
                List<SearchHit> hits = index.search(query, 10);
                assertThat(hits).hasSize(10);
                HitChecks.assertWellFormed(hits, data.metric(), query, id -> data.base()[Integer.parseInt(id)]);
                recall += Datasets.recall(hits, data.truth()[q], 10);
            }
            recall /= data.queries().length;
            System.out.printf("RecallTest %s: recall@10 at default ef %d = %.4f%n", dataset, index.efSearch(), recall);
            assertThat(recall).as("recall@10 on %s", dataset).isGreaterThanOrEqualTo(0.95);

            assertEfBelowKIsRaisedToK(index, data);
        }
    }

    /** ef=1 with k=10 searches with ef=10: ten hits, the same as asking for ef=10 (the graph is fixed). */
    private static void assertEfBelowKIsRaisedToK(VectorIndex index, Datasets.Dataset data) {
        for (int q = 0; q < 20; q++) {
            float[] query = data.queries()[q];
            List<SearchHit> raised = index.search(query, 10, 1, null);
            assertThat(raised).hasSize(10).isEqualTo(index.search(query, 10, 10, null));
            HitChecks.assertWellFormed(raised, data.metric(), query, id -> data.base()[Integer.parseInt(id)]);
        }
        // k above the default ef: the default is raised to k too.
        int k = VectorIndex.DEFAULT_EF_SEARCH + 50;
        List<SearchHit> many = index.search(data.queries()[0], k);
        assertThat(many).hasSize(k);
        HitChecks.assertWellFormed(many, data.metric(), data.queries()[0], id -> data.base()[Integer.parseInt(id)]);
    }
}
