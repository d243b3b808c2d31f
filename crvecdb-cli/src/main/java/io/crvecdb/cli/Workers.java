package io.crvecdb.cli;

import java.util.concurrent.atomic.AtomicReference;

/** Runs one task on several platform threads at once and waits for all of them. */
final class Workers {

    private Workers() {
    }

    /**
     * Runs {@code task} on {@code threads} new threads (the task shares its work out itself, e.g.
     * through an atomic counter) and rethrows the first failure once every thread has ended.
     */
    static void run(int threads, Runnable task) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] started = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            started[t] = Thread.ofPlatform().name("crvecdb-worker-" + t).start(() -> {
                try {
                    task.run();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        for (Thread thread : started) {
            thread.join();
        }
        switch (failure.get()) {
            case null -> { }
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            case Throwable e -> throw new IllegalStateException(e);
        }
    }
}
