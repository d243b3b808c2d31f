package io.crvecdb.quantization;

import io.crvecdb.Metric;
import io.crvecdb.distance.VectorOps;
import io.crvecdb.distance.Vectorization;
import io.crvecdb.hnsw.QueryScorer;
import io.crvecdb.hnsw.VectorValues;
import io.crvecdb.storage.SegmentPages;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.IntPredicate;
import java.util.function.LongFunction;

/**
 * The int8 codes of an index's vectors, by ordinal: {@code [code × dimensions][sum of codes]} per
 * record, and the quantized distance the graph search walks on. Cosine vectors are encoded as
 * unit vectors, so cosine and dot product share one formula: with {@code x ≈ a + c·s},
 * {@code q·v ≈ n·a² + a·s·(Σcq + Σcv) + s²·(cq·cv)}; L2 is {@code s²·|cq - cv|²}.
 *
 * <p>Until {@link #train} runs there are no codes. Training (and retraining) must not race
 * writers: the caller stops them, as for a checkpoint.
 */
public final class QuantizedVectors {

    private static final VectorOps OPS = Vectorization.ops();
    /** Components sampled to learn the range. */
    private static final int SAMPLE_COMPONENTS = 1 << 21;

    private final int dimensions;
    private final Metric metric;
    private final VectorValues vectors;
    private final SegmentPages codes;
    private volatile ScalarQuantizer quantizer;

    public QuantizedVectors(int dimensions, Metric metric, VectorValues vectors, LongFunction<MemorySegment> pages) {
        this.dimensions = dimensions;
        this.metric = metric;
        this.vectors = vectors;
        this.codes = new SegmentPages(dimensions + 4L, pages);
    }

    /** Bytes of the pages holding the codes. */
    public long allocatedBytes() {
        return codes.allocatedBytes();
    }

    public boolean isTrained() {
        return quantizer != null;
    }

    public ScalarQuantizer quantizer() {
        return quantizer;
    }

    /** Bytes of one record's codes. */
    public long recordBytes() {
        return dimensions + 4L;
    }

    /**
     * Learns the range from a sample of the stored vectors {@code [0, count)} that {@code use}
     * accepts, then encodes every one of them (tombstones included: searches route through them).
     */
    public void train(int count, IntPredicate use) {
        int stride = Math.max(1, (int) ((long) count * dimensions / SAMPLE_COMPONENTS));
        float[] sample = new float[(int) Math.min((long) count * dimensions, SAMPLE_COMPONENTS + dimensions)];
        int filled = 0;
        for (int node = 0; node < count && filled + dimensions <= sample.length; node += stride) {
            if (use.test(node)) {
                float[] vector = vectors.get(node);
                float factor = factor(vector);
                for (float x : vector) {
                    sample[filled++] = x * factor;
                }
            }
        }
        if (filled == 0) {
            return;
        }
        quantizer = ScalarQuantizer.train(sample, filled);
        byte[] code = new byte[dimensions];
        for (int node = 0; node < count; node++) {
            set(node, vectors.get(node), code);
        }
    }

    /**
     * Restores a trained quantizer and the codes of {@code [0, count)} from a snapshot section laid
     * out as {@link #record}. The codes are copied into this instance's pages rather than used in
     * the mapping: they are what every search hop reads, and the int8 kernels load lanes from a
     * {@code byte[]} page markedly faster than from a mapped file (reopened SIFT-100k int8 searches:
     * 1.2× the QPS), while the codes take a quarter of the vectors' bytes.
     */
    public void load(ScalarQuantizer trained, MemorySegment section, int count) {
        codes.copy(section, count);
        quantizer = trained;
    }

    /** Takes the trained range of {@code source} and copies its codes at {@code order[0], order[1], …} into ordinals 0, 1, …. */
    public void copyRecords(QuantizedVectors source, int[] order) {
        codes.copyRecords(source.codes, order, recordBytes());
        quantizer = source.quantizer;
    }

    /** Encodes the vector of a new record; a no-op before training. */
    public void add(int ordinal, float[] vector) {
        if (quantizer != null) {
            set(ordinal, vector, new byte[dimensions]);
        }
    }

