package io.crvecdb;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Deletes and upserts on text-wordnet-10k: recall holds, and replaced or deleted vectors are gone. */
class DeleteRecallTest {

    private static final int QUERIES = 300;
    private static Datasets.Dataset data;

    @BeforeAll
    static void load() {
        data = Datasets.load(Datasets.TEXT, QUERIES);
    }

    /**
     * Upserts and deletes under dot product can leave a few live records out of the graph's reach
     * until the next checkpoint or compaction. A search whose beam covers every record is exact
     * anyway, with a filter as without.
     */
    @Test
    void aBeamAsWideAsTheIndexIsExactWithAFilterToo() {
        Random random = new Random(5);
        try (VectorIndex index = VectorIndex.builder().dimensions(2).metric(Metric.DOT_PRODUCT).build()) {
            for (int i = 0; i < 500; i++) {
                index.add(Datasets.id(i), Datasets.gaussian(random, 2));
            }
            for (int step = 0; step < 500; step++) {
                int i = random.nextInt(500);
                if (random.nextBoolean()) {
                    index.add(Datasets.id(i), Datasets.gaussian(random, 2));
                } else {
                    index.delete(Datasets.id(i));
                }
            }
            List<String> everyId = new ArrayList<>();
            for (int i = 0; i < 2500; i++) {
                everyId.add(Datasets.id(i));
            }
            SearchFilter listed = SearchFilter.anyOf(everyId);
            for (int q = 0; q < 20; q++) {
                float[] query = Datasets.gaussian(random, 2);
                List<SearchHit> unfiltered = index.search(query, 100, 10_000, null);
                assertThat(index.search(query, 100, 10_000, listed)).as("query %d, listed filter", q).isEqualTo(unfiltered);
                assertThat(index.search(query, 100, 10_000, id -> true)).as("query %d, predicate", q).isEqualTo(unfiltered);
            }
        }
    }

    @Test
    void deletingHalfTheIndexKeepsRecallAndForgetsTheDeleted() {
        int n = data.base().length;
        try (VectorIndex index = data.buildIndex()) {
            BitSet removed = new BitSet();
            Random random = new Random(7);
            while (removed.cardinality() < n / 2) {
                removed.set(random.nextInt(n));
            }
            removed.stream().forEach(i -> assertThat(index.delete(Datasets.id(i))).as("first delete of %d", i).isTrue());
            int survivors = n - removed.cardinality();
            assertThat(index.size()).isEqualTo(survivors);

            for (int i = 0; i < n; i++) {
                String id = Datasets.id(i);
                if (removed.get(i)) {
                    assertThat(index.get(id)).as("get of deleted %s", id).isEmpty();
                    assertThat(index.contains(id)).isFalse();
                    assertThat(index.delete(id)).as("second delete of %s", id).isFalse();
                } else {
                    assertThat(index.get(id)).as("get of survivor %s", id)
                            .hasValueSatisfying(r -> assertThat(r.vector()).containsExactly(data.base()[Integer.parseInt(id)]));
                }
            }
            assertThat(index.delete("never-added")).isFalse();
            assertThat(index.size()).isEqualTo(survivors);

            // Recall against the exact neighbours among the survivors; no deleted id ever comes back.
            double recall = 0;
            for (float[] query : data.queries()) {
                List<SearchHit> hits = index.search(query, 10);
                assertThat(hits).hasSize(10);
                HitChecks.assertWellFormed(hits, data.metric(), query, id -> vectorUnless(removed, id));
                recall += Datasets.recall(hits, Datasets.exactNeighbors(data.metric(), data.base(), query, 10, i -> !removed.get(i)), 10);
            }
            recall /= QUERIES;
            System.out.printf("DeleteRecallTest: recall@10 after deleting 50%% = %.4f%n", recall);
            assertThat(recall).isGreaterThanOrEqualTo(0.95);

            assertFilteredSearchSkipsDeleted(index, removed);
            assertDeletedIdsCanBeAddedAgain(index, removed, survivors);
        }
    }

    /** A filter accepting deleted ids does not bring them back, listed or not. */
    private static void assertFilteredSearchSkipsDeleted(VectorIndex index, BitSet removed) {
        Set<String> tenth = new HashSet<>();
        for (int i = 0; i < data.base().length; i += 10) {
            tenth.add(Datasets.id(i));
        }
        for (SearchFilter filter : List.of(SearchFilter.anyOf(tenth), (SearchFilter) tenth::contains)) {
            for (int q = 0; q < 50; q++) {
                float[] query = data.queries()[q];
                List<SearchHit> hits = index.search(query, 10, filter);
                assertThat(hits).hasSize(10).allSatisfy(h -> assertThat(tenth).contains(h.id()));
                HitChecks.assertWellFormed(hits, data.metric(), query, id -> vectorUnless(removed, id));
            }
        }
    }

