package io.mproc;

/** Python's {@code BrokenBarrierError}: a {@link Barrier} was aborted, reset, or a wait on it timed out. */
public class BrokenBarrierException extends ProcessException {
    public BrokenBarrierException(String message) {
        super(message);
    }
}
