package io.mproc;

/**
 * A value could not cross a process boundary: a task, its captured values, an argument
 * or a result is not serializable (Python's {@code PicklingError}). Thrown in the caller,
 * at submission or when the result arrives; the message names the offending class. The
 * pool stays usable.
 */
public class SerializationException extends ProcessException {
    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
