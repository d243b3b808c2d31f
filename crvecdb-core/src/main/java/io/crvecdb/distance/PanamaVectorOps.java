package io.crvecdb.distance;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Kernels on the Vector API at the CPU's preferred width (512 bits on AVX-512, 256 on AVX2, 128 on
 * NEON). The only class that names {@code jdk.incubator.vector}: {@link Vectorization} loads it by
 * name, so the rest of the engine links on JVMs started without the module.
 *
 * <p>Loop shape, as in Lucene's PanamaVectorUtilSupport: four independent accumulators in the main
 * loop (a single FMA chain would stall on its own 4-cycle latency), then one vector at a time up to
 * {@code loopBound}, then a scalar tail. Below two vectors' worth of lanes the setup and the lane
 * reduction cost more than they save, so short vectors go to the scalar kernels.
 */
final class PanamaVectorOps implements VectorOps {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    // Static finals, so C2 folds the FMA branch and inlines the scalar fallback.
    private static final boolean FMA = Vectorization.fmaIsFast();
    private static final ScalarVectorOps SCALAR = new ScalarVectorOps();
    // The steps of the lane sums' tree (see the note above the kernels), widest first: STEP_k moves
    // lane i ^ (LANES / k) to lane i, and UPPER_k selects the lanes whose index has that bit set,
    // where two vectors share a step. Null where LANES / k < 1.
    private static final VectorShuffle<Float> STEP_2 = step(2);
    private static final VectorShuffle<Float> STEP_4 = step(4);
    private static final VectorShuffle<Float> STEP_8 = step(8);
    private static final VectorShuffle<Float> STEP_16 = step(16);
    private static final VectorMask<Float> UPPER_2 = upper(2);
    private static final VectorMask<Float> UPPER_4 = upper(4);
    private static final VectorMask<Float> UPPER_8 = upper(8);
    // The sums of eight vectors, in order in the first lanes.
    private static final VectorShuffle<Float> EIGHT_IN_ORDER = LANES >= 8 ? gather(0, 4, 2, 6, 1, 5, 3, 7) : null;
    private static final VectorMask<Float> FIRST_EIGHT = VectorMask.fromLong(SPECIES, 0xff);

    /** @throws UnsupportedOperationException if the preferred vectors are narrower than 128 bits or wider than 512 */
    PanamaVectorOps() {
        if (SPECIES.vectorBitSize() < 128) {
            // Below 128 bits (no SIMD, or a VM emulating it) the Vector API is slower than plain loops.
            throw new UnsupportedOperationException("the preferred vector size, "
                    + SPECIES.vectorBitSize() + " bits, is below 128 bits");
        }
        if (LANES > 16) {
            // The lane sums' tree has steps for up to 16 lanes (SVE allows wider vectors).
            throw new UnsupportedOperationException("the preferred vector size, "
                    + SPECIES.vectorBitSize() + " bits, is above 512 bits");
        }
    }

    @Override
    public String name() {
        return "panama(" + SPECIES.vectorBitSize() + "-bit)";
    }

    /** {@code a * b + acc}; without hardware FMA, {@code fma} falls back to BigDecimal arithmetic. */
    private static FloatVector fma(FloatVector a, FloatVector b, FloatVector acc) {
        return FMA ? a.fma(b, acc) : a.mul(b).add(acc);
    }

    private static FloatVector load(float[] array, int index) {
        return FloatVector.fromArray(SPECIES, array, index);
    }

    private static FloatVector load(MemorySegment segment, long offset, int index) {
        return FloatVector.fromMemorySegment(SPECIES, segment, offset + (long) index * Float.BYTES, ORDER);
    }

    private static VectorShuffle<Float> step(int k) {
        int h = LANES / k;
        return h >= 1 ? VectorShuffle.fromOp(SPECIES, i -> i ^ h) : null;
    }

    /** Lane j takes the first lane of block {@code blocks[j]}, of {@code blocks.length} blocks. */
    private static VectorShuffle<Float> gather(int... blocks) {
        int block = LANES / blocks.length;
        return VectorShuffle.fromOp(SPECIES, j -> j < blocks.length ? blocks[j] * block : 0);
    }

    private static VectorMask<Float> upper(int k) {
        int h = LANES / k;
        if (h < 1) {
            return null;
        }
        long lanes = 0;
        for (int i = 0; i < LANES; i++) {
            if ((i & h) != 0) {
                lanes |= 1L << i;
            }
        }
        return VectorMask.fromLong(SPECIES, lanes);
    }

