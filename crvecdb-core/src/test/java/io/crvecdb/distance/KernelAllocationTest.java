package io.crvecdb.distance;

import io.crvecdb.Allocations;
import io.crvecdb.Datasets;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The Panama kernels allocate nothing once C2 has compiled them. Their vectors are objects that C2
 * removes only when every operation on them is inlined: a helper left as a call (past C2's inlining
 * limits, or compiled first without a profile) takes its vectors boxed, and the kernel allocates on
 * every call and runs 30–100× slower, with the same results. This waits for C2 and fails if a kernel
 * still allocates.
 */
class KernelAllocationTest {

    private static final VectorOps PANAMA = Vectorization.panama().orElseThrow(
            () -> new AssertionError("run the tests with --add-modules jdk.incubator.vector (the build does)"));

    @ParameterizedTest(name = "{0} dimensions")
    @ValueSource(ints = {100, 384}) // with and without a tail past the last full vector
    void compiledKernelsAllocateNothing(int dimensions) {
        Random random = new Random(dimensions);
        float[] q = Datasets.gaussian(random, dimensions);
        float[] page = Datasets.gaussian(random, 4 * dimensions);
        MemorySegment segment = MemorySegment.ofArray(page);
        long stride = 4L * dimensions;
        byte[] codes = new byte[8 * dimensions];
        random.nextBytes(codes);
        float[] out = new float[8];

        Map<String, Runnable> kernels = new LinkedHashMap<>();
        kernels.put("dot4 on arrays", () -> PANAMA.dot4(q, page, 0, page, dimensions, page, 2 * dimensions, page,
                3 * dimensions, out));
        kernels.put("squareDistance4 on arrays", () -> PANAMA.squareDistance4(q, page, 0, page, dimensions, page,
                2 * dimensions, page, 3 * dimensions, out));
        kernels.put("dot4 on segments", () -> PANAMA.dot4(q, segment, 0, segment, stride, segment, 2 * stride,
                segment, 3 * stride, out));
        kernels.put("squareDistance4 on segments", () -> PANAMA.squareDistance4(q, segment, 0, segment, stride,
                segment, 2 * stride, segment, 3 * stride, out));
        kernels.put("dotCodes8", () -> PANAMA.dotCodes8(q, codes, 0, codes, dimensions, codes, 2 * dimensions,
                codes, 3 * dimensions, codes, 4 * dimensions, codes, 5 * dimensions, codes, 6 * dimensions, codes,
                7 * dimensions, out));
        kernels.put("squareDistanceCodes8", () -> PANAMA.squareDistanceCodes8(q, codes, 0, codes, dimensions, codes,
                2 * dimensions, codes, 3 * dimensions, codes, 4 * dimensions, codes, 5 * dimensions, codes,
                6 * dimensions, codes, 7 * dimensions, out));
        kernels.put("dot on arrays", () -> out[0] = PANAMA.dot(q, 0, page, dimensions, dimensions));
        kernels.put("squareDistance on arrays", () -> out[0] = PANAMA.squareDistance(page, 0, page, dimensions,
                dimensions));
        kernels.put("dot on a segment", () -> out[0] = PANAMA.dot(q, segment, stride));
        kernels.put("squareDistance on a segment", () -> out[0] = PANAMA.squareDistance(q, segment, stride));
        kernels.put("dotCodes", () -> out[0] = PANAMA.dotCodes(q, codes, dimensions));
        kernels.put("squareDistanceCodes", () -> out[0] = PANAMA.squareDistanceCodes(q, codes, dimensions));

        SoftAssertions.assertSoftly(softly -> kernels.forEach((name, kernel) ->
                softly.assertThat(Allocations.bytesPerCallOnceCompiled(kernel))
                        .as("%s, %d dimensions, %s: bytes allocated per call", name, dimensions, PANAMA.name())
                        .isZero()));
    }
}
