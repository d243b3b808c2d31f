package io.crvecdb.hnsw;

import io.crvecdb.Metric;
import io.crvecdb.distance.VectorOps;
import io.crvecdb.distance.Vectorization;
import io.crvecdb.storage.SegmentPages;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.LongFunction;

/**
 * The vectors of an index, by ordinal, and the one distance function the graph uses: smaller is
 * closer, for every metric.
 *
 * <ul>
 *   <li>L2: squared Euclidean distance (the square root is only taken for results).</li>
 *   <li>Cosine: {@code 1 - cos}. Vectors are stored as given, each followed by the inverse of its
 *       norm (read in the same memory stream as the vector); queries are normalised once, so a
 *       distance costs one dot product and one multiplication.</li>
 *   <li>Dot product: {@code 1 - q·v}.</li>
 * </ul>
 */
public final class VectorValues {

    private static final VectorOps OPS = Vectorization.ops();

    private final int dimensions;
    private final Metric metric;
    /**
     * Per ordinal: the vector's floats, then (cosine only) 1/|v|, then, when this hosts them, the
     * node's layer-0 link list.
     */
    private final SegmentPages vectors;
    private final long normOffset;
    /** Bytes of a vector with its norm: a {@link #record}. */
    private final long vectorBytes;
    private final long hostedListBytes;

    /** Vectors in pages of their own. */
    public VectorValues(int dimensions, Metric metric, LongFunction<MemorySegment> pages) {
        this(dimensions, metric, 0, pages);
    }

    /**
     * Vectors each followed by room for a graph's layer-0 link list of {@code hostedListBytes}, which
     * the {@link HnswGraph} over these vectors then keeps there (hnswlib's node block): the list a
     * search reads next often arrived in cache with the vector it scored, where a separate page of
     * lists costs one more miss per step (measured: 1.16–1.18× the build rate on SIFT-100k, 1.09×
     * the QPS on text-wordnet).
     */
    public VectorValues(int dimensions, Metric metric, long hostedListBytes, LongFunction<MemorySegment> pages) {
        if (hostedListBytes < 0 || hostedListBytes % 4 != 0) {
            throw new IllegalArgumentException("link lists are whole ints: " + hostedListBytes + " bytes");
        }
        this.dimensions = dimensions;
        this.metric = metric;
        this.normOffset = 4L * dimensions;
        this.vectorBytes = 4L * dimensions + (metric == Metric.COSINE ? 4 : 0);
        this.hostedListBytes = hostedListBytes;
        // A record that hosts a list is rounded up to whole cache lines, so that where its page
        // starts on one (see SegmentPages.heapFloatPages) every vector does: 9 % more memory on
        // SIFT, about 1.05x the QPS. A record without a list keeps a snapshot's layout.
        long recordBytes = hostedListBytes == 0 ? vectorBytes : wholeCacheLines(vectorBytes + hostedListBytes);
        this.vectors = new SegmentPages(recordBytes, pages);
    }

    int dimensions() {
        return dimensions;
    }

    Metric metric() {
        return metric;
    }

    /** Bytes of the link list kept after each vector, 0 when the graph keeps its lists apart. */
    long hostedListBytes() {
        return hostedListBytes;
    }

    /** The pages, for a graph that keeps its lists in them at offset {@link #recordBytes()}. */
    SegmentPages pages() {
        return vectors;
    }

    /** Stores {@code vector} under {@code ordinal}; the caller validated it. */
    public void set(int ordinal, float[] vector) {
        vectors.ensureCapacity(ordinal);
        MemorySegment.copy(vector, 0, vectors.page(ordinal), ValueLayout.JAVA_FLOAT, vectors.offset(ordinal), dimensions);
        if (metric == Metric.COSINE) {
            vectors.page(ordinal).set(ValueLayout.JAVA_FLOAT_UNALIGNED, vectors.offset(ordinal) + normOffset,
                    (float) (1 / length(vector)));
        }
    }

    /** Bytes of one record: the vector, then (cosine only) its inverse norm. */
    public long recordBytes() {
        return vectorBytes;
    }

    /** Bytes the vectors (with the padding of their records) take in their pages; hosted link lists are the graph's. */
    public long allocatedBytes() {
        return vectors.allocatedBytes() - vectors.allocatedRecords() * hostedListBytes;
    }

    private static long wholeCacheLines(long bytes) {
        return (bytes + 63) & ~63L;
    }

