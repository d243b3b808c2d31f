package io.crvecdb.distance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The Vector API kernels and their scalar twin agree with a double-precision reference. */
class KernelEquivalenceTest {

    private static final VectorOps SCALAR = Vectorization.scalar();
    private static final VectorOps PANAMA = Vectorization.panama().orElseThrow(
            () -> new AssertionError("the test JVM runs with --add-modules jdk.incubator.vector, so Panama must load"));

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 17, 31, 32, 127, 128, 384, 1536})
    void everyKernelMatchesTheReference(int dimensions) {
        Random random = new Random(dimensions);
        float[] a = random(random, dimensions);
        float[] b = random(random, dimensions);
        double dot = 0, l2 = 0;
        for (int i = 0; i < dimensions; i++) {
            dot += (double) a[i] * b[i];
            l2 += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
        }
        long offset = 4L * 5; // records rarely start at 0: test a shifted, unaligned-to-vector one
        for (MemorySegment[] pair : segmentPairs(a, b, offset)) {
            for (VectorOps ops : new VectorOps[] {SCALAR, PANAMA}) {
                String what = ops.name() + " at " + dimensions + " dims";
                assertThat((double) ops.dot(a, b)).as(what).isCloseTo(dot, tolerance(a, b));
                assertThat((double) ops.squareDistance(a, b)).as(what).isCloseTo(l2, tolerance(a, b));
                assertThat((double) ops.dot(a, pair[1], offset)).as(what).isCloseTo(dot, tolerance(a, b));
                assertThat((double) ops.squareDistance(a, pair[1], offset)).as(what).isCloseTo(l2, tolerance(a, b));
                assertThat((double) ops.dot(pair[0], offset, pair[1], offset, dimensions)).as(what).isCloseTo(dot, tolerance(a, b));
                assertThat((double) ops.squareDistance(pair[0], offset, pair[1], offset, dimensions)).as(what).isCloseTo(l2, tolerance(a, b));
                float[] four = new float[4];
                ops.dot4(a, pair[1], offset, pair[0], offset, pair[1], offset, pair[0], offset, four);
                assertThat((double) four[0]).as(what).isCloseTo(dot, tolerance(a, b));
                assertThat((double) four[2]).as(what).isCloseTo(dot, tolerance(a, b));
                assertThat((double) four[1]).as(what).isCloseTo(ops.dot(a, a), tolerance(a, a));
                ops.squareDistance4(a, pair[1], offset, pair[0], offset, pair[1], offset, pair[0], offset, four);
                assertThat((double) four[0]).as(what).isCloseTo(l2, tolerance(a, b));
                assertThat((double) four[3]).as(what).isCloseTo(0, within(1e-6));
            }
        }
    }

    @Test
    void selectionFollowsTheSystemProperty() {
        assertThat(Vectorization.ops().name()).startsWith("panama");
        assertThat(Vectorization.select("scalar")).isSameAs(Vectorization.scalar());
        assertThat(Vectorization.select("auto").name()).startsWith("panama");
        assertThat(Vectorization.select("PANAMA").name()).startsWith("panama");
        assertThatThrownBy(() -> Vectorization.select("gpu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown crvecdb.vectorization 'gpu'");
    }

    /** Heap and native segments holding {a, b} at {@code offset}. */
    private static MemorySegment[][] segmentPairs(float[] a, float[] b, long offset) {
        MemorySegment heapA = MemorySegment.ofArray(new float[a.length + 8]);
        MemorySegment heapB = MemorySegment.ofArray(new float[b.length + 8]);
        MemorySegment nativeA = Arena.ofAuto().allocate(4L * a.length + offset, 64);
        MemorySegment nativeB = Arena.ofAuto().allocate(4L * b.length + offset, 64);
        for (MemorySegment[] pair : new MemorySegment[][] {{heapA, heapB}, {nativeA, nativeB}}) {
            MemorySegment.copy(a, 0, pair[0], ValueLayout.JAVA_FLOAT, offset, a.length);
            MemorySegment.copy(b, 0, pair[1], ValueLayout.JAVA_FLOAT, offset, b.length);
        }
        return new MemorySegment[][] {{heapA, heapB}, {nativeA, nativeB}};
    }

    /** Float rounding grows with the magnitude of the summed terms. */
    private static org.assertj.core.data.Offset<Double> tolerance(float[] a, float[] b) {
        double magnitude = 0;
        for (int i = 0; i < a.length; i++) {
            magnitude += Math.abs(a[i] * b[i]) + (double) (a[i] - b[i]) * (a[i] - b[i]);
        }
        return within(1e-5 * (1 + magnitude));
    }

    private static float[] random(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * 3);
        }
        return v;
    }
}