    /** Re-adding deleted ids restores them: size grows, and each is found by its own vector. */
    private static void assertDeletedIdsCanBeAddedAgain(VectorIndex index, BitSet removed, int survivors) {
        List<Integer> back = removed.stream().limit(200).boxed().toList();
        back.forEach(i -> index.add(Datasets.id(i), data.base()[i]));
        back.forEach(removed::clear);
        assertThat(index.size()).isEqualTo(survivors + back.size());
        for (int i : back) {
            assertThat(index.get(Datasets.id(i))).isPresent();
            List<SearchHit> hits = index.search(data.base()[i], 10);
            assertThat(Datasets.ids(hits)).as("self-search of re-added %d", i).contains(Datasets.id(i));
            HitChecks.assertWellFormed(hits, data.metric(), data.base()[i], id -> vectorUnless(removed, id));
        }
    }

    private static float[] vectorUnless(BitSet removed, String id) {
        int ordinal = Integer.parseInt(id);
        return removed.get(ordinal) ? null : data.base()[ordinal];
    }

    @Test
    void addingAnExistingIdReplacesItsVectorAndPayload() {
        int n = data.base().length;
        float[][] current = data.base().clone(); // the vector each id holds after the upserts
        try (VectorIndex index = data.buildIndex()) {
            // Move a random 10% of the ids to new places: the normalised sum with another base vector.
            Random random = new Random(11);
            List<Integer> moved = new ArrayList<>();
            BitSet chosen = new BitSet();
            while (moved.size() < n / 10) {
                int i = random.nextInt(n);
                if (!chosen.get(i)) {
                    chosen.set(i);
                    moved.add(i);
                    current[i] = normalizedSum(data.base()[i], data.base()[random.nextInt(n)]);
                    index.add(Datasets.id(i), current[i], payload(i));
                }
            }
            assertThat(index.size()).as("upserts do not change the size").isEqualTo(n);

            for (int i : moved) {
                String id = Datasets.id(i);
                assertThat(index.get(id)).hasValueSatisfying(r -> {
                    assertThat(r.vector()).containsExactly(current[i]);
                    assertThat(r.payload()).containsExactly(payload(i));
                });
                // The new vector finds the id first, at distance ~0 ...
                List<SearchHit> byNew = index.search(current[i], 10);
                assertThat(byNew.getFirst().id()).as("search by the new vector of %s", id).isEqualTo(id);
                HitChecks.assertWellFormed(byNew, data.metric(), current[i], hit -> current[Integer.parseInt(hit)]);
                // ... and the old vector no longer maps to it: a hit for the id is at its new distance.
                List<SearchHit> byOld = index.search(data.base()[i], 10);
                HitChecks.assertWellFormed(byOld, data.metric(), data.base()[i], hit -> current[Integer.parseInt(hit)]);
            }

            double recall = 0;
            for (float[] query : data.queries()) {
                List<SearchHit> hits = index.search(query, 10);
                assertThat(hits).hasSize(10);
                HitChecks.assertWellFormed(hits, data.metric(), query, hit -> current[Integer.parseInt(hit)]);
                recall += Datasets.recall(hits, Datasets.exactNeighbors(data.metric(), current, query, 10, i -> true), 10);
            }
            recall /= QUERIES;
            System.out.printf("DeleteRecallTest: recall@10 after upserting 10%% = %.4f%n", recall);
            assertThat(recall).isGreaterThanOrEqualTo(0.95);

            // Several versions of one id: only the last is kept.
            String id = Datasets.id(moved.getFirst());
            for (int version = 0; version < 3; version++) {
                index.add(id, data.queries()[version]);
            }
            float[] lastVersion = data.queries()[2];
            assertThat(index.size()).isEqualTo(n);
            assertThat(index.get(id)).hasValueSatisfying(r -> {
                assertThat(r.vector()).containsExactly(lastVersion);
                assertThat(r.payload()).as("a re-add without payload clears it").isEmpty();
            });
            current[moved.getFirst()] = lastVersion;
            for (int version = 0; version < 3; version++) {
                // Earlier versions are gone: a hit for the id is at the last version's distance.
                float[] query = data.queries()[version];
                List<SearchHit> hits = index.search(query, 10);
                HitChecks.assertWellFormed(hits, data.metric(), query, hit -> current[Integer.parseInt(hit)]);
            }
            assertThat(index.search(lastVersion, 1)).extracting(SearchHit::id).containsExactly(id);
        }
    }

    private static float[] normalizedSum(float[] a, float[] b) {
        float[] sum = new float[a.length];
        double norm = 0;
        for (int d = 0; d < a.length; d++) {
            sum[d] = a[d] + b[d];
            norm += (double) sum[d] * sum[d];
        }
        if (norm == 0) { // a == -b: keep a instead
            return a.clone();
        }
        for (int d = 0; d < a.length; d++) {
            sum[d] = (float) (sum[d] / Math.sqrt(norm));
        }
        return sum;
    }

    private static byte[] payload(int ordinal) {
        return ("payload-" + ordinal).getBytes(StandardCharsets.UTF_8);
    }
}
