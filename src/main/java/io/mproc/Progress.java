package io.mproc;

/**
 * A progress bar for long work on a terminal, as tqdm around {@code imap} or Dask's
 * {@code progress(futures)}: {@code List<Integer> squares = Progress.show("squares", pool.mapAsync(f, items));}
 *
 * <p>While the work runs, standard error shows one line that redraws itself a few times a second:
 * {@code squares [#########.........]  4,200/10,000  42%  1,250/s  ETA 5s}, counted by
 * {@link AsyncResult#itemsDone()}. The line is cleared when the work ends, so that what the
 * program prints stays as it was. Nothing is drawn when the program's input or output is not a
 * terminal ({@link System#console()} is null: piped, redirected, in CI), or with
 * {@code -Dmproc.progress=off}.
 */
public final class Progress {
    private Progress() {
    }

    /**
     * Waits for {@code work} as {@link AsyncResult#get()} does, drawing its progress meanwhile
     * on a terminal, and returns its result.
     */
    public static <R> R show(String label, AsyncResult<R> work) {
        return io.mproc.pool.ProgressBar.show(label, work);
    }
}
