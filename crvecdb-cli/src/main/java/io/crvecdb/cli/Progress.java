package io.crvecdb.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress bar on stderr: one line redrawn in place on a terminal; a line per tenth of the work
 * otherwise, so logs stay readable. Workers only bump a counter; a daemon thread draws, so workers
 * never wait on the output.
 */
final class Progress implements AutoCloseable {

    private static final int BAR_WIDTH = 40;
    private static final long REDRAW_MILLIS = 200;

    private final String label;
    private final long total;
    private final PrintWriter out;
    private final boolean terminal;
    private final AtomicLong done = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private final Thread painter;
    private long lastTenthPrinted = -1;

    Progress(String label, long total, PrintWriter out, boolean terminal) {
        this.label = label;
        this.total = Math.max(1, total);
        this.out = out;
        this.terminal = terminal;
        this.painter = Thread.ofPlatform().daemon().name("crvecdb-progress").start(this::paintUntilInterrupted);
    }

    /** Whether this JVM talks to a terminal (System.console() is null when output is redirected). */
    static boolean onTerminal() {
        Console console = System.console();
        return console != null && console.isTerminal();
    }

    void advance() {
        done.incrementAndGet();
    }

    void advance(long steps) {
        done.addAndGet(steps);
    }

    private void paintUntilInterrupted() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                paint();
                Thread.sleep(REDRAW_MILLIS);
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
            int filled = (int) (BAR_WIDTH * current / total);
            // \r returns to the line start; ESC[K erases what a longer previous drawing left behind
            out.printf("\r%s [%s%s] %3d%% %,d/%,d %s\u001b[K", label, "#".repeat(filled), " ".repeat(BAR_WIDTH - filled),
                    100 * current / total, current, total, rate);
        } else {
            long tenth = 10 * current / total;
            if (tenth == lastTenthPrinted) {
                return;
            }
            lastTenthPrinted = tenth;
            out.printf("%s %d%% (%,d/%,d, %s)%n", label, 10 * tenth, current, total, rate);
        }
        out.flush();
    }

    /** Stops redrawing and leaves the final state (100% once all work is done) on its own line. */
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
            out.flush();
        }
    }
}
