package io.crvecdb.distance;

import java.lang.foreign.MemorySegment;

/**
 * The distance kernels of the engine. Two implementations sit behind this interface, chosen once at
 * start-up by {@link Vectorization}: one on the Vector API ({@code jdk.incubator.vector}) and a
 * scalar twin for JVMs without it. Both give the same results up to float rounding (they sum in a
 * different order). Each is deterministic: the same inputs give the same bits on every call,
 * interpreted or compiled. The single-vector and batch (four- and eight-wide) kernels of one
 * implementation may differ in the last bit (another summation order).
 *
 * <p>Queries are plain arrays. Stored vectors live in {@link MemorySegment}s (heap pages, off-heap
 * or mapped files) as little-endian floats at a byte offset, which need not be aligned; those on
 * heap pages are also read as the {@code float[]} behind the page, at an index, and int8 codes
 * always are (from {@code byte[]} pages). Lengths are not checked beyond the bounds checks of the
 * arrays and segments: callers validate dimensions once, not per distance.
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
     * Dot product of {@code n} floats of {@code a} from index {@code aIndex} with {@code n} of
     * {@code b} from {@code bIndex}: a query (at index 0) or a vector stored in a heap {@code float[]}
     * page with a vector stored in one. The same sums in the same order as the segment kernels (the
     * same bits), loaded faster: an array index is range-checked more cheaply than a segment's long
     * offset.
     */
    float dot(float[] a, int aIndex, float[] b, int bIndex, int n);

    /** Squared distance between arrays at the given indexes; see {@link #dot(float[], int, float[], int, int)}. */
    float squareDistance(float[] a, int aIndex, float[] b, int bIndex, int n);

    /**
     * {@link #dot4} on vectors stored in heap {@code float[]} pages, from index {@code i0} of
     * {@code v0} and so on; the same bits, as {@link #dot(float[], int, float[], int, int)}.
     */
    void dot4(float[] q, float[] v0, int i0, float[] v1, int i1, float[] v2, int i2, float[] v3, int i3, float[] out);

    /** {@link #squareDistance4} on vectors stored in heap {@code float[]} pages; see {@link #dot4(float[], float[], int, float[], int, float[], int, float[], int, float[])}. */
    void squareDistance4(float[] q, float[] v0, int i0, float[] v1, int i1, float[] v2, int i2, float[] v3, int i3,
                         float[] out);

    /**
     * Dot product of the query {@code q} with the {@code q.length} signed-byte codes of
     * {@code codes} from {@code index}, each code taken as a float: the int8 kernel. It is
     * asymmetric, as in FAISS: the query keeps its full precision and only the stored vectors are
     * quantized, which is both more accurate and, in lanes, cheaper than multiplying byte by byte
     * (that needs a widening to shorts and another to ints; this needs one, to floats).
     */
    float dotCodes(float[] q, byte[] codes, int index);

    /** Squared distance from {@code q} to the codes of {@code codes} from {@code index}; see {@link #dotCodes}. */
    float squareDistanceCodes(float[] q, byte[] codes, int index);

    /**
     * {@link #dotCodes} of {@code q} with eight code vectors at once, those of {@code c0} from
     * {@code i0} and so on, into {@code out[0..7]}: eight vectors' loads in flight together, where
     * the float kernels take four. May differ from the single kernel in the last bit (another
     * summation order). The pages come as parameters, not in an array the caller fills: storing
     * eight references per call gave 0.87–0.88× the int8 QPS on text-wordnet.
     */
    void dotCodes8(float[] q, byte[] c0, int i0, byte[] c1, int i1, byte[] c2, int i2, byte[] c3, int i3,
                   byte[] c4, int i4, byte[] c5, int i5, byte[] c6, int i6, byte[] c7, int i7, float[] out);

    /** {@link #squareDistanceCodes} from {@code q} to eight code vectors at once; see {@link #dotCodes8}. */
    void squareDistanceCodes8(float[] q, byte[] c0, int i0, byte[] c1, int i1, byte[] c2, int i2, byte[] c3, int i3,
                              byte[] c4, int i4, byte[] c5, int i5, byte[] c6, int i6, byte[] c7, int i7,
                              float[] out);

    /** {@code "scalar"} or {@code "panama(<bits>-bit)"}, for logs and benchmark reports. */
    String name();
}
