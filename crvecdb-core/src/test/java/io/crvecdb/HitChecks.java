package io.crvecdb;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Assertions every search result must satisfy, shared by the tests. */
final class HitChecks {

    private HitChecks() {
    }

    /** Float kernels against the double definition: relative to the value's magnitude. */
    static double tolerance(double expected) {
        return 1e-4 * (1 + Math.abs(expected));
    }

    /**
     * Best first (score descending, distance ascending), no id twice, and each hit's score and
     * distance are those the {@link Metric} Javadoc defines for the vector its id currently holds.
     *
     * @param vectorOf the vector each returned id holds, or null if the id must not be returned
     */
    static void assertWellFormed(List<SearchHit> hits, Metric metric, float[] query, Function<String, float[]> vectorOf) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < hits.size(); i++) {
            SearchHit hit = hits.get(i);
            assertThat(seen.add(hit.id())).as("id %s returned twice in %s", hit.id(), hits).isTrue();
            if (i > 0) {
                SearchHit previous = hits.get(i - 1);
                assertThat(hit.score()).as("scores descending at %d in %s", i, hits).isLessThanOrEqualTo(previous.score());
                assertThat(hit.distance()).as("distances ascending at %d in %s", i, hits).isGreaterThanOrEqualTo(previous.distance());
            }
            float[] vector = vectorOf.apply(hit.id());
            assertThat(vector).as("hit %s: a deleted, replaced-away or unknown id was returned", hit.id()).isNotNull();
            double distance = Datasets.distance(metric, query, vector);
            double score = Datasets.score(metric, query, vector);
            assertThat((double) hit.distance()).as("distance of %s", hit.id()).isCloseTo(distance, within(tolerance(distance)));
            assertThat((double) hit.score()).as("score of %s", hit.id()).isCloseTo(score, within(tolerance(score)));
        }
    }

    /**
     * The hits are the exact {@code expected} neighbours, in order, up to ties: the i-th hit is as
     * far as the i-th true neighbour, and every true neighbour strictly nearer than the last one
     * is among the hits. Call after {@link #assertWellFormed}, which checks each hit's own distance.
     */
    static void assertExact(List<SearchHit> hits, Metric metric, float[] query, float[][] vectors, int[] expected) {
        assertThat(hits).as("hit count").hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            double d = Datasets.distance(metric, query, vectors[expected[i]]);
            assertThat((double) hits.get(i).distance()).as("distance of hit %d (%s), exact neighbour is %d", i, hits, expected[i])
                    .isCloseTo(d, within(tolerance(d)));
        }
        if (expected.length > 0) {
            double last = Datasets.distance(metric, query, vectors[expected[expected.length - 1]]);
            Set<String> returned = new HashSet<>(Datasets.ids(hits));
            for (int ordinal : expected) {
                if (Datasets.distance(metric, query, vectors[ordinal]) < last - 2 * tolerance(last)) {
                    assertThat(returned).as("a true neighbour nearer than the k-th").contains(Datasets.id(ordinal));
                }
            }
        }
    }
}
