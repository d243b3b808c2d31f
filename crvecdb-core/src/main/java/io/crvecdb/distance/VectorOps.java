package io.crvecdb.distance;

import java.lang.foreign.MemorySegment;

/**
 * The distance kernels of the engine. Two implementations sit behind this interface, chosen once at
 * start-up by {@link Vectorization}: one on the Vector API ({@code jdk.incubator.vector}) and a
 * scalar twin for JVMs without it. Both give the same results up to float rounding (they sum in a
 * different order). Each is deterministic: the same inputs give the same bits on every call,
 * interpreted or compiled. The single-vector and four-wide kernels of one implementation may
 * differ in the last bit (another summation order).
 *
 * <p>Queries are plain arrays. Stored vectors live in {@link MemorySegment}s (heap pages, off-heap
 * or mapped files) as little-endian floats at a byte offset, which need not be aligned. Lengths
 * are not checked beyond the bounds checks of the arrays and segments: callers validate dimensions
 * once, not per distance.
 */
public interface VectorOps {

    /** Dot product of two arrays of the same length. */
    float dot(float[] a, float[] b);

    /** Squared Euclidean distance between two arrays of the same length. */
    float squareDistance(float[] a, float[] b);

    /** Dot product of {@code q} with the {@code q.length} floats at byte {@code offset} of {@code v}. */
    float dot(float[] q, MemorySegment v, long offset);

    /** Squared distance from {@code q} to the {@code q.length} floats at byte {@code offset} of {@code v}. */
    float squareDistance(float[] q, MemorySegment v, long offset);

    /** Dot product of two stored vectors of {@code dimensions} floats each. */
    float dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int dimensions);

    /** Squared distance between two stored vectors of {@code dimensions} floats each. */
    float squareDistance(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int dimensions);

    /**
     * Dot products of {@code q} with four stored vectors at once, written to {@code out[0..3]}.
     * Scoring four vectors in one loop keeps the loads of all four in flight together: a graph
     * search spends most of its time waiting for vectors from memory, and Java has no prefetch.
     */
    void dot4(float[] q, MemorySegment v0, long o0, MemorySegment v1, long o1,
              MemorySegment v2, long o2, MemorySegment v3, long o3, float[] out);

    /** Squared distances from {@code q} to four stored vectors at once; see {@link #dot4}. */
    void squareDistance4(float[] q, MemorySegment v0, long o0, MemorySegment v1, long o1,
                         MemorySegment v2, long o2, MemorySegment v3, long o3, float[] out);

    /**
     * Dot product of the signed bytes {@code q} with the {@code q.length} signed bytes at byte
     * {@code offset} of {@code v}: the int8 quantized kernel, exact in int arithmetic (a sum of
     * up to 2^17 products of at most 2^14 each).
     */
    int dot8(byte[] q, MemorySegment v, long offset);

    /** Squared distance between the signed bytes {@code q} and {@code q.length} stored signed bytes; exact. */
    int squareDistance8(byte[] q, MemorySegment v, long offset);

    /**
     * {@link #dot8} of {@code q} with four stored code vectors at once, into {@code out[0..3]}; as
     * {@link #dot4}, it keeps the four loads in flight together, and widens the query once for all four.
     */
    void dot8x4(byte[] q, MemorySegment v0, long o0, MemorySegment v1, long o1,
                MemorySegment v2, long o2, MemorySegment v3, long o3, int[] out);

    /** {@link #squareDistance8} from {@code q} to four stored code vectors at once; see {@link #dot8x4}. */
    void squareDistance8x4(byte[] q, MemorySegment v0, long o0, MemorySegment v1, long o1,
                           MemorySegment v2, long o2, MemorySegment v3, long o3, int[] out);

    /** {@code "scalar"} or {@code "panama(<bits>-bit)"}, for logs and benchmark reports. */
    String name();
}
