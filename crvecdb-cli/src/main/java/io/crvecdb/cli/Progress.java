package io.crvecdb.cli;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise (logs).
 * Workers call {@link #advance}; a daemon thread draws, so workers never wait on the terminal.
 */
final class Progress implements AutoCloseable {

    private static final int WIDTH = 40;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private final AtomicLong done = new AtomicLong();
    private final Thread painter;
    private final long startNanos = System.nanoTime();
    private long lastTenth = -1;

    Progress(String label, long total, PrintStream out) {
        this.label = label;
        this.total = Math.max(1, total);
        this.out = out;
        this.terminal = System.console() != null;
        this.painter = Thread.ofPlatform().daemon().name("crvecdb-progress").start(this::paintUntilInterrupted);
    }

    void advance() {
        done.incrementAndGet();
    }

    private void paintUntilInterrupted() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                paint();
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void paint() {
        long current = Math.min(done.get(), total);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        String rate = String.format("%,.0f/s", current / Math.max(seconds, 1e-9));
        if (terminal) {
            int filled = (int) (WIDTH * current / total);
            out.printf("\r%s [%s%s] %,d/%,d %s ", label, "#".repeat(filled), " ".repeat(WIDTH - filled), current, total, rate);
        } else {
            long tenth = 10 * current / total;
            if (tenth != lastTenth) {
                lastTenth = tenth;
                out.printf("%s %d%% (%,d/%,d, %s)%n", label, 10 * tenth, current, total, rate);
            }
        }
        out.flush();
    }

    @Override
    public void close() {
        painter.interrupt();
        try {
            painter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        paint();
        if (terminal) {
            out.println();
        }
    }
}
