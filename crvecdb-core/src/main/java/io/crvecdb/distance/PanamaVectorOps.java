package io.crvecdb.distance;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Kernels on the Vector API, at the CPU's preferred width (512 bits on AVX-512, 256 on AVX2, 128
 * on NEON). This is the only class that touches {@code jdk.incubator.vector}, so the rest of the
 * engine loads fine where that module is absent.
 *
 * <p>Loop shape, as in Lucene: four independent accumulators in the main loop (one FMA chain would
 * wait on its own latency), then one vector at a time, then a scalar tail. Vectors shorter than two
 * lanes' worth go to the scalar twin, where the setup would cost more than it saves.
 */
final class PanamaVectorOps implements VectorOps {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final ScalarVectorOps scalar = new ScalarVectorOps();
    /** FMA is one instruction where the CPU has it, and a slow software emulation where it has not. */
    private final boolean fastFma;

    PanamaVectorOps(boolean fastFma) {
        if (SPECIES.vectorBitSize() < 128) {
            throw new UnsupportedOperationException("preferred vector size " + SPECIES.vectorBitSize() + " bits is too small");
        }
        this.fastFma = fastFma;
    }

    @Override
    public String name() {
        return "panama(" + SPECIES.vectorBitSize() + "-bit" + (fastFma ? ", fma" : "") + ")";
    }

    private FloatVector multiplyAdd(FloatVector a, FloatVector b, FloatVector acc) {
        return fastFma ? a.fma(b, acc) : a.mul(b).add(acc);
    }

