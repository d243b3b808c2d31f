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

    /** Restores a trained quantizer and the codes of {@code [0, count)} from a snapshot section laid out as {@link #record}. */
    public void load(ScalarQuantizer trained, MemorySegment section, int count) {
        codes.load(section, count);
        quantizer = trained;
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
        float offset = q.offset();
        if (metric == Metric.L2) {
            float scaleSquared = scale * scale;
            return new Scorer() {
                @Override
                public float distance(int node) {
                    return scaleSquared * OPS.squareDistance8(code, codes.page(node), codes.offset(node));
                }
            };
        }
        float constant = dimensions * offset * offset + offset * scale * querySum;
        float linear = offset * scale;
        float quadratic = scale * scale;
        return new Scorer() {
            @Override
            public float distance(int node) {
                MemorySegment page = codes.page(node);
                long at = codes.offset(node);
                int storedSum = page.get(ValueLayout.JAVA_INT_UNALIGNED, at + dimensions);
                return 1f - (constant + linear * storedSum + quadratic * OPS.dot8(code, page, at));
            }
        };
    }

    private abstract static class Scorer implements QueryScorer {
        @Override
        public void distance4(int[] nodes, int from, float[] out) {
            out[0] = distance(nodes[from]);
            out[1] = distance(nodes[from + 1]);
            out[2] = distance(nodes[from + 2]);
            out[3] = distance(nodes[from + 3]);
        }
    }
}
