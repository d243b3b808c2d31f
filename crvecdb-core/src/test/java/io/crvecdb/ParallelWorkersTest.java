package io.crvecdb;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The workers of a parallel bulk write: the failure a caller sees is the one that caused the others. */
class ParallelWorkersTest {

    @Test
    void throwsTheFailureTheOthersFollowedFromEvenWhenItIsCaughtLast() {
        UncheckedIOException diskFailure = new UncheckedIOException(new IOException("No space left on device"));
        AtomicInteger workers = new AtomicInteger();
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        CountDownLatch refused = new CountDownLatch(1);
        Runnable worker = () -> {
            if (workers.getAndIncrement() == 0) {
                // The write that fails: its own worker is slow to report it.
                failed.set(diskFailure);
                awaitQuietly(refused);
                sleepQuietly(300);
                throw diskFailure;
            }
            while (failed.get() == null) {
                Thread.onSpinWait();
            }
            refused.countDown();
            // The next write, refused because of the first: reported first.
            throw new IllegalStateException("the index is read-only", failed.get());
        };

        assertThatThrownBy(() -> Engine.runParallel(worker, 2)).isSameAs(diskFailure);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
