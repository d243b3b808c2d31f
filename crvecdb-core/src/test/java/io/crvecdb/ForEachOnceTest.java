package io.crvecdb;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link VectorIndex#forEach} promises that a record is never seen twice, also while records are
 * upserted. An upsert under way when the walk began has its new node below the walk's bound: the
 * walk took the old node while it was still the record's, then the new one once it was: the record
 * twice (about once every 80 walks with two writers upserting).
 */
class ForEachOnceTest {

    private static final int RECORDS = 300;
    private static final long MILLIS = 3_000;

    @Test
    void noRecordIsSeenTwiceWhileRecordsAreUpserted() throws Exception {
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
            List<String> violations = new ArrayList<>();
            int walks = 0;
            try {
                long end = System.nanoTime() + MILLIS * 1_000_000;
                while (System.nanoTime() < end && violations.isEmpty()) {
                    Map<String, Integer> seen = new HashMap<>();
                    index.forEach(record -> seen.merge(record.id(), 1, Integer::sum));
                    walks++;
                    seen.forEach((id, times) -> {
                        if (times > 1) {
                            violations.add(id + " seen " + times + " times");
                        }
                    });
                    if (seen.size() != RECORDS) {
                        violations.add(seen.size() + " records seen of " + RECORDS);
                    }
                }
            } finally {
                writing.set(false);
                for (Thread writer : writers) {
                    writer.join();
                }
            }
            assertThat(violations).as("after %d walks", walks).isEmpty();
        }
    }

    private static float[] vector(Random random) {
        return new float[]{random.nextFloat(), random.nextFloat(), random.nextFloat(), random.nextFloat()};
    }
}
