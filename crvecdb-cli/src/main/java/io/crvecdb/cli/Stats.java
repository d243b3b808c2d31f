package io.crvecdb.cli;

import java.util.Arrays;

/** The figures the peer harness reports, computed the same way it computes them. */
final class Stats {

    private Stats() {
    }

    /** Mean over queries of |found[:at] ∩ truth[:at]| / at. */
    static double recall(int[][] found, int[][] truth, int at) {
        double sum = 0;
        for (int q = 0; q < found.length; q++) {
            int hits = 0;
            for (int i = 0; i < Math.min(at, found[q].length); i++) {
                for (int j = 0; j < at; j++) {
                    if (found[q][i] == truth[q][j]) {
                        hits++;
                        break;
                    }
                }
            }
            sum += (double) hits / at;
        }
        return sum / found.length;
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    /** The middle value (the upper one of an even count, as the harness takes it). */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
