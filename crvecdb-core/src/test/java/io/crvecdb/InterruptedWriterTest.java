package io.crvecdb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thread whose interrupt flag is set (a cancelled task, a request that timed out, a pool thread
 * that kept a stale interrupt) writes to a durable index. A {@code FileChannel} is closed for good
 * when an interrupted thread does I/O on it: that must not fail the write, nor turn the whole index
 * read-only for every other thread until it is reopened. The thread keeps its interrupt.
 */
class InterruptedWriterTest {

    @TempDir
    Path dir;

    @Test
    void aWriterWhoseInterruptFlagIsSetNeitherFailsNorTurnsTheIndexReadOnly() throws Exception {
        try (VectorIndex index = VectorIndex.builder().dimensions(2).metric(Metric.L2).storage(dir).build()) {
            index.add("a", new float[] {1, 2});
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            Thread writer = Thread.ofPlatform().start(() -> {
                Thread.currentThread().interrupt();
                try {
                    index.add("b", new float[] {1, 3});
                    index.addAll(List.of(new VectorRecord("c", new float[] {1, 4})), 1);
                    index.delete("a");
                    index.checkpoint();
                    index.add("d", new float[] {1, 5});
                } catch (Throwable e) {
                    failure.set(e);
                }
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            });
            writer.join();
            assertThat(failure.get()).as("the interrupted thread's writes").isNull();
            assertThat(stillInterrupted).as("the thread keeps its interrupt").isTrue();
            assertThat(index.readOnlyReason()).as("the index stays writable").isEmpty();
            index.add("e", new float[] {1, 6});
        }
        try (VectorIndex reopened = VectorIndex.open(dir)) {
            assertThat(reopened.contains("a")).isFalse();
            for (String id : List.of("b", "c", "d", "e")) {
                assertThat(reopened.contains(id)).as(id).isTrue();
            }
        }
    }

    @Test
    void aThreadWhoseInterruptFlagIsSetOpensAndClosesAStore() throws Exception {
        try (VectorIndex index = VectorIndex.builder().dimensions(2).metric(Metric.L2).storage(dir).build()) {
            index.add("a", new float[] {1, 2});
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread opener = Thread.ofPlatform().start(() -> {
            Thread.currentThread().interrupt();
            try (VectorIndex index = VectorIndex.open(dir)) {
                index.add("b", new float[] {1, 3});
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        opener.join();
        assertThat(failure.get()).as("open, write and close on an interrupted thread").isNull();
        try (VectorIndex reopened = VectorIndex.open(dir)) {
            assertThat(reopened.contains("a")).isTrue();
            assertThat(reopened.contains("b")).isTrue();
        }
    }

    /**
     * Interrupts that land while the log writes or syncs close its channel under the writer (and
     * under any other writer using it): the log reopens its file and carries on, so no write fails
     * and every acknowledged one is there after a reopen.
     */
    @Test
    void interruptsDuringTheLogsWritesAndSyncsFailNothing() throws Exception {
        int writes = 1_500;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (VectorIndex index = VectorIndex.builder().dimensions(2).metric(Metric.L2).storage(dir).build()) {
            Thread[] writers = new Thread[2];
            for (int w = 0; w < writers.length; w++) {
                int first = w * writes;
                writers[w] = Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = first; i < first + writes; i++) {
                            index.add("r" + i, new float[] {i, 1});
                            Thread.interrupted(); // a stale interrupt is the case above; this one wants the next to land in I/O
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            Thread interrupter = Thread.ofPlatform().start(() -> {
                while (writers[0].isAlive() || writers[1].isAlive()) {
                    writers[0].interrupt();
                    writers[1].interrupt();
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // rare enough for a slow disk's fsync
                }
            });
            for (Thread writer : writers) {
                writer.join();
            }
            interrupter.join();
            assertThat(failure.get()).as("a write during interrupts").isNull();
            assertThat(index.readOnlyReason()).as("the index stays writable").isEmpty();
        }
        try (VectorIndex reopened = VectorIndex.open(dir)) {
            assertThat(reopened.size()).isEqualTo(2 * writes);
        }
    }

    /**
     * Interrupts that land while a checkpoint or a compaction writes its new data file, or creates
     * the new log, close that file's channel: the step starts again on a fresh file, so neither
     * fails nor turns the index read-only, and the store reopens whole.
     */
    @Test
    void interruptsDuringCheckpointsAndCompactionsFailNothing() throws Exception {
        int records = 3_000;
        int rounds = 60;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (VectorIndex index = VectorIndex.builder().dimensions(8).metric(Metric.L2).storage(dir).build()) {
            for (int i = 0; i < records; i++) {
                index.add("r" + i, new float[] {i, 1, 2, 3, 4, 5, 6, 7});
            }
            Thread committer = Thread.ofPlatform().start(() -> {
                try {
                    for (int round = 0; round < rounds; round++) {
                        index.delete("r" + round); // something for the compaction to drop
                        if (round % 2 == 0) {
                            index.checkpoint();
                        } else {
                            index.compact();
                        }
                        Thread.interrupted(); // the next interrupt should land in I/O, not before it
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            AtomicInteger interrupts = new AtomicInteger();
            Thread interrupter = Thread.ofPlatform().start(() -> {
                while (committer.isAlive()) {
                    committer.interrupt();
                    interrupts.incrementAndGet();
                    // Rarer than a commit step takes (its fsync, on a slow disk, included), or no attempt could finish.
                    java.util.concurrent.locks.LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(5_000_000, 40_000_000));
                }
            });
            committer.join();
            interrupter.join();
            assertThat(failure.get()).as("a checkpoint or compaction during interrupts").isNull();
            assertThat(index.readOnlyReason()).as("the index stays writable").isEmpty();
            System.out.printf("InterruptedWriterTest: %d checkpoints and compactions under %d interrupts%n", rounds,
                    interrupts.get());
            index.add("last", new float[] {0, 1, 2, 3, 4, 5, 6, 7});
        }
        try (VectorIndex reopened = VectorIndex.open(dir)) {
            assertThat(reopened.size()).isEqualTo(records - rounds + 1);
            assertThat(reopened.contains("r" + rounds)).isTrue();
            assertThat(reopened.contains("r0")).isFalse();
        }
    }
}
