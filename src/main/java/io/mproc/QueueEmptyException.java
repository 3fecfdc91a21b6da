package io.mproc;

/** A get found no item in time: Python's {@code queue.Empty}. */
public class QueueEmptyException extends ProcessException {
    public QueueEmptyException(String message) {
        super(message);
    }
}
