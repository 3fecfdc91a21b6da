package io.mproc;

import java.io.Serializable;
import java.time.Duration;

/**
 * Python's {@code multiprocessing.Event} ({@link Multiprocessing#event()}): a flag shared by
 * every process of the cluster, and a way to wait until it is set.
 */
public interface Event extends Serializable {

    /** Sets the flag and wakes every process waiting for it. */
    void set();

    /** Clears the flag. */
    void clear();

    /** Python's {@code is_set()}. */
    boolean isSet();

    /** Waits until the flag is set. */
    void await();

    /**
     * Python's {@code wait(timeout)}: true if the flag is set or was set while waiting,
     * false when {@code timeout} passed first ({@code Duration.ZERO} only looks).
     */
    boolean await(Duration timeout);
}
