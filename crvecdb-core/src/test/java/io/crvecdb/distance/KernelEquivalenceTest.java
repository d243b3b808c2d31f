package io.crvecdb.distance;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Vector API kernels and their scalar twin agree with a double-precision reference, for every
 * entry point, on arrays and on heap and off-heap segments at shifted offsets.
 */
class KernelEquivalenceTest {

    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VectorOps SCALAR = Vectorization.scalar();
    private static final VectorOps PANAMA = Vectorization.panama().orElseThrow(
            () -> new AssertionError("the test JVM runs with --add-modules jdk.incubator.vector, so Panama must load"));
    private static final List<VectorOps> KERNELS = List.of(SCALAR, PANAMA);

    /** Where a stored vector lives: the page kinds of the engine (heap long[], heap float[]) and off-heap. */
    private enum Storage {
        HEAP_LONGS(bytes -> MemorySegment.ofArray(new long[(int) ((bytes + 7) / 8)])),
        HEAP_FLOATS(bytes -> MemorySegment.ofArray(new float[(int) ((bytes + 3) / 4)])),
        NATIVE(bytes -> Arena.ofAuto().allocate(bytes, 64));

        final Function<Long, MemorySegment> allocate;

        Storage(Function<Long, MemorySegment> allocate) {
            this.allocate = allocate;
        }

        /** {@code v} at byte {@code offset} of a fresh segment, with garbage around it that must not be read. */
        MemorySegment store(float[] v, long offset) {
            MemorySegment segment = allocate.apply(offset + 4L * v.length + 64);
            segment.fill((byte) 0x7f); // 0x7f7f7f7f is a huge float: reading a neighbour shows
            MemorySegment.copy(v, 0, segment, LE_FLOAT, offset, v.length);
            return segment;
        }
    }

