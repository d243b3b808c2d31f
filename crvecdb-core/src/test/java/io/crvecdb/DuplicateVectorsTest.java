package io.crvecdb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identical vectors under different ids (the same chunk in many documents) are ordinary records:
 * each is returned by a search that asks for enough neighbours. Default settings.
 */
class DuplicateVectorsTest {

    private static final float[][] DIRECTIONS = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};

    @ParameterizedTest(name = "{0}: {1} vectors x {2} copies, added {3}")
    @CsvSource({"L2, 2, 33, interleaved", "L2, 3, 40, interleaved", "COSINE, 2, 33, interleaved", "L2, 3, 40, grouped",
            "COSINE, 2, 16, interleaved"})
    void everyCopyIsReturned(Metric metric, int vectors, int copies, String order) {
        try (VectorIndex index = VectorIndex.builder().dimensions(3).metric(metric).build()) {
            if (order.equals("interleaved")) {
                for (int c = 0; c < copies; c++) {
                    for (int v = 0; v < vectors; v++) {
                        index.add(v + "-" + c, DIRECTIONS[v]);
                    }
                }
            } else {
                for (int v = 0; v < vectors; v++) {
                    for (int c = 0; c < copies; c++) {
                        index.add(v + "-" + c, DIRECTIONS[v]);
                    }
                }
            }
            assertThat(index.size()).isEqualTo(vectors * copies);
            for (int v = 0; v < vectors; v++) {
                // The `copies` nearest records to a direction are its copies, all at distance 0.
                List<SearchHit> nearest = index.search(DIRECTIONS[v], copies);
                String prefix = v + "-";
                assertThat(nearest).as("the %d nearest to direction %d", copies, v).hasSize(copies)
                        .allSatisfy(h -> assertThat(h.id()).startsWith(prefix));
                assertThat(index.search(DIRECTIONS[v], vectors * copies, vectors * copies, null))
                        .as("a search for every record").hasSize(vectors * copies);
            }
        }
    }

    /**
     * One record, then 1,500 copies of another vector (a boilerplate chunk): every record stays
     * within reach of a search, and the record is its own nearest. Under cosine the copies are
     * 6e-8 apart, not 0, so the selection took them for distinct vectors and kept them all, and a
     * search for the record found a copy; and the oldest copies filled every list, so that 940 of
     * the 1,500 (1,393 under L2) were linked to from nowhere.
     */
    @ParameterizedTest
    @EnumSource(Metric.class)
    void aRecordBesideManyCopiesOfAnotherStaysFound(Metric metric) {
        float[] record = {1, 2, 3};
        try (VectorIndex index = VectorIndex.builder().dimensions(3).metric(metric).build()) {
            index.add("record", record);
            for (int i = 0; i < 1_500; i++) {
                index.add("copy-" + i, new float[] {5, 5, 5});
            }
            assertThat(index.unreachableCount()).as("records out of reach").isZero();
            if (metric != Metric.DOT_PRODUCT) { // where the copies score higher than the record itself
                assertThat(index.search(record, 1)).extracting(SearchHit::id).containsExactly("record");
            }
        }
    }

    /** Record "x": near the copies' vector, so that every copy is equally far from it. */
    private static final float[] X = {1, 1, 1, 1.01f};

    /** What one of 1,000 rewrites of record "x" does, beside the copies: returns the vector it wrote. */
    @FunctionalInterface
    private interface Rewrite {
        float[] apply(VectorIndex index, int rewrite);
    }

    /**
     * Rewrites record "x" 1,000 times in an index holding 2,000 copies of one vector, near which x
     * lies, so that every other record is equally far from x; returns the rewrites after which a
     * search for x (k = 3, ef = 20, unfiltered and through a filter that passes almost every
     * record) missed it.
     */
    private static List<Integer> rewritesAfterWhichXWasMissed(Rewrite rewrite) {
        try (VectorIndex index = VectorIndex.builder().dimensions(4).build()) {
            for (int i = 0; i < 2_000; i++) {
                index.add("copy-" + i, new float[] {1, 1, 1, 1});
            }
            List<Integer> missedAfter = new ArrayList<>();
            for (int r = 0; r < 1_000; r++) {
                float[] x = rewrite.apply(index, r);
                boolean graph = index.search(x, 3, 20, null).stream().anyMatch(hit -> hit.id().equals("x"));
                boolean filtered = index.search(x, 3, 20, id -> !id.equals("copy-7")).stream()
                        .anyMatch(hit -> hit.id().equals("x"));
                if (!graph || !filtered) {
                    missedAfter.add(r);
                }
            }
            return missedAfter;
        }
    }

    /**
     * Upserted 1,000 times with its vector unchanged: each upsert leaves a tombstone linking to the
     * next version, and the repairs around tombstones (every 500 here) must hand the nodes that
     * reached an old version a link to the live one. They handed them only the old version's own
     * live links, and the record, reachable only through the chain, went missing from 146 of the
     * 1,000 searches after its upserts.
     */
    @Test
    void aRecordUpsertedAgainAndAgainStaysFoundAcrossTombstoneRepairs() {
        assertThat(rewritesAfterWhichXWasMissed((index, r) -> add(index, "x", X))).isEmpty();
    }

    /**
     * The same, with one more identical vector added after every 7th upsert. An upsert links the
     * new version while the old one still shadows it in its neighbours' lists, so the old version
     * alone linked to it; a later insert then pruned the old version out of the one list that
     * reached it, and the record went missing (after 141 of the 1,000 upserts, long before any
     * repair). Tombstoning the old version now links the new one from the old one's nearest live
     * neighbour.
     */
    @Test
    void aRecordUpsertedBesideGrowingIdenticalRecordsStaysFound() {
        assertThat(rewritesAfterWhichXWasMissed((index, r) -> {
            add(index, "x", X);
            if (r % 7 == 0) {
                index.add("extra-" + r, new float[] {1, 1, 1, 1});
            }
            return X;
        })).isEmpty();
    }

    /** Deleted and added again, or upserted with a vector that moves a little each time. */
    @Test
    void aRecordDeletedAndAddedAgainOrMovingStaysFound() {
        assertThat(rewritesAfterWhichXWasMissed((index, r) -> {
            index.delete("x");
            return add(index, "x", X);
        })).as("deleted and added again").isEmpty();
        assertThat(rewritesAfterWhichXWasMissed((index, r) -> add(index, "x", new float[] {1, 1, 1, 1.01f + (r % 5) * 0.001f})))
                .as("moving").isEmpty();
    }

    private static float[] add(VectorIndex index, String id, float[] vector) {
        index.add(id, vector);
        return vector;
    }
}