    /** The raw record of {@code ordinal}, as a snapshot writes it. */
    public MemorySegment record(int ordinal) {
        return vectors.page(ordinal).asSlice(vectors.offset(ordinal), recordBytes());
    }

    /**
     * Takes the records of ordinals {@code [0, count)} from a snapshot section laid out as
     * {@link #record} gives them: full pages are used in place (a mapped file stays mapped, not
     * copied to the heap), the partial last page is copied so new records can follow.
     */
    public void load(MemorySegment records, int count) {
        if (hostedListBytes != 0) {
            throw new IllegalStateException("vectors that host link lists cannot adopt a snapshot's vector pages");
        }
        vectors.load(records, count);
    }

    /**
     * Copies the vectors of {@code source} at {@code order[0], order[1], …} into ordinals 0, 1, … of
     * this; hosted link lists are not copied (the graph is renumbered apart).
     */
    public void copyRecords(VectorValues source, int[] order) {
        vectors.copyRecords(source.vectors, order, vectorBytes);
    }

    /** Whether the vectors stored under {@code a} and {@code b} are the same, bit for bit. */
    boolean sameVector(int a, int b) {
        long bytes = (long) dimensions * Float.BYTES;
        long fromA = vectors.offset(a);
        long fromB = vectors.offset(b);
        return MemorySegment.mismatch(vectors.page(a), fromA, fromA + bytes, vectors.page(b), fromB, fromB + bytes) == -1;
    }

    /** A copy of the vector stored under {@code ordinal}. */
    public float[] get(int ordinal) {
        float[] vector = new float[dimensions];
        MemorySegment.copy(vectors.page(ordinal), ValueLayout.JAVA_FLOAT, vectors.offset(ordinal), vector, 0, dimensions);
        return vector;
    }

    /**
     * Turns a query into the form {@link #distance(float[], int)} expects: a unit vector under cosine
     * (a copy), the query itself otherwise.
     */
    public float[] prepareQuery(float[] query) {
        if (metric != Metric.COSINE) {
            return query;
        }
        double inverseNorm = 1 / length(query);
        float[] unit = new float[query.length];
        for (int i = 0; i < unit.length; i++) {
            unit[i] = (float) (query[i] * inverseNorm);
        }
        return unit;
    }

    /**
     * Copies the vector of {@code ordinal} into {@code into} in {@linkplain #prepareQuery query form}
     * (scaled to a unit vector under cosine), to score other stored vectors against it four at a time.
     */
    float[] prepared(int ordinal, float[] into) {
        MemorySegment.copy(vectors.page(ordinal), ValueLayout.JAVA_FLOAT, vectors.offset(ordinal), into, 0, dimensions);
        if (metric == Metric.COSINE) {
            float inverseNorm = inverseNorm(ordinal);
            for (int i = 0; i < dimensions; i++) {
                into[i] *= inverseNorm;
            }
        }
        return into;
    }

    /** Euclidean length, summed in double: squares of floats far from 1 under- or overflow in float. */
    public static double length(float[] vector) {
        double sum = 0;
        for (float x : vector) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }

    /** Full-precision distances from a {@linkplain #prepareQuery prepared} query. */
    public QueryScorer scorer(float[] preparedQuery) {
        return new QueryScorer() {
            private final float[] four = new float[4];

            @Override
            public float distance(int node) {
                return VectorValues.this.distance(preparedQuery, node);
            }

            @Override
            public void distances(int[] nodes, int count, float[] out) {
                VectorValues.this.distances(preparedQuery, nodes, count, out, four);
            }
        };
    }

    /** Distance from a {@linkplain #prepareQuery prepared} query to the vector of {@code ordinal}. */
    public float distance(float[] query, int ordinal) {
        float[] array = vectors.floatArray(ordinal);
        if (array != null) {
            int index = vectors.floatIndex(ordinal);
            return switch (metric) {
                case L2 -> OPS.squareDistance(query, 0, array, index, dimensions);
                case DOT_PRODUCT -> 1f - OPS.dot(query, 0, array, index, dimensions);
                case COSINE -> 1f - OPS.dot(query, 0, array, index, dimensions) * array[index + dimensions];
            };
        }
        MemorySegment page = vectors.page(ordinal);
        long offset = vectors.offset(ordinal);
        return switch (metric) {
            case L2 -> OPS.squareDistance(query, page, offset);
            case DOT_PRODUCT -> 1f - OPS.dot(query, page, offset);
            case COSINE -> 1f - OPS.dot(query, page, offset) * inverseNorm(ordinal);
        };
    }