    // Lane counts are 4, 8 or 16: cover the edges of the scalar cut-off (2 vectors), the unrolled
    // loop (4 vectors) and the tails, plus the dimensions the brief asks for.
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 384, 1536})
    void everyKernelMatchesTheReference(int dimensions) {
        Random random = new Random(dimensions);
        float[] a = gaussian(random, dimensions);
        float[] b = gaussian(random, dimensions);
        checkAll(a, b, 20, 36);
    }

    @Property(tries = 300)
    void kernelsMatchTheReferenceOnRandomShapes(@ForAll @IntRange(min = 1, max = 1100) int dimensions,
                                                @ForAll @IntRange(min = 0, max = 40) int aOffsetFloats,
                                                @ForAll @IntRange(min = 0, max = 40) int bOffsetFloats,
                                                @ForAll long seed) {
        Random random = new Random(seed);
        checkAll(gaussian(random, dimensions), gaussian(random, dimensions), 4L * aOffsetFloats, 4L * bOffsetFloats);
    }

    /** The int8 kernels (a float query against byte codes) match the reference, single and eight-wide. */
    @Property(tries = 300)
    void int8KernelsMatchTheReference(@ForAll @IntRange(min = 1, max = 1100) int dimensions,
                                      @ForAll @IntRange(min = 0, max = 70) int index,
                                      @ForAll long seed) {
        Random random = new Random(seed);
        float[] q = gaussian(random, dimensions);
        byte[][] pages = new byte[8][];
        int[] at = new int[8];
        boolean extremes = random.nextBoolean(); // every code at -128 or 127
        for (int k = 0; k < 8; k++) {
            at[k] = (index + 13 * k) % 71;
            pages[k] = new byte[at[k] + dimensions + 64];
            random.nextBytes(pages[k]); // garbage around the codes that must not be read
            if (extremes) {
                Arrays.fill(pages[k], at[k], at[k] + dimensions, k % 2 == 0 ? Byte.MIN_VALUE : Byte.MAX_VALUE);
            }
        }
        for (VectorOps ops : KERNELS) {
            String what = ops.name() + ", " + dimensions + " d";
            float[] dots = new float[8];
            float[] squares = new float[8];
            dotCodes8(ops, q, pages, at, dots);
            squareDistanceCodes8(ops, q, pages, at, squares);
            for (int k = 0; k < 8; k++) {
                double dot = 0, dotScale = 0, square = 0;
                for (int i = 0; i < dimensions; i++) {
                    byte code = pages[k][at[k] + i];
                    dot += (double) q[i] * code;
                    dotScale += Math.abs((double) q[i] * code);
                    square += ((double) q[i] - code) * ((double) q[i] - code);
                }
                assertClose(dots[k], dot, dotScale, what + ", dotCodes8[" + k + "]");
                assertClose(squares[k], square, square, what + ", squareDistanceCodes8[" + k + "]");
                assertClose(ops.dotCodes(q, pages[k], at[k]), dot, dotScale, what + ", dotCodes " + k);
                assertClose(ops.squareDistanceCodes(q, pages[k], at[k]), square, square, what + ", squareDistanceCodes " + k);
            }
        }
    }

    /**
     * A code vector's eight-wide distance is the same bits in every lane: a node scores the same
     * whichever batch, and whichever place in it, it falls in.
     */
    @Property(tries = 100)
    void int8BatchLanesAgree(@ForAll @IntRange(min = 1, max = 600) int dimensions, @ForAll long seed) {
        Random random = new Random(seed);
        float[] q = gaussian(random, dimensions);
        byte[] page = new byte[dimensions + 8];
        random.nextBytes(page);
        int[] at = new int[8];
        byte[][] pages = new byte[8][];
        for (VectorOps ops : KERNELS) {
            for (int lane = 0; lane < 8; lane++) {
                for (int k = 0; k < 8; k++) {
                    pages[k] = page;
                    at[k] = k == lane ? 0 : 1 + k; // the vector under test in one lane, others around it
                }
                float[] dots = new float[8];
                float[] squares = new float[8];
                dotCodes8(ops, q, pages, at, dots);
                squareDistanceCodes8(ops, q, pages, at, squares);
                Arrays.fill(at, 0);
                float[] allDots = new float[8];
                float[] allSquares = new float[8];
                dotCodes8(ops, q, pages, at, allDots);
                squareDistanceCodes8(ops, q, pages, at, allSquares);
                assertThat(dots[lane]).as("%s, %d d, dotCodes8 lane %d", ops.name(), dimensions, lane)
                        .isEqualTo(allDots[0]);
                assertThat(squares[lane]).as("%s, %d d, squareDistanceCodes8 lane %d", ops.name(), dimensions, lane)
                        .isEqualTo(allSquares[0]);
                assertThat(allDots).as("%s, identical lanes", ops.name()).containsOnly(allDots[0]);
            }
        }
    }

    /** The same for the four-wide float kernels, on arrays and on segments. */
    @Property(tries = 100)
    void floatBatchLanesAgree(@ForAll @IntRange(min = 1, max = 600) int dimensions, @ForAll long seed) {
        Random random = new Random(seed);
        float[] q = gaussian(random, dimensions);
        float[] page = gaussian(random, dimensions + 4);
        MemorySegment segment = MemorySegment.ofArray(page);
        for (VectorOps ops : KERNELS) {
            float[] allDots = new float[4];
            float[] allSquares = new float[4];
            ops.dot4(q, page, 0, page, 0, page, 0, page, 0, allDots);
            ops.squareDistance4(q, page, 0, page, 0, page, 0, page, 0, allSquares);
            assertThat(allDots).as("%s, identical lanes", ops.name()).containsOnly(allDots[0]);
            assertThat(allSquares).as("%s, identical lanes", ops.name()).containsOnly(allSquares[0]);
            for (int lane = 0; lane < 4; lane++) {
                int[] at = new int[4];
                for (int k = 0; k < 4; k++) {
                    at[k] = k == lane ? 0 : 1 + k; // the vector under test in one lane, others around it
                }
                float[] dots = new float[4];
                float[] squares = new float[4];
                ops.dot4(q, page, at[0], page, at[1], page, at[2], page, at[3], dots);
                ops.squareDistance4(q, page, at[0], page, at[1], page, at[2], page, at[3], squares);
                String what = ops.name() + ", " + dimensions + " d, lane " + lane;
                assertThat(dots[lane]).as("dot4 on arrays, %s", what).isEqualTo(allDots[0]);
                assertThat(squares[lane]).as("squareDistance4 on arrays, %s", what).isEqualTo(allSquares[0]);
                ops.dot4(q, segment, 4L * at[0], segment, 4L * at[1], segment, 4L * at[2], segment, 4L * at[3], dots);
                ops.squareDistance4(q, segment, 4L * at[0], segment, 4L * at[1], segment, 4L * at[2], segment,
                        4L * at[3], squares);
                assertThat(dots[lane]).as("dot4 on segments, %s", what).isEqualTo(allDots[0]);
                assertThat(squares[lane]).as("squareDistance4 on segments, %s", what).isEqualTo(allSquares[0]);
            }
        }
    }

    /** The eight-wide kernels with their pages and indexes taken from arrays. */
    static void dotCodes8(VectorOps ops, float[] q, byte[][] pages, int[] at, float[] out) {
        ops.dotCodes8(q, pages[0], at[0], pages[1], at[1], pages[2], at[2], pages[3], at[3], pages[4], at[4], pages[5],
                at[5], pages[6], at[6], pages[7], at[7], out);
    }

    static void squareDistanceCodes8(VectorOps ops, float[] q, byte[][] pages, int[] at, float[] out) {
        ops.squareDistanceCodes8(q, pages[0], at[0], pages[1], at[1], pages[2], at[2], pages[3], at[3], pages[4],
                at[4], pages[5], at[5], pages[6], at[6], pages[7], at[7], out);
    }

    /**
     * The array kernels (for heap float pages) give the bits of the segment kernels on the same
     * vectors: a node's distance must not depend on the page kind that holds it.
     */
    @Property(tries = 300)
    void arrayKernelsGiveTheSegmentKernelsBits(@ForAll @IntRange(min = 1, max = 1100) int dimensions,
                                               @ForAll @IntRange(min = 0, max = 40) int index,
                                               @ForAll long seed) {
        Random random = new Random(seed);
        float[] q = gaussian(random, dimensions);
        float[][] pages = new float[4][];
        MemorySegment[] segments = new MemorySegment[4];
        int[] at = new int[4];
        for (int k = 0; k < 4; k++) {
            at[k] = (index + 7 * k) % 41;
            pages[k] = new float[at[k] + dimensions + 16];
            float[] v = gaussian(random, dimensions);
            System.arraycopy(v, 0, pages[k], at[k], dimensions);
            segments[k] = MemorySegment.ofArray(pages[k]);
        }
        for (VectorOps ops : KERNELS) {
            String what = ops.name() + ", " + dimensions + " d";
            float[] fromArrays = new float[4];
            float[] fromSegments = new float[4];
            ops.dot4(q, pages[0], at[0], pages[1], at[1], pages[2], at[2], pages[3], at[3], fromArrays);
            ops.dot4(q, segments[0], 4L * at[0], segments[1], 4L * at[1], segments[2], 4L * at[2], segments[3],
                    4L * at[3], fromSegments);
            assertThat(fromArrays).as("dot4, %s", what).containsExactly(fromSegments);
            ops.squareDistance4(q, pages[0], at[0], pages[1], at[1], pages[2], at[2], pages[3], at[3], fromArrays);
            ops.squareDistance4(q, segments[0], 4L * at[0], segments[1], 4L * at[1], segments[2], 4L * at[2],
                    segments[3], 4L * at[3], fromSegments);
            assertThat(fromArrays).as("squareDistance4, %s", what).containsExactly(fromSegments);
            assertThat(ops.dot(q, 0, pages[1], at[1], dimensions)).as("dot(query, array), %s", what)
                    .isEqualTo(ops.dot(q, segments[1], 4L * at[1]));
            assertThat(ops.squareDistance(q, 0, pages[1], at[1], dimensions)).as("squareDistance(query, array), %s", what)
                    .isEqualTo(ops.squareDistance(q, segments[1], 4L * at[1]));
            assertThat(ops.dot(pages[2], at[2], pages[3], at[3], dimensions)).as("dot(array, array), %s", what)
                    .isEqualTo(ops.dot(segments[2], 4L * at[2], segments[3], 4L * at[3], dimensions));
            assertThat(ops.squareDistance(pages[2], at[2], pages[3], at[3], dimensions))
                    .as("squareDistance(array, array), %s", what)
                    .isEqualTo(ops.squareDistance(segments[2], 4L * at[2], segments[3], 4L * at[3], dimensions));
            assertClose(ops.squareDistance(pages[2], at[2], pages[3], at[3], dimensions),
                    reference(slice(pages[2], at[2], dimensions), slice(pages[3], at[3], dimensions), true),
                    reference(slice(pages[2], at[2], dimensions), slice(pages[3], at[3], dimensions), true),
                    "squareDistance(array, array) against the reference, " + what);
        }
    }

    private static float[] slice(float[] page, int from, int n) {
        return Arrays.copyOfRange(page, from, from + n);
    }

    @Test
    void unalignedByteOffsetsWork() {
        Random random = new Random(7);
        float[] a = gaussian(random, 100);
        float[] b = gaussian(random, 100);
        checkAll(a, b, 3, 5);
    }

    @Test
    void aVectorIsAtDistanceZeroFromItself() {
        float[] a = gaussian(new Random(3), 384);
        MemorySegment stored = Storage.NATIVE.store(a, 8);
        for (VectorOps ops : KERNELS) {
            assertThat(ops.squareDistance(a, a.clone())).as(ops.name()).isZero();
            assertThat(ops.squareDistance(a, stored, 8)).as(ops.name()).isZero();
            assertThat(ops.squareDistance(stored, 8, stored, 8, a.length)).as(ops.name()).isZero();
            assertThat(ops.dot(a, new float[a.length])).as(ops.name()).isZero();
        }
    }

    @Test
    void nanAndInfinityPropagate() {
        for (int dimensions : new int[] {5, 384}) {
            float[] a = gaussian(new Random(5), dimensions);
            float[] withNaN = a.clone();
            withNaN[dimensions - 1] = Float.NaN;
            float[] withInfinity = a.clone();
            withInfinity[0] = Float.POSITIVE_INFINITY;
            for (VectorOps ops : KERNELS) {
                assertThat(ops.dot(a, withNaN)).as(ops.name()).isNaN();
                assertThat(ops.squareDistance(withNaN, Storage.NATIVE.store(a, 4), 4)).as(ops.name()).isNaN();
                assertThat(ops.squareDistance(a, withInfinity)).as(ops.name()).isEqualTo(Float.POSITIVE_INFINITY);
            }
        }
    }

    /** Checks every entry point of both kernels on {@code a} and {@code b}, stored at the given byte offsets. */
    private static void checkAll(float[] a, float[] b, long aOffset, long bOffset) {
        int n = a.length;
        double dot = 0, l2 = 0, dotScale = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) a[i] - b[i];
            dot += (double) a[i] * b[i];
            l2 += d * d;
            dotScale += Math.abs((double) a[i] * b[i]);
        }
        float[] c = gaussian(new Random(n + 1), n);
        for (VectorOps ops : KERNELS) {
            String what = ops.name() + ", " + n + " dims";
            assertClose(ops.dot(a, b), dot, dotScale, what + ", dot(float[], float[])");
            assertClose(ops.squareDistance(a, b), l2, l2, what + ", squareDistance(float[], float[])");
            for (Storage sa : Storage.values()) {
                MemorySegment storedA = sa.store(a, aOffset);
                MemorySegment storedB = sa.store(b, bOffset);
                String at = what + ", " + sa;
                assertClose(ops.dot(a, storedB, bOffset), dot, dotScale, at + ", dot(float[], segment)");
                assertClose(ops.squareDistance(a, storedB, bOffset), l2, l2, at + ", squareDistance(float[], segment)");
                for (Storage sb : Storage.values()) {
                    MemorySegment otherB = sb.store(b, bOffset);
                    String pair = at + " x " + sb;
                    assertClose(ops.dot(storedA, aOffset, otherB, bOffset, n), dot, dotScale, pair + ", dot(segment, segment)");
                    assertClose(ops.squareDistance(storedA, aOffset, otherB, bOffset, n), l2, l2,
                            pair + ", squareDistance(segment, segment)");
                }
                // Four different vectors, so a kernel that mixes up its outputs fails.
                MemorySegment storedC = sa.store(c, aOffset);
                float[] out = new float[4];
                ops.dot4(a, storedB, bOffset, storedA, aOffset, storedC, aOffset, storedB, bOffset, out);
                assertClose(out[0], dot, dotScale, at + ", dot4[0]");
                assertClose(out[1], reference(a, a, false), reference(a, a, false), at + ", dot4[1]");
                assertClose(out[2], reference(a, c, false), absDot(a, c), at + ", dot4[2]");
                assertClose(out[3], dot, dotScale, at + ", dot4[3]");
                ops.squareDistance4(a, storedC, aOffset, storedB, bOffset, storedA, aOffset, storedB, bOffset, out);
                assertClose(out[0], reference(a, c, true), reference(a, c, true), at + ", squareDistance4[0]");
                assertClose(out[1], l2, l2, at + ", squareDistance4[1]");
                assertThat(out[2]).as(at + ", squareDistance4[2]").isZero();
                assertClose(out[3], l2, l2, at + ", squareDistance4[3]");
            }
        }
    }

    /**
     * Float sums differ from the exact one by rounding that grows with the magnitude of the terms
     * (not of the result, which cancellation can make small): 1e-5 of it is well above float
     * rounding at these lengths, and well below the contribution of one element.
     */
    private static void assertClose(float actual, double expected, double magnitude, String what) {
        assertThat((double) actual).as(what).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-5 * magnitude + 1e-30));
    }

    private static double reference(float[] a, float[] b, boolean squareDistance) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            sum += squareDistance ? d * d : (double) a[i] * b[i];
        }
        return sum;
    }

    private static double absDot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((double) a[i] * b[i]);
        }
        return sum;
    }

    private static float[] gaussian(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * 3);
        }
        return v;
    }
}
