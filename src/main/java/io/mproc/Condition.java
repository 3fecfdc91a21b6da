package io.mproc;

import java.io.Serializable;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Python's {@code multiprocessing.Condition} ({@link Multiprocessing#condition()}): waiting for
 * a change that another process signals, under a {@link Lock} (by default a new reentrant
 * one). Python's {@code wait}, {@code wait_for}, {@code notify}, {@code notify_all} are
 * {@link #await}, {@link #awaitUntil}, {@link #signal}, {@link #signalAll}.
 *
 * <p>Every method must be called while the calling thread holds the lock
 * ({@link IllegalStateException} otherwise). {@code await} releases the lock, waits, and takes
 * it again before returning, however it returns. Signals go to waiters in the order they
 * began waiting; a signal with nobody waiting is lost, as in Python.
 */
public interface Condition extends Serializable {

    /** The lock this condition waits under. */
    Lock getLock();

    /** Waits until signalled. */
    void await();

    /** Python's {@code wait(timeout)}: true if signalled, false when {@code timeout} passed first. */
    boolean await(Duration timeout);

    /**
     * Python's {@code wait_for(predicate, timeout)}: waits until {@code predicate} is true,
     * re-checking it after each signal; returns its last value.
     */
    boolean awaitUntil(BooleanSupplier predicate, Duration timeout);

    /** Python's {@code notify()}: wakes the longest waiting process. */
    default void signal() {
        signal(1);
    }

    /** Python's {@code notify(n)}: wakes up to {@code n} waiters. */
    void signal(int n);

    /** Python's {@code notify_all()}. */
    void signalAll();
}