    /**
     * Distances from a prepared query to {@code nodes[0..count)}, into {@code out[0..count)}, as
     * {@link QueryScorer#distances} computes them (so {@code nodes} and {@code out} need its
     * padding room): every node through the four-wide kernel, because the single-vector kernel
     * sums in another order and a node's distance must not depend on where it fell in a batch.
     * {@code four} is the caller's scratch for one batch.
     */
    void distances(float[] query, int[] nodes, int count, float[] out, float[] four) {
        QueryScorer.padToMultiple(nodes, count, 4);
        for (int i = 0; i < count; i += 4) {
            distance4(query, nodes, i, four);
            System.arraycopy(four, 0, out, i, 4);
        }
    }

    /**
     * Distances from a prepared query to the four nodes at {@code nodes[from .. from + 3]}, into
     * {@code out[0..3]}: one kernel call keeps the four vectors' loads in flight together.
     */
    private void distance4(float[] query, int[] nodes, int from, float[] out) {
        int a = nodes[from];
        int b = nodes[from + 1];
        int c = nodes[from + 2];
        int d = nodes[from + 3];
        float[] fa = vectors.floatArray(a), fb = vectors.floatArray(b), fc = vectors.floatArray(c),
                fd = vectors.floatArray(d);
        if (fa != null && fb != null && fc != null && fd != null) {
            int ia = vectors.floatIndex(a), ib = vectors.floatIndex(b), ic = vectors.floatIndex(c),
                    id = vectors.floatIndex(d);
            if (metric == Metric.L2) {
                OPS.squareDistance4(query, fa, ia, fb, ib, fc, ic, fd, id, out);
                return;
            }
            OPS.dot4(query, fa, ia, fb, ib, fc, ic, fd, id, out);
            if (metric == Metric.COSINE) {
                out[0] *= fa[ia + dimensions];
                out[1] *= fb[ib + dimensions];
                out[2] *= fc[ic + dimensions];
                out[3] *= fd[id + dimensions];
            }
            oneMinus(out);
            return;
        }
        MemorySegment pa = vectors.page(a), pb = vectors.page(b), pc = vectors.page(c), pd = vectors.page(d);
        long oa = vectors.offset(a), ob = vectors.offset(b), oc = vectors.offset(c), od = vectors.offset(d);
        if (metric == Metric.L2) {
            OPS.squareDistance4(query, pa, oa, pb, ob, pc, oc, pd, od, out);
            return;
        }
        OPS.dot4(query, pa, oa, pb, ob, pc, oc, pd, od, out);
        if (metric == Metric.COSINE) {
            out[0] *= inverseNorm(a);
            out[1] *= inverseNorm(b);
            out[2] *= inverseNorm(c);
            out[3] *= inverseNorm(d);
        }
        oneMinus(out);
    }

    /** Turns four similarities into distances. */
    private static void oneMinus(float[] out) {
        for (int i = 0; i < 4; i++) {
            out[i] = 1f - out[i];
        }
    }

    /** Distance between two stored vectors. */
    public float distance(int a, int b) {
        float[] arrayA = vectors.floatArray(a);
        float[] arrayB = vectors.floatArray(b);
        if (arrayA != null && arrayB != null) {
            int indexA = vectors.floatIndex(a);
            int indexB = vectors.floatIndex(b);
            return switch (metric) {
                case L2 -> OPS.squareDistance(arrayA, indexA, arrayB, indexB, dimensions);
                case DOT_PRODUCT -> 1f - OPS.dot(arrayA, indexA, arrayB, indexB, dimensions);
                case COSINE -> 1f - OPS.dot(arrayA, indexA, arrayB, indexB, dimensions) * arrayA[indexA + dimensions]
                        * arrayB[indexB + dimensions];
            };
        }
        MemorySegment pageA = vectors.page(a);
        MemorySegment pageB = vectors.page(b);
        long offsetA = vectors.offset(a);
        long offsetB = vectors.offset(b);
        return switch (metric) {
            case L2 -> OPS.squareDistance(pageA, offsetA, pageB, offsetB, dimensions);
            case DOT_PRODUCT -> 1f - OPS.dot(pageA, offsetA, pageB, offsetB, dimensions);
            case COSINE -> 1f - OPS.dot(pageA, offsetA, pageB, offsetB, dimensions) * inverseNorm(a) * inverseNorm(b);
        };
    }

    private float inverseNorm(int ordinal) {
        return vectors.page(ordinal).get(ValueLayout.JAVA_FLOAT_UNALIGNED, vectors.offset(ordinal) + normOffset);
    }
}
