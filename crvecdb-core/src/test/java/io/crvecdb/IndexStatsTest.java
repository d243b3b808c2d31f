package io.crvecdb;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link IndexStats} counts what its Javadoc says: records added, replaced or deleted, and searches
 * answered (the starter's {@code crvecdb.add} and {@code crvecdb.search} timers read them).
 */
class IndexStatsTest {

    @Test
    void countsRecordsWrittenAndSearchesAnswered() {
        try (VectorIndex index = VectorIndex.builder().dimensions(2).metric(Metric.L2).build()) {
            index.add("a", new float[] {1, 0});
            index.add("a", new float[] {0, 1}); // replaced
            // One id three times: the last wins, and one record is written.
            index.addAll(List.of(new VectorRecord("b", new float[] {1, 1}), new VectorRecord("b", new float[] {2, 1}),
                    new VectorRecord("b", new float[] {3, 1}), new VectorRecord("c", new float[] {4, 1})), 2);
            assertThat(index.delete("missing")).isFalse();
            assertThat(index.deleteAll(List.of("c", "c", "missing"))).isEqualTo(1);
            assertThat(index.stats().writes()).as("a, a again, b, c, c deleted").isEqualTo(5);

            index.search(new float[] {0, 0}, 2);
            index.search(new float[] {0, 0}, 2, id -> true);
            assertThatThrownBy(() -> index.search(new float[] {0, 0}, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThat(index.stats().searches()).isEqualTo(2);
        }
    }
}
