package io.crvecdb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mixed traffic on a durable index against a model of what it must hold: writers add, upsert and
 * delete their own ids and check each result the moment the call returns; readers search (plain
 * and filtered) and check every hit against the versions an id ever had and the ids deleted for
 * good; a maintenance thread checkpoints and compacts. A watchdog fails the test if any thread
 * stalls (a deadlock). At the end the reopened store matches the model exactly.
 * 60 s in CI; 10 minutes under the {@code long-reliability} Maven profile ({@code -Dcrvecdb.soak.seconds=N} sets it).
 */
class SoakTest {

    private static final int SECONDS = Integer.getInteger("crvecdb.soak.seconds", 60);
    private static final int DIMENSIONS = 16;
    private static final int WRITERS = 2;
    private static final int READERS = 2;
    private static final int IDS_PER_WRITER = 3000;
    private static final long STALL_MILLIS = 30_000;

    @TempDir
    Path storage;

    /** Version {@code v} of id {@code id}'s vector: a pure function, so anyone can check a hit. */
    static float[] vector(int id, int version) {
        return Datasets.gaussian(new Random(id * 1_000_003L + version), DIMENSIONS);
    }

    @Test
    void mixedTrafficMatchesTheModel() throws Exception {
        int ids = WRITERS * IDS_PER_WRITER;
        int[] versions = new int[ids];         // current version, -1 absent; written by the owner only
        AtomicLongArray maxVersion = new AtomicLongArray(ids); // every version an id ever had is <= this
        Set<Integer> deletedForGood = ConcurrentHashMap.newKeySet();
        Arrays.fill(versions, -1);
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong operations = new AtomicLong();
        int threads = WRITERS + READERS + 1;
        AtomicLongArray heartbeats = new AtomicLongArray(threads);
        List<Thread> workers = new ArrayList<>();
        try (VectorIndex index = VectorIndex.builder().dimensions(DIMENSIONS).metric(Metric.L2).m(8).efConstruction(60)
                .storage(storage).build()) {
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                workers.add(start("writer-" + w, violations, () -> {
                    Random random = new Random(writer);
                    while (running.get()) {
                        heartbeats.set(writer, System.nanoTime());
                        int id = writer * IDS_PER_WRITER + random.nextInt(IDS_PER_WRITER);
                        if (deletedForGood.contains(id)) {
                            continue;
                        }
                        write(index, id, random, versions, maxVersion, deletedForGood, violations);
                        operations.incrementAndGet();
                    }
                }));
            }
            for (int r = 0; r < READERS; r++) {
                int slot = WRITERS + r;
                workers.add(start("reader-" + r, violations, () -> {
                    Random random = new Random(100 + slot);
                    while (running.get()) {
                        heartbeats.set(slot, System.nanoTime());
                        read(index, random, ids, maxVersion, deletedForGood, violations);
                        operations.incrementAndGet();
                    }
                }));
            }
            workers.add(start("maintenance", violations, () -> {
                int round = 0;
                while (running.get()) {
                    heartbeats.set(threads - 1, System.nanoTime());
                    sleep(1500);
                    if (round++ % 3 == 2) {
                        index.compact();
                    } else {
                        index.checkpoint();
                    }
                    operations.incrementAndGet();
                }
            }));
            long end = System.nanoTime() + SECONDS * 1_000_000_000L;
            while (System.nanoTime() < end && violations.isEmpty()) {
                Thread.sleep(500);
                long now = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    long beat = heartbeats.get(t);
                    if (beat != 0 && now - beat > STALL_MILLIS * 1_000_000) {
                        violations.add("thread " + t + " stalled for " + (now - beat) / 1_000_000 + " ms:\n" + threadDump());
                        break;
                    }
                }
            }
            running.set(false);
            for (Thread worker : workers) {
                worker.join(STALL_MILLIS);
                if (worker.isAlive()) {
                    violations.add(worker.getName() + " did not stop:\n" + threadDump());
                }
            }
            assertThat(violations).as("violations during the soak").isEmpty();
        }
        System.out.printf("SoakTest: %d s, %d operations (%.0f/s), %d ids deleted for good%n", SECONDS, operations.get(),
                operations.get() / (double) SECONDS, deletedForGood.size());
        try (VectorIndex reopened = VectorIndex.open(storage)) {
            int live = 0;
            for (int id = 0; id < ids; id++) {
                float[] stored = reopened.get(Integer.toString(id)).map(VectorRecord::vector).orElse(null);
                float[] expected = versions[id] < 0 ? null : vector(id, versions[id]);
                assertThat(stored).as("id %d after reopen", id).isEqualTo(expected);
                live += expected == null ? 0 : 1;
            }
            assertThat(reopened.size()).isEqualTo(live);
            assertThat(reopened.unreachableCount()).isZero();
        }
    }

    /** One write by the id's owner, checked the moment it returns. */
    private static void write(VectorIndex index, int id, Random random, int[] versions, AtomicLongArray maxVersion,
                              Set<Integer> deletedForGood, Queue<String> violations) {
        String key = Integer.toString(id);
        int roll = random.nextInt(100);
        if (roll < 8 && versions[id] >= 0) {
            index.delete(key);
            versions[id] = -1;
            if (roll < 2) {
                deletedForGood.add(id); // never written again: no search may return it from now on
            }
            if (index.get(key).isPresent()) {
                violations.add("get of " + key + " right after its delete found it");
            }
            return;
        }
        int version = versions[id] + 1;
        maxVersion.accumulateAndGet(id, version, Math::max);
        float[] v = vector(id, version);
        index.add(key, v);
        versions[id] = version;
        if (!index.get(key).map(r -> Arrays.equals(r.vector(), v)).orElse(false)) {
            violations.add("get of " + key + " right after upsert to version " + version + " is stale or missing");
        }
        for (SearchHit hit : index.search(v, 5)) {
            if (hit.id().equals(key) && hit.distance() > 1e-4f) {
                violations.add("search for version " + version + " of " + key + " returned it at distance "
                        + hit.distance() + ": a stale vector");
            }
        }
    }

    /** A search (every other one filtered); each hit must be a version its id had, and not deleted for good. */
    private static void read(VectorIndex index, Random random, int ids, AtomicLongArray maxVersion,
                             Set<Integer> deletedForGood, Queue<String> violations) {
        Set<Integer> goneBefore = Set.copyOf(deletedForGood);
        float[] query = Datasets.gaussian(random, DIMENSIONS);
        boolean filtered = random.nextBoolean();
        List<SearchHit> hits = filtered
                ? index.search(query, 10, id -> Integer.parseInt(id) % 4 == 0)
                : index.search(query, 10);
        for (SearchHit hit : hits) {
            int id = Integer.parseInt(hit.id());
            if (id < 0 || id >= ids || goneBefore.contains(id) || (filtered && id % 4 != 0)) {
                violations.add("search returned " + hit.id() + (goneBefore.contains(id) ? ", deleted for good" : ""));
                continue;
            }
            boolean someVersion = false;
            for (int v = 0; v <= maxVersion.get(id) && !someVersion; v++) {
                someVersion = Math.abs(Datasets.distance(Metric.L2, query, vector(id, v)) - hit.distance())
                        <= 1e-3 * (1 + hit.distance());
            }
            if (!someVersion) {
                violations.add("hit " + hit + " matches no version its id ever had");
            }
        }
    }

    private static Thread start(String name, Queue<String> violations, Runnable body) {
        return Thread.ofPlatform().name(name).start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                violations.add(name + " failed: " + e);
            }
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String threadDump() {
        StringBuilder dump = new StringBuilder();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append(info);
        }
        return dump.toString();
    }
}
