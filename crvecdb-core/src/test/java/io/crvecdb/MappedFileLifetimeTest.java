package io.crvecdb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A data file stays mapped exactly as long as reads may use it: a compaction releases the file it
 * replaced (its disk space comes back) once the searches on it are done, and a close never
 * unmaps under a search in flight.
 */
class MappedFileLifetimeTest {

    private static final int DIMENSIONS = 16;

    @TempDir
    Path dir;

    /** Mappings of this store's files that were deleted from the directory (Linux's /proc view). */
    private long deletedFilesStillMapped() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.contains(dir.toString()) && line.endsWith("(deleted)"))
                .map(line -> line.substring(line.indexOf('/')))
                .distinct().count();
    }

    private static List<VectorRecord> records(int count, long seed) {
        Random random = new Random(seed);
        List<VectorRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new VectorRecord(Datasets.id(i), Datasets.gaussian(random, DIMENSIONS), new byte[8]));
        }
        return records;
    }

    @Test
    void aCompactionReleasesTheFileItReplaced() throws Exception {
        try (VectorIndex index = VectorIndex.builder().dimensions(DIMENSIONS).metric(Metric.L2).m(8).storage(dir).build()) {
            for (int round = 0; round < 5; round++) {
                index.addAll(records(2000, round), 2); // upserts after the first round: tombstones to drop
                index.compact();
                float[] query = records(1, 99).getFirst().vector();
                assertThat(index.search(query, 5)).hasSize(5);
                // A compaction that relinks commits one more generation over the file it maps:
                // that one stays mapped, deleted, until the next compaction or the close.
                assertThat(deletedFilesStillMapped()).as("round %d", round).isLessThanOrEqualTo(1);
            }
        }
        assertThat(deletedFilesStillMapped()).isZero();
    }

    @Test
    void aCloseWaitsForNoSearchButUnmapsNoneInFlight() throws Exception {
        List<VectorRecord> records = records(5000, 1);
        try (VectorIndex index = VectorIndex.builder().dimensions(DIMENSIONS).metric(Metric.L2).m(8).efConstruction(40)
                .storage(dir).build()) {
            index.addAll(records, 2);
        }
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        AtomicInteger searched = new AtomicInteger();
        for (int round = 0; round < 10; round++) {
            VectorIndex index = VectorIndex.open(dir);
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                readers.add(Thread.ofPlatform().start(() -> {
                    Random random = new Random();
                    while (!stop.get()) {
                        try {
                            index.search(records.get(random.nextInt(records.size())).vector(), 10, 200, null);
                            index.get(Datasets.id(random.nextInt(records.size())));
                            searched.incrementAndGet();
                        } catch (RuntimeException e) {
                            failures.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1, Integer::sum);
                            return;
                        }
                    }
                }));
            }
            Thread.sleep(30);
            index.close();
            stop.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
        }
        assertThat(searched.get()).isPositive();
        assertThat(failures.keySet()).as("what searches overlapping a close threw")
                .allSatisfy(failure -> assertThat(failure).isEqualTo("IllegalStateException: the index is closed; open or build a new one"));
    }
}
