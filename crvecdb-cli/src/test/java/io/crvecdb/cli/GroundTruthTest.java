package io.crvecdb.cli;

import io.crvecdb.dataset.Texmex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;

import static org.assertj.core.api.Assertions.assertThat;

class GroundTruthTest {

    @TempDir
    Path dir;

    @Test
    void findsTheSameNeighboursAsAFullSortForBothMetrics() throws InterruptedException {
        float[][] base = TestDatasets.clustered(300, 8, new Random(5));
        float[][] queries = TestDatasets.clustered(20, 8, new Random(6));

        int[][] byDistance = TestDatasets.truth(base, queries, false, 100);
        int[][] byAngle = TestDatasets.truth(base, queries, true, 100);
        assertThat(Arrays.deepEquals(byDistance, byAngle)).as("the metrics rank differently here").isFalse();

        assertThat(GroundTruth.compute(base, queries, false, 3)).isDeepEqualTo(byDistance);
        assertThat(GroundTruth.compute(base, queries, true, 3)).isDeepEqualTo(byAngle);
    }

    @Test
    void keepsEveryBaseVectorWhenThereAreFewerThanTheDepth() throws InterruptedException {
        float[][] base = {{0, 0}, {3, 0}, {1, 0}};

        assertThat(GroundTruth.compute(base, new float[][] {{0.9f, 0}}, false, 1)).isDeepEqualTo(new int[][] {{2, 0, 1}});
    }

    @Test
    void writesAnIvecsFileThatReadsBack() throws IOException {
        int[][] rows = {{4, 2, 7}, {1, 0, 3}};
        Path file = GroundTruth.subsetFile(dir, 8);

        GroundTruth.write(file, rows);

        assertThat(file.getFileName()).hasToString("groundtruth.first-8.ivecs");
        assertThat(Texmex.readIvecs(file, Integer.MAX_VALUE)).isDeepEqualTo(rows);
    }

    /**
     * Two benches computing a subset's truth at once (the shared datasets are shared by everyone on
     * the machine) wrote through the same ".partial" file: the second rename found it gone
     * (NoSuchFileException), and a reader could see a file the other writer had truncated.
     */
    @Test
    void twoWritersOfTheSameTruthAtOnceBothSucceed() throws Exception {
        int[][] rows = new int[20_000][100];
        for (int q = 0; q < rows.length; q++) {
            Arrays.fill(rows[q], q);
        }
        Path file = GroundTruth.subsetFile(dir, 1000);
        for (int round = 0; round < 5; round++) {
            CyclicBarrier start = new CyclicBarrier(2);
            Workers.run(2, () -> {
                try {
                    start.await();
                    GroundTruth.write(file, rows);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(Texmex.readIvecs(file, Integer.MAX_VALUE)).isDeepEqualTo(rows);
        }
    }
}
