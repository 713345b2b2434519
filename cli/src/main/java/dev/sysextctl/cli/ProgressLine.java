package dev.sysextctl.cli;

import dev.sysextctl.core.progress.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The live progress line on a terminal's stderr: the step, entries and bytes done, the rate, redrawn in place with
 * {@code \r} at most ten times a second, never wider than the terminal (a wrapped line could not be redrawn), and
 * cleared when the work ends or before anything else is printed on stderr ({@link #clear}). {@code cli} draws one
 * only on a terminal, without {@code -q} and without {@code --json} ({@link RunOutput}).
 */
final class ProgressLine implements ProgressListener {
    /** The shortest time between two redraws: at most ten a second. */
    static final long REDRAW_NANOS = 100_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private final PrintWriter err;
    private final LongSupplier clock;
    private int width;
    private String step;
    private long totalBytes = -1;
    private long entries;
    private long bytes;
    private long stepStarted;
    private long lastDraw;
    private int shown;

    /**
     * @param clock nanoseconds, as {@link System#nanoTime}
     * @param width the terminal's columns, or 0 to measure them when the line is first drawn
     */
    ProgressLine(PrintWriter err, LongSupplier clock, int width) {
        this.err = err;
        this.clock = clock;
        this.width = width;
        this.lastDraw = clock.getAsLong();
    }

    @Override
    public synchronized void step(String name, long total) {
        step = name;
        totalBytes = total;
        entries = 0;
        bytes = 0;
        stepStarted = clock.getAsLong();
        maybeDraw(stepStarted);
    }

    @Override
    public synchronized void advance(long moreEntries, long moreBytes) {
        entries += moreEntries;
        bytes += moreBytes;
        maybeDraw(clock.getAsLong());
    }

    @Override
    public synchronized void done() {
        clear();
        step = null;
    }

    /** Removes the line (when one is shown), so that other output starts at the beginning of an empty line. */
    synchronized void clear() {
        if (shown > 0) {
            err.print("\r" + " ".repeat(shown) + "\r");
            err.flush();
            shown = 0;
        }
    }

    private void maybeDraw(long now) {
        if (step == null || now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        if (width <= 0) {
            width = Terminal.measuredWidth();
        }
        String text = text(now);
        err.print("\r" + text + " ".repeat(Math.max(0, shown - text.length())));
        if (shown > text.length()) {
            err.print("\r" + text);
        }
        err.flush();
        shown = text.length();
    }

    /**
     * The line at {@code now}: "STEP: N entries, SIZE[ of TOTAL (P%)][, RATE/s]" (the rate after half a second), or
     * "STEP: S s" while nothing is counted; cut to the width less one (the last column would wrap on some
     * terminals).
     */
    String text(long now) {
        long elapsed = now - stepStarted;
        StringBuilder b = new StringBuilder(step).append(": ");
        if (entries == 0 && bytes == 0) {
            b.append(elapsed / SECOND).append(" s");
        } else {
            b.append(entries).append(entries == 1 ? " entry, " : " entries, ").append(Console.humanSize(bytes));
            if (totalBytes > 0) {
                b.append(" of ").append(Console.humanSize(totalBytes))
                        .append(String.format(Locale.ROOT, " (%d%%)", Math.min(100, bytes * 100 / totalBytes)));
            }
            if (elapsed >= SECOND / 2) {
                b.append(", ").append(Console.humanSize(Math.round(bytes * (double) SECOND / elapsed))).append("/s");
            }
        }
        int max = Math.max(10, width - 1);
        return b.length() <= max ? b.toString() : b.substring(0, max);
    }
}
