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

/**
 * The int8 codes of an index's vectors, by ordinal: {@code [code × dimensions][sum of codes]} per
 * record, and the quantized distance the graph search walks on. Cosine vectors are encoded as
 * unit vectors, so cosine and dot product share one formula. Distances are asymmetric: the query
 * stays in full precision and meets the stored codes {@code x ≈ a + c·s}, so
 * {@code q·x ≈ a·Σq + s·(q·c)} and {@code |q - x|² = s²·|(q - a)/s - c|²}. The sum of the codes is
 * part of the stored format; these formulas do not need it.
 *
 * <p>Until {@link #train} runs there are no codes. Training (and retraining) must not race
 * writers: the caller stops them, as for a checkpoint. Searches may run meanwhile: the codes are
 * encoded aside and swapped in before the range is published, so a search that sees the range
 * finds every code. A search spanning a retraining walks the rest of its way with the old range
 * over the new codes; its results are still re-scored exactly.
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

    public QuantizedVectors(int dimensions, Metric metric, VectorValues vectors) {
        this.dimensions = dimensions;
        this.metric = metric;
        this.vectors = vectors;
        this.codes = newCodePages();
    }

    private SegmentPages newCodePages() {
        return new SegmentPages(recordBytes(), SegmentPages.heapBytePages());
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
     * A sample of one value (or none) changes nothing.
     */
    public void train(int count, IntPredicate use) {
        // Rounded up, so that the sample spans every record rather than filling up with the first ones.
        int stride = (int) Math.max(1, Math.ceilDiv((long) count * dimensions, SAMPLE_COMPONENTS));
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
        ScalarQuantizer trained = filled == 0 ? null : ScalarQuantizer.train(sample, filled);
        if (trained == null) {
            return; // nothing to learn from yet: searches go on as before (full precision, or the last range)
        }
        SegmentPages fresh = newCodePages();
        byte[] code = new byte[dimensions];
        for (int node = 0; node < count; node++) {
            encode(fresh, trained, node, vectors.get(node), code);
        }
        codes.replaceWith(fresh);
        quantizer = trained;
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
        ScalarQuantizer trained = quantizer;
        if (trained != null) {
            encode(codes, trained, ordinal, vector, new byte[dimensions]);
        }
    }

    private void encode(SegmentPages pages, ScalarQuantizer trained, int ordinal, float[] vector, byte[] code) {
        int sum = trained.encode(vector, factor(vector), code);
        pages.ensureCapacity(ordinal);
        MemorySegment page = pages.page(ordinal);
        long offset = pages.offset(ordinal);
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
        if (metric == Metric.L2) {
            // In code units: (q - a) / s, so the kernel subtracts codes directly.
            float[] shifted = new float[dimensions];
            float inverseScale = 1 / q.scale();
            for (int i = 0; i < dimensions; i++) {
                shifted[i] = (preparedQuery[i] - q.offset()) * inverseScale;
            }
            return new SquareDistanceScorer(shifted, q.scale());
        }
        double querySum = 0;
        for (float x : preparedQuery) {
            querySum += x;
        }
        return new DotScorer(preparedQuery, (float) (q.offset() * querySum), q.scale());
    }

    /**
     * L2: {@code s²·|(q - a)/s - c|²}, multiplied by {@code s} twice: {@code s²} alone underflows to
     * 0 for steps below about 2.6e-23 (components near 1e-21), where the distances do not.
     */
    private final class SquareDistanceScorer extends Scorer {
        private final float scale;

        SquareDistanceScorer(float[] query, float scale) {
            super(query);
            this.scale = scale;
        }

        @Override
        public float distance(int node) {
            return scale * (scale * OPS.squareDistanceCodes(query, codes.byteArray(node), codes.byteIndex(node)));
        }

        @Override
        public void distances(int[] nodes, int count, float[] out) {
            QueryScorer.padToMultiple(nodes, count, 8);
            for (int i = 0; i < count; i += 8) {
                OPS.squareDistanceCodes8(query, codes.byteArray(nodes[i]), codes.byteIndex(nodes[i]),
                        codes.byteArray(nodes[i + 1]), codes.byteIndex(nodes[i + 1]),
                        codes.byteArray(nodes[i + 2]), codes.byteIndex(nodes[i + 2]),
                        codes.byteArray(nodes[i + 3]), codes.byteIndex(nodes[i + 3]),
                        codes.byteArray(nodes[i + 4]), codes.byteIndex(nodes[i + 4]),
                        codes.byteArray(nodes[i + 5]), codes.byteIndex(nodes[i + 5]),
                        codes.byteArray(nodes[i + 6]), codes.byteIndex(nodes[i + 6]),
                        codes.byteArray(nodes[i + 7]), codes.byteIndex(nodes[i + 7]), eight);
                for (int k = 0; k < 8; k++) {
                    out[i + k] = scale * (scale * eight[k]);
                }
            }
        }
    }

    /** Cosine and dot product: {@code 1 - (a·Σq + s·(q·c))}. */
    private final class DotScorer extends Scorer {
        private final float constant;
        private final float scale;

        DotScorer(float[] query, float constant, float scale) {
            super(query);
            this.constant = constant;
            this.scale = scale;
        }

        @Override
        public float distance(int node) {
            return 1f - (constant + scale * OPS.dotCodes(query, codes.byteArray(node), codes.byteIndex(node)));
        }

        @Override
        public void distances(int[] nodes, int count, float[] out) {
            QueryScorer.padToMultiple(nodes, count, 8);
            for (int i = 0; i < count; i += 8) {
                OPS.dotCodes8(query, codes.byteArray(nodes[i]), codes.byteIndex(nodes[i]),
                        codes.byteArray(nodes[i + 1]), codes.byteIndex(nodes[i + 1]),
                        codes.byteArray(nodes[i + 2]), codes.byteIndex(nodes[i + 2]),
                        codes.byteArray(nodes[i + 3]), codes.byteIndex(nodes[i + 3]),
                        codes.byteArray(nodes[i + 4]), codes.byteIndex(nodes[i + 4]),
                        codes.byteArray(nodes[i + 5]), codes.byteIndex(nodes[i + 5]),
                        codes.byteArray(nodes[i + 6]), codes.byteIndex(nodes[i + 6]),
                        codes.byteArray(nodes[i + 7]), codes.byteIndex(nodes[i + 7]), eight);
                for (int k = 0; k < 8; k++) {
                    out[i + k] = 1f - (constant + scale * eight[k]);
                }
            }
        }
    }

    /**
     * One query's scorer: the query and the distances of a batch of eight (a scorer serves one
     * search). The codes' pages are always heap {@code byte[]}s ({@link #load} copies a snapshot's),
     * which the kernels read as arrays. Each metric writes out its own batch loop: one loop here
     * calling an abstract eight-wide kernel and conversion searched at 0.83–0.92× the int8 QPS
     * (medians of 4 alternating rounds on SIFT-100k and text-wordnet-10k, per round 0.71–1.20×).
     */
    private abstract class Scorer implements QueryScorer {
        final float[] query;
        final float[] eight = new float[8];

        Scorer(float[] query) {
            this.query = query;
        }
    }
}
