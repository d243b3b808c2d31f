package io.crvecdb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FilteredSearchTest {

    private static Datasets.Dataset data;
    private static VectorIndex index;

    @BeforeAll
    static void build() {
        data = Datasets.load(Datasets.TEXT, 200);
        index = data.buildIndex();
    }

    @AfterAll
    static void close() {
        index.close();
    }

    @ParameterizedTest(name = "{0} of the ids pass, listed filter: {1}")
    @CsvSource({"0.5, false", "0.1, false", "0.01, false", "0.5, true", "0.1, true", "0.01, true"})
    void recallAndCompletenessUnderAFilter(double selectivity, boolean listed) {
        Random random = new Random(Double.hashCode(selectivity));
        Set<String> passing = new HashSet<>();
        boolean[] passes = new boolean[data.base().length];
        for (int i = 0; i < passes.length; i++) {
            if (random.nextDouble() < selectivity) {
                passes[i] = true;
                passing.add(Integer.toString(i));
            }
        }
        SearchFilter filter = listed ? SearchFilter.anyOf(passing) : passing::contains;

        double recall = 0;
        for (float[] query : data.queries()) {
            List<SearchHit> hits = index.search(query, 10, filter);
            assertThat(hits).hasSize(10).allSatisfy(h -> assertThat(passing).contains(h.id()));
            recall += Datasets.recall(hits, Datasets.exactNeighbors(data.metric(), data.base(), query, 10, i -> passes[i]), 10);
        }
        recall /= data.queries().length;
        System.out.printf("filtered recall@10 at %.0f%% (listed %s): %.4f%n", 100 * selectivity, listed, recall);
        assertThat(recall).isGreaterThanOrEqualTo(0.95);
    }

    @ParameterizedTest(name = "listed filter: {0}")
    @CsvSource({"false", "true"})
    void aFilterPassingFewerThanKReturnsExactlyThose(boolean listed) {
        Set<String> passing = Set.of("3", "333", "3333");
        SearchFilter filter = listed ? SearchFilter.anyOf(passing) : passing::contains;
        assertThat(index.search(data.queries()[0], 10, filter)).extracting(SearchHit::id)
                .containsExactlyInAnyOrderElementsOf(passing);
    }
}
