package io.crvecdb;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Writers (adds, upserts, deletes) and readers together; afterwards everything is where it belongs. */
class ConcurrencyTest {

    private static final int DIMENSIONS = 32;
    private static final int WRITERS = 3;
    private static final int PER_WRITER = 2500;

    @Test
    void writersAndReadersTogether() throws Exception {
        Map<String, float[]> expected = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2);
        try (VectorIndex index = VectorIndex.builder().dimensions(DIMENSIONS).metric(Metric.L2).m(12).efConstruction(100).build()) {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> write(index, writer, expected)));
            }
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                int reader = r;
                readers.add(pool.submit(() -> read(index, reader, writing)));
            }
            for (Future<?> writer : writers) {
                writer.get(5, TimeUnit.MINUTES);
            }
            writing.set(false);
            for (Future<Integer> reader : readers) {
                assertThat(reader.get(1, TimeUnit.MINUTES)).as("searches done by a reader").isPositive();
            }

            assertThat(index.size()).isEqualTo(expected.size());
            // ef = size makes the search exhaustive over what is reachable: this asserts that every
            // record is reachable in the graph (random 32-d data is too hard to assert recall at ef 100).
            int exhaustive = index.size();
            for (Map.Entry<String, float[]> e : expected.entrySet()) {
                assertThat(index.get(e.getKey())).hasValueSatisfying(r -> assertThat(r.vector()).containsExactly(e.getValue()));
                List<SearchHit> hits = index.search(e.getValue(), 1, exhaustive, null);
                assertThat(hits).as("exact-match search for %s", e.getKey()).singleElement()
                        .satisfies(h -> assertThat(h.distance()).isZero());
                assertThat(hits.getFirst().id()).isEqualTo(e.getKey());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Adds distinct random vectors; every 5th id is re-added with a new vector, every 7th deleted. */
    private static void write(VectorIndex index, int writer, Map<String, float[]> expected) {
        Random random = new Random(writer);
        for (int i = 0; i < PER_WRITER; i++) {
            String id = writer + "-" + i;
            float[] vector = randomVector(random);
            index.add(id, vector);
            expected.put(id, vector);
            if (i % 5 == 4) {
                String again = writer + "-" + (i - 2);
                float[] replacement = randomVector(random);
                index.add(again, replacement);
                expected.put(again, replacement);
            }
            if (i % 7 == 6) {
                String gone = writer + "-" + (i - 3);
                index.delete(gone);
                expected.remove(gone);
            }
        }
    }

    private static int read(VectorIndex index, int reader, AtomicBoolean writing) {
        Random random = new Random(100 + reader);
        int searches = 0;
        while (writing.get() || searches == 0) {
            List<SearchHit> hits = index.search(randomVector(random), 10, reader == 0 ? null : id -> id.hashCode() % 3 == 0);
            assertThat(hits.size()).isLessThanOrEqualTo(10);
            assertThat(hits.stream().map(SearchHit::id).distinct().count()).isEqualTo(hits.size());
            searches++;
        }
        return searches;
    }

    private static float[] randomVector(Random random) {
        float[] v = new float[DIMENSIONS];
        for (int d = 0; d < DIMENSIONS; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return v;
    }
}
