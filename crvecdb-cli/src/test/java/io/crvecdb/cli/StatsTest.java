package io.crvecdb.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StatsTest {

    @Test
    void recallIsTheMeanOverlapOfTheFirstNAnswersWithTheFirstNTrueNeighbours() {
        int[][] truth = {{1, 2, 3, 7}, {4, 5, 6, 8}};
        int[][] found = {{1, 2, 9, 3}, {6, 5, 4, 8}};

        assertThat(Stats.recall(found, truth, 3)).isCloseTo((2.0 / 3 + 1) / 2, within(1e-12));
        assertThat(Stats.recall(found, truth, 1)).isEqualTo(0.5);
        assertThat(Stats.recall(new int[][] {{1}, {}}, truth, 3)).isCloseTo((1.0 / 3) / 2, within(1e-12));
    }

    @Test
    void percentileIsNearestRank() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

        assertThat(Stats.percentile(sorted, 50)).isEqualTo(5);
        assertThat(Stats.percentile(sorted, 95)).isEqualTo(10);
        assertThat(Stats.percentile(sorted, 91)).isEqualTo(10);
        assertThat(Stats.percentile(sorted, 90)).isEqualTo(9);
        assertThat(Stats.percentile(new double[] {3}, 99)).isEqualTo(3);
    }

    @Test
    void medianTakesTheUpperMiddleOfAnEvenCountAndLeavesItsInputAlone() {
        double[] values = {30, 10, 20};

        assertThat(Stats.median(values)).isEqualTo(20);
        assertThat(values).containsExactly(30, 10, 20);
        assertThat(Stats.median(new double[] {4, 1, 3, 2})).isEqualTo(3);
    }

    @Test
    void roundsToDecimals() {
        assertThat(Stats.round(0.123456, 4)).isEqualTo(0.1235);
        assertThat(Stats.round(1234.56, 1)).isEqualTo(1234.6);
    }
}