    @Override
    public float dot(float[] a, float[] b) {
        int n = a.length;
        if (n < 2 * LANES) {
            return scalar.dot(a, b);
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int bound = n - n % (4 * LANES); i < bound; i += 4 * LANES) {
            acc0 = multiplyAdd(FloatVector.fromArray(SPECIES, a, i), FloatVector.fromArray(SPECIES, b, i), acc0);
            acc1 = multiplyAdd(FloatVector.fromArray(SPECIES, a, i + LANES), FloatVector.fromArray(SPECIES, b, i + LANES), acc1);
            acc2 = multiplyAdd(FloatVector.fromArray(SPECIES, a, i + 2 * LANES), FloatVector.fromArray(SPECIES, b, i + 2 * LANES), acc2);
            acc3 = multiplyAdd(FloatVector.fromArray(SPECIES, a, i + 3 * LANES), FloatVector.fromArray(SPECIES, b, i + 3 * LANES), acc3);
        }
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            acc0 = multiplyAdd(FloatVector.fromArray(SPECIES, a, i), FloatVector.fromArray(SPECIES, b, i), acc0);
        }
        float sum = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    @Override
    public float squareDistance(float[] a, float[] b) {
        int n = a.length;
        if (n < 2 * LANES) {
            return scalar.squareDistance(a, b);
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int bound = n - n % (4 * LANES); i < bound; i += 4 * LANES) {
            FloatVector d0 = FloatVector.fromArray(SPECIES, a, i).sub(FloatVector.fromArray(SPECIES, b, i));
            FloatVector d1 = FloatVector.fromArray(SPECIES, a, i + LANES).sub(FloatVector.fromArray(SPECIES, b, i + LANES));
            FloatVector d2 = FloatVector.fromArray(SPECIES, a, i + 2 * LANES).sub(FloatVector.fromArray(SPECIES, b, i + 2 * LANES));
            FloatVector d3 = FloatVector.fromArray(SPECIES, a, i + 3 * LANES).sub(FloatVector.fromArray(SPECIES, b, i + 3 * LANES));
            acc0 = multiplyAdd(d0, d0, acc0);
            acc1 = multiplyAdd(d1, d1, acc1);
            acc2 = multiplyAdd(d2, d2, acc2);
            acc3 = multiplyAdd(d3, d3, acc3);
        }
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector d = FloatVector.fromArray(SPECIES, a, i).sub(FloatVector.fromArray(SPECIES, b, i));
            acc0 = multiplyAdd(d, d, acc0);
        }
        float sum = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
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
            return scalar.dot(q, v, offset);
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int bound = n - n % (4 * LANES); i < bound; i += 4 * LANES) {
            acc0 = multiplyAdd(FloatVector.fromArray(SPECIES, q, i), load(v, offset, i), acc0);
            acc1 = multiplyAdd(FloatVector.fromArray(SPECIES, q, i + LANES), load(v, offset, i + LANES), acc1);
            acc2 = multiplyAdd(FloatVector.fromArray(SPECIES, q, i + 2 * LANES), load(v, offset, i + 2 * LANES), acc2);
            acc3 = multiplyAdd(FloatVector.fromArray(SPECIES, q, i + 3 * LANES), load(v, offset, i + 3 * LANES), acc3);
        }
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            acc0 = multiplyAdd(FloatVector.fromArray(SPECIES, q, i), load(v, offset, i), acc0);
        }
        float sum = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += q[i] * v.get(FLOAT, offset + 4L * i);
        }
        return sum;
    }

    @Override
    public float squareDistance(float[] q, MemorySegment v, long offset) {
        int n = q.length;
        if (n < 2 * LANES) {
            return scalar.squareDistance(q, v, offset);
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int bound = n - n % (4 * LANES); i < bound; i += 4 * LANES) {
            FloatVector d0 = FloatVector.fromArray(SPECIES, q, i).sub(load(v, offset, i));
            FloatVector d1 = FloatVector.fromArray(SPECIES, q, i + LANES).sub(load(v, offset, i + LANES));
            FloatVector d2 = FloatVector.fromArray(SPECIES, q, i + 2 * LANES).sub(load(v, offset, i + 2 * LANES));
            FloatVector d3 = FloatVector.fromArray(SPECIES, q, i + 3 * LANES).sub(load(v, offset, i + 3 * LANES));
            acc0 = multiplyAdd(d0, d0, acc0);
            acc1 = multiplyAdd(d1, d1, acc1);
            acc2 = multiplyAdd(d2, d2, acc2);
            acc3 = multiplyAdd(d3, d3, acc3);
        }
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector d = FloatVector.fromArray(SPECIES, q, i).sub(load(v, offset, i));
            acc0 = multiplyAdd(d, d, acc0);
        }
        float sum = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float d = q[i] - v.get(FLOAT, offset + 4L * i);
            sum += d * d;
        }
        return sum;
    }

    @Override
    public float dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int n) {
        if (n < 2 * LANES) {
            return scalar.dot(a, aOffset, b, bOffset, n);
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0;
        int i = 0;
        for (int bound = n - n % (2 * LANES); i < bound; i += 2 * LANES) {
            acc0 = multiplyAdd(load(a, aOffset, i), load(b, bOffset, i), acc0);
            acc1 = multiplyAdd(load(a, aOffset, i + LANES), load(b, bOffset, i + LANES), acc1);
        }
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            acc0 = multiplyAdd(load(a, aOffset, i), load(b, bOffset, i), acc0);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += a.get(FLOAT, aOffset + 4L * i) * b.get(FLOAT, bOffset + 4L * i);
        }
        return sum;
    }

    @Override
    public float squareDistance(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int n) {
        if (n < 2 * LANES) {
            return scalar.squareDistance(a, aOffset, b, bOffset, n);
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0;
        int i = 0;
        for (int bound = n - n % (2 * LANES); i < bound; i += 2 * LANES) {
            FloatVector d0 = load(a, aOffset, i).sub(load(b, bOffset, i));
            FloatVector d1 = load(a, aOffset, i + LANES).sub(load(b, bOffset, i + LANES));
            acc0 = multiplyAdd(d0, d0, acc0);
            acc1 = multiplyAdd(d1, d1, acc1);
        }
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector d = load(a, aOffset, i).sub(load(b, bOffset, i));
            acc0 = multiplyAdd(d, d, acc0);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float d = a.get(FLOAT, aOffset + 4L * i) - b.get(FLOAT, bOffset + 4L * i);
            sum += d * d;
        }
        return sum;
    }

    @Override
    public void dot4(float[] q, MemorySegment v0, long o0, MemorySegment v1, long o1,
                     MemorySegment v2, long o2, MemorySegment v3, long o3, float[] out) {
        int n = q.length;
        if (n < 2 * LANES) {
            scalar.dot4(q, v0, o0, v1, o1, v2, o2, v3, o3, out);
            return;
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, q, i);
            acc0 = multiplyAdd(x, load(v0, o0, i), acc0);
            acc1 = multiplyAdd(x, load(v1, o1, i), acc1);
            acc2 = multiplyAdd(x, load(v2, o2, i), acc2);
            acc3 = multiplyAdd(x, load(v3, o3, i), acc3);
        }
        float s0 = acc0.reduceLanes(VectorOperators.ADD);
        float s1 = acc1.reduceLanes(VectorOperators.ADD);
        float s2 = acc2.reduceLanes(VectorOperators.ADD);
        float s3 = acc3.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float x = q[i];
            s0 += x * v0.get(FLOAT, o0 + 4L * i);
            s1 += x * v1.get(FLOAT, o1 + 4L * i);
            s2 += x * v2.get(FLOAT, o2 + 4L * i);
            s3 += x * v3.get(FLOAT, o3 + 4L * i);
        }
        out[0] = s0;
        out[1] = s1;
        out[2] = s2;
        out[3] = s3;
    }

    @Override
    public void squareDistance4(float[] q, MemorySegment v0, long o0, MemorySegment v1, long o1,
                                MemorySegment v2, long o2, MemorySegment v3, long o3, float[] out) {
        int n = q.length;
        if (n < 2 * LANES) {
            scalar.squareDistance4(q, v0, o0, v1, o1, v2, o2, v3, o3, out);
            return;
        }
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, q, i);
            FloatVector d0 = x.sub(load(v0, o0, i));
            FloatVector d1 = x.sub(load(v1, o1, i));
            FloatVector d2 = x.sub(load(v2, o2, i));
            FloatVector d3 = x.sub(load(v3, o3, i));
            acc0 = multiplyAdd(d0, d0, acc0);
            acc1 = multiplyAdd(d1, d1, acc1);
            acc2 = multiplyAdd(d2, d2, acc2);
            acc3 = multiplyAdd(d3, d3, acc3);
        }
        float s0 = acc0.reduceLanes(VectorOperators.ADD);
        float s1 = acc1.reduceLanes(VectorOperators.ADD);
        float s2 = acc2.reduceLanes(VectorOperators.ADD);
        float s3 = acc3.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float x = q[i];
            float d0 = x - v0.get(FLOAT, o0 + 4L * i);
            float d1 = x - v1.get(FLOAT, o1 + 4L * i);
            float d2 = x - v2.get(FLOAT, o2 + 4L * i);
            float d3 = x - v3.get(FLOAT, o3 + 4L * i);
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        out[0] = s0;
        out[1] = s1;
        out[2] = s2;
        out[3] = s3;
    }

    private static FloatVector load(MemorySegment segment, long offset, int index) {
        return FloatVector.fromMemorySegment(SPECIES, segment, offset + 4L * index, ORDER);
    }
}
