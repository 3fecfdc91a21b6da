package io.mproc.pool;

import io.mproc.AsyncResult;

import java.io.PrintStream;
import java.time.Duration;

/** What {@link io.mproc.Progress} draws, and the thread that waits for the work meanwhile. */
public final class ProgressBar {
    private static final int BAR = 24;
    private static final Duration REDRAW = Duration.ofMillis(200);

    private ProgressBar() {
    }

    public static <R> R show(String label, AsyncResult<R> work) {
        if (System.console() == null || "off".equals(System.getProperty("mproc.progress"))) {
            return work.get();
        }
        PrintStream err = System.err;
        long start = System.nanoTime();
        int drawn = 0;
        try {
            while (!work.await(REDRAW)) {
                String text = line(label, work.itemsDone(), work.itemsTotal(), System.nanoTime() - start);
                err.print("\r" + text + " ".repeat(Math.max(0, drawn - text.length())));
                err.flush();
                drawn = text.length();
            }
        } finally {
            if (drawn > 0) {
                err.print("\r" + " ".repeat(drawn) + "\r");
                err.flush();
            }
        }
        return work.get();
    }

    /** {@code label [#####.....]  done/total  pct%  rate/s  ETA t}; rate and ETA once something is done. */
    static String line(String label, long done, long total, long elapsedNanos) {
        int filled = total <= 0 ? 0 : (int) Math.min(BAR, BAR * done / total);
        StringBuilder line = new StringBuilder(label).append(" [").append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("]  ")
                .append(String.format("%,d/%,d", done, total));
        if (total > 0) {
            line.append(String.format("  %d%%", 100 * done / total));
        }
        double seconds = elapsedNanos / 1e9;
        if (done > 0 && seconds > 0) {
            double rate = done / seconds;
            line.append(String.format("  %,.0f/s  ETA %s", rate, eta((long) Math.ceil((total - done) / rate))));
        }
        return line.toString();
    }

    private static String eta(long seconds) {
        return seconds < 60 ? seconds + "s" : seconds < 3600 ? seconds / 60 + "m" + String.format("%02d", seconds % 60) + "s"
                : seconds / 3600 + "h" + String.format("%02d", seconds / 60 % 60) + "m";
    }
}
