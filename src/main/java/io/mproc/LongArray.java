package io.mproc;

import java.io.Serializable;

/**
 * Python's {@code multiprocessing.Array('q', ...)}: a fixed-length array of longs shared by every
 * process of the cluster ({@link Multiprocessing#array(long[])}). Element access goes through
 * the array's own lock as in Python; see {@link Value} for how that lock behaves. Holding the
 * lock copies the whole array into the holder's JVM: keep shared arrays small, or use a
 * {@link Queue} for bulk data.
 */
public interface LongArray extends Serializable {

    /** Python's {@code a[i]}. @throws IndexOutOfBoundsException {@code i} is outside {@code [0, length())} */
    long get(int i);

    /** Python's {@code a[i] = x}. @throws IndexOutOfBoundsException {@code i} is outside {@code [0, length())} */
    void set(int i, long value);

    /** Python's {@code len(a)}. */
    int length();

    /** Python's {@code a[:]}: a copy of all elements. */
    long[] toArray();

    /** Python's {@code a.get_lock()}. */
    Lock getLock();
}
