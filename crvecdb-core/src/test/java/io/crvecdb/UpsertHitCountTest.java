package io.crvecdb;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Searches while records are upserted must still return k hits whenever k records pass. An upsert
 * links the new version before it tombstones the old one, so a search could take both among its
 * k candidates; the second was dropped as a duplicate, and the search returned k - 1 hits
 * (hundreds of times in 2 seconds, unfiltered and filtered, a scan or the graph).
 */
class UpsertHitCountTest {

    private static final int RECORDS = 300;
    private static final long MILLIS = 2_000;

    @Test
    void kHitsWhileRecordsAreUpserted() throws Exception {
        try (VectorIndex index = VectorIndex.builder().dimensions(4).metric(Metric.L2).efConstruction(32).build()) {
            Random setup = new Random(1);
            for (int i = 0; i < RECORDS; i++) {
                index.add("r" + i, vector(setup));
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Random random = new Random(100 + t);
                writers.add(Thread.ofPlatform().start(() -> {
                    while (writing.get()) {
                        index.add("r" + random.nextInt(RECORDS), vector(random));
                    }
                }));
            }
            List<String> shortfalls = new ArrayList<>();
            try {
                Random queries = new Random(7);
                long end = System.nanoTime() + MILLIS * 1_000_000;
                while (System.nanoTime() < end && shortfalls.size() < 5) {
                    float[] query = vector(queries);
                    // Every record: an exact scan; 20 with a beam of 20: the graph.
                    check(shortfalls, "all, unfiltered", index.search(query, RECORDS), RECORDS);
                    check(shortfalls, "all, filtered", index.search(query, RECORDS, RECORDS, id -> true), RECORDS);
                    check(shortfalls, "20 at ef 20", index.search(query, 20, 20, null), 20);
                    check(shortfalls, "20 at ef 20, filtered", index.search(query, 20, 20, id -> !id.equals("r0")), 20);
                }
            } finally {
                writing.set(false);
                for (Thread writer : writers) {
                    writer.join();
                }
            }
            assertThat(shortfalls).isEmpty();
        }
    }

    private static void check(List<String> shortfalls, String search, List<SearchHit> hits, int k) {
        if (hits.size() != k) {
            shortfalls.add(search + ": " + hits.size() + " hits of " + k);
        }
    }

    private static float[] vector(Random random) {
        return new float[]{random.nextFloat(), random.nextFloat(), random.nextFloat(), random.nextFloat()};
    }
}
