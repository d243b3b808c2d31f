package io.crvecdb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A close while writers add: it "first waits for writes in flight" (its Javadoc), so a write either
 * returns, and is in the store, or fails, and is not.
 */
class CloseDuringWritesTest {

    private static final int DIMENSIONS = 8;

    @TempDir
    Path dir;

    @Test
    void aWriteReturnsAndIsStoredOrFailsAndIsNot() throws Exception {
        Path store = dir.resolve("store");
        List<String> storedThoughFailed = new ArrayList<>();
        List<String> lostThoughAcknowledged = new ArrayList<>();
        for (int round = 0; round < 40 && storedThoughFailed.isEmpty(); round++) {
            VectorIndex index = VectorIndex.builder().dimensions(DIMENSIONS).metric(Metric.L2).storage(store).build();
            ConcurrentHashMap<String, Boolean> failed = new ConcurrentHashMap<>();
            ConcurrentHashMap<String, Boolean> acknowledged = new ConcurrentHashMap<>();
            AtomicInteger next = new AtomicInteger();
            CountDownLatch writing = new CountDownLatch(2);
            List<Thread> writers = new ArrayList<>();
            int thisRound = round;
            for (int w = 0; w < 2; w++) {
                Thread writer = new Thread(() -> {
                    Random random = new Random();
                    writing.countDown();
                    while (true) {
                        String id = thisRound + "-" + next.getAndIncrement();
                        float[] vector = new float[DIMENSIONS];
                        for (int d = 0; d < DIMENSIONS; d++) {
                            vector[d] = random.nextFloat();
                        }
                        try {
                            index.add(id, vector);
                            acknowledged.put(id, true);
                        } catch (IllegalStateException closed) {
                            failed.put(id, true);
                            return;
                        }
                    }
                });
                writer.start();
                writers.add(writer);
            }
            writing.await();
            Thread.sleep(20);
            index.close();
            for (Thread writer : writers) {
                writer.join();
            }
            try (VectorIndex reopened = VectorIndex.open(store)) {
                failed.keySet().stream().filter(reopened::contains).forEach(storedThoughFailed::add);
                acknowledged.keySet().stream().filter(id -> !reopened.contains(id)).forEach(lostThoughAcknowledged::add);
            }
        }
        assertThat(lostThoughAcknowledged).as("adds that returned but are not in the store").isEmpty();
        assertThat(storedThoughFailed).as("adds that threw 'closed' but are in the store").isEmpty();
    }
    /**
     * A close while {@code addAll} runs on two threads: the call throws, the store reopens, and what
     * it holds of the batch are records of the batch with their vectors (addAll's Javadoc: a batch is
     * not a transaction).
     */
    @Test
    void aBatchCutShortByACloseKeepsWhatItWrote() throws Exception {
        Path store = dir.resolve("batch");
        List<VectorRecord> batch = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            float[] vector = new float[DIMENSIONS];
            for (int d = 0; d < DIMENSIONS; d++) {
                vector[d] = random.nextFloat();
            }
            batch.add(new VectorRecord("r" + i, vector));
        }
        VectorIndex index = VectorIndex.builder().dimensions(DIMENSIONS).metric(Metric.L2).storage(store).build();
        AtomicInteger outcome = new AtomicInteger(); // 1 returned, 2 threw "closed"
        Thread adder = new Thread(() -> {
            try {
                index.addAll(batch, 2);
                outcome.set(1);
            } catch (IllegalStateException closed) {
                outcome.set(2);
            }
        });
        adder.start();
        while (index.size() < 1_000) {
            Thread.onSpinWait();
        }
        index.close();
        adder.join();
        try (VectorIndex reopened = VectorIndex.open(store)) {
            assertThat(outcome.get()).as("the batch was cut short").isEqualTo(2);
            assertThat(reopened.size()).isBetween(1_000, batch.size() - 1);
            for (VectorRecord record : batch) {
                reopened.get(record.id()).ifPresent(stored -> assertThat(stored.vector()).isEqualTo(record.vector()));
            }
        }
    }
}
