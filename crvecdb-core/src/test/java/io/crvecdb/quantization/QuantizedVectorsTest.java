package io.crvecdb.quantization;

import io.crvecdb.Metric;
import io.crvecdb.hnsw.VectorValues;
import io.crvecdb.storage.SegmentPages;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class QuantizedVectorsTest {

    /**
     * More components than the sample takes (2^21) are sampled with a stride over all the records.
     * The stride was rounded down: from 1 to 2 times the sample's size, it was 1, and the sample
     * filled up with the first records alone (here the first 2,097 of 3,000). Records that came
     * later with a wider spread (here the last 800) were left out of the range and saturated.
     */
    @Test
    void theRangeIsLearnedFromTheLastRecordsToo() {
        int dimensions = 1000;
        int count = 3000;
        VectorValues vectors = new VectorValues(dimensions, Metric.L2, SegmentPages.heapFloatPages());
        Random random = new Random(1);
        for (int node = 0; node < count; node++) {
            float spread = node < 2200 ? 1 : 10;
            float[] vector = new float[dimensions];
            for (int i = 0; i < dimensions; i++) {
                vector[i] = (random.nextFloat() * 2 - 1) * spread;
            }
            vectors.set(node, vector);
        }
        QuantizedVectors quantized = new QuantizedVectors(dimensions, Metric.L2, vectors);
        quantized.train(count, node -> true);

        ScalarQuantizer range = quantized.quantizer();
        float low = range.offset() - 128 * range.scale();
        float high = range.offset() + 127 * range.scale();
        assertThat(low).as("low end of the range").isLessThan(-9);
        assertThat(high).as("high end of the range").isGreaterThan(9);
    }
}
