package io.crvecdb;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With few links per node the diversity rule leaves islands: at m = 2 on 3,000 Gaussian vectors of
 * 32 dimensions, about a third of the records. Reconnecting them must not cut the paths to others
 * (it did: 496 stayed out of reach after a compaction), so it links each island from a reached
 * node with room in its list when there is one.
 */
class ReachabilityTest {

    @ParameterizedTest(name = "m = {0}")
    @ValueSource(ints = {2, 3, 4})
    void aCompactionLeavesNoRecordOutOfReachAtAnyLegalM(int m) {
        Random random = new Random(1);
        try (VectorIndex index = VectorIndex.builder().dimensions(32).metric(Metric.L2).m(m).build()) {
            for (int i = 0; i < 3000; i++) {
                index.add(Datasets.id(i), Datasets.gaussian(random, 32));
            }
            int before = index.unreachableCount();
            index.compact();
            assertThat(index.unreachableCount()).as("out of reach after a compaction (%d before)", before).isZero();
        }
    }
}
