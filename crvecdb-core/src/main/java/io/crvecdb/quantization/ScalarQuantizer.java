package io.crvecdb.quantization;

import java.util.Arrays;

/**
 * Maps floats to signed bytes with one range for every dimension, {@code x ≈ offset + c·scale}
 * for a code {@code c} in [-128, 127]. One range (as in Lucene's scalar quantization) keeps the
 * distance between codes a plain integer dot product or squared distance; the range spans the
 * data's central quantiles, so a few outliers do not waste the 256 levels.
 */
public record ScalarQuantizer(float offset, float scale) {

    /** Components at or beyond these quantiles are clamped to the range's ends. */
    private static final double LOWER_QUANTILE = 0.0005;
    private static final double UPPER_QUANTILE = 0.9995;

    public ScalarQuantizer {
        if (!Float.isFinite(offset) || !(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("quantizer offset " + offset + " and scale " + scale);
        }
    }

    /**
     * Learns the range from sample components (any number of vectors, flattened). The two quantiles
     * are selected, not sorted for: an index retrains each time it doubles, with its writers
     * stopped, and the four trainings of a 10k-record text-wordnet build took 270 ms sorting their
     * samples (0.4M to 2M components, in a fresh JVM) against 160 ms selecting.
     *
     * @return null if the quantiles are one value (e.g. all-zero vectors): there is no range to
     *         learn yet, and any guessed one would saturate every later component to one code
     */
    public static ScalarQuantizer train(float[] components, int count) {
        float[] work = Arrays.copyOf(components, count);
        float low = select(work, (int) Math.floor(LOWER_QUANTILE * (count - 1)));
        float high = select(work, (int) Math.ceil(UPPER_QUANTILE * (count - 1)));
        if (!(high > low)) {
            return null;
        }
        // Subnormal components can make the step round to 0 (or its inverse overflow): keep it a
        // normal float, or learning the range fails after the records are acknowledged, and again
        // at every reopen of the store.
        float scale = Math.max((high - low) / 255f, Float.MIN_NORMAL);
        return new ScalarQuantizer(low + 128 * scale, scale);
    }

    /**
     * The value at {@code rank} of {@code values} in ascending order (quickselect; reorders the
     * array). Three-way partitions keep it linear on samples full of repeats, such as SIFT's zeros.
     */
    static float select(float[] values, int rank) {
        int lo = 0;
        int hi = values.length - 1;
        while (lo < hi) {
            float pivot = medianOfThree(values[lo], values[(lo + hi) >>> 1], values[hi]);
            int less = lo;
            int greater = hi;
            int i = lo;
            while (i <= greater) {
                float x = values[i];
                if (x < pivot) {
                    values[i++] = values[less];
                    values[less++] = x;
                } else if (x > pivot) {
                    values[i] = values[greater];
                    values[greater--] = x;
                } else {
                    i++;
                }
            }
            if (rank < less) {
                hi = less - 1;
            } else if (rank > greater) {
                lo = greater + 1;
            } else {
                return pivot;
            }
        }
        return values[lo];
    }

    private static float medianOfThree(float a, float b, float c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    /** Encodes {@code vector} (scaled by {@code factor} first) into {@code out}; returns the sum of the codes. */
    public int encode(float[] vector, float factor, byte[] out) {
        int sum = 0;
        float inverse = 1 / scale;
        for (int i = 0; i < vector.length; i++) {
            int code = Math.round((vector[i] * factor - offset) * inverse);
            code = Math.clamp(code, -128, 127);
            out[i] = (byte) code;
            sum += code;
        }
        return sum;
    }
}
