package io.mproc;

/** A put found no room in a bounded queue in time: Python's {@code queue.Full}. */
public class QueueFullException extends ProcessException {
    public QueueFullException(String message) {
        super(message);
    }
}
