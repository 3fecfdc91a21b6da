package io.mproc;

import java.time.Duration;

/**
 * A {@link Queue} that counts unfinished items: Python's {@code JoinableQueue}. Each
 * {@code put} adds one; each {@link #taskDone()} (by a consumer, when it has processed an
 * item it got) takes one away; {@link #join()} waits until none is left.
 */
public interface JoinableQueue<T> extends Queue<T> {

    /**
     * A consumer has finished an item it got (Python's {@code task_done()}).
     *
     * @throws IllegalStateException called more times than items were put
     */
    void taskDone();

    /** Waits until every item put has been marked done (Python's {@code join()}). */
    void join();

    /** Waits at most {@code timeout}; returns whether every item put has been marked done. */
    boolean join(Duration timeout);
}
