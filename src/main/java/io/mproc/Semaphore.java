package io.mproc;

import java.io.Serializable;
import java.time.Duration;

/**
 * Python's {@code multiprocessing.Semaphore(n)} ({@link Multiprocessing#semaphore(int)}) and
 * {@code BoundedSemaphore(n)} ({@link Multiprocessing#boundedSemaphore(int)}), shared by every
 * process of the cluster. Waiters are served first come, first served.
 *
 * <p>Any process may release a permit, as in Python. A bounded semaphore refuses a release
 * that would take it above its initial count ({@link IllegalStateException}, Python's
 * {@code ValueError}). Permits taken by a process that dies (even by {@code kill -9}) and not
 * given back are returned within a few seconds, as for a {@link Lock}; Python keeps them
 * taken for good. A release by a process that holds no permit counts against the permits
 * other processes hold, so a dead process never gets more back than it still held.
 */
public interface Semaphore extends Serializable {

    /** Waits for a permit; returns true. */
    boolean acquire();

    /** Python's {@code acquire(timeout=t)}: true when a permit was taken within {@code timeout}. */
    boolean acquire(Duration timeout);

    /** Takes a permit only if one is free now and nobody waits. */
    boolean tryAcquire();

    /** Gives a permit back. @throws IllegalStateException a bounded semaphore would exceed its bound */
    void release();

    /** The free permits now (Python's {@code get_value()}). */
    int availablePermits();
}
