package io.crvecdb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Filtered search on text-wordnet-10k: k accepted hits whenever k pass, and recall against the restricted truth. */
class FilteredSearchTest {

    private static final int QUERIES = 200;
    private static Datasets.Dataset data;
    private static VectorIndex index;

    @BeforeAll
    static void build() {
        data = Datasets.load(Datasets.TEXT, QUERIES);
        index = data.buildIndex();
    }

    @AfterAll
    static void close() {
        index.close();
    }

    /** A seeded random subset of the base ordinals, each kept with probability {@code fraction}. */
    private static BitSet randomSubset(double fraction, long seed) {
        Random random = new Random(seed);
        BitSet passes = new BitSet();
        for (int i = 0; i < data.base().length; i++) {
            if (random.nextDouble() < fraction) {
                passes.set(i);
            }
        }
        return passes;
    }

    private static Set<String> ids(BitSet ordinals) {
        Set<String> ids = new HashSet<>();
        ordinals.stream().forEach(i -> ids.add(Datasets.id(i)));
        return ids;
    }

    /** {@code SearchFilter.anyOf} (listed: may be scanned directly) or a plain lambda (estimated by sampling). */
    private static SearchFilter filter(Set<String> ids, boolean listed) {
        return listed ? SearchFilter.anyOf(ids) : ids::contains;
    }

    private static float[] vectorIfPassing(BitSet passes, String id) {
        int ordinal = Integer.parseInt(id);
        return passes.get(ordinal) ? data.base()[ordinal] : null;
    }

    @ParameterizedTest(name = "{0} of the ids pass, listed filter: {1}")
    @CsvSource({"0.5, false", "0.1, false", "0.01, false", "0.5, true", "0.1, true", "0.01, true"})
    void recallAndCompletenessUnderAFilter(double fraction, boolean listed) {
        BitSet passes = randomSubset(fraction, Double.hashCode(fraction));
        SearchFilter filter = filter(ids(passes), listed);

        double recall = 0;
        for (float[] query : data.queries()) {
            List<SearchHit> hits = index.search(query, 10, filter);
            assertThat(hits).hasSize(10);
            HitChecks.assertWellFormed(hits, data.metric(), query, id -> vectorIfPassing(passes, id)); // null: rejected id
            recall += Datasets.recall(hits, Datasets.exactNeighbors(data.metric(), data.base(), query, 10, passes::get), 10);
        }
        recall /= QUERIES;
        System.out.printf("FilteredSearchTest: recall@10 with %.0f%% passing (%d ids, listed %s) = %.4f%n",
                100 * fraction, passes.cardinality(), listed, recall);
        assertThat(recall).isGreaterThanOrEqualTo(0.95);

        // k hits whenever k pass, even at the smallest ef and for a larger k.
        for (int q = 0; q < 30; q++) {
            float[] query = data.queries()[q];
            List<SearchHit> narrow = index.search(query, 10, 10, filter);
            assertThat(narrow).as("ef = k = 10").hasSize(10);
            HitChecks.assertWellFormed(narrow, data.metric(), query, id -> vectorIfPassing(passes, id));
            List<SearchHit> wide = index.search(query, 50, 1, filter);
            assertThat(wide).as("k = 50, ef = 1").hasSize(50);
            HitChecks.assertWellFormed(wide, data.metric(), query, id -> vectorIfPassing(passes, id));
        }
    }

    @ParameterizedTest(name = "listed filter: {0}")
    @ValueSource(booleans = {false, true})
    void aFilterPassingFewerThanKReturnsExactlyThose(boolean listed) {
        Set<String> passing = Set.of("3", "333", "3333");
        SearchFilter filter = filter(passing, listed);
        for (int q = 0; q < 10; q++) {
            float[] query = data.queries()[q];
            List<SearchHit> hits = index.search(query, 10, filter);
            assertThat(hits).extracting(SearchHit::id).containsExactlyInAnyOrderElementsOf(passing);
            HitChecks.assertWellFormed(hits, data.metric(), query, id -> passing.contains(id) ? data.base()[Integer.parseInt(id)] : null);
        }
        assertThat(index.search(data.queries()[0], 10, filter(Set.of(), listed))).as("nothing passes").isEmpty();
        // Unknown ids in the filter are ignored.
        Set<String> withUnknown = Set.of("7", "not-an-id", "10000");
        assertThat(index.search(data.queries()[0], 10, filter(withUnknown, listed))).extracting(SearchHit::id).containsExactly("7");
    }

    /** Every k ≥ 1 is legal: one larger than the index returns every accepted record. */
    @ParameterizedTest(name = "k = {0}")
    @ValueSource(ints = {Integer.MAX_VALUE, Integer.MAX_VALUE - 1, Integer.MAX_VALUE - 2, 20_000})
    void aKLargerThanTheIndexReturnsEveryAcceptedRecord(int k) {
        float[] query = data.queries()[0];
        BitSet passes = randomSubset(0.01, 99);
        for (boolean listed : new boolean[] {false, true}) {
            List<SearchHit> hits = searchOrFail(query, k, filter(ids(passes), listed));
            assertThat(hits).as("listed %s", listed).hasSize(passes.cardinality());
            HitChecks.assertWellFormed(hits, data.metric(), query, id -> vectorIfPassing(passes, id));
        }
        assertThat(searchOrFail(query, k, null)).as("unfiltered").hasSize(data.base().length);
    }

    /**
     * Turns any exception into a test failure. An OutOfMemoryError too: JUnit would rethrow it and
     * abort the whole run (these sizes fail before allocating anything, so the heap is fine).
     */
    private static List<SearchHit> searchOrFail(float[] query, int k, SearchFilter filter) {
        try {
            return index.search(query, k, filter);
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new AssertionError("search with k = " + k + (filter == null ? "" : " and a filter") + " threw " + e, e);
        }
    }

    @Test
    void aFilterIsAppliedToEveryHitAtAnyEf() {
        // Accepts ids by a property of the id alone: about a third of them.
        SearchFilter byDigit = id -> id.endsWith("1") || id.endsWith("4") || id.endsWith("7");
        for (int ef : new int[] {0, 1, 10, 40, 400}) {
            for (int q = 0; q < 20; q++) {
                List<SearchHit> hits = index.search(data.queries()[q], 10, ef, byDigit);
                assertThat(hits).hasSize(10).allSatisfy(h -> assertThat(byDigit.accept(h.id())).isTrue());
            }
        }
    }
}