    private void set(int ordinal, float[] vector, byte[] code) {
        int sum = quantizer.encode(vector, factor(vector), code);
        codes.ensureCapacity(ordinal);
        MemorySegment page = codes.page(ordinal);
        long offset = codes.offset(ordinal);
        MemorySegment.copy(code, 0, page, ValueLayout.JAVA_BYTE, offset, dimensions);
        page.set(ValueLayout.JAVA_INT_UNALIGNED, offset + dimensions, sum);
    }

    /** Cosine codes encode the unit vector. */
    private float factor(float[] vector) {
        return metric == Metric.COSINE ? (float) (1 / VectorValues.length(vector)) : 1f;
    }

    /** The raw codes record of {@code ordinal}, as a snapshot writes it. */
    public MemorySegment record(int ordinal) {
        return codes.page(ordinal).asSlice(codes.offset(ordinal), recordBytes());
    }

    /** Quantized distances from a prepared query (a unit vector under cosine), in the graph's units. */
    public QueryScorer scorer(float[] preparedQuery) {
        ScalarQuantizer q = quantizer;
        byte[] code = new byte[dimensions];
        int querySum = q.encode(preparedQuery, 1f, code);
        float scale = q.scale();
        return metric == Metric.L2 ? new SquareDistanceScorer(code, scale * scale)
                : new DotScorer(code, dimensions * q.offset() * q.offset() + q.offset() * scale * querySum,
                        q.offset() * scale, scale * scale);
    }

    /** L2: {@code s²·|cq - cv|²}. */
    private final class SquareDistanceScorer extends Scorer {
        private final float scaleSquared;

        SquareDistanceScorer(byte[] code, float scaleSquared) {
            super(code);
            this.scaleSquared = scaleSquared;
        }

        @Override
        public float distance(int node) {
            return scaleSquared * OPS.squareDistance8(code, codes.page(node), codes.offset(node));
        }

        @Override
        public void distance4(int[] nodes, int from, float[] out) {
            load4(nodes, from);
            OPS.squareDistance8x4(code, pages[0], offsets[0], pages[1], offsets[1], pages[2], offsets[2], pages[3],
                    offsets[3], raw);
            for (int i = 0; i < 4; i++) {
                out[i] = scaleSquared * raw[i];
            }
        }
    }

    /** Cosine and dot product: {@code 1 - (constant + linear·Σcv + quadratic·(cq·cv))}. */
    private final class DotScorer extends Scorer {
        private final float constant;
        private final float linear;
        private final float quadratic;

        DotScorer(byte[] code, float constant, float linear, float quadratic) {
            super(code);
            this.constant = constant;
            this.linear = linear;
            this.quadratic = quadratic;
        }

        @Override
        public float distance(int node) {
            MemorySegment page = codes.page(node);
            long at = codes.offset(node);
            return distance(OPS.dot8(code, page, at), page, at);
        }

        private float distance(int dot, MemorySegment page, long at) {
            int storedSum = page.get(ValueLayout.JAVA_INT_UNALIGNED, at + dimensions);
            return 1f - (constant + linear * storedSum + quadratic * dot);
        }

        @Override
        public void distance4(int[] nodes, int from, float[] out) {
            load4(nodes, from);
            OPS.dot8x4(code, pages[0], offsets[0], pages[1], offsets[1], pages[2], offsets[2], pages[3], offsets[3],
                    raw);
            for (int i = 0; i < 4; i++) {
                out[i] = distance(raw[i], pages[i], offsets[i]);
            }
        }
    }

    /** One query's scorer: the query's codes and scratch for four nodes at a time (a scorer serves one search). */
    private abstract class Scorer implements QueryScorer {
        final byte[] code;
        final MemorySegment[] pages = new MemorySegment[4];
        final long[] offsets = new long[4];
        final int[] raw = new int[4];

        Scorer(byte[] code) {
            this.code = code;
        }

        void load4(int[] nodes, int from) {
            for (int i = 0; i < 4; i++) {
                int node = nodes[from + i];
                pages[i] = codes.page(node);
                offsets[i] = codes.offset(node);
            }
        }
    }
}
