package io.crvecdb.quantization;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The learned range is the sample's quantiles, found by selection as a full sort would find them. */
class ScalarQuantizerTest {

    enum Shape { UNIFORM, FEW_DISTINCT, ASCENDING, DESCENDING, CONSTANT }

    @Property(tries = 200)
    void selectsWhatSortingWouldFind(@ForAll @IntRange(min = 1, max = 3000) int length, @ForAll Shape shape,
                                     @ForAll long seed) {
        float[] values = values(shape, length, new Random(seed));
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        Random random = new Random(seed + 1);
        for (int rank : new int[] {0, length - 1, length / 2, random.nextInt(length)}) {
            float[] work = values.clone();
            assertThat(ScalarQuantizer.select(work, rank)).as("rank %d of %s", rank, shape).isEqualTo(sorted[rank]);
            Arrays.sort(work);
            assertThat(work).as("select only reorders").isEqualTo(sorted);
        }
    }

    @Example
    void learnsTheCentralQuantilesAndClampsTheOutliers() {
        int count = 100_000;
        float[] components = new float[count];
        for (int i = 0; i < count; i++) {
            components[i] = i % 1000 / 1000f; // 0.000 .. 0.999, 100 of each
        }
        components[7] = -50f; // outliers beyond both quantiles
        components[8] = 50f;
        ScalarQuantizer quantizer = ScalarQuantizer.train(components, count);

        float[] sorted = Arrays.copyOf(components, count);
        Arrays.sort(sorted);
        float low = sorted[(int) Math.floor(0.0005 * (count - 1))];
        float high = sorted[(int) Math.ceil(0.9995 * (count - 1))];
        assertThat(quantizer.scale()).isEqualTo((high - low) / 255f);
        assertThat(quantizer.offset()).isEqualTo(low + 128 * quantizer.scale());

        byte[] codes = new byte[4];
        quantizer.encode(new float[] {low, high, -50f, 50f}, 1f, codes);
        assertThat(codes).containsExactly(-128, 127, -128, 127);
    }

    /** Constant components have no range: a guessed one would saturate every later component. */
    @Example
    void learnsNoRangeFromConstantComponents() {
        assertThat(ScalarQuantizer.train(new float[] {3f, 3f, 3f, 3f}, 4)).isNull();
        assertThat(ScalarQuantizer.train(new float[] {0f, -0f, 0f}, 3)).isNull();
    }

    @Example
    void learnsARangeFromComponentsAnUlpApart() {
        ScalarQuantizer quantizer = ScalarQuantizer.train(new float[] {3f, 3f, Math.nextUp(3f), 3f}, 4);

        byte[] codes = new byte[1];
        quantizer.encode(new float[] {3f}, 1f, codes);
        assertThat(quantizer.offset() + codes[0] * quantizer.scale()).isCloseTo(3f, within(1e-6f));
    }

    private static float[] values(Shape shape, int length, Random random) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = switch (shape) {
                case UNIFORM -> random.nextFloat() * 2 - 1;
                case FEW_DISTINCT -> random.nextInt(4) == 0 ? random.nextInt(256) : 0f; // SIFT-like: mostly zeros
                case ASCENDING -> i;
                case DESCENDING -> length - i;
                case CONSTANT -> 1.5f;
            };
        }
        return values;
    }
}
