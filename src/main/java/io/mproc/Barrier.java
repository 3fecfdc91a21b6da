package io.mproc;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Python's {@code multiprocessing.Barrier(parties)} ({@link Multiprocessing#barrier(int)}):
 * {@code parties} processes wait for each other, then all go on; it can be used again at once.
 *
 * <p>A barrier breaks when it is {@link #abort() aborted}, {@link #reset() reset} while
 * processes wait, or when a timed {@link #await(Duration)} times out: every process waiting
 * then, and every later {@code await} until {@link #reset()}, gets a
 * {@link BrokenBarrierException}. The one whose wait timed out gets a {@link TimeoutException},
 * as with {@code java.util.concurrent.CyclicBarrier}.
 */
public interface Barrier extends Serializable {

    /**
     * Waits until {@code parties} processes are waiting; returns this process's arrival index,
     * from 0 (first to arrive) to {@code parties - 1} (the one that let everybody go).
     *
     * @throws BrokenBarrierException the barrier is or became broken
     */
    int await();

    /** As {@link #await()}, at most {@code timeout}. @throws TimeoutException it passed first (and the barrier is broken) */
    int await(Duration timeout) throws TimeoutException;

    /** Breaks the barrier: waiters and later callers get a {@link BrokenBarrierException}. */
    void abort();

    /** Breaks the current round for whoever waits, then makes the barrier whole and empty. */
    void reset();

    /** Python's {@code parties}. */
    int parties();

    /** Python's {@code n_waiting}: processes waiting now. */
    int waiting();

    /** Python's {@code broken}. */
    boolean isBroken();
}
