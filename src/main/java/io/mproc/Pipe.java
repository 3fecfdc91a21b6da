package io.mproc;

/**
 * A pair of connected {@link Connection}s: Python's {@code a, b = Pipe()}. Made by
 * {@link Multiprocessing#pipe()} (duplex: both ends send and receive) or
 * {@code pipe(false)} (one-way: {@link #left()} only receives, {@link #right()} only sends,
 * as Python's {@code Pipe(duplex=False)} returns {@code (receiver, sender)}).
 */
public interface Pipe {
    /** Python's first end ({@code a} in {@code a, b = Pipe()}); the receiving one of a one-way pipe. */
    Connection left();

    /** Python's second end; the sending one of a one-way pipe. */
    Connection right();
}
