package io.crvecdb.distance;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Plain loops, used when the Vector API is not available. Four partial sums break the dependency
 * chain of one running sum, which lets the CPU overlap the additions.
 */
final class ScalarVectorOps implements VectorOps {

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    @Override
    public float dot(float[] a, float[] b) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (int bound = a.length & ~3; i < bound; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < a.length; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float squareDistance(float[] a, float[] b) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (int bound = a.length & ~3; i < bound; i += 4) {
            float d0 = a[i] - b[i];
            float d1 = a[i + 1] - b[i + 1];
            float d2 = a[i + 2] - b[i + 2];
            float d3 = a[i + 3] - b[i + 3];
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < a.length; i++) {
            float d = a[i] - b[i];
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float dot(float[] q, MemorySegment v, long offset) {
        float s0 = 0, s1 = 0;
        int i = 0;
        for (int bound = q.length & ~1; i < bound; i += 2) {
            s0 += q[i] * v.get(FLOAT, offset + 4L * i);
            s1 += q[i + 1] * v.get(FLOAT, offset + 4L * (i + 1));
        }
        for (; i < q.length; i++) {
            s0 += q[i] * v.get(FLOAT, offset + 4L * i);
        }
        return s0 + s1;
    }

    @Override
    public float squareDistance(float[] q, MemorySegment v, long offset) {
        float s0 = 0, s1 = 0;
        int i = 0;
        for (int bound = q.length & ~1; i < bound; i += 2) {
            float d0 = q[i] - v.get(FLOAT, offset + 4L * i);
            float d1 = q[i + 1] - v.get(FLOAT, offset + 4L * (i + 1));
            s0 += d0 * d0;
            s1 += d1 * d1;
        }
        for (; i < q.length; i++) {
            float d = q[i] - v.get(FLOAT, offset + 4L * i);
            s0 += d * d;
        }
        return s0 + s1;
    }

    @Override
    public float dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int dimensions) {
        float sum = 0;
        for (int i = 0; i < dimensions; i++) {
            sum += a.get(FLOAT, aOffset + 4L * i) * b.get(FLOAT, bOffset + 4L * i);
        }
        return sum;
    }

    @Override
    public float squareDistance(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int dimensions) {
        float sum = 0;
        for (int i = 0; i < dimensions; i++) {
            float d = a.get(FLOAT, aOffset + 4L * i) - b.get(FLOAT, bOffset + 4L * i);
            sum += d * d;
        }
        return sum;
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

    @Override
    public String name() {
        return "scalar";
    }
}
