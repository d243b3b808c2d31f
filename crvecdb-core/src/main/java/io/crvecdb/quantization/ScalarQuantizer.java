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

    /** Learns the range from sample components (any number of vectors, flattened). */
    public static ScalarQuantizer train(float[] components, int count) {
        float[] sorted = Arrays.copyOf(components, count);
        Arrays.sort(sorted);
        float low = sorted[(int) Math.floor(LOWER_QUANTILE * (count - 1))];
        float high = sorted[(int) Math.ceil(UPPER_QUANTILE * (count - 1))];
        if (!(high > low)) {
            high = low + Math.max(Math.ulp(low), 1e-6f); // all components (nearly) equal
        }
        float scale = (high - low) / 255f;
        return new ScalarQuantizer(low + 128 * scale, scale);
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
