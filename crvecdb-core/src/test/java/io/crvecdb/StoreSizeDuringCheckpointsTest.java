package io.crvecdb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link VectorIndex#storeSizeBytes()} is what metrics gauges and health checks read, from their
 * own threads, while writers checkpoint and delete the previous generation's files: a file that
 * goes between the listing and its size must not fail the read.
 */
class StoreSizeDuringCheckpointsTest {

    @TempDir
    Path dir;

    @Test
    void theStoreSizeCanBeReadWhileCheckpointsReplaceFiles() throws Exception {
        try (VectorIndex index = VectorIndex.builder().dimensions(2).metric(Metric.L2).storage(dir).build()) {
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicInteger reads = new AtomicInteger();
            Thread gauge = Thread.ofPlatform().start(() -> {
                while (!done.get() && failure.get() == null) {
                    try {
                        index.storeSizeBytes();
                        reads.incrementAndGet();
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }
            });
            long end = System.nanoTime() + 2_000_000_000L;
            for (int i = 0; System.nanoTime() < end && failure.get() == null; i++) {
                index.add("r" + i % 10, new float[] {1, i});
                index.checkpoint();
            }
            done.set(true);
            gauge.join();
            assertThat(failure.get()).as("a size read during checkpoints (after %d good ones)", reads.get()).isNull();
        }
    }
}