    // The lane sums are written out in every kernel rather than called. C2 inlines a call by the
    // profile of its site, and under load (tiered compilation falling back to tier 2, many callers
    // in one JVM) it compiled such a helper on its own: every kernel calling it then passed its
    // vectors boxed, allocating on each call and running 30-100x slower with the same results
    // (KernelAllocationTest, ScorerAllocationTest). The sums add in one fixed order, a tree (the
    // upper half of the lanes added onto the lower, until one lane is left), because
    // reduceLanes(ADD) leaves the order open and the interpreter and C2 take different ones: the
    // same query scored the same record one ulp apart before and after warm-up. Lane-wise adds are
    // exact IEEE operations wherever they run, so the tree gives the same bits everywhere. Kernels
    // of four and eight vectors share each step between two vectors: x.blend(y, UPPER).add(
    // y.blend(x, UPPER).rearrange(STEP)) leaves x's next partial sums (x[i] + x[i + h]) in the lower
    // half of each block and y's (y[i - h] + y[i], the same IEEE sums) in the upper half. LANES is
    // a constant, so C2 keeps only the steps its width needs.

    @Override
    public float dot(float[] a, float[] b) {
        int n = a.length;
        if (n < 2 * LANES) {
            return SCALAR.dot(a, b);
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int bound = n - n % (4 * LANES); i < bound; i += 4 * LANES) {
            acc0 = fma(load(a, i), load(b, i), acc0);
            acc1 = fma(load(a, i + LANES), load(b, i + LANES), acc1);
            acc2 = fma(load(a, i + 2 * LANES), load(b, i + 2 * LANES), acc2);
            acc3 = fma(load(a, i + 3 * LANES), load(b, i + 3 * LANES), acc3);
        }
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            acc0 = fma(load(a, i), load(b, i), acc0);
        }
        FloatVector lanes = acc0.add(acc1).add(acc2.add(acc3));
        lanes = lanes.add(lanes.rearrange(STEP_2));
        lanes = lanes.add(lanes.rearrange(STEP_4));
        if (LANES >= 8) {
            lanes = lanes.add(lanes.rearrange(STEP_8));
        }
        if (LANES >= 16) {
            lanes = lanes.add(lanes.rearrange(STEP_16));
        }
        float sum = lanes.lane(0);
        for (; i < n; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    @Override
    public float squareDistance(float[] a, float[] b) {
        int n = a.length;
        if (n < 2 * LANES) {
            return SCALAR.squareDistance(a, b);
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int bound = n - n % (4 * LANES); i < bound; i += 4 * LANES) {
            FloatVector d0 = load(a, i).sub(load(b, i));
            FloatVector d1 = load(a, i + LANES).sub(load(b, i + LANES));
            FloatVector d2 = load(a, i + 2 * LANES).sub(load(b, i + 2 * LANES));
            FloatVector d3 = load(a, i + 3 * LANES).sub(load(b, i + 3 * LANES));
            acc0 = fma(d0, d0, acc0);
            acc1 = fma(d1, d1, acc1);
            acc2 = fma(d2, d2, acc2);
            acc3 = fma(d3, d3, acc3);
        }
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector d = load(a, i).sub(load(b, i));
            acc0 = fma(d, d, acc0);
        }
        FloatVector lanes = acc0.add(acc1).add(acc2.add(acc3));
        lanes = lanes.add(lanes.rearrange(STEP_2));
        lanes = lanes.add(lanes.rearrange(STEP_4));
        if (LANES >= 8) {
            lanes = lanes.add(lanes.rearrange(STEP_8));
        }
        if (LANES >= 16) {
            lanes = lanes.add(lanes.rearrange(STEP_16));
        }
        float sum = lanes.lane(0);
        for (; i < n; i++) {
            float d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }

    @Override
    public float dot(float[] q, MemorySegment v, long offset) {
        int n = q.length;
        if (n < 2 * LANES) {
            return SCALAR.dot(q, v, offset);
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int bound = n - n % (4 * LANES); i < bound; i += 4 * LANES) {
            acc0 = fma(load(q, i), load(v, offset, i), acc0);
            acc1 = fma(load(q, i + LANES), load(v, offset, i + LANES), acc1);
            acc2 = fma(load(q, i + 2 * LANES), load(v, offset, i + 2 * LANES), acc2);
            acc3 = fma(load(q, i + 3 * LANES), load(v, offset, i + 3 * LANES), acc3);
        }
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            acc0 = fma(load(q, i), load(v, offset, i), acc0);
        }
        FloatVector lanes = acc0.add(acc1).add(acc2.add(acc3));
        lanes = lanes.add(lanes.rearrange(STEP_2));
        lanes = lanes.add(lanes.rearrange(STEP_4));
        if (LANES >= 8) {
            lanes = lanes.add(lanes.rearrange(STEP_8));
        }
        if (LANES >= 16) {
            lanes = lanes.add(lanes.rearrange(STEP_16));
        }
        float sum = lanes.lane(0);
        for (; i < n; i++) {
            sum += q[i] * ScalarVectorOps.get(v, offset, i);
        }
        return sum;
    }

