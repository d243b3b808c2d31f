package io.crvecdb;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link VectorIndex#forEach} while records are upserted: a record that exists before and after
 * the walk is seen, old or new, never missed (an upsert moves it to a node beyond the walk's bound
 * and tombstones the node the walk has not reached yet).
 */
class ForEachDuringUpsertTest {

    @Test
    void aRecordUpsertedDuringTheWalkIsStillSeen() {
        try (VectorIndex index = VectorIndex.builder().dimensions(2).metric(Metric.L2).build()) {
            for (int i = 0; i < 10; i++) {
                index.add("r" + i, new float[]{i, 0});
            }
            List<String> seen = new ArrayList<>();
            index.forEach(record -> {
                seen.add(record.id());
                if (record.id().equals("r0")) {
                    index.add("r9", new float[]{9, 1}); // upserted while the walk is at r0
                }
            });

            assertThat(seen).containsExactlyInAnyOrder("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9");
        }
    }
}
