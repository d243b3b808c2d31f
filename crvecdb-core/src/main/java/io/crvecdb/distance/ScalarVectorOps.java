package io.crvecdb.distance;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Plain loops: the fallback where the Vector API is absent, and the Panama kernels' path for short
 * vectors. Four partial sums break the dependency chain of a single running sum, so the CPU can
 * overlap the additions (C2 will not reorder float additions itself).
 */
final class ScalarVectorOps implements VectorOps {

    /** Stored vectors are little-endian, like the Panama loads; on x86 and ARM this is the native order. */
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The float at element {@code index} of the vector at byte {@code offset}. */
    static float get(MemorySegment segment, long offset, int index) {
        return segment.get(FLOAT, offset + (long) index * Float.BYTES);
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public float dot(float[] a, float[] b) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int n = a.length;
        int i = 0;
        for (int bound = n & ~3; i < bound; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < n; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float squareDistance(float[] a, float[] b) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int n = a.length;
        int i = 0;
        for (int bound = n & ~3; i < bound; i += 4) {
            float d0 = a[i] - b[i];
            float d1 = a[i + 1] - b[i + 1];
            float d2 = a[i + 2] - b[i + 2];
            float d3 = a[i + 3] - b[i + 3];
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < n; i++) {
            float d = a[i] - b[i];
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float dot(float[] q, MemorySegment v, long offset) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int n = q.length;
        int i = 0;
        for (int bound = n & ~3; i < bound; i += 4) {
            s0 += q[i] * get(v, offset, i);
            s1 += q[i + 1] * get(v, offset, i + 1);
            s2 += q[i + 2] * get(v, offset, i + 2);
            s3 += q[i + 3] * get(v, offset, i + 3);
        }
        for (; i < n; i++) {
            s0 += q[i] * get(v, offset, i);
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float squareDistance(float[] q, MemorySegment v, long offset) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int n = q.length;
        int i = 0;
        for (int bound = n & ~3; i < bound; i += 4) {
            float d0 = q[i] - get(v, offset, i);
            float d1 = q[i + 1] - get(v, offset, i + 1);
            float d2 = q[i + 2] - get(v, offset, i + 2);
            float d3 = q[i + 3] - get(v, offset, i + 3);
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < n; i++) {
            float d = q[i] - get(v, offset, i);
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int dimensions) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (int bound = dimensions & ~3; i < bound; i += 4) {
            s0 += get(a, aOffset, i) * get(b, bOffset, i);
            s1 += get(a, aOffset, i + 1) * get(b, bOffset, i + 1);
            s2 += get(a, aOffset, i + 2) * get(b, bOffset, i + 2);
            s3 += get(a, aOffset, i + 3) * get(b, bOffset, i + 3);
        }
        for (; i < dimensions; i++) {
            s0 += get(a, aOffset, i) * get(b, bOffset, i);
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float squareDistance(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int dimensions) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (int bound = dimensions & ~3; i < bound; i += 4) {
            float d0 = get(a, aOffset, i) - get(b, bOffset, i);
            float d1 = get(a, aOffset, i + 1) - get(b, bOffset, i + 1);
            float d2 = get(a, aOffset, i + 2) - get(b, bOffset, i + 2);
            float d3 = get(a, aOffset, i + 3) - get(b, bOffset, i + 3);
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < dimensions; i++) {
            float d = get(a, aOffset, i) - get(b, bOffset, i);
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void dot4(float[] q, MemorySegment v0, long o0, MemorySegment v1, long o1,
                     MemorySegment v2, long o2, MemorySegment v3, long o3, float[] out) {
        out[0] = dot(q, v0, o0);
        out[1] = dot(q, v1, o1);
        out[2] = dot(q, v2, o2);
        out[3] = dot(q, v3, o3);
    }

    @Override
    public void squareDistance4(float[] q, MemorySegment v0, long o0, MemorySegment v1, long o1,
                                MemorySegment v2, long o2, MemorySegment v3, long o3, float[] out) {
        out[0] = squareDistance(q, v0, o0);
        out[1] = squareDistance(q, v1, o1);
        out[2] = squareDistance(q, v2, o2);
        out[3] = squareDistance(q, v3, o3);
    }

    // On arrays, the segment loops over a view of the array: one loop, so both paths give the same
    // bits. These are the fallback kernels, where the view's allocation is the least of their cost.

    @Override
    public float dot(float[] a, int aIndex, float[] b, int bIndex, int n) {
        return dot(MemorySegment.ofArray(a), 4L * aIndex, MemorySegment.ofArray(b), 4L * bIndex, n);
    }

    @Override
    public float squareDistance(float[] a, int aIndex, float[] b, int bIndex, int n) {
        return squareDistance(MemorySegment.ofArray(a), 4L * aIndex, MemorySegment.ofArray(b), 4L * bIndex, n);
    }

    @Override
    public void dot4(float[] q, float[] v0, int i0, float[] v1, int i1, float[] v2, int i2, float[] v3, int i3,
                     float[] out) {
        dot4(q, MemorySegment.ofArray(v0), 4L * i0, MemorySegment.ofArray(v1), 4L * i1, MemorySegment.ofArray(v2),
                4L * i2, MemorySegment.ofArray(v3), 4L * i3, out);
    }

    @Override
    public void squareDistance4(float[] q, float[] v0, int i0, float[] v1, int i1, float[] v2, int i2, float[] v3,
                                int i3, float[] out) {
        squareDistance4(q, MemorySegment.ofArray(v0), 4L * i0, MemorySegment.ofArray(v1), 4L * i1,
                MemorySegment.ofArray(v2), 4L * i2, MemorySegment.ofArray(v3), 4L * i3, out);
    }

    @Override
    public float dotCodes(float[] q, byte[] codes, int index) {
        return dotCodes(q, codes, index, 0);
    }

    @Override
    public float squareDistanceCodes(float[] q, byte[] codes, int index) {
        return squareDistanceCodes(q, codes, index, 0);
    }

    /** {@link #dotCodes} over components {@code from .. q.length - 1} only: the tail a vector loop leaves. */
    static float dotCodes(float[] q, byte[] codes, int index, int from) {
        float sum = 0;
        for (int i = from; i < q.length; i++) {
            sum += q[i] * codes[index + i];
        }
        return sum;
    }

    /** {@link #squareDistanceCodes} over components {@code from .. q.length - 1} only. */
    static float squareDistanceCodes(float[] q, byte[] codes, int index, int from) {
        float sum = 0;
        for (int i = from; i < q.length; i++) {
            float d = q[i] - codes[index + i];
            sum += d * d;
        }
        return sum;
    }

    @Override
    public void dotCodes8(float[] q, byte[] c0, int i0, byte[] c1, int i1, byte[] c2, int i2, byte[] c3, int i3,
                          byte[] c4, int i4, byte[] c5, int i5, byte[] c6, int i6, byte[] c7, int i7, float[] out) {
        out[0] = dotCodes(q, c0, i0);
        out[1] = dotCodes(q, c1, i1);
        out[2] = dotCodes(q, c2, i2);
        out[3] = dotCodes(q, c3, i3);
        out[4] = dotCodes(q, c4, i4);
        out[5] = dotCodes(q, c5, i5);
        out[6] = dotCodes(q, c6, i6);
        out[7] = dotCodes(q, c7, i7);
    }

    @Override
    public void squareDistanceCodes8(float[] q, byte[] c0, int i0, byte[] c1, int i1, byte[] c2, int i2, byte[] c3,
                                     int i3, byte[] c4, int i4, byte[] c5, int i5, byte[] c6, int i6, byte[] c7, int i7,
                                     float[] out) {
        out[0] = squareDistanceCodes(q, c0, i0);
        out[1] = squareDistanceCodes(q, c1, i1);
        out[2] = squareDistanceCodes(q, c2, i2);
        out[3] = squareDistanceCodes(q, c3, i3);
        out[4] = squareDistanceCodes(q, c4, i4);
        out[5] = squareDistanceCodes(q, c5, i5);
        out[6] = squareDistanceCodes(q, c6, i6);
        out[7] = squareDistanceCodes(q, c7, i7);
    }
}