    @Override
    public float squareDistance(float[] q, MemorySegment v, long offset) {
        int n = q.length;
        if (n < 2 * LANES) {
            return SCALAR.squareDistance(q, v, offset);
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int bound = n - n % (4 * LANES); i < bound; i += 4 * LANES) {
            FloatVector d0 = load(q, i).sub(load(v, offset, i));
            FloatVector d1 = load(q, i + LANES).sub(load(v, offset, i + LANES));
            FloatVector d2 = load(q, i + 2 * LANES).sub(load(v, offset, i + 2 * LANES));
            FloatVector d3 = load(q, i + 3 * LANES).sub(load(v, offset, i + 3 * LANES));
            acc0 = fma(d0, d0, acc0);
            acc1 = fma(d1, d1, acc1);
            acc2 = fma(d2, d2, acc2);
            acc3 = fma(d3, d3, acc3);
        }
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector d = load(q, i).sub(load(v, offset, i));
            acc0 = fma(d, d, acc0);
        }
        FloatVector lanes = acc0.add(acc1).add(acc2.add(acc3));
        lanes = lanes.add(lanes.rearrange(STEP_2));
        lanes = lanes.add(lanes.rearrange(STEP_4));
        if (LANES >= 8) {
            lanes = lanes.add(lanes.rearrange(STEP_8));
        }
        if (LANES >= 16) {
            lanes = lanes.add(lanes.rearrange(STEP_16));
        }
        float sum = lanes.lane(0);
        for (; i < n; i++) {
            float d = q[i] - ScalarVectorOps.get(v, offset, i);
            sum += d * d;
        }
        return sum;
    }

    @Override
    public float dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int n) {
        if (n < 2 * LANES) {
            return SCALAR.dot(a, aOffset, b, bOffset, n);
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int bound = n - n % (4 * LANES); i < bound; i += 4 * LANES) {
            acc0 = fma(load(a, aOffset, i), load(b, bOffset, i), acc0);
            acc1 = fma(load(a, aOffset, i + LANES), load(b, bOffset, i + LANES), acc1);
            acc2 = fma(load(a, aOffset, i + 2 * LANES), load(b, bOffset, i + 2 * LANES), acc2);
            acc3 = fma(load(a, aOffset, i + 3 * LANES), load(b, bOffset, i + 3 * LANES), acc3);
        }
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            acc0 = fma(load(a, aOffset, i), load(b, bOffset, i), acc0);
        }
        FloatVector lanes = acc0.add(acc1).add(acc2.add(acc3));
        lanes = lanes.add(lanes.rearrange(STEP_2));
        lanes = lanes.add(lanes.rearrange(STEP_4));
        if (LANES >= 8) {
            lanes = lanes.add(lanes.rearrange(STEP_8));
        }
        if (LANES >= 16) {
            lanes = lanes.add(lanes.rearrange(STEP_16));
        }
        float sum = lanes.lane(0);
        for (; i < n; i++) {
            sum += ScalarVectorOps.get(a, aOffset, i) * ScalarVectorOps.get(b, bOffset, i);
        }
        return sum;
    }

    @Override
    public float squareDistance(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int n) {
        if (n < 2 * LANES) {
            return SCALAR.squareDistance(a, aOffset, b, bOffset, n);
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int bound = n - n % (4 * LANES); i < bound; i += 4 * LANES) {
            FloatVector d0 = load(a, aOffset, i).sub(load(b, bOffset, i));
            FloatVector d1 = load(a, aOffset, i + LANES).sub(load(b, bOffset, i + LANES));
            FloatVector d2 = load(a, aOffset, i + 2 * LANES).sub(load(b, bOffset, i + 2 * LANES));
            FloatVector d3 = load(a, aOffset, i + 3 * LANES).sub(load(b, bOffset, i + 3 * LANES));
            acc0 = fma(d0, d0, acc0);
            acc1 = fma(d1, d1, acc1);
            acc2 = fma(d2, d2, acc2);
            acc3 = fma(d3, d3, acc3);
        }
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector d = load(a, aOffset, i).sub(load(b, bOffset, i));
            acc0 = fma(d, d, acc0);
        }
        FloatVector lanes = acc0.add(acc1).add(acc2.add(acc3));
        lanes = lanes.add(lanes.rearrange(STEP_2));
        lanes = lanes.add(lanes.rearrange(STEP_4));
        if (LANES >= 8) {
            lanes = lanes.add(lanes.rearrange(STEP_8));
        }
        if (LANES >= 16) {
            lanes = lanes.add(lanes.rearrange(STEP_16));
        }
        float sum = lanes.lane(0);
        for (; i < n; i++) {
            float d = ScalarVectorOps.get(a, aOffset, i) - ScalarVectorOps.get(b, bOffset, i);
            sum += d * d;
        }
        return sum;
    }

    // The four-wide kernels share each query load across four stored vectors; their four
    // accumulators are already independent, so the main loop goes one vector at a time.

    @Override
    public void dot4(float[] q, MemorySegment v0, long o0, MemorySegment v1, long o1,
                     MemorySegment v2, long o2, MemorySegment v3, long o3, float[] out) {
        int n = q.length;
        if (n < 2 * LANES) {
            SCALAR.dot4(q, v0, o0, v1, o1, v2, o2, v3, o3, out);
            return;
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector x = load(q, i);
            acc0 = fma(x, load(v0, o0, i), acc0);
            acc1 = fma(x, load(v1, o1, i), acc1);
            acc2 = fma(x, load(v2, o2, i), acc2);
            acc3 = fma(x, load(v3, o3, i), acc3);
        }
        FloatVector ab = acc0.blend(acc1, UPPER_2).add(acc1.blend(acc0, UPPER_2).rearrange(STEP_2));
        FloatVector cd = acc2.blend(acc3, UPPER_2).add(acc3.blend(acc2, UPPER_2).rearrange(STEP_2));
        FloatVector sums = ab.blend(cd, UPPER_4).add(cd.blend(ab, UPPER_4).rearrange(STEP_4));
        if (LANES >= 8) { // blocks of LANES / 4 lanes, of acc0, acc2, acc1 and acc3
            sums = sums.add(sums.rearrange(STEP_8));
        }
        if (LANES >= 16) {
            sums = sums.add(sums.rearrange(STEP_16));
        }
        out[0] = sums.lane(0);
        out[1] = sums.lane(LANES / 2);
        out[2] = sums.lane(LANES / 4);
        out[3] = sums.lane(3 * LANES / 4);
        for (; i < n; i++) {
            float x = q[i];
            out[0] += x * ScalarVectorOps.get(v0, o0, i);
            out[1] += x * ScalarVectorOps.get(v1, o1, i);
            out[2] += x * ScalarVectorOps.get(v2, o2, i);
            out[3] += x * ScalarVectorOps.get(v3, o3, i);
        }
    }

    @Override
    public void squareDistance4(float[] q, MemorySegment v0, long o0, MemorySegment v1, long o1,
                                MemorySegment v2, long o2, MemorySegment v3, long o3, float[] out) {
        int n = q.length;
        if (n < 2 * LANES) {
            SCALAR.squareDistance4(q, v0, o0, v1, o1, v2, o2, v3, o3, out);
            return;
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector x = load(q, i);
            FloatVector d0 = x.sub(load(v0, o0, i));
            FloatVector d1 = x.sub(load(v1, o1, i));
            FloatVector d2 = x.sub(load(v2, o2, i));
            FloatVector d3 = x.sub(load(v3, o3, i));
            acc0 = fma(d0, d0, acc0);
            acc1 = fma(d1, d1, acc1);
            acc2 = fma(d2, d2, acc2);
            acc3 = fma(d3, d3, acc3);
        }
        FloatVector ab = acc0.blend(acc1, UPPER_2).add(acc1.blend(acc0, UPPER_2).rearrange(STEP_2));
        FloatVector cd = acc2.blend(acc3, UPPER_2).add(acc3.blend(acc2, UPPER_2).rearrange(STEP_2));
        FloatVector sums = ab.blend(cd, UPPER_4).add(cd.blend(ab, UPPER_4).rearrange(STEP_4));
        if (LANES >= 8) { // blocks of LANES / 4 lanes, of acc0, acc2, acc1 and acc3
            sums = sums.add(sums.rearrange(STEP_8));
        }
        if (LANES >= 16) {
            sums = sums.add(sums.rearrange(STEP_16));
        }
        out[0] = sums.lane(0);
        out[1] = sums.lane(LANES / 2);
        out[2] = sums.lane(LANES / 4);
        out[3] = sums.lane(3 * LANES / 4);
        for (; i < n; i++) {
            float x = q[i];
            float d0 = x - ScalarVectorOps.get(v0, o0, i);
            float d1 = x - ScalarVectorOps.get(v1, o1, i);
            float d2 = x - ScalarVectorOps.get(v2, o2, i);
            float d3 = x - ScalarVectorOps.get(v3, o3, i);
            out[0] += d0 * d0;
            out[1] += d1 * d1;
            out[2] += d2 * d2;
            out[3] += d3 * d3;
        }
    }

    // The array twins of the segment kernels above (for heap pages): the same loops, so the same bits.

    @Override
    public float dot(float[] a, int aIndex, float[] b, int bIndex, int n) {
        if (n < 2 * LANES) {
            return SCALAR.dot(a, aIndex, b, bIndex, n);
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int bound = n - n % (4 * LANES); i < bound; i += 4 * LANES) {
            acc0 = fma(load(a, aIndex + i), load(b, bIndex + i), acc0);
            acc1 = fma(load(a, aIndex + i + LANES), load(b, bIndex + i + LANES), acc1);
            acc2 = fma(load(a, aIndex + i + 2 * LANES), load(b, bIndex + i + 2 * LANES), acc2);
            acc3 = fma(load(a, aIndex + i + 3 * LANES), load(b, bIndex + i + 3 * LANES), acc3);
        }
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            acc0 = fma(load(a, aIndex + i), load(b, bIndex + i), acc0);
        }
        FloatVector lanes = acc0.add(acc1).add(acc2.add(acc3));
        lanes = lanes.add(lanes.rearrange(STEP_2));
        lanes = lanes.add(lanes.rearrange(STEP_4));
        if (LANES >= 8) {
            lanes = lanes.add(lanes.rearrange(STEP_8));
        }
        if (LANES >= 16) {
            lanes = lanes.add(lanes.rearrange(STEP_16));
        }
        float sum = lanes.lane(0);
        for (; i < n; i++) {
            sum += a[aIndex + i] * b[bIndex + i];
        }
        return sum;
    }

    @Override
    public float squareDistance(float[] a, int aIndex, float[] b, int bIndex, int n) {
        if (n < 2 * LANES) {
            return SCALAR.squareDistance(a, aIndex, b, bIndex, n);
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int bound = n - n % (4 * LANES); i < bound; i += 4 * LANES) {
            FloatVector d0 = load(a, aIndex + i).sub(load(b, bIndex + i));
            FloatVector d1 = load(a, aIndex + i + LANES).sub(load(b, bIndex + i + LANES));
            FloatVector d2 = load(a, aIndex + i + 2 * LANES).sub(load(b, bIndex + i + 2 * LANES));
            FloatVector d3 = load(a, aIndex + i + 3 * LANES).sub(load(b, bIndex + i + 3 * LANES));
            acc0 = fma(d0, d0, acc0);
            acc1 = fma(d1, d1, acc1);
            acc2 = fma(d2, d2, acc2);
            acc3 = fma(d3, d3, acc3);
        }
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector d = load(a, aIndex + i).sub(load(b, bIndex + i));
            acc0 = fma(d, d, acc0);
        }
        FloatVector lanes = acc0.add(acc1).add(acc2.add(acc3));
        lanes = lanes.add(lanes.rearrange(STEP_2));
        lanes = lanes.add(lanes.rearrange(STEP_4));
        if (LANES >= 8) {
            lanes = lanes.add(lanes.rearrange(STEP_8));
        }
        if (LANES >= 16) {
            lanes = lanes.add(lanes.rearrange(STEP_16));
        }
        float sum = lanes.lane(0);
        for (; i < n; i++) {
            float d = a[aIndex + i] - b[bIndex + i];
            sum += d * d;
        }
        return sum;
    }

    @Override
    public void dot4(float[] q, float[] v0, int i0, float[] v1, int i1, float[] v2, int i2, float[] v3, int i3,
                     float[] out) {
        int n = q.length;
        if (n < 2 * LANES) {
            SCALAR.dot4(q, v0, i0, v1, i1, v2, i2, v3, i3, out);
            return;
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector x = load(q, i);
            acc0 = fma(x, load(v0, i0 + i), acc0);
            acc1 = fma(x, load(v1, i1 + i), acc1);
            acc2 = fma(x, load(v2, i2 + i), acc2);
            acc3 = fma(x, load(v3, i3 + i), acc3);
        }
        FloatVector ab = acc0.blend(acc1, UPPER_2).add(acc1.blend(acc0, UPPER_2).rearrange(STEP_2));
        FloatVector cd = acc2.blend(acc3, UPPER_2).add(acc3.blend(acc2, UPPER_2).rearrange(STEP_2));
        FloatVector sums = ab.blend(cd, UPPER_4).add(cd.blend(ab, UPPER_4).rearrange(STEP_4));
        if (LANES >= 8) { // blocks of LANES / 4 lanes, of acc0, acc2, acc1 and acc3
            sums = sums.add(sums.rearrange(STEP_8));
        }
        if (LANES >= 16) {
            sums = sums.add(sums.rearrange(STEP_16));
        }
        out[0] = sums.lane(0);
        out[1] = sums.lane(LANES / 2);
        out[2] = sums.lane(LANES / 4);
        out[3] = sums.lane(3 * LANES / 4);
        for (; i < n; i++) {
            float x = q[i];
            out[0] += x * v0[i0 + i];
            out[1] += x * v1[i1 + i];
            out[2] += x * v2[i2 + i];
            out[3] += x * v3[i3 + i];
        }
    }

    @Override
    public void squareDistance4(float[] q, float[] v0, int i0, float[] v1, int i1, float[] v2, int i2, float[] v3,
                                int i3, float[] out) {
        int n = q.length;
        if (n < 2 * LANES) {
            SCALAR.squareDistance4(q, v0, i0, v1, i1, v2, i2, v3, i3, out);
            return;
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector x = load(q, i);
            FloatVector d0 = x.sub(load(v0, i0 + i));
            FloatVector d1 = x.sub(load(v1, i1 + i));
            FloatVector d2 = x.sub(load(v2, i2 + i));
            FloatVector d3 = x.sub(load(v3, i3 + i));
            acc0 = fma(d0, d0, acc0);
            acc1 = fma(d1, d1, acc1);
            acc2 = fma(d2, d2, acc2);
            acc3 = fma(d3, d3, acc3);
        }
        FloatVector ab = acc0.blend(acc1, UPPER_2).add(acc1.blend(acc0, UPPER_2).rearrange(STEP_2));
        FloatVector cd = acc2.blend(acc3, UPPER_2).add(acc3.blend(acc2, UPPER_2).rearrange(STEP_2));
        FloatVector sums = ab.blend(cd, UPPER_4).add(cd.blend(ab, UPPER_4).rearrange(STEP_4));
        if (LANES >= 8) { // blocks of LANES / 4 lanes, of acc0, acc2, acc1 and acc3
            sums = sums.add(sums.rearrange(STEP_8));
        }
        if (LANES >= 16) {
            sums = sums.add(sums.rearrange(STEP_16));
        }
        out[0] = sums.lane(0);
        out[1] = sums.lane(LANES / 2);
        out[2] = sums.lane(LANES / 4);
        out[3] = sums.lane(3 * LANES / 4);
        for (; i < n; i++) {
            float x = q[i];
            float d0 = x - v0[i0 + i];
            float d1 = x - v1[i1 + i];
            float d2 = x - v2[i2 + i];
            float d3 = x - v3[i3 + i];
            out[0] += d0 * d0;
            out[1] += d1 * d1;
            out[2] += d2 * d2;
            out[3] += d3 * d3;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // int8 codes against a float query: each step widens LANES bytes to floats (on x86 a sign
    // extension and a conversion) and multiply-adds them as float lanes. The symmetric kernel this
    // replaced (query bytes × code bytes, widened to shorts, the products widened to ints) took 1.6×
    // as long per four-wide call in cache at 128 dimensions, reading segments; on arrays, 1.45×.
    // Below 8 lanes (128-bit vectors) there is no byte vector narrow enough, so the kernels are scalar.

    private static final VectorSpecies<Byte> CODE_STEP =
            LANES >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(LANES * Byte.SIZE)) : null;

    private static FloatVector codes(byte[] codes, int index) {
        return (FloatVector) ByteVector.fromArray(CODE_STEP, codes, index).convertShape(VectorOperators.B2F, SPECIES, 0);
    }

    @Override
    public float dotCodes(float[] q, byte[] codes, int index) {
        int n = q.length;
        if (CODE_STEP == null || n < 2 * LANES) {
            return SCALAR.dotCodes(q, codes, index);
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0;
        int i = 0;
        for (int bound = n - n % (2 * LANES); i < bound; i += 2 * LANES) {
            acc0 = fma(load(q, i), codes(codes, index + i), acc0);
            acc1 = fma(load(q, i + LANES), codes(codes, index + i + LANES), acc1);
        }
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            acc0 = fma(load(q, i), codes(codes, index + i), acc0);
        }
        FloatVector lanes = acc0.add(acc1);
        lanes = lanes.add(lanes.rearrange(STEP_2));
        lanes = lanes.add(lanes.rearrange(STEP_4));
        if (LANES >= 8) {
            lanes = lanes.add(lanes.rearrange(STEP_8));
        }
        if (LANES >= 16) {
            lanes = lanes.add(lanes.rearrange(STEP_16));
        }
        return lanes.lane(0) + ScalarVectorOps.dotCodes(q, codes, index, i);
    }

    @Override
    public float squareDistanceCodes(float[] q, byte[] codes, int index) {
        int n = q.length;
        if (CODE_STEP == null || n < 2 * LANES) {
            return SCALAR.squareDistanceCodes(q, codes, index);
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0;
        int i = 0;
        for (int bound = n - n % (2 * LANES); i < bound; i += 2 * LANES) {
            FloatVector d0 = load(q, i).sub(codes(codes, index + i));
            FloatVector d1 = load(q, i + LANES).sub(codes(codes, index + i + LANES));
            acc0 = fma(d0, d0, acc0);
            acc1 = fma(d1, d1, acc1);
        }
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector d = load(q, i).sub(codes(codes, index + i));
            acc0 = fma(d, d, acc0);
        }
        FloatVector lanes = acc0.add(acc1);
        lanes = lanes.add(lanes.rearrange(STEP_2));
        lanes = lanes.add(lanes.rearrange(STEP_4));
        if (LANES >= 8) {
            lanes = lanes.add(lanes.rearrange(STEP_8));
        }
        if (LANES >= 16) {
            lanes = lanes.add(lanes.rearrange(STEP_16));
        }
        return lanes.lane(0) + ScalarVectorOps.squareDistanceCodes(q, codes, index, i);
    }

    @Override
    public void dotCodes8(float[] q, byte[] c0, int i0, byte[] c1, int i1, byte[] c2, int i2, byte[] c3, int i3,
                          byte[] c4, int i4, byte[] c5, int i5, byte[] c6, int i6, byte[] c7, int i7, float[] out) {
        int n = q.length;
        if (CODE_STEP == null || n < 2 * LANES) {
            SCALAR.dotCodes8(q, c0, i0, c1, i1, c2, i2, c3, i3, c4, i4, c5, i5, c6, i6, c7, i7, out);
            return;
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0, acc4 = acc0,
                acc5 = acc0, acc6 = acc0, acc7 = acc0;
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector x = load(q, i);
            acc0 = fma(x, codes(c0, i0 + i), acc0);
            acc1 = fma(x, codes(c1, i1 + i), acc1);
            acc2 = fma(x, codes(c2, i2 + i), acc2);
            acc3 = fma(x, codes(c3, i3 + i), acc3);
            acc4 = fma(x, codes(c4, i4 + i), acc4);
            acc5 = fma(x, codes(c5, i5 + i), acc5);
            acc6 = fma(x, codes(c6, i6 + i), acc6);
            acc7 = fma(x, codes(c7, i7 + i), acc7);
        }
        FloatVector s01 = acc0.blend(acc1, UPPER_2).add(acc1.blend(acc0, UPPER_2).rearrange(STEP_2));
        FloatVector s23 = acc2.blend(acc3, UPPER_2).add(acc3.blend(acc2, UPPER_2).rearrange(STEP_2));
        FloatVector s45 = acc4.blend(acc5, UPPER_2).add(acc5.blend(acc4, UPPER_2).rearrange(STEP_2));
        FloatVector s67 = acc6.blend(acc7, UPPER_2).add(acc7.blend(acc6, UPPER_2).rearrange(STEP_2));
        FloatVector s0213 = s01.blend(s23, UPPER_4).add(s23.blend(s01, UPPER_4).rearrange(STEP_4));
        FloatVector s4657 = s45.blend(s67, UPPER_4).add(s67.blend(s45, UPPER_4).rearrange(STEP_4));
        FloatVector sums = s0213.blend(s4657, UPPER_8).add(s4657.blend(s0213, UPPER_8).rearrange(STEP_8));
        if (LANES >= 16) { // blocks of LANES / 8 lanes, of acc0, acc4, acc2, acc6, acc1, acc5, acc3, acc7
            sums = sums.add(sums.rearrange(STEP_16));
        }
        // One store: eight lane extractions take C2 past the nodes it parses in this kernel.
        sums.rearrange(EIGHT_IN_ORDER).intoArray(out, 0, FIRST_EIGHT);
        if (i < n) { // never taken where the lanes divide the length, so C2 compiles no tail calls
            out[0] += ScalarVectorOps.dotCodes(q, c0, i0, i);
            out[1] += ScalarVectorOps.dotCodes(q, c1, i1, i);
            out[2] += ScalarVectorOps.dotCodes(q, c2, i2, i);
            out[3] += ScalarVectorOps.dotCodes(q, c3, i3, i);
            out[4] += ScalarVectorOps.dotCodes(q, c4, i4, i);
            out[5] += ScalarVectorOps.dotCodes(q, c5, i5, i);
            out[6] += ScalarVectorOps.dotCodes(q, c6, i6, i);
            out[7] += ScalarVectorOps.dotCodes(q, c7, i7, i);
        }
    }

    @Override
    public void squareDistanceCodes8(float[] q, byte[] c0, int i0, byte[] c1, int i1, byte[] c2, int i2, byte[] c3,
                                     int i3, byte[] c4, int i4, byte[] c5, int i5, byte[] c6, int i6, byte[] c7, int i7,
                                     float[] out) {
        int n = q.length;
        if (CODE_STEP == null || n < 2 * LANES) {
            SCALAR.squareDistanceCodes8(q, c0, i0, c1, i1, c2, i2, c3, i3, c4, i4, c5, i5, c6, i6, c7, i7, out);
            return;
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0, acc4 = acc0,
                acc5 = acc0, acc6 = acc0, acc7 = acc0;
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector x = load(q, i);
            FloatVector d0 = x.sub(codes(c0, i0 + i));
            FloatVector d1 = x.sub(codes(c1, i1 + i));
            FloatVector d2 = x.sub(codes(c2, i2 + i));
            FloatVector d3 = x.sub(codes(c3, i3 + i));
            FloatVector d4 = x.sub(codes(c4, i4 + i));
            FloatVector d5 = x.sub(codes(c5, i5 + i));
            FloatVector d6 = x.sub(codes(c6, i6 + i));
            FloatVector d7 = x.sub(codes(c7, i7 + i));
            acc0 = fma(d0, d0, acc0);
            acc1 = fma(d1, d1, acc1);
            acc2 = fma(d2, d2, acc2);
            acc3 = fma(d3, d3, acc3);
            acc4 = fma(d4, d4, acc4);
            acc5 = fma(d5, d5, acc5);
            acc6 = fma(d6, d6, acc6);
            acc7 = fma(d7, d7, acc7);
        }
        FloatVector s01 = acc0.blend(acc1, UPPER_2).add(acc1.blend(acc0, UPPER_2).rearrange(STEP_2));
        FloatVector s23 = acc2.blend(acc3, UPPER_2).add(acc3.blend(acc2, UPPER_2).rearrange(STEP_2));
        FloatVector s45 = acc4.blend(acc5, UPPER_2).add(acc5.blend(acc4, UPPER_2).rearrange(STEP_2));
        FloatVector s67 = acc6.blend(acc7, UPPER_2).add(acc7.blend(acc6, UPPER_2).rearrange(STEP_2));
        FloatVector s0213 = s01.blend(s23, UPPER_4).add(s23.blend(s01, UPPER_4).rearrange(STEP_4));
        FloatVector s4657 = s45.blend(s67, UPPER_4).add(s67.blend(s45, UPPER_4).rearrange(STEP_4));
        FloatVector sums = s0213.blend(s4657, UPPER_8).add(s4657.blend(s0213, UPPER_8).rearrange(STEP_8));
        if (LANES >= 16) { // blocks of LANES / 8 lanes, of acc0, acc4, acc2, acc6, acc1, acc5, acc3, acc7
            sums = sums.add(sums.rearrange(STEP_16));
        }
        // One store: eight lane extractions take C2 past the nodes it parses in this kernel.
        sums.rearrange(EIGHT_IN_ORDER).intoArray(out, 0, FIRST_EIGHT);
        if (i < n) { // as in dotCodes8
            out[0] += ScalarVectorOps.squareDistanceCodes(q, c0, i0, i);
            out[1] += ScalarVectorOps.squareDistanceCodes(q, c1, i1, i);
            out[2] += ScalarVectorOps.squareDistanceCodes(q, c2, i2, i);
            out[3] += ScalarVectorOps.squareDistanceCodes(q, c3, i3, i);
            out[4] += ScalarVectorOps.squareDistanceCodes(q, c4, i4, i);
            out[5] += ScalarVectorOps.squareDistanceCodes(q, c5, i5, i);
            out[6] += ScalarVectorOps.squareDistanceCodes(q, c6, i6, i);
            out[7] += ScalarVectorOps.squareDistanceCodes(q, c7, i7, i);
        }
    }
}
